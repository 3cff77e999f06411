# Golden values for trygg::geo::change::poissonTest / binomTest.
# Generated once with R's stats::poisson.test and stats::binom.test (R 4.2.2);
# never regenerated from trygg's output.
#   Rscript tests/reference/change/make_poisson.R   (run from the repository root)
# Writes poisson_two_sample.csv, poisson_one_sample.csv and binom.csv beside this script.
out_dir <- "tests/reference/change"
fmt <- function(v) ifelse(is.na(v) & !is.nan(v), "NA",
                   ifelse(is.nan(v), "NaN",
                   ifelse(is.infinite(v), ifelse(v > 0, "Inf", "-Inf"), sprintf("%.17g", v))))
alts <- c("two.sided", "less", "greater")

# Two-sample cases: zeros, unequal exposures, large counts, r != 1, conf.level != 0.95.
cases <- list(
  c(10, 20, 1, 1, 1, 0.95), c(20, 10, 1, 1, 1, 0.95), c(0, 5, 1, 1, 1, 0.95),
  c(5, 0, 1, 1, 1, 0.95), c(0, 0, 1, 1, 1, 0.95), c(1, 1, 1, 1, 1, 0.95),
  c(3, 11, 12, 12, 1, 0.95), c(12, 4, 365, 180, 1, 0.95), c(7, 7, 2, 3, 1, 0.95),
  c(50, 35, 1, 1, 1, 0.90), c(100, 150, 1.5, 1, 1, 0.99), c(137, 98, 24, 18, 1, 0.95),
  c(1000, 1100, 1, 1, 1, 0.95), c(4523, 4391, 52, 52, 1, 0.95), c(25000, 24000, 10, 9.5, 1, 0.95),
  c(2, 9, 0.5, 2.5, 1, 0.95), c(15, 30, 1, 1, 2, 0.95), c(40, 10, 3, 1, 0.5, 0.95),
  c(1, 40, 1, 1, 1, 0.95), c(40, 1, 1, 1, 1, 0.95), c(6, 6, 1, 1, 1, 0.95),
  c(33, 67, 1, 2, 1, 0.95), c(0, 120, 1, 1, 1, 0.95), c(250, 0, 2, 1, 1, 0.95),
  c(8, 3, 7, 11, 1, 0.8), c(60, 61, 1, 1, 1, 0.95), c(300, 200, 1, 1, 1, 0.95))
rows <- list()
for (cs in cases) for (alt in alts) {
  t <- poisson.test(c(cs[1], cs[2]), c(cs[3], cs[4]), r = cs[5], alternative = alt,
                    conf.level = cs[6])
  rows[[length(rows) + 1]] <- data.frame(a = cs[1], b = cs[2], t_a = fmt(cs[3]), t_b = fmt(cs[4]),
    r = fmt(cs[5]), conf_level = fmt(cs[6]), alternative = alt,
    estimate = fmt(unname(t$estimate)), p_value = fmt(t$p.value),
    conf_low = fmt(t$conf.int[1]), conf_high = fmt(t$conf.int[2]))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "poisson_two_sample.csv"), row.names = FALSE, quote = FALSE)

# One-sample cases (the small-count guard: P(X >= x | expected)).
cases1 <- list(c(0, 1, 1), c(3, 0.5, 1), c(3, 1.2, 1), c(5, 2, 1), c(10, 10, 1), c(10, 3.7, 1),
  c(2, 7.5, 1), c(25, 12, 1), c(100, 80, 1), c(1, 0.01, 1), c(7, 2, 1.5), c(0, 4.2, 1),
  c(50, 50.5, 1), c(400, 350, 1), c(12, 1, 4), c(6, 9, 1))
rows <- list()
for (cs in cases1) for (alt in alts) {
  t <- poisson.test(cs[1], cs[2], r = cs[3], alternative = alt)
  rows[[length(rows) + 1]] <- data.frame(x = cs[1], t = fmt(cs[2]), r = fmt(cs[3]), alternative = alt,
    estimate = fmt(unname(t$estimate)), p_value = fmt(t$p.value),
    conf_low = fmt(t$conf.int[1]), conf_high = fmt(t$conf.int[2]))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "poisson_one_sample.csv"), row.names = FALSE, quote = FALSE)

# binom.test, also the sign test's engine.
casesb <- list(c(0, 10, 0.5), c(10, 10, 0.5), c(3, 10, 0.5), c(7, 20, 0.3), c(15, 16, 0.5),
  c(1, 1, 0.5), c(48, 100, 0.5), c(480, 1000, 0.45), c(2, 30, 0.1), c(12, 40, 0.25))
rows <- list()
for (cs in casesb) for (alt in alts) {
  t <- binom.test(cs[1], cs[2], p = cs[3], alternative = alt)
  rows[[length(rows) + 1]] <- data.frame(x = cs[1], n = cs[2], p = fmt(cs[3]), alternative = alt,
    estimate = fmt(unname(t$estimate)), p_value = fmt(t$p.value),
    conf_low = fmt(t$conf.int[1]), conf_high = fmt(t$conf.int[2]))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "binom.csv"), row.names = FALSE, quote = FALSE)

# Ratio of rate ratios (treated vs control): Wald on the log scale. R reference:
# the period x group interaction of the saturated Poisson GLM with log-exposure
# offsets, whose Wald interval (confint.default) and z test are exactly that.
casesr <- list(c(50, 100, 1, 1, 90, 100, 1, 1), c(30, 60, 1, 1, 55, 50, 1, 1),
  c(12, 20, 0.5, 1, 80, 95, 0.5, 1), c(200, 180, 1, 1, 1000, 900, 1, 1),
  c(7, 19, 1, 1.2, 33, 41, 1, 1.2), c(45, 30, 2, 1, 300, 310, 2, 1))
rows <- list()
for (cs in casesr) {
  d <- data.frame(y = cs[c(1, 2, 5, 6)], t = cs[c(3, 4, 7, 8)],
                  period = factor(c("a", "b", "a", "b"), levels = c("b", "a")),
                  group = factor(c("treated", "treated", "control", "control"), levels = c("control", "treated")))
  g <- glm(y ~ period * group + offset(log(t)), family = poisson, data = d,
           control = glm.control(epsilon = 1e-13, maxit = 200))
  co <- summary(g)$coefficients["perioda:grouptreated", ]
  ci <- exp(confint.default(g, "perioda:grouptreated", level = 0.95))
  rows[[length(rows) + 1]] <- data.frame(a_t = cs[1], b_t = cs[2], ta_t = fmt(cs[3]), tb_t = fmt(cs[4]),
    a_c = cs[5], b_c = cs[6], ta_c = fmt(cs[7]), tb_c = fmt(cs[8]),
    ratio = fmt(exp(co[["Estimate"]])), se = fmt(co[["Std. Error"]]), z = fmt(co[["z value"]]),
    p_value = fmt(co[["Pr(>|z|)"]]), conf_low = fmt(ci[1]), conf_high = fmt(ci[2]))
}
write.csv(do.call(rbind, rows), file.path(out_dir, "rate_ratio_ratio.csv"), row.names = FALSE, quote = FALSE)
