#include "geo/change/sppt.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

#include "core/error.hpp"

namespace trygg::geo::change {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// SplitMix64 (Steele, Lea & Flood 2014): a fixed, portable generator; one
// stream per sample keeps results independent of the thread schedule.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound), bound < 2^32: Lemire (2019) "Fast random integer
  // generation in an interval", on the high 32 bits of each output.
  std::uint32_t below(std::uint32_t bound) {
    std::uint64_t m = (next() >> 32) * std::uint64_t{bound};
    auto low = static_cast<std::uint32_t>(m);
    if (low < bound) {
      const std::uint32_t threshold = (0u - bound) % bound;
      while (low < threshold) {
        m = (next() >> 32) * std::uint64_t{bound};
        low = static_cast<std::uint32_t>(m);
      }
    }
    return static_cast<std::uint32_t>(m >> 32);
  }
};

std::uint64_t sampleSeed(std::uint64_t seed, std::uint64_t sample) {
  SplitMix64 g{seed ^ (0xD1B54A32D192ED03ULL * (sample + 1))};
  g.next();
  return g.next();
}

std::int64_t totalOf(std::span<const std::int64_t> counts, const char* which) {
  std::int64_t total = 0;
  for (size_t i = 0; i < counts.size(); ++i) {
    if (counts[i] < 0) throwUsageError("change.sppt: {} count of unit {} is negative ({})", which, i, counts[i]);
    total += counts[i];
  }
  return total;
}

template <typename F>
void parallelFor(size_t count, int threads, F&& body) {
  unsigned t = threads > 0 ? unsigned(threads) : std::max(1u, std::thread::hardware_concurrency());
  t = static_cast<unsigned>(std::min<size_t>(t, std::max<size_t>(1, count)));
  if (t <= 1) {
    body(size_t{0}, count);
    return;
  }
  std::vector<std::thread> pool;
  const size_t chunk = (count + t - 1) / t;
  for (unsigned k = 0; k < t; ++k) {
    const size_t begin = k * chunk, end = std::min(count, begin + chunk);
    if (begin >= end) break;
    pool.emplace_back([&body, begin, end] { body(begin, end); });
  }
  for (auto& th : pool) th.join();
}

}  // namespace

SpptResult spatialPointPatternTest(std::span<const std::int64_t> baseCounts,
                                   std::span<const std::int64_t> testCounts, const SpptOptions& options) {
  if (baseCounts.size() != testCounts.size())
    throwUsageError("change.sppt: base and test counts need one entry per unit ({} vs {})", baseCounts.size(),
                    testCounts.size());
  if (options.samples < 1) throwUsageError("change.sppt: samples must be >= 1 (got {})", options.samples);
  if (!(options.samplePercent > 0 && options.samplePercent <= 100))
    throwUsageError("change.sppt: sample_percent must be in (0, 100] (got {})", options.samplePercent);
  if (!(options.confLevel > 0 && options.confLevel < 100))
    throwUsageError("change.sppt: conf_level is a percentage in (0, 100) (got {})", options.confLevel);

  SpptResult res;
  const size_t units = baseCounts.size();
  res.baseTotal = totalOf(baseCounts, "base");
  res.testTotal = totalOf(testCounts, "test");
  if (res.baseTotal == 0) throwDataError("change.sppt: the base set has no events in any unit; nothing to compare");
  if (res.testTotal == 0) throwDataError("change.sppt: the test set has no events in any unit; nothing to compare");
  if (res.testTotal > std::int64_t{0xFFFFFFFF})
    throwDataError("change.sppt: {} test events exceed the 2^32 − 1 this implementation samples from", res.testTotal);

  // sppt: samplesize <- round((percpoints/100) * n); R rounds half to even.
  const std::int64_t n = res.testTotal;
  const auto k = static_cast<std::int64_t>(std::nearbyint((options.samplePercent / 100) * double(n)));
  if (k < 1) throwDataError("change.sppt: {} % of {} test events rounds to no events per sample", options.samplePercent, n);
  res.sampleSize = k;
  const int samples = options.samples;
  const double tail = (100 - options.confLevel) / 100 / 2;
  res.lowerPosition = static_cast<int>(std::floor(tail * samples)) + 1;
  res.upperPosition = static_cast<int>(std::ceil((1 - tail) * samples));

  // Unit label of every test event, in unit order.
  std::vector<std::uint32_t> labels;
  labels.reserve(static_cast<size_t>(n));
  for (size_t u = 0; u < units; ++u) labels.insert(labels.end(), static_cast<size_t>(testCounts[u]), std::uint32_t(u));

  // Either draw the k kept events or the n − k dropped ones, whichever is fewer:
  // both are uniform samples without replacement.
  const bool drawDropped = (n - k) < k;
  const std::int64_t draws = drawDropped ? n - k : k;

  // sampled[s * units + u]: test events of unit u kept in sample s.
  std::vector<std::int32_t> sampled(static_cast<size_t>(samples) * units, 0);
  parallelFor(static_cast<size_t>(samples), options.threads, [&](size_t begin, size_t end) {
    std::vector<std::uint32_t> buf;
    for (size_t s = begin; s < end; ++s) {
      buf = labels;
      SplitMix64 rng{sampleSeed(options.seed, s)};
      std::int32_t* row = &sampled[s * units];
      for (std::int64_t i = 0; i < draws; ++i) {
        const auto j = i + static_cast<std::int64_t>(rng.below(static_cast<std::uint32_t>(n - i)));
        std::swap(buf[size_t(i)], buf[size_t(j)]);
        ++row[buf[size_t(i)]];
      }
      if (drawDropped)
        for (size_t u = 0; u < units; ++u) row[u] = static_cast<std::int32_t>(testCounts[u]) - row[u];
    }
  });

  res.units.resize(units);
  parallelFor(units, options.threads, [&](size_t begin, size_t end) {
    std::vector<std::int32_t> col(static_cast<size_t>(samples));
    for (size_t u = begin; u < end; ++u) {
      for (int s = 0; s < samples; ++s) col[size_t(s)] = sampled[size_t(s) * units + u];
      // Counts sort as the percentages do (one denominator): pick the two order statistics.
      std::sort(col.begin(), col.end());
      SpptUnit& out = res.units[u];
      out.baseCount = baseCounts[u];
      out.testCount = testCounts[u];
      // As sppt: nevents/sum(nevents)*100.
      out.basePercent = double(out.baseCount) / double(res.baseTotal) * 100;
      out.testPercent = double(out.testCount) / double(res.testTotal) * 100;
      out.confLow = double(col[size_t(res.lowerPosition - 1)]) / double(k) * 100;
      out.confHigh = double(col[size_t(res.upperPosition - 1)]) / double(k) * 100;
      out.sIndex = out.basePercent < out.confLow ? -1 : (out.basePercent > out.confHigh ? 1 : 0);
      out.localS = -out.sIndex;
      out.similar = out.sIndex == 0;
      out.inRobust = out.baseCount + out.testCount > 0;
    }
  });

  double similar = 0, similarRobust = 0, robust = 0;
  for (const auto& u : res.units) {
    similar += u.similar ? 1 : 0;
    if (u.inRobust) {
      robust += 1;
      similarRobust += u.similar ? 1 : 0;
    }
  }
  res.globalS = units ? similar / double(units) : kNaN;
  res.globalSRobust = robust > 0 ? similarRobust / robust : kNaN;
  return res;
}

SpptDiffResult spptDiff(std::span<const std::int64_t> baseCounts, std::span<const std::int64_t> testCounts,
                        const SpptDiffOptions& options) {
  if (baseCounts.size() != testCounts.size())
    throwUsageError("change.sppt_diff: base and test counts need one entry per unit ({} vs {})", baseCounts.size(),
                    testCounts.size());
  if (!(options.confLevel > 0 && options.confLevel < 100))
    throwUsageError("change.sppt_diff: conf_level is a percentage in (0, 100) (got {})", options.confLevel);
  SpptDiffResult res;
  const size_t units = baseCounts.size();
  res.baseTotal = totalOf(baseCounts, "base");
  res.testTotal = totalOf(testCounts, "test");
  if (res.baseTotal == 0 || res.testTotal == 0)
    throwDataError("change.sppt_diff: the {} set has no events in any unit; nothing to compare",
                   res.baseTotal == 0 ? "base" : "test");
  res.units.resize(units);
  std::vector<double> p(units);
  for (size_t u = 0; u < units; ++u) {
    SpptDiffUnit& out = res.units[u];
    out.baseCount = baseCounts[u];
    out.testCount = testCounts[u];
    out.basePercent = double(out.baseCount) / double(res.baseTotal) * 100;
    out.testPercent = double(out.testCount) / double(res.testTotal) * 100;
    out.diffPercent = out.basePercent - out.testPercent;
    // sppt_diff: matrix(c(nb, nt, totb − nb, tott − nt), ncol = 2).
    const Table2x2 t{out.baseCount, res.baseTotal - out.baseCount, out.testCount, res.testTotal - out.testCount};
    switch (options.test) {
      case SpptDiffTest::Chi2NMinus1: out.pValue = chiSquareNMinus1(t).pValue; break;
      case SpptDiffTest::Chi2: out.pValue = chiSquare(t).pValue; break;
      case SpptDiffTest::Yates: out.pValue = chiSquareYates(t).pValue; break;
      case SpptDiffTest::Fisher: out.pValue = fisherExactTwoSided(t); break;
    }
    p[u] = out.pValue;
  }
  const std::vector<double> adjusted = adjustPValues(p, options.adjust);
  const double alpha = 1 - options.confLevel / 100;
  double similar = 0, similarRobust = 0, robust = 0;
  for (size_t u = 0; u < units; ++u) {
    SpptDiffUnit& out = res.units[u];
    out.pAdjusted = adjusted[u];
    // sppt_diff sets S where p < alpha and then zeroes it where p.adjusted >= alpha.
    const bool significant = out.pValue < alpha && !(out.pAdjusted >= alpha);
    out.sIndex = 0;
    if (significant && out.basePercent > out.testPercent) out.sIndex = 1;
    if (significant && out.basePercent < out.testPercent) out.sIndex = -1;
    out.localS = -out.sIndex;
    out.similar = out.sIndex == 0;
    out.inRobust = out.baseCount + out.testCount > 0;
    similar += out.similar ? 1 : 0;
    if (out.inRobust) {
      robust += 1;
      similarRobust += out.similar ? 1 : 0;
    }
  }
  res.globalS = units ? similar / double(units) : kNaN;
  res.globalSRobust = robust > 0 ? similarRobust / robust : kNaN;
  return res;
}

}  // namespace trygg::geo::change
