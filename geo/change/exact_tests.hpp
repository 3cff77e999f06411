#pragma once
// Exact tests for counts, computed the way R's stats package computes them, so
// that a number trygg reports can be checked against R to 1e-10:
//   binomTest        == stats::binom.test(x, n, p, alternative, conf.level)
//   poissonTest      == stats::poisson.test(c(a, b), c(t_a, t_b), r, alternative, conf.level)
//   poissonTestOneSample == stats::poisson.test(x, T, r, alternative, conf.level)
// Sources: Clopper & Pearson (1934) for the binomial interval; the two-sample
// Poisson comparison conditions on the total (a | a + b ~ Bin(a + b, r t_a/(r t_a + t_b)))
// and maps the binomial interval π to a rate ratio by π/(1−π)·t_b/t_a (R's poisson.test).
// The two-sided p is R's: the sum of the probabilities of every outcome no more
// likely than the observed one, d_i ≤ d_x·(1 + 1e−7) — not twice the one-sided p.
// Distributions, quantiles and the incomplete beta/gamma come from Boost.Math.
#include <cstdint>
#include <string_view>

namespace trygg::geo::change {

enum class Alternative { TwoSided, Less, Greater };

// "two.sided"/"two_sided", "less", "greater" (R's spelling and ours); throws UsageError.
Alternative parseAlternative(std::string_view text);
std::string_view toString(Alternative alternative);

struct TestOptions {
  Alternative alternative = Alternative::TwoSided;  // DEFAULT: two-sided, as R
  double confLevel = 0.95;                          // DEFAULT: 0.95, as R; in (0, 1)
};

// Result of binom.test.
struct BinomTestResult {
  std::int64_t x = 0;
  std::int64_t n = 0;
  double estimate = 0;  // x / n (NaN when n == 0)
  double pValue = 1;
  double confLow = 0;
  double confHigh = 1;
};

// R: binom.test(x, n, p, alternative, conf.level). n == 0 is allowed (R reaches it
// through poisson.test(c(0, 0), ...)) and gives p = 1 and the interval [0, 1].
BinomTestResult binomTest(std::int64_t x, std::int64_t n, double p, const TestOptions& options = {});

// Result of the two-sample Poisson comparison of rates a/t_a and b/t_b.
struct PoissonTestResult {
  std::int64_t a = 0;
  std::int64_t b = 0;
  double tA = 1;
  double tB = 1;
  double rateRatio = 0;       // (a/t_a)/(b/t_b); Inf when b == 0 < a, NaN when a == b == 0
  double expectedA = 0;       // (a + b)·r·t_a/(r·t_a + t_b): a's expected count under H0
  double pValue = 1;
  double confLow = 0;         // exact (conditional Clopper–Pearson) interval of the rate ratio
  double confHigh = 0;        // may be +Inf
};

// R: poisson.test(c(a, b), c(tA, tB), r, alternative, conf.level). `r` is the
// rate ratio under H0 (DEFAULT 1). Counts must be >= 0, exposures >= 0.
PoissonTestResult poissonTest(std::int64_t a, std::int64_t b, double tA, double tB, double r = 1,
                              const TestOptions& options = {});

// Result of the one-sample test of x events in exposure T against rate r.
struct PoissonOneSampleResult {
  std::int64_t x = 0;
  double t = 1;
  double expected = 0;  // r·T
  double rate = 0;      // x / T
  double pValue = 1;
  double confLow = 0;   // exact interval of the rate (gamma quantiles / T)
  double confHigh = 0;
};

// R: poisson.test(x, T, r, alternative, conf.level). The small-count guard of the
// scoring module uses alternative = Greater: P(X >= x | mean r·T).
PoissonOneSampleResult poissonTestOneSample(std::int64_t x, double t, double r = 1,
                                            const TestOptions& options = {});

// Ratio of rate ratios: treated (aT events in exposure tAT vs bT in tBT) against
// control (aC in tAC vs bC in tBC), RRR = RR_treated / RR_control with
// RR = (a/t_a)/(b/t_b), as poissonTest orients it. A trend shared by treated and
// control areas (or regression to the mean when the control is chosen alike)
// cancels in RRR.
// Method: Wald interval on the log scale (e.g. Rothman, Greenland & Lash,
// "Modern Epidemiology", rate ratios from Poisson counts):
//   log RRR ± z_{1−α/2}·sqrt(1/aT + 1/bT + 1/aC + 1/bC),  z = log RRR / SE,
// p from the normal distribution for the chosen alternative. When any of the
// four counts is 0 the Wald form is undefined; then 0.5 is added to all four
// counts (Haldane–Anscombe) and `continuityCorrected` says so.
struct RateRatioComparison {
  double rrTreated = 0;
  double rrControl = 0;
  double ratio = 0;           // RRR from the (possibly corrected) counts
  double logSe = 0;
  double z = 0;
  double pValue = 1;
  double confLow = 0;
  double confHigh = 0;
  bool continuityCorrected = false;
};

struct RateCounts {
  std::int64_t a = 0;  // e.g. events after
  std::int64_t b = 0;  // e.g. events before
  double tA = 1;
  double tB = 1;
};

RateRatioComparison ratioOfRateRatios(const RateCounts& treated, const RateCounts& control,
                                      const TestOptions& options = {});

}  // namespace trygg::geo::change
