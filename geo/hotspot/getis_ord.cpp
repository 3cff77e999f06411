// Getis-Ord Gi* and Gi. Sources: Ord & Getis (1995) "Local spatial
// autocorrelation statistics: distributional issues and an application",
// Geographical Analysis 27(4), eq. for G*_i and its variance; ArcGIS Pro "How Hot
// Spot Analysis (Getis-Ord Gi*) works"; R spdep 1.2-7 localG (the variance with
// S1_i = sum w_ij^2); METHODS.md §1-2.
//
// Differences from the peers (see docs/methods/getis-ord.md):
// - esda's G_Local variance assumes binary weights (it uses W_i where S1_i
//   belongs); we use S1_i, as spdep, so non-binary weights get the exact moments.
// - esda's G_Local never adjusts for multiple testing; we apply BH once, to the
//   bin source, when `fdr` is set, and leave z and p raw (ArcGIS).
#include "geo/hotspot/getis_ord.hpp"

#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "geo/hotspot/inference.hpp"

namespace trygg::geo::hotspot {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

GiStarResult getisOrdGiStar(std::span<const double> x, const Weights& w, const GiStarOptions& o) {
  const std::size_t n = x.size();
  if (w.size() != n)
    throwUsageError("hotspot.getis_ord: {} values but the weights have {} rows; build the weights on the same locations",
                    n, w.size());
  if (n < 3) throwUsageError("hotspot.getis_ord: needs at least 3 locations (got {})", n);
  if (o.star && !w.includes_self)
    throwUsageError("hotspot.getis_ord: Gi* needs weights that include each location itself "
                    "(build them with include_self = true, or set star = false for Gi)");
  if (!o.star && w.includes_self)
    throwUsageError("hotspot.getis_ord: Gi (star = false) needs weights without self; build them with include_self = false");
  if (o.permutations < 0) throwUsageError("hotspot.getis_ord: permutations must be >= 0 (got {})", o.permutations);
  if (!(o.alpha > 0 && o.alpha < 1)) throwUsageError("hotspot.getis_ord: alpha must be in (0, 1) (got {})", o.alpha);
  if (o.bin_source == BinSource::Permutation && o.permutations == 0)
    throwUsageError("hotspot.getis_ord: bins from the permutation p need permutations > 0");

  // Centred moments: sum of squares about the mean is stabler than sum x^2 - n xbar^2.
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) throwUsageError("hotspot.getis_ord: value {} at location {} is not finite", x[i], i);
    sum += x[i];
  }
  const double nd = static_cast<double>(n);
  const double mean = sum / nd;
  double ss = 0;
  for (double v : x) ss += (v - mean) * (v - mean);
  if (!(ss > 0))
    throwUsageError("hotspot.getis_ord: all {} values are equal ({}), so the variance is zero and Gi* is undefined; "
                    "choose another area, period or cell size", n, x[0]);

  GiStarResult r;
  r.z.assign(n, kNaN);
  r.p.assign(n, kNaN);
  r.p_sim.assign(n, kNaN);
  r.z_sim.assign(n, kNaN);
  r.p_fdr.assign(n, kNaN);
  r.bin.assign(n, 0);
  r.n_neighbours.assign(n, 0);
  r.lag.assign(n, kNaN);

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 2048), [&](const tbb::blocked_range<std::size_t>& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      double lag = 0, wi = 0, s1 = 0;
      for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) {
        const double wij = w.weights[a];
        lag += wij * x[w.neighbours[a]];
        wi += wij;
        s1 += wij * wij;
      }
      r.lag[i] = lag;
      r.n_neighbours[i] = static_cast<int>(w.count(i));
      double xbar, s2, var;
      if (o.star) {
        xbar = mean;
        s2 = ss / nd;
        var = s2 * (nd * s1 - wi * wi) / (nd - 1);
      } else {
        // Moments of the n - 1 others: d = x_i - mean, sum of the others' deviations = -d.
        const double d = x[i] - mean;
        const double m1 = nd - 1;
        xbar = mean - d / m1;
        s2 = (ss - d * d) / m1 - (d / m1) * (d / m1);
        var = s2 * (m1 * s1 - wi * wi) / (m1 - 1);
      }
      if (wi == 0 || !(var > 0)) continue;  // no neighbour, or others constant: undefined
      r.z[i] = (lag - xbar * wi) / std::sqrt(var);
      r.p[i] = twoSidedNormalP(r.z[i]);
    }
  });

  if (o.permutations > 0) {
    const PermutationOutcome perm = conditionalPermutation(x, w, r.lag, {}, o.permutations, o.seed);
    r.p_sim = perm.p_sim;
    for (std::size_t i = 0; i < n; ++i)
      if (perm.sd[i] > 0) r.z_sim[i] = (r.lag[i] - perm.mean[i]) / perm.sd[i];
    r.alternative = fmt::format(
        "two-sided: p_sim is the folded pseudo-p (min(larger, {0} - larger) + 1) / ({0} + 1) of {0} conditional "
        "permutations (x_i fixed, neighbours drawn without replacement), seed {1}", o.permutations, o.seed);
  } else {
    r.alternative = "two-sided (analytic normal p; no permutations)";
  }

  // The p that feeds the bins: analytic, or the folded pseudo-p doubled.
  std::vector<double> pb = r.p;
  if (o.bin_source == BinSource::Permutation)
    for (std::size_t i = 0; i < n; ++i) pb[i] = std::isnan(r.p_sim[i]) ? kNaN : std::min(1.0, 2.0 * r.p_sim[i]);
  const char* src = o.bin_source == BinSource::Analytic ? "two-sided analytic p (GiPValue)"
                                                        : "permutation p (2 x folded pseudo-p, capped at 1)";
  if (o.fdr) {
    r.p_fdr = benjaminiHochberg(pb);
    r.fdr_cutoff = benjaminiHochbergCutoff(pb, o.alpha);
    for (std::size_t i = 0; i < n; ++i) {
      // BH-adjusted p <= level <=> p <= BH cut-off at that level: one adjustment,
      // evaluated at 0.01 / 0.05 / 0.10 as ArcGIS's FDR bins.
      const double q = r.p_fdr[i];
      if (std::isnan(q) || std::isnan(r.z[i]) || r.z[i] == 0) continue;
      const int s = r.z[i] > 0 ? 1 : -1;
      r.bin[i] = q <= 0.01 ? 3 * s : q <= 0.05 ? 2 * s : q <= 0.10 ? s : 0;
    }
    r.bin_source_note = fmt::format(
        "Gi_Bin from the Benjamini-Hochberg adjusted {} (adjusted once over {} locations; +-3: p_fdr <= 0.01, "
        "+-2: <= 0.05, +-1: <= 0.10); BH cut-off at alpha {}: {}; GiZScore and GiPValue are raw",
        src, n, o.alpha, r.fdr_cutoff);
  } else {
    for (std::size_t i = 0; i < n; ++i) r.bin[i] = confidenceBin(r.z[i], pb[i]);
    r.bin_source_note = fmt::format(
        "Gi_Bin from the {} without multiple-testing correction (+-3: p < 0.01, +-2: p < 0.05, +-1: p < 0.10)", src);
  }
  return r;
}

}  // namespace trygg::geo::hotspot
