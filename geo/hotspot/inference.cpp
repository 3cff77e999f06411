// Conditional permutation, FDR and bins. Sources: METHODS.md §2; Anselin (1995)
// "Local indicators of spatial association" (conditional randomisation); esda
// `crand` and spdep 1.2-7 localG_perm/localmoran_perm (folded pseudo-p);
// Benjamini & Hochberg (1995), Benjamini & Yekutieli (2001); R p.adjust.
//
// Deliberate difference from spdep 1.2-7: its localG_perm/localmoran_perm draw
// the neighbour values WITH replacement from x[-i] (and, for Gi*, also redraw
// i's own slot); we draw WITHOUT replacement and keep x_i in its own slot, as
// esda and GeoDa do and as the conditional randomisation of Anselin (1995)
// defines it.
#include "geo/hotspot/inference.hpp"

#include <algorithm>
#include <limits>
#include <numeric>

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"

namespace trygg::geo::hotspot {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<std::size_t> finiteOrder(std::span<const double> p) {
  std::vector<std::size_t> idx;
  idx.reserve(p.size());
  for (std::size_t i = 0; i < p.size(); ++i)
    if (!std::isnan(p[i])) idx.push_back(i);
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return p[a] < p[b]; });
  return idx;
}

std::vector<double> stepUp(std::span<const double> p, double factor) {
  std::vector<double> out(p.size(), kNaN);
  const auto idx = finiteOrder(p);
  const auto m = static_cast<double>(idx.size());
  double running = 1.0;
  for (std::size_t r = idx.size(); r-- > 0;) {
    const double adj = std::min(1.0, p[idx[r]] * m * factor / static_cast<double>(r + 1));
    running = std::min(running, adj);
    out[idx[r]] = running;
  }
  return out;
}
}  // namespace

std::vector<double> benjaminiHochberg(std::span<const double> p) { return stepUp(p, 1.0); }

std::vector<double> benjaminiYekutieli(std::span<const double> p) {
  std::size_t m = 0;
  for (double v : p)
    if (!std::isnan(v)) ++m;
  double q = 0;
  for (std::size_t i = 1; i <= m; ++i) q += 1.0 / static_cast<double>(i);
  return stepUp(p, q);
}

double benjaminiHochbergCutoff(std::span<const double> p, double alpha) {
  const auto idx = finiteOrder(p);
  const auto m = static_cast<double>(idx.size());
  double cut = 0;
  for (std::size_t r = 0; r < idx.size(); ++r)
    if (p[idx[r]] <= static_cast<double>(r + 1) * alpha / m) cut = p[idx[r]];
  return cut;
}

int confidenceBin(double z, double p) {
  if (std::isnan(p) || std::isnan(z) || z == 0) return 0;
  const int s = z > 0 ? 1 : -1;
  if (p < 0.01) return 3 * s;
  if (p < 0.05) return 2 * s;
  if (p < 0.10) return s;
  return 0;
}

PermutationOutcome conditionalPermutation(std::span<const double> x, const Weights& w,
                                          std::span<const double> observed_lag,
                                          std::span<const signed char> direction, int permutations,
                                          std::uint64_t seed) {
  const std::size_t n = x.size();
  if (w.size() != n || observed_lag.size() != n || (!direction.empty() && direction.size() != n))
    throwUsageError("hotspot.permutation: {} values but {} weight rows / {} lags", n, w.size(), observed_lag.size());
  if (permutations < 1) throwUsageError("hotspot.permutation: permutations must be >= 1 (got {})", permutations);
  PermutationOutcome out;
  out.larger.assign(n, 0);
  out.p_sim.assign(n, kNaN);
  out.mean.assign(n, kNaN);
  out.sd.assign(n, kNaN);
  if (n < 2) return out;
  const auto pool = static_cast<std::uint32_t>(n - 1);  // the others
  const auto perms = static_cast<std::uint32_t>(permutations);

  // Per thread: an identity index array for partial Fisher-Yates (undone after
  // each use), plus scratch.
  struct Scratch {
    std::vector<std::uint32_t> ident, swaps;
    std::vector<std::uint32_t> stamp;  // stamp[j] == tick: j already drawn in this permutation
    std::uint32_t tick = 0;
    std::vector<double> slot_w;
  };
  tbb::enumerable_thread_specific<Scratch> tls;

  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 256), [&](const tbb::blocked_range<std::size_t>& range) {
    Scratch& s = tls.local();
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      // Split the row into i's own slot (kept) and the other slots (drawn).
      const auto row = w.row(i);
      const auto rw = w.rowWeights(i);
      double fixed = 0;
      s.slot_w.clear();
      for (std::size_t a = 0; a < row.size(); ++a) {
        if (row[a] == i) fixed += rw[a] * x[i];
        else s.slot_w.push_back(rw[a]);
      }
      const auto k = static_cast<std::uint32_t>(s.slot_w.size());
      if (k == 0) continue;  // nothing to permute
      const signed char dir = direction.empty() ? 1 : direction[i];
      if (dir == 0) {
        out.p_sim[i] = 1.0;
        continue;
      }
      const double obs = observed_lag[i];
      LocationRng rng(seed, i);
      const auto iu = static_cast<std::uint32_t>(i);
      std::uint32_t larger = 0;
      double sum = 0, sum2 = 0;
      // Small neighbourhoods in a large pool: draw with rejection of repeats
      // (exact sampling without replacement; a repeat has probability ~k^2/2n),
      // repeats found by a per-thread stamp array.
      const bool rejection = k <= 32 && static_cast<std::uint64_t>(k) * 8 <= pool;
      if (rejection && s.stamp.size() != n) {
        s.stamp.assign(n, 0);
        s.tick = 0;
      }
      if (!rejection && s.ident.size() != n) {
        s.ident.resize(n);
        std::iota(s.ident.begin(), s.ident.end(), 0u);
      }
      for (std::uint32_t p = 0; p < perms; ++p) {
        double lag = fixed;
        if (rejection) {
          if (++s.tick == 0) {  // wrapped: clear the stamps once every 2^32 permutations
            std::fill(s.stamp.begin(), s.stamp.end(), 0u);
            s.tick = 1;
          }
          std::uint32_t* stamp = s.stamp.data();
          const std::uint32_t tick = s.tick;
          for (std::uint32_t t = 0; t < k; ++t) {
            std::uint32_t r;
            do {
              r = rng.below(pool);
              r += (r >= iu);  // skip i itself
            } while (stamp[r] == tick);
            stamp[r] = tick;
            lag += s.slot_w[t] * x[r];
          }
        } else {
          // Partial Fisher-Yates over the others: move i to the end, shuffle the
          // first k of the remaining n-1 positions, then undo every swap.
          std::uint32_t* a = s.ident.data();
          std::swap(a[i], a[n - 1]);
          s.swaps.resize(k);
          for (std::uint32_t t = 0; t < k; ++t) {
            const std::uint32_t j = t + rng.below(pool - t);
            std::swap(a[t], a[j]);
            s.swaps[t] = j;
            lag += s.slot_w[t] * x[a[t]];
          }
          for (std::uint32_t t = k; t-- > 0;) std::swap(a[t], a[s.swaps[t]]);
          std::swap(a[i], a[n - 1]);
        }
        // Moments about the observed lag: no cancellation when the spread is small.
        const double d = lag - obs;
        sum += d;
        sum2 += d * d;
        larger += dir > 0 ? (lag >= obs) : (lag <= obs);
      }
      out.larger[i] = larger;
      const std::uint32_t folded = std::min(larger, perms - larger);
      out.p_sim[i] = (static_cast<double>(folded) + 1.0) / (static_cast<double>(perms) + 1.0);
      const double m = sum / perms;
      out.mean[i] = obs + m;
      // Sample variance (n - 1), as R's var() in spdep's localG_perm.
      const double var = perms > 1 ? std::max(0.0, (sum2 - perms * m * m) / (perms - 1.0)) : kNaN;
      out.sd[i] = std::sqrt(var);
    }
  });
  return out;
}

}  // namespace trygg::geo::hotspot
