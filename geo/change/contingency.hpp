#pragma once
// Tests on one 2×2 table of counts and multiple-comparison adjustment, as R's
// stats package computes them (chisq.test, prop.test, fisher.test, p.adjust),
// for the sppt_diff variant of the Spatial Point Pattern Test (Wheeler,
// Steenbeek & Andresen 2018). Table layout, row-major:
//     | n11 n12 |   rows: the two samples (e.g. base, test)
//     | n21 n22 |   columns: in the unit, outside it
#include <cstdint>
#include <span>
#include <vector>

namespace trygg::geo::change {

struct Table2x2 {
  std::int64_t n11 = 0, n12 = 0, n21 = 0, n22 = 0;
};

struct ChiSquareResult {
  double statistic = 0;  // NaN when an expected count is 0 (R gives NaN too)
  double pValue = 0;     // NaN then as well
};

// Pearson's χ² without continuity correction (R: chisq.test(x, correct = FALSE)).
ChiSquareResult chiSquare(const Table2x2& t);
// With Yates's correction (R: chisq.test(x, correct = TRUE), equal to prop.test(x)).
ChiSquareResult chiSquareYates(const Table2x2& t);
// The 'N − 1' χ² (Campbell 2007; sppt_diff's default "Chi2_Nmin1"): the
// uncorrected statistic times (N − 1)/N, referred to χ²(1).
ChiSquareResult chiSquareNMinus1(const Table2x2& t);

// Fisher's exact test, two-sided, as R's fisher.test(x)$p.value for a 2×2 table:
// sums the conditional (hypergeometric) probabilities of the tables no more
// likely than the observed one, within a relative 1e−7.
double fisherExactTwoSided(const Table2x2& t);

enum class PAdjust { None, BH, BY };

// R: p.adjust(p, method). NaN entries stay NaN and do not count in n (as R's NA).
std::vector<double> adjustPValues(std::span<const double> p, PAdjust method);

}  // namespace trygg::geo::change
