#pragma once
// Mann–Kendall trend test (Mann 1945; Kendall 1975; Gilbert 1987 §16.4) on one
// series in time order, as used by emerging hot spot analysis on each
// location's Gi* z series.
//
//   S      = Σ_{i<j} sign(x_j − x_i)
//   Var(S) = [ n(n−1)(2n+5) − Σ_g t_g(t_g−1)(2t_g+5) ] / 18     (t_g = size of tie group g)
//   Z      = (S − sign(S)) / sqrt(Var(S))                        (continuity correction)
//   p      = 2 (1 − Φ(|Z|))                                      (two-sided, normal approximation)
//   tau    = S / sqrt( (n(n−1)/2 − Σ_g t_g(t_g−1)/2) · n(n−1)/2 )  (tau-b with time untied)
//
// These are exactly R's cor.test(seq_along(x), x, method = "kendall",
// exact = FALSE, continuity = TRUE): its tie-corrected variance with no ties in
// time reduces to the Var(S) above, and its continuity correction moves S one
// step (of 2) towards 0. Reference values: tests/reference/emerging/mann_kendall.R.
// Kendall::MannKendall (what sfdep calls) is not packaged in Debian 12, so it
// was not used; it reports the same S, Var(S) and tau, but its p-value comes
// from the Best–Gipps algorithm rather than the plain normal approximation.
//
// Edge cases (where R returns NA): n < 2, or all values tied (Var(S) = 0), give
// S = 0, Z = 0, p = 1, tau = 0 — "no trend", which is what the classifier needs.
// Values are compared exactly (a tie is x_i == x_j). NaN is refused.
#include <span>

namespace trygg::geo::hotspot {

struct MannKendallResult {
  int n = 0;          // series length
  double s = 0;       // Kendall's S
  double var_s = 0;   // Var(S) with the tie correction
  double z = 0;       // (S − sign S) / sqrt(Var S)
  double p = 1;       // two-sided p of z
  double tau = 0;     // Kendall's tau-b against time
};

// O(n²); intended for time series (tens to hundreds of steps).
// Throws UsageError when x holds a NaN.
MannKendallResult mannKendall(std::span<const double> x);

}  // namespace trygg::geo::hotspot
