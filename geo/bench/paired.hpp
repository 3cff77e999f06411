#pragma once
// Paired comparison of two forecasting methods over forecast dates, so that
// "A beats B" comes with a p-value. x[i], y[i]: the metric (e.g. PAI) of
// methods A and B at forecast date i.
//   wilcoxonSignedRank == R: wilcox.test(x, y, paired = TRUE, alternative, correct = TRUE)
//     exact (psignrank) when fewer than 50 non-zero differences and no ties or
//     zeros; otherwise the normal approximation with continuity and tie correction.
//   signTest == R: binom.test(sum(x > y), sum(x != y), 0.5, alternative)
// Sources: Wilcoxon (1945); Hollander & Wolfe, "Nonparametric Statistical
// Methods"; R's stats::wilcox.test.default and psignrank (nmath/signrank.c).
#include <cstdint>
#include <span>
#include <string>

#include "geo/change/exact_tests.hpp"

namespace trygg::geo::bench {

using change::Alternative;

struct WilcoxonResult {
  double statistic = 0;  // V: sum of the ranks of the positive differences x − y
  std::int64_t n = 0;    // non-zero differences used
  bool exact = false;
  bool ties = false;     // tied |differences| (normal approximation used)
  bool zeros = false;    // zero differences dropped (normal approximation used)
  double pValue = 0;     // NaN when there is no non-zero difference
  std::string method;    // R's method text
};

// Pairs where x or y is NaN are dropped (R's complete.cases). Throws UsageError
// when the lengths differ.
WilcoxonResult wilcoxonSignedRank(std::span<const double> x, std::span<const double> y,
                                  Alternative alternative = Alternative::TwoSided);

struct SignTestResult {
  std::int64_t positive = 0;  // x > y
  std::int64_t negative = 0;  // x < y
  std::int64_t ties = 0;      // x == y, dropped
  double pValue = 0;          // NaN when every pair is tied
};

SignTestResult signTest(std::span<const double> x, std::span<const double> y,
                        Alternative alternative = Alternative::TwoSided);

}  // namespace trygg::geo::bench
