# Golden values for trygg::geo::bench::wilcoxonSignedRank and signTest:
# R's wilcox.test(x, y, paired = TRUE) and binom.test on the signs (R 4.2.2).
#   Rscript tests/reference/bench/make_paired.R   (from the repository root)
# Writes paired_cases.csv (case, i, x, y) and paired.csv (one row per case x alternative).
out_dir <- "tests/reference/bench"
fmt <- function(v) ifelse(is.nan(v), "NaN", sprintf("%.17g", v))
set.seed(4242)
cases <- list()
cases$exact_small <- list(x = c(2.1, 3.4, 1.9, 5.6, 4.2, 3.3, 2.8), y = c(1.8, 3.9, 1.2, 4.1, 4.6, 2.0, 2.7))
cases$exact_24 <- list(x = round(rnorm(24, 3, 1), 4), y = round(rnorm(24, 2.7, 1), 4))
cases$exact_49 <- list(x = round(rnorm(49, 5, 2), 5), y = round(rnorm(49, 4.5, 2), 5))
cases$normal_50 <- list(x = round(rnorm(50, 5, 2), 5), y = round(rnorm(50, 4.6, 2), 5))
cases$normal_80 <- list(x = round(rnorm(80, 2, 1), 5), y = round(rnorm(80, 2.2, 1), 5))
cases$ties <- list(x = c(3, 5, 2, 6, 4, 7, 5, 3, 8, 6), y = c(2, 3, 3, 4, 4, 5, 3, 1, 6, 5))
cases$zeros <- list(x = c(1.5, 2.5, 3.0, 4.0, 2.0, 6.5, 3.5), y = c(1.0, 2.5, 2.0, 4.5, 2.0, 5.0, 1.5))
cases$all_positive <- list(x = c(5, 6, 7, 8, 9, 10.5), y = c(1, 2.2, 3.1, 4.4, 5.8, 6))
cases$one_sided_pai <- list(x = c(8.1, 7.4, 9.9, 6.2, 10.3, 7.7, 8.8, 9.1, 5.9, 7.2, 8.4, 6.6),
                            y = c(6.0, 7.5, 8.1, 5.1, 9.0, 6.2, 8.9, 7.0, 6.1, 5.5, 7.9, 6.0))
pairs <- list(); res <- list()
for (nm in names(cases)) {
  cs <- cases[[nm]]
  pairs[[nm]] <- data.frame(case = nm, i = seq_along(cs$x) - 1, x = fmt(cs$x), y = fmt(cs$y))
  for (alt in c("two.sided", "less", "greater")) {
    w <- suppressWarnings(wilcox.test(cs$x, cs$y, paired = TRUE, alternative = alt))
    d <- cs$x - cs$y
    b <- binom.test(sum(d > 0), sum(d != 0), 0.5, alternative = alt)
    res[[paste(nm, alt)]] <- data.frame(case = nm, alternative = alt, V = fmt(unname(w$statistic)),
      wilcoxon_p = fmt(w$p.value), exact = as.integer(grepl("exact", w$method)),
      sign_positive = sum(d > 0), sign_n = sum(d != 0), sign_p = fmt(b$p.value))
  }
}
write.csv(do.call(rbind, pairs), file.path(out_dir, "paired_cases.csv"), row.names = FALSE, quote = FALSE)
write.csv(do.call(rbind, res), file.path(out_dir, "paired.csv"), row.names = FALSE, quote = FALSE)
