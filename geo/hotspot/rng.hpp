#pragma once
// Small, counter-based random numbers for permutation inference.
//
// Reproducibility rule (STYLE.md): the same seed gives the same p-values
// whatever the number of threads. We never share a generator between tasks;
// each unit of work (a permutation replicate, a location) derives its own
// stream from (seed, unit index) with streamSeed(), so the order in which TBB
// schedules the work cannot change a single draw.
//
// SplitMix64 is Steele, Lea & Flood (2014), "Fast splittable pseudorandom
// number generators" (the constants are those of Java's SplittableRandom and
// of Vigna's reference splitmix64.c). It passes BigCrush, is 64-bit state and
// is more than good enough for Monte Carlo p-values with 999 replicates.
#include <cstdint>

namespace trygg::geo::hotspot {

// One splitmix64 step: advances state and returns a well-mixed 64-bit value.
inline std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// The seed of an independent stream for unit `stream` of a run seeded `seed`:
// two rounds of mixing so that neighbouring (seed, stream) pairs do not give
// overlapping sequences.
inline std::uint64_t streamSeed(std::uint64_t seed, std::uint64_t stream) {
  std::uint64_t s = seed ^ 0x6A09E667F3BCC909ULL;  // sqrt(2) bits: seed 0 is not a weak state
  std::uint64_t a = splitmix64(s);
  std::uint64_t t = a ^ (stream * 0xD1B54A32D192ED03ULL);
  return splitmix64(t);
}

// -Wpedantic: __int128 is a GCC/Clang extension; __extension__ marks it as intended.
__extension__ using Uint128 = unsigned __int128;

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : m_state(seed) {}
  SplitMix64(std::uint64_t seed, std::uint64_t stream) : m_state(streamSeed(seed, stream)) {}

  std::uint64_t next() { return splitmix64(m_state); }

  // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire 2019,
  // "Fast random integer generation in an interval", ACM TOMACS 29(1)).
  std::uint64_t below(std::uint64_t n) {
    std::uint64_t x = next();
    Uint128 m = static_cast<Uint128>(x) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        x = next();
        m = static_cast<Uint128>(x) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Uniform double in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t m_state;
};

}  // namespace trygg::geo::hotspot
