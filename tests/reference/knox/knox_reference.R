# Reference values for geo/hotspot/knox (Knox near-repeat test), in base R,
# independently of trygg: the observed pair counts per spatial band x temporal
# band (half-open intervals [a, b), as findInterval()), and the EXACT expected
# count under random permutation of the event times,
#   E[X_st] = N_s * N_t / choose(n, 2),
# N_s = pairs in spatial band s, N_t = pairs in temporal band t (a pair gets the
# times of a uniformly random pair of events, so P(pair in t) = N_t / choose(n, 2)).
# No Debian package ships a Knox test with bands (r-cran-surveillance's knox()
# is a 2 x 2 version and pulls 500+ packages), hence base R.
# Run:  Rscript tests/reference/knox/knox_reference.R   (from the repository root)
set.seed(20261122)
n_base <- 450
n_repeat <- 150
x <- round(runif(n_base, 0, 3000), 1)
y <- round(runif(n_base, 0, 3000), 1)
day <- sample(0:364, n_base, replace = TRUE)
parent <- sample.int(n_base, n_repeat, replace = TRUE)
r <- 150 * sqrt(runif(n_repeat))
a <- runif(n_repeat, 0, 2 * pi)
x <- c(x, round(x[parent] + r * cos(a), 1))
y <- c(y, round(y[parent] + r * sin(a), 1))
day <- c(day, day[parent] + sample(0:10, n_repeat, replace = TRUE))
n <- length(x)
out_dir <- "tests/reference/knox"
write.csv(data.frame(x = x, y = y, day = day), file.path(out_dir, "events.csv"), row.names = FALSE)

sbreaks <- c(0, 100, 200, 300, 400, Inf)
tbreaks <- c(0, 7, 14, 21, 28)
pair_i <- combn(n, 2)
dt <- abs(day[pair_i[1, ]] - day[pair_i[2, ]])
tband <- findInterval(dt, tbreaks)  # k: tbreaks[k] <= dt < tbreaks[k+1]
rows <- list()
for (metric in c("euclidean", "manhattan")) {
  d <- as.matrix(dist(cbind(x, y), method = metric))[t(pair_i)]
  sband <- findInterval(d, sbreaks)
  for (s in 1:(length(sbreaks) - 1)) {
    for (k in 1:(length(tbreaks) - 1)) {
      obs <- sum(sband == s & tband == k)
      expct <- sum(sband == s) * sum(tband == k) / choose(n, 2)
      rows[[length(rows) + 1]] <- data.frame(distance = metric, spatial_from = sbreaks[s],
                                             spatial_to = sbreaks[s + 1], temporal_from = tbreaks[k],
                                             temporal_to = tbreaks[k + 1], observed = obs,
                                             expected = sprintf("%.17g", expct))
    }
  }
}
write.csv(do.call(rbind, rows), file.path(out_dir, "knox_reference.csv"), row.names = FALSE, quote = FALSE)
