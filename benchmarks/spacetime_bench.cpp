// Space-time hot spot benchmarks: emerging hot spots on a 100 × 100 grid × 24
// steps (queen contiguity with self, time lag 1), and the Knox test on 10,000
// events with the default bands and 999 permutations.
//   build-<name>/bin/spacetime_bench --benchmark_min_time=1x
// Measurements, not pass/fail tests; see docs/methods/emerging-hotspots.md and
// docs/methods/near-repeat.md for the figures.
#include <benchmark/benchmark.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "geo/hotspot/aoristic.hpp"
#include "geo/hotspot/emerging.hpp"
#include "geo/hotspot/knox.hpp"
#include "geo/hotspot/rng.hpp"

namespace {

using namespace trygg;
using namespace trygg::geo::hotspot;

struct Grid {
  std::size_t cells = 0, steps = 0;
  std::vector<double> x;
  std::vector<std::uint32_t> offsets{0}, neighbours;
};

// rows × cols queen lattice with self; counts ~ Poisson(2) by inversion, plus a
// few rising and falling blocks so that every code path (MK, classification)
// does real work.
Grid makeGrid(int rows, int cols, std::size_t steps) {
  Grid g;
  g.cells = static_cast<std::size_t>(rows * cols);
  g.steps = steps;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      for (int dr = -1; dr <= 1; ++dr) {
        for (int dc = -1; dc <= 1; ++dc) {
          const int rr = r + dr, cc = c + dc;
          if (rr >= 0 && rr < rows && cc >= 0 && cc < cols) g.neighbours.push_back(static_cast<std::uint32_t>(rr * cols + cc));
        }
      }
      g.offsets.push_back(static_cast<std::uint32_t>(g.neighbours.size()));
    }
  }
  SplitMix64 rng(1);
  g.x.resize(g.cells * steps);
  for (double& v : g.x) {
    double u = rng.uniform(), p = std::exp(-2.0), cdf = p;
    int k = 0;
    while (u > cdf && k < 50) {
      ++k;
      p *= 2.0 / k;
      cdf += p;
    }
    v = k;
  }
  for (int b = 0; b < 20; ++b) {
    const auto centre = static_cast<std::size_t>(rng.below(g.cells));
    const bool rising = b % 2 == 0;
    for (std::size_t t = 0; t < steps; ++t) {
      g.x[t * g.cells + centre] += rising ? 2.0 * static_cast<double>(t) : 2.0 * static_cast<double>(steps - t);
    }
  }
  return g;
}

void BM_EmergingAnalytic(benchmark::State& state) {
  const Grid g = makeGrid(100, 100, 24);
  EmergingOptions o;
  for (auto _ : state) {
    auto r = emergingHotspots(g.x, g.cells, g.steps, g.offsets, g.neighbours, o);
    benchmark::DoNotOptimize(r.locations.data());
  }
  state.counters["bins"] = static_cast<double>(g.cells * g.steps);
}
BENCHMARK(BM_EmergingAnalytic)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_EmergingPermutations(benchmark::State& state) {
  const Grid g = makeGrid(100, 100, 24);
  EmergingOptions o;
  o.permutations = static_cast<int>(state.range(0));
  o.seed = 1;
  for (auto _ : state) {
    auto r = emergingHotspots(g.x, g.cells, g.steps, g.offsets, g.neighbours, o);
    benchmark::DoNotOptimize(r.locations.data());
  }
  state.counters["bins"] = static_cast<double>(g.cells * g.steps);
}
BENCHMARK(BM_EmergingPermutations)->Arg(99)->Arg(999)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(1);

// 10,000 events over 10 × 10 km and one year: 8,000 uniform, 2,000 near
// repeats within 100 m and 7 days of an earlier event.
struct KnoxData {
  std::vector<Point> xy;
  std::vector<double> t;
};
KnoxData makeKnoxData(std::size_t n) {
  KnoxData d;
  SplitMix64 rng(2);
  const std::size_t base = n * 4 / 5;
  for (std::size_t i = 0; i < base; ++i) {
    d.xy.push_back({rng.uniform() * 10000, rng.uniform() * 10000});
    d.t.push_back(std::floor(rng.uniform() * 365));
  }
  for (std::size_t i = base; i < n; ++i) {
    const auto p = static_cast<std::size_t>(rng.below(base));
    const double a = rng.uniform() * 2 * std::numbers::pi, r = 100 * std::sqrt(rng.uniform());
    d.xy.push_back({d.xy[p].x + r * std::cos(a), d.xy[p].y + r * std::sin(a)});
    d.t.push_back(d.t[p] + std::floor(rng.uniform() * 7));
  }
  return d;
}

void BM_Knox(benchmark::State& state) {
  const KnoxData d = makeKnoxData(10000);
  KnoxOptions o;  // 0–500 m by 100 m, 0–28 days by 7
  o.permutations = static_cast<int>(state.range(0));
  o.seed = 1;
  KnoxResult r;
  for (auto _ : state) {
    r = knoxTest(d.xy, d.t, o);
    benchmark::DoNotOptimize(r.cells.data());
  }
  state.counters["pairs_enumerated"] = static_cast<double>(r.pairs_enumerated);
}
BENCHMARK(BM_Knox)->Arg(0)->Arg(999)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AoristicWeights(benchmark::State& state) {
  SplitMix64 rng(3);
  std::vector<std::pair<EpochSeconds, EpochSeconds>> spans(100000);
  for (auto& s : spans) {
    s.first = 1704067200 + static_cast<EpochSeconds>(rng.below(365 * 86400));
    s.second = s.first + static_cast<EpochSeconds>(rng.below(16 * 3600));
  }
  const auto stockholm = fixedUtcOffset(3600);
  const HourMask night = hourRange(18, 6);
  const WeekdayMask all = allWeekdays();
  for (auto _ : state) {
    double sum = 0;
    for (const auto& s : spans) sum += aoristicWeightInHours(s.first, s.second, night, all, stockholm);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(spans.size()));
}
BENCHMARK(BM_AoristicWeights)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
