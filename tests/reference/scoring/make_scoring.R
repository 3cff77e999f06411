# Reference values for geo/scoring (tests/unit/geo/scoring/scoring_test.cpp).
# Run: Rscript make_scoring.R   (writes wilcox.csv and poisson_tail.csv here)
# R's wilcox.test with exact = FALSE, correct = TRUE (normal approximation with
# tie and continuity corrections) and poisson.test(..., alternative = "greater").
options(digits = 17)
cases <- list(
  list(id = "survey_ties", x = c(4, 5, 4, 3, 5, 4, 2, 4), y = c(2, 3, 2, 1, 3, 2, 2)),
  list(id = "no_ties", x = c(1.1, 2.3, 3.5, 4.2), y = c(0.5, 0.9, 1.7, 2.0, 2.8)),
  list(id = "equal_means", x = c(1, 2, 3, 4, 5), y = c(5, 4, 3, 2, 1)),
  list(id = "likert_large", x = rep(c(1, 2, 3, 4, 5), c(3, 8, 12, 9, 4)), y = rep(c(1, 2, 3, 4, 5), c(6, 11, 10, 5, 2)))
)
rows <- list()
for (cs in cases) for (alt in c("two.sided", "less", "greater")) {
  t <- suppressWarnings(wilcox.test(cs$x, cs$y, alternative = alt, exact = FALSE, correct = TRUE))
  rows[[length(rows) + 1]] <- data.frame(id = cs$id, alternative = alt, x = paste(cs$x, collapse = " "),
                                         y = paste(cs$y, collapse = " "), W = unname(t$statistic), p = t$p.value)
}
write.csv(do.call(rbind, rows), "wilcox.csv", row.names = FALSE, quote = FALSE)
tails <- expand.grid(x = c(0, 1, 2, 3, 5, 8, 20), mu = c(0.1, 0.5, 1.2, 3, 7.5))
tails$p <- mapply(function(x, mu) poisson.test(x, 1, mu, alternative = "greater")$p.value, tails$x, tails$mu)
write.csv(tails, "poisson_tail.csv", row.names = FALSE, quote = FALSE)
# The hand-computed fixture project (tests/data/safety): its perceived-safety tests.
fx <- data.frame(
  id = c("area_A1_survey", "place_P1_survey", "area_A1_pins", "area_A1_incidents"),
  p = c(wilcox.test(c(4, 5, 4, 3), c(2, 2, 3, 1, 3, 3), alternative = "greater", exact = FALSE, correct = TRUE)$p.value,
        wilcox.test(c(4, 5, 4), c(2, 2, 3, 1), alternative = "greater", exact = FALSE, correct = TRUE)$p.value,
        poisson.test(c(2, 6), c(1, 1), alternative = "less")$p.value,
        poisson.test(c(8, 17), c(365, 366))$p.value))
write.csv(fx, "fixture.csv", row.names = FALSE, quote = FALSE)
