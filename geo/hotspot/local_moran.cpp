// Local Moran's I. Sources: Anselin (1995) "Local indicators of spatial
// association - LISA", Geographical Analysis 27(2); Sokal, Oden & Thomson (1998)
// "Local spatial autocorrelation in a biological model", Geographical Analysis
// 30(4) (conditional moments); R spdep 1.2-7 localmoran (its code is the
// reference: mlvar = TRUE divides by n, conditional = TRUE by default);
// esda Moran_Local (permutation, quadrants 1 HH, 2 LH, 3 LL, 4 HL).
// Global Moran's I: Cliff & Ord (1981), spdep moran.test(randomisation = TRUE).
//
// Difference from spdep 1.2-7 localmoran_perm: it samples the neighbours' values
// with replacement; we draw without replacement (esda, GeoDa). See inference.cpp.
#include "geo/hotspot/local_moran.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geo/hotspot/inference.hpp"

namespace trygg::geo::hotspot {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Quadrant quadrantOf(double z, double lz) {
  // spdep's "pysal" quadrant: cut at 0 with (-Inf, 0] "Low".
  const bool hi = z > 0, lhi = lz > 0;
  if (hi && lhi) return Quadrant::HighHigh;
  if (!hi && !lhi) return Quadrant::LowLow;
  return hi ? Quadrant::HighLow : Quadrant::LowHigh;
}

struct Centred {
  std::vector<double> z;
  double m2 = 0, m4 = 0;  // sum z^2 / n, sum z^4 / n
};

Centred centre(std::span<const double> x, const char* who) {
  const std::size_t n = x.size();
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(x[i])) throwUsageError("{}: value {} at location {} is not finite", who, x[i], i);
    sum += x[i];
  }
  Centred c;
  const double mean = sum / static_cast<double>(n);
  c.z.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    c.z[i] = x[i] - mean;
    c.m2 += c.z[i] * c.z[i];
    c.m4 += c.z[i] * c.z[i] * c.z[i] * c.z[i];
  }
  if (!(c.m2 > 0))
    throwUsageError("{}: all {} values are equal ({}), so the variance is zero and Moran's I is undefined; "
                    "choose another area, period or cell size", who, n, x[0]);
  c.m2 /= static_cast<double>(n);
  c.m4 /= static_cast<double>(n);
  return c;
}
}  // namespace

const char* quadrantLabel(Quadrant q) {
  switch (q) {
    case Quadrant::HighHigh: return "HH";
    case Quadrant::LowLow: return "LL";
    case Quadrant::HighLow: return "HL";
    case Quadrant::LowHigh: return "LH";
    case Quadrant::NotSignificant: break;
  }
  return "not significant";
}

LocalMoranResult localMoran(std::span<const double> x, const Weights& w, const LocalMoranOptions& o) {
  const std::size_t n = x.size();
  if (w.size() != n)
    throwUsageError("hotspot.local_moran: {} values but the weights have {} rows; build the weights on the same locations",
                    n, w.size());
  if (n < 3) throwUsageError("hotspot.local_moran: needs at least 3 locations (got {})", n);
  if (w.includes_self)
    throwUsageError("hotspot.local_moran: the weights include each location itself; local Moran's I needs "
                    "include_self = false (spdep refuses them too)");
  if (o.permutations < 0) throwUsageError("hotspot.local_moran: permutations must be >= 0 (got {})", o.permutations);
  if (!(o.alpha > 0 && o.alpha < 1)) throwUsageError("hotspot.local_moran: alpha must be in (0, 1) (got {})", o.alpha);
  if (o.p_source == BinSource::Permutation && o.permutations == 0)
    throwUsageError("hotspot.local_moran: significance from the permutation p needs permutations > 0");

  const Centred c = centre(x, "hotspot.local_moran");
  const double nd = static_cast<double>(n);
  const double s2 = c.m2;              // mlvar = TRUE
  const double b2 = c.m4 / (s2 * s2);  // kurtosis
  const double A = (nd - b2) / (nd - 1), B = (2 * b2 - nd) / ((nd - 1) * (nd - 2));

  LocalMoranResult r;
  r.I.assign(n, kNaN);
  r.expected.assign(n, kNaN);
  r.variance.assign(n, kNaN);
  r.z.assign(n, kNaN);
  r.p.assign(n, kNaN);
  r.p_sim.assign(n, kNaN);
  r.p_fdr.assign(n, kNaN);
  r.lag.assign(n, 0);
  r.quadrant.assign(n, Quadrant::NotSignificant);
  r.quadrant_all.assign(n, Quadrant::NotSignificant);
  std::vector<signed char> dir(n, 1);
  for (std::size_t i = 0; i < n; ++i) {
    double lz = 0, wi = 0, wi2 = 0;
    for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) {
      const double wij = w.weights[a];
      lz += wij * c.z[w.neighbours[a]];
      wi += wij;
      wi2 += wij * wij;
    }
    const double zi = c.z[i];
    r.lag[i] = lz;
    r.quadrant_all[i] = quadrantOf(zi, lz);
    dir[i] = zi > 0 ? 1 : zi < 0 ? -1 : 0;
    r.I[i] = (zi / s2) * lz;
    if (o.conditional) {
      r.expected[i] = -(zi * zi * wi) / ((nd - 1) * c.m2);
      r.variance[i] = (zi / c.m2) * (zi / c.m2) * (nd / (nd - 2)) * (wi2 - wi * wi / (nd - 1)) *
                      (c.m2 - zi * zi / (nd - 1));
    } else {
      r.expected[i] = -wi / (nd - 1);
      r.variance[i] = A * wi2 + B * (wi * wi - wi2) - r.expected[i] * r.expected[i];
    }
    if (r.variance[i] > 0) {
      r.z[i] = (r.I[i] - r.expected[i]) / std::sqrt(r.variance[i]);
      r.p[i] = twoSidedNormalP(r.z[i]);
    }
  }

  if (o.permutations > 0) {
    const PermutationOutcome perm = conditionalPermutation(c.z, w, r.lag, dir, o.permutations, o.seed);
    r.p_sim = perm.p_sim;
  }
  std::vector<double> ps = r.p;
  if (o.p_source == BinSource::Permutation)
    for (std::size_t i = 0; i < n; ++i) ps[i] = std::isnan(r.p_sim[i]) ? kNaN : std::min(1.0, 2.0 * r.p_sim[i]);
  const char* src = o.p_source == BinSource::Analytic ? "two-sided analytic p" : "permutation p (2 x folded pseudo-p, capped at 1)";
  const std::vector<double>* decide = &ps;
  if (o.fdr) {
    r.p_fdr = benjaminiHochberg(ps);
    decide = &r.p_fdr;
  }
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isnan((*decide)[i]) && (*decide)[i] <= o.alpha) r.quadrant[i] = r.quadrant_all[i];
  r.p_source_note = fmt::format("quadrant labels where the {}{} <= {}{}", o.fdr ? "Benjamini-Hochberg adjusted " : "",
                                src, o.alpha, o.fdr ? fmt::format(" (adjusted once over {} locations)", n) : "");
  return r;
}

GlobalMoran globalMoran(std::span<const double> x, const Weights& w) {
  const std::size_t n = x.size();
  if (w.size() != n || n < 4)
    throwUsageError("hotspot.moran: needs at least 4 values and one weights row per value ({} values, {} rows)", n,
                    w.size());
  const Centred c = centre(x, "hotspot.moran");
  const double nd = static_cast<double>(n);
  // S0, S1 = 1/2 sum (w_ij + w_ji)^2, S2 = sum_i (w_i. + w_.i)^2; w_ji via a column-sum pass
  // and, for S1, a lookup of the transposed entry.
  std::vector<double> colsum(n, 0.0), rowsum(n, 0.0);
  double s0 = 0, num = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double lz = 0;
    for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) {
      const std::uint32_t j = w.neighbours[a];
      if (j == i) continue;  // self weights are not part of Moran's I
      rowsum[i] += w.weights[a];
      colsum[j] += w.weights[a];
      lz += w.weights[a] * c.z[j];
    }
    s0 += rowsum[i];
    num += c.z[i] * lz;
  }
  if (!(s0 > 0)) throwUsageError("hotspot.moran: the weights have no neighbours at all");
  auto weightOf = [&](std::uint32_t i, std::uint32_t j) {
    const auto row = w.row(i);
    const auto it = std::lower_bound(row.begin(), row.end(), j);  // rows are sorted
    return (it != row.end() && *it == j) ? w.weights[w.offsets[i] + static_cast<std::uint32_t>(it - row.begin())] : 0.0;
  };
  double s1 = 0, s2 = 0;
  for (std::size_t i = 0; i < n; ++i) {
    for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) {
      const std::uint32_t j = w.neighbours[a];
      if (j == i) continue;
      const double wji = weightOf(j, static_cast<std::uint32_t>(i));
      const double sum = w.weights[a] + wji;
      // Pairs present both ways are visited twice (each half counts once); pairs
      // present only as i->j are visited once and need the full square.
      s1 += wji != 0 ? 0.5 * sum * sum : sum * sum;
    }
    s2 += (rowsum[i] + colsum[i]) * (rowsum[i] + colsum[i]);
  }
  GlobalMoran g;
  g.I = (nd / s0) * num / (c.m2 * nd);
  g.expected = -1.0 / (nd - 1);
  const double k = c.m4 / (c.m2 * c.m2);
  g.variance = (nd * ((nd * nd - 3 * nd + 3) * s1 - nd * s2 + 3 * s0 * s0) -
                k * (nd * (nd - 1) * s1 - 2 * nd * s2 + 6 * s0 * s0)) /
                   ((nd - 1) * (nd - 2) * (nd - 3) * s0 * s0) -
               g.expected * g.expected;
  g.z = (g.I - g.expected) / std::sqrt(g.variance);
  g.p = twoSidedNormalP(g.z);
  return g;
}

}  // namespace trygg::geo::hotspot
