#pragma once
// Inference shared by the local statistics: normal p-values, conditional
// permutation (METHODS.md §2), Benjamini-Hochberg / -Yekutieli adjustment and
// ArcGIS-style confidence bins.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "geo/hotspot/weights.hpp"

namespace trygg::geo::hotspot {

// Two-sided normal p-value 2 * (1 - Phi(|z|)), as R's 2 * pnorm(abs(z), lower.tail = FALSE).
inline double twoSidedNormalP(double z) { return std::erfc(std::fabs(z) / std::sqrt(2.0)); }

// Benjamini-Hochberg adjusted p-values (R p.adjust(method = "BH")): step-up,
// monotone, capped at 1. NaN entries are left NaN and not counted in n.
std::vector<double> benjaminiHochberg(std::span<const double> p);
// Benjamini-Yekutieli (R p.adjust(method = "BY")): BH times sum_{i<=n} 1/i.
std::vector<double> benjaminiYekutieli(std::span<const double> p);
// The BH cut-off at level alpha: the largest p_(k) with p_(k) <= k alpha / n
// (0 when nothing is rejected). p <= cut-off  <=>  BH-adjusted p <= alpha.
double benjaminiHochbergCutoff(std::span<const double> p, double alpha);

// ArcGIS Gi_Bin from a p-value and the sign of z: +-3 for p < 0.01, +-2 for
// p < 0.05, +-1 for p < 0.10, else 0 (strict, as ArcGIS). NaN -> 0.
int confidenceBin(double z, double p);

// A small, fast, counter-seeded generator for one location's permutation stream:
// SplitMix64 (Steele, Lea & Flood 2014), seeded from mix(seed, location), so the
// draws of location i do not depend on which thread runs it or in what order.
class LocationRng {
 public:
  LocationRng(std::uint64_t seed, std::uint64_t location) {
    m_state = mix(seed ^ mix(location + 0x632BE59BD9B4E019ull));
  }
  std::uint64_t next() {
    std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
    return mix0(z);
  }
  // 32 random bits; each 64-bit output serves two calls.
  std::uint32_t next32() {
    if (m_have) {
      m_have = false;
      return static_cast<std::uint32_t>(m_buffer >> 32);
    }
    m_buffer = next();
    m_have = true;
    return static_cast<std::uint32_t>(m_buffer);
  }
  // Uniform integer in [0, range), exact (Lemire 2019, nearly divisionless).
  std::uint32_t below(std::uint32_t range) {
    std::uint64_t m = static_cast<std::uint64_t>(next32()) * range;
    auto low = static_cast<std::uint32_t>(m);
    if (low < range) {
      const std::uint32_t threshold = static_cast<std::uint32_t>(-range) % range;
      while (low < threshold) {
        m = static_cast<std::uint64_t>(next32()) * range;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }

 private:
  static std::uint64_t mix0(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  static std::uint64_t mix(std::uint64_t z) { return mix0(z + 0x9E3779B97F4A7C15ull); }
  std::uint64_t m_state;
  std::uint64_t m_buffer = 0;
  bool m_have = false;
};

// What a conditional permutation run produced for every location.
struct PermutationOutcome {
  std::vector<std::uint32_t> larger;  // # permuted statistics >= observed
  std::vector<double> p_sim;          // folded pseudo-p (min(larger, perms-larger)+1)/(perms+1)
  std::vector<double> mean, sd;       // of the permuted lag (sum_j w_ij x_j over the drawn slots)
};

// Conditional permutation of the spatial lag: for every location i with at least
// one neighbour other than itself, `permutations` times draw values for i's
// neighbour slots (its own slot keeps x_i) WITHOUT replacement from the n-1 other
// locations, and compare the permuted lag sum_j w_ij x_draw_j (+ w_ii x_i) with the
// observed lag `observed_lag[i]`, counting ties as larger (esda, spdep). Both
// statistics (Gi, Gi*, local Moran's I) are increasing functions of this lag for a
// fixed i (local Moran's I decreasing when z_i < 0: pass `direction` -1 for those;
// empty `direction` means +1 everywhere), so counting on the lag is the same as
// counting on the statistic. direction 0 marks a statistic that does not depend on
// the lag (local Moran's I with z_i = 0): p_sim = 1 there (esda and spdep would
// count every permutation as a tie and report the smallest p; we do not).
// Threads: TBB over locations; results depend only on (seed, i).
// Locations without another neighbour get larger = 0 and p_sim = NaN.
PermutationOutcome conditionalPermutation(std::span<const double> x, const Weights& w,
                                          std::span<const double> observed_lag,
                                          std::span<const signed char> direction, int permutations,
                                          std::uint64_t seed);

}  // namespace trygg::geo::hotspot
