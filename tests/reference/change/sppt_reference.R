# Reference for trygg::geo::change::spatialPointPatternTest and spptDiff.
# The R package `sppt` (Steenbeek et al.) is not in Debian; this script performs
# METHODS.md §8's steps exactly as sppt::sppt() and sppt::sppt_diff() do, on
# per-unit event counts (sampling events = sampling their unit labels):
#   sppt: percentages per unit; 200 samples of round(0.85 n) test events
#   without replacement (sample(), set.seed); per-unit interval at sorted
#   positions floor(0.025*200)+1 and ceil(0.975*200); S-index; similarity;
#   global S; robust variant without units empty in both sets.
#   sppt_diff: per-unit 2x2 table; chisq.test(correct = FALSE) x (N-1)/N ("Chi2_Nmin1"),
#   prop.test (Chi2, Yates), fisher.test; p.adjust(method = "BY"); S where the
#   adjusted p < 0.05.
# R's RNG differs from trygg's, so the committed cases are built so that every
# S-index is decided far from the interval edges: the script checks, with the
# hypergeometric quantiles of a unit's sampled count, that the base percentage
# lies below q(0.0005), between q(0.10) and q(0.90), or above q(0.9995) of the
# sampled test percentage — where the 6th and 195th of 200 draws cannot reach
# (P < 1e-4) — and stops if a case is not so.
#   Rscript tests/reference/change/sppt_reference.R   (from the repository root)
out_dir <- "tests/reference/change"
fmt <- function(v) ifelse(is.na(v) & !is.nan(v), "NA", ifelse(is.nan(v), "NaN", sprintf("%.17g", v)))

sppt_counts <- function(base, test, nsamples = 200, percpoints = 85, conf_level = 95) {
  base_perc <- base / sum(base) * 100
  test_perc <- test / sum(test) * 100
  labels <- rep(seq_along(test), test)
  samplesize <- round((percpoints / 100) * length(labels))
  allperc <- sapply(seq_len(nsamples), function(s) {
    smp <- sample(labels, size = samplesize, replace = FALSE)
    cnt <- tabulate(smp, nbins = length(test))
    cnt / sum(cnt) * 100
  })
  allperc <- t(apply(matrix(allperc, nrow = length(test)), 1, sort))
  lo_col <- floor(((100 - conf_level) / 100 / 2) * nsamples) + 1
  hi_col <- ceiling((1 - (100 - conf_level) / 100 / 2) * nsamples)
  lower <- allperc[, lo_col]
  upper <- allperc[, hi_col]
  s <- ifelse(base_perc < lower, -1, ifelse(base_perc > upper, 1, 0))
  # Where could the edges fall? Hypergeometric quantiles of the sampled count.
  n <- length(labels)
  q <- function(p) qhyper(p, test, n - test, samplesize) / samplesize * 100
  decided <- ifelse(base_perc < q(0.0005), -1,
             ifelse(base_perc > q(0.9995), 1,
             ifelse(base_perc >= q(0.10) & base_perc <= q(0.90), 0, NA)))
  if (any(is.na(decided)) || any(decided != s))
    stop("case has an S-index near an interval edge: units ", paste(which(is.na(decided) | decided != s), collapse = ","))
  robust <- (base + test) > 0
  sim <- as.numeric(s == 0)
  list(units = data.frame(unit = seq_along(base) - 1, base = base, test = test, base_perc = fmt(base_perc),
                          test_perc = fmt(test_perc), lower = fmt(lower), upper = fmt(upper), s_index = s,
                          robust = as.integer(robust)),
       globalS = mean(sim), globalS_robust = mean(sim[robust]), samplesize = samplesize)
}

sppt_diff_counts <- function(base, test, conf_level = 95) {
  tb <- sum(base); tt <- sum(test)
  pvals <- function(test_name) sapply(seq_along(base), function(i) {
    da <- matrix(c(base[i], test[i], tb - base[i], tt - test[i]), ncol = 2)
    if (test_name == "Chi2_Nmin1") {
      r <- suppressWarnings(as.numeric(stats::chisq.test(da, correct = FALSE)$statistic))
      N <- sum(da)
      stats::pchisq(r * (N - 1) / N, 1, lower.tail = FALSE)
    } else if (test_name %in% c("Chi2", "Yates")) {
      suppressWarnings(stats::prop.test(da, correct = test_name == "Yates"))$p.value
    } else {
      stats::fisher.test(da)$p.value
    }
  })
  bp <- base / tb * 100; tp <- test / tt * 100
  rows <- list(); glob <- list()
  for (tn in c("Chi2_Nmin1", "Chi2", "Yates", "Fisher")) {
    p <- pvals(tn)
    s <- rep(0, length(p))
    s[(p < 1 - conf_level / 100) & (bp > tp)] <- 1
    s[(p < 1 - conf_level / 100) & (bp < tp)] <- -1
    padj <- stats::p.adjust(p, method = "BY")
    s[which(padj >= 1 - conf_level / 100)] <- 0
    robust <- (base + test) > 0
    sim <- as.numeric(s == 0)
    rows[[tn]] <- data.frame(test = tn, unit = seq_along(base) - 1, p_value = fmt(p), p_adjusted = fmt(padj), s_index = s)
    glob[[tn]] <- data.frame(test = tn, globalS = fmt(mean(sim)), globalS_robust = fmt(mean(sim[robust])))
  }
  list(units = do.call(rbind, rows), global = do.call(rbind, glob))
}

cases <- list()
# A: 20 units; most keep their share (test = 0.8 x base), four change strongly
# with the test total unchanged (+400 / −400, +300 / −300).
w <- c(30, 45, 60, 25, 80, 50, 40, 70, 35, 55, 65, 20, 90, 45, 30, 60, 40, 75, 50, 35)
base <- w * 10
test <- round(w * 8)
test[3] <- test[3] + 400; test[8] <- test[8] - 400; test[13] <- test[13] + 300; test[17] <- test[17] - 300
cases$A <- list(base = base, test = test)
# B: zeros — units empty in both sets, empty in one set, and a large new hotspot.
base <- c(0, 0, 120, 0, 300, 150, 0, 200, 90, 400, 0, 60, 250, 180, 0)
test <- c(0, 0, 100, 150, 250, 120, 0, 0, 75, 330, 0, 50, 210, 150, 0)
cases$B <- list(base = base, test = test)
# C: 120 units on a 12 x 10 grid, a smooth surface; in the test period 960
# events move from the old hotspot's four central units to a new corner hotspot
# (16 units), the total unchanged, so every other unit keeps its share exactly.
g <- expand.grid(x = 0:11, y = 0:9)
s <- round(40 + 400 * exp(-((g$x - 3)^2 + (g$y - 3)^2) / 6))
base <- 10 * s
test <- 7 * s
test[g$x >= 8 & g$y >= 6] <- test[g$x >= 8 & g$y >= 6] + 60
test[g$x %in% 3:4 & g$y %in% 3:4] <- test[g$x %in% 3:4 & g$y %in% 3:4] - 240
cases$C <- list(base = base, test = test)

set.seed(20240517)
all_units <- list(); all_global <- list(); diff_units <- list(); diff_global <- list()
for (nm in names(cases)) {
  cs <- cases[[nm]]
  r <- sppt_counts(cs$base, cs$test)
  all_units[[nm]] <- cbind(case = nm, r$units)
  all_global[[nm]] <- data.frame(case = nm, globalS = fmt(r$globalS), globalS_robust = fmt(r$globalS_robust),
                                 samplesize = r$samplesize)
  d <- sppt_diff_counts(cs$base, cs$test)
  diff_units[[nm]] <- cbind(case = nm, d$units)
  diff_global[[nm]] <- cbind(case = nm, d$global)
}
write.csv(do.call(rbind, all_units), file.path(out_dir, "sppt_units.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, all_global), file.path(out_dir, "sppt_global.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, diff_units), file.path(out_dir, "sppt_diff_units.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, diff_global), file.path(out_dir, "sppt_diff_global.csv"), row.names = FALSE, quote = FALSE)
