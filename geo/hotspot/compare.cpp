// Comparison of two categorical hot-spot maps; see compare.hpp and
// docs/methods/compare.md.
#include "geo/hotspot/compare.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <fmt/format.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "geo/hotspot/rng.hpp"
#include "geo/hotspot/weights.hpp"

namespace trygg::geo::hotspot {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}

void CategoryScheme::validate() const {
  const std::size_t k = names.size();
  if (k == 0) throwUsageError("category scheme: no categories");
  if (weights.size() != k * k)
    throwUsageError("category scheme: {} weights for {} categories (need {})", weights.size(), k, k * k);
  for (std::size_t a = 0; a < k; ++a)
    for (std::size_t b = 0; b < k; ++b) {
      const double w = weights[a * k + b];
      if (!(w >= 0 && w <= 1))
        throwUsageError("category scheme: weight {} between '{}' and '{}' is outside [0, 1]", w, names[a], names[b]);
      if (w != weights[b * k + a])
        throwUsageError("category scheme: weights between '{}' and '{}' are not symmetric", names[a], names[b]);
      if (a == b && w != 1) throwUsageError("category scheme: weight of '{}' with itself must be 1", names[a]);
    }
  if (not_significant >= static_cast<int>(k)) throwUsageError("category scheme: bad not-significant code");
}

CategoryScheme giBinScheme(bool fuzzy) {
  CategoryScheme s;
  s.names = {"cold 99 %", "cold 95 %", "cold 90 %", "not significant", "hot 90 %", "hot 95 %", "hot 99 %"};
  s.not_significant = 3;
  s.weights.assign(49, 0.0);
  for (int a = -3; a <= 3; ++a)
    for (int b = -3; b <= 3; ++b) {
      double w = a == b ? 1.0 : 0.0;
      if (fuzzy && a != b && a * b > 0) w = 1.0 - std::abs(a - b) / 3.0;
      s.weights[static_cast<std::size_t>((a + 3) * 7 + (b + 3))] = w;
    }
  return s;
}

CategoryScheme lisaClusterScheme() {
  CategoryScheme s;
  s.names = {"not significant", "high-high", "low-low", "low-high", "high-low"};
  s.not_significant = 0;
  s.weights.assign(25, 0.0);
  for (int c = 0; c < 5; ++c) s.weights[static_cast<std::size_t>(c * 5 + c)] = 1.0;
  return s;
}

FuzzyNeighbourhood decayNeighbourhood(std::span<const Point> centres, int k, double halving) {
  FuzzyNeighbourhood nb;
  const std::size_t n = centres.size();
  if (k < 0) throwUsageError("neighbourhood: k = {} must be >= 0", k);
  nb.offsets.assign(n + 1, 0);
  if (k == 0 || n < 2) {
    nb.description = "none (cell by cell)";
    return nb;
  }
  const int kk = std::min<int>(k, static_cast<int>(n) - 1);
  const Weights w = knnWeights(centres, kk, false);
  auto dist = [&](std::size_t i, std::size_t j) {
    return std::hypot(centres[i].x - centres[j].x, centres[i].y - centres[j].y);
  };
  if (!(halving > 0)) {
    std::vector<double> nearest(n, std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < n; ++i)
      for (std::uint32_t j : w.row(i)) nearest[i] = std::min(nearest[i], dist(i, j));
    std::nth_element(nearest.begin(), nearest.begin() + static_cast<std::ptrdiff_t>(n / 2), nearest.end());
    halving = nearest[n / 2];
    if (!(halving > 0)) halving = 1.0;  // coincident centres: any positive scale
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::uint32_t j : w.row(i)) {
      nb.neighbours.push_back(j);
      nb.membership.push_back(std::exp2(-dist(i, j) / halving));
    }
    nb.offsets[i + 1] = static_cast<std::uint32_t>(nb.neighbours.size());
  }
  nb.description = fmt::format("{} nearest cells, membership 2^(-d / {:g})", kk, halving);
  return nb;
}

CompareResult compareCategorical(std::span<const int> a, std::span<const int> b, const FuzzyNeighbourhood& nb,
                                 const CompareOptions& o) {
  const CategoryScheme& M = o.scheme;
  M.validate();
  const std::size_t n = a.size();
  const std::size_t K = M.size();
  if (b.size() != n) throwUsageError("compare: the maps have {} and {} cells", n, b.size());
  if (nb.size() != n) throwUsageError("compare: the neighbourhood has {} cells, the maps {}", nb.size(), n);
  if (o.permutations < 0) throwUsageError("compare: permutations = {} must be >= 0", o.permutations);
  for (std::size_t i = 0; i < n; ++i)
    if (a[i] < 0 || b[i] < 0 || static_cast<std::size_t>(a[i]) >= K || static_cast<std::size_t>(b[i]) >= K)
      throwUsageError("compare: cell {} has category codes {} and {} (valid: 0..{})", i, a[i], b[i], K - 1);

  CompareResult r;
  r.k = K;
  r.crosstab.assign(K * K, 0);
  r.included.assign(n, 1);
  for (std::size_t i = 0; i < n; ++i) {
    ++r.crosstab[static_cast<std::size_t>(a[i]) * K + static_cast<std::size_t>(b[i])];
    if (o.exclude_both_not_significant && a[i] == M.not_significant && b[i] == M.not_significant) r.included[i] = 0;
  }
  std::vector<std::uint32_t> idx;
  for (std::size_t i = 0; i < n; ++i)
    if (r.included[i]) idx.push_back(static_cast<std::uint32_t>(i));
  const std::size_t m = idx.size();
  r.n_compared = m;
  if (m == 0) throwUsageError("compare: no cell to compare (every cell is not significant in both maps)");

  // Fuzzy category vectors of every cell in both maps (neighbourhoods use all cells).
  std::vector<double> muA(n * K), muB(n * K);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 512), [&](const tbb::blocked_range<std::size_t>& rg) {
    for (std::size_t i = rg.begin(); i < rg.end(); ++i) {
      double* fa = &muA[i * K];
      double* fb = &muB[i * K];
      for (std::size_t c = 0; c < K; ++c) {
        fa[c] = M.weight(a[i], static_cast<int>(c));
        fb[c] = M.weight(b[i], static_cast<int>(c));
      }
      for (std::uint32_t p = nb.offsets[i]; p < nb.offsets[i + 1]; ++p) {
        const std::uint32_t j = nb.neighbours[p];
        const double mu = nb.membership[p];
        for (std::size_t c = 0; c < K; ++c) {
          fa[c] = std::max(fa[c], mu * M.weight(a[j], static_cast<int>(c)));
          fb[c] = std::max(fb[c], mu * M.weight(b[j], static_cast<int>(c)));
        }
      }
    }
  });
  // A's cell i paired with B's cell k.
  auto pairSim = [&](std::size_t i, std::size_t k) {
    return std::min(muB[k * K + static_cast<std::size_t>(a[i])], muA[i * K + static_cast<std::size_t>(b[k])]);
  };

  // Observed.
  r.local_similarity.assign(n, kNaN);
  double s_sum = 0, agree = 0, wagree = 0;
  for (std::uint32_t i : idx) {
    const double s = pairSim(i, i);
    r.local_similarity[i] = s;
    s_sum += s;
    agree += a[i] == b[i];
    wagree += M.weight(a[i], b[i]);
  }
  r.similarity = s_sum / static_cast<double>(m);
  r.agreement = agree / static_cast<double>(m);
  r.weighted_agreement = wagree / static_cast<double>(m);

  // Exact expectation over all m^2 pairings: for A's category c and B's category
  // d, the sorted values mu^B_k(c) of the included cells k with b_k = d; then
  // sum_k min(mu^B_k(a_i), x) = (sum of values <= x) + x * (count of values > x).
  std::vector<std::vector<double>> vals(K * K), prefix(K * K);
  for (std::uint32_t k : idx)
    for (std::size_t c = 0; c < K; ++c) vals[c * K + static_cast<std::size_t>(b[k])].push_back(muB[k * K + c]);
  for (std::size_t g = 0; g < K * K; ++g) {
    std::sort(vals[g].begin(), vals[g].end());
    prefix[g].assign(vals[g].size() + 1, 0.0);
    for (std::size_t t = 0; t < vals[g].size(); ++t) prefix[g][t + 1] = prefix[g][t] + vals[g][t];
  }
  r.local_expected.assign(n, kNaN);
  r.local_kappa.assign(n, kNaN);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, m, 256), [&](const tbb::blocked_range<std::size_t>& rg) {
    for (std::size_t t = rg.begin(); t < rg.end(); ++t) {
      const std::size_t i = idx[t];
      const std::size_t c = static_cast<std::size_t>(a[i]);
      double sum = 0;
      for (std::size_t d = 0; d < K; ++d) {
        const auto& v = vals[c * K + d];
        if (v.empty()) continue;
        const double x = muA[i * K + d];
        const auto pos = static_cast<std::size_t>(std::upper_bound(v.begin(), v.end(), x) - v.begin());
        sum += prefix[c * K + d][pos] + x * static_cast<double>(v.size() - pos);
      }
      const double e = sum / static_cast<double>(m);
      r.local_expected[i] = e;
      r.local_kappa[i] = e < 1 ? (r.local_similarity[i] - e) / (1 - e) : kNaN;
    }
  });
  double e_sum = 0;
  for (std::uint32_t i : idx) e_sum += r.local_expected[i];  // fixed order: thread-count independent
  r.expected_exact = e_sum / static_cast<double>(m);
  r.kappa_exact = r.expected_exact < 1 ? (r.similarity - r.expected_exact) / (1 - r.expected_exact) : kNaN;

  // Permutations: pairing p pairs A's included cell idx[t] with B's cell
  // idx[pi_p(t)], pi_p a uniform random permutation (Fisher-Yates) drawn from
  // the stream (seed, p) alone; each pairing's mean is summed in a fixed order.
  r.permutations = o.permutations;
  if (o.permutations > 0) {
    std::vector<double> s_perm(static_cast<std::size_t>(o.permutations));
    tbb::parallel_for(tbb::blocked_range<int>(0, o.permutations, 1), [&](const tbb::blocked_range<int>& rg) {
      std::vector<std::uint32_t> pi(m);
      for (int p = rg.begin(); p < rg.end(); ++p) {
        SplitMix64 rng(o.seed, static_cast<std::uint64_t>(p));
        std::iota(pi.begin(), pi.end(), 0u);
        for (std::size_t t = m; t > 1; --t) std::swap(pi[t - 1], pi[rng.below(t)]);
        double s = 0;
        for (std::size_t t = 0; t < m; ++t) s += pairSim(idx[t], idx[pi[t]]);
        s_perm[static_cast<std::size_t>(p)] = s / static_cast<double>(m);
      }
    });
    double mean = 0;
    for (double s : s_perm) mean += s;
    mean /= static_cast<double>(s_perm.size());
    double ss = 0;
    for (double s : s_perm) ss += (s - mean) * (s - mean);
    r.expected = mean;
    r.expected_sd = s_perm.size() > 1 ? std::sqrt(ss / static_cast<double>(s_perm.size() - 1)) : 0.0;
  } else {
    r.expected = r.expected_exact;
  }
  r.kappa = r.expected < 1 ? (r.similarity - r.expected) / (1 - r.expected) : kNaN;
  return r;
}

HotspotChange hotspotChange(int before, int after, bool split) {
  using C = HotspotChange;
  if (before > 0 && after > 0) {
    if (split && after > before) return C::HotIntensified;
    if (split && after < before) return C::HotWeakened;
    return C::HotPersisted;
  }
  if (before < 0 && after < 0) {
    if (split && after < before) return C::ColdIntensified;
    if (split && after > before) return C::ColdWeakened;
    return C::ColdPersisted;
  }
  if (before > 0 && after < 0) return C::HotToCold;
  if (before < 0 && after > 0) return C::ColdToHot;
  if (before == 0 && after > 0) return C::HotAppeared;
  if (before == 0 && after < 0) return C::ColdAppeared;
  if (before > 0) return C::HotDisappeared;   // after == 0
  if (before < 0) return C::ColdDisappeared;  // after == 0
  return C::NotSignificant;
}

std::string_view hotspotChangeId(HotspotChange c) {
  static constexpr std::string_view ids[] = {
      "not_significant", "hot_appeared",    "hot_persisted",    "hot_intensified", "hot_weakened",
      "hot_disappeared", "hot_to_cold",     "cold_appeared",    "cold_persisted",  "cold_intensified",
      "cold_weakened",   "cold_disappeared", "cold_to_hot"};
  return ids[static_cast<int>(c)];
}

std::string_view hotspotChangeLabel(HotspotChange c) {
  static constexpr std::string_view labels[] = {
      "Not significant in either",  "Hot spot appeared",  "Hot spot persisted",    "Hot spot intensified",
      "Hot spot weakened",          "Hot spot disappeared", "Hot spot became cold", "Cold spot appeared",
      "Cold spot persisted",        "Cold spot intensified", "Cold spot weakened",  "Cold spot disappeared",
      "Cold spot became hot"};
  return labels[static_cast<int>(c)];
}

}  // namespace trygg::geo::hotspot
