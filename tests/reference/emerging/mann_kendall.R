# Reference values for geo/hotspot/mann_kendall (Mann–Kendall trend test).
# Generated once with R's stats::cor.test(method = "kendall", exact = FALSE,
# continuity = TRUE) against time 1..n — Kendall::MannKendall (what sfdep uses)
# is not packaged in Debian 12 (n = 2 is left out: cor.test returns NaN there). S and Var(S) are computed here from their
# textbook definitions (Gilbert 1987 §16.4) and checked against cor.test's z.
# Run:  Rscript tests/reference/emerging/mann_kendall.R > tests/reference/emerging/mann_kendall.csv
set.seed(20261122)
series <- list(
  up_no_ties      = c(1.2, 2.5, 2.1, 3.8, 4.0, 5.5, 4.9, 6.3, 7.0, 8.1),
  up_with_ties    = c(1, 3, 2, 5, 5, 7),
  down_ties       = c(9, 9, 8, 7, 7, 7, 5, 6, 4, 4, 2, 1),
  flat_noise      = c(0.3, -0.2, 0.1, 0.4, -0.5, 0.2, -0.1, 0.0, 0.35, -0.3),
  hotspot_z_24    = round(rnorm(24, mean = seq(0.5, 3.5, length.out = 24), sd = 0.6), 6),
  integer_counts  = c(3, 0, 2, 2, 5, 1, 4, 4, 4, 6, 3, 7, 5, 8, 8),
  random_40       = round(runif(40), 3)
)
cat("name,n,s,var_s,z,p,tau,values\n")
for (nm in names(series)) {
  x <- series[[nm]]
  n <- length(x)
  s <- 0
  for (i in 1:(n - 1)) for (j in (i + 1):n) s <- s + sign(x[j] - x[i])
  ties <- table(x)
  ties <- ties[ties > 1]
  var_s <- (n * (n - 1) * (2 * n + 5) - sum(ties * (ties - 1) * (2 * ties + 5))) / 18
  ct <- suppressWarnings(cor.test(seq_len(n), x, method = "kendall", exact = FALSE, continuity = TRUE))
  z_def <- (s - sign(s)) / sqrt(var_s)
  stopifnot(abs(z_def - unname(ct$statistic)) < 1e-12)
  cat(sprintf("%s,%d,%.0f,%.17g,%.17g,%.17g,%.17g,%s\n", nm, n, s, var_s,
              unname(ct$statistic), ct$p.value, unname(ct$estimate),
              paste(format(x, digits = 17, trim = TRUE), collapse = ";")))
}
