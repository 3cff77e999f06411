// Kernel density (geo/hotspot/kde.hpp): the peers' workload shape, 20 km x 20 km,
// 50 Gaussian clusters (sigma 40..400 m) + 30 % background, as
// ../shared/peers/make_workload.py; quartic r = 200 m and binned Gaussian sigma = 100 m
// on 10 m pixels. Cost should grow linearly with points: 100k, 1M, 10M.
//   build-x/bin/kde_bench --benchmark_filter=Quartic
#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <random>
#include <vector>

#include "geo/hotspot/kde.hpp"

namespace {
using trygg::BBox;
using trygg::Point;
using namespace trygg::geo::hotspot;

const std::vector<Point>& workload(std::size_t n) {
  static std::map<std::size_t, std::vector<Point>> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  std::mt19937_64 rng(20240611);
  std::uniform_real_distribution<double> u(0, 1);
  std::normal_distribution<double> nd(0, 1);
  struct C { double x, y, s, w; };
  std::vector<C> cs;
  double tw = 0;
  for (int i = 0; i < 50; ++i) {
    C c{551000 + 18000 * u(rng), 6691000 + 18000 * u(rng), std::exp(std::log(40.0) + u(rng) * std::log(10.0)),
        -std::log(1 - u(rng))};
    tw += c.w;
    cs.push_back(c);
  }
  std::vector<double> cum;
  double acc = 0;
  for (auto& c : cs) cum.push_back(acc += c.w / tw);
  std::vector<Point> p;
  p.reserve(n);
  while (p.size() < n) {
    if (u(rng) < 0.3) {
      p.push_back({550000 + 20000 * u(rng), 6690000 + 20000 * u(rng)});
      continue;
    }
    const double r = u(rng);
    std::size_t k = 0;
    while (k + 1 < cum.size() && cum[k] < r) ++k;
    const Point q{cs[k].x + cs[k].s * nd(rng), cs[k].y + cs[k].s * nd(rng)};
    if (q.x >= 550000 && q.x < 570000 && q.y >= 6690000 && q.y < 6710000) p.push_back(q);
  }
  return cache.emplace(n, std::move(p)).first->second;
}

void Quartic(benchmark::State& state) {
  const auto& pts = workload(static_cast<std::size_t>(state.range(0)));
  KdeOptions o;
  o.bandwidth = 200;
  o.cell = 10;
  for (auto _ : state) benchmark::DoNotOptimize(kernelDensity(pts, {}, o).values.data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(Quartic)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void QuarticQgisCompat(benchmark::State& state) {
  const auto& pts = workload(static_cast<std::size_t>(state.range(0)));
  KdeOptions o;
  o.bandwidth = 200;
  o.cell = 10;
  o.mode = PixelMode::QgisCompat;
  for (auto _ : state) benchmark::DoNotOptimize(kernelDensity(pts, {}, o).values.data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(QuarticQgisCompat)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

// spatstat's task: Gaussian sigma 100 m on the 20 km window at 10 m (2000 x 2000)
KdeOptions gaussianOptions(PixelMode m) {
  KdeOptions o;
  o.kernel = Kernel::Gaussian;
  o.bandwidth = 100;
  o.cell = 10;
  o.output = KdeOutput::Density;
  o.mode = m;
  o.extent = BBox{550000, 6690000, 570000, 6710000};
  return o;
}

void GaussianBinned(benchmark::State& state) {
  const auto& pts = workload(static_cast<std::size_t>(state.range(0)));
  const KdeOptions o = gaussianOptions(PixelMode::Binned);
  for (auto _ : state) benchmark::DoNotOptimize(kernelDensity(pts, {}, o).values.data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(GaussianBinned)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->UseRealTime();

void GaussianExact(benchmark::State& state) {
  const auto& pts = workload(static_cast<std::size_t>(state.range(0)));
  const KdeOptions o = gaussianOptions(PixelMode::Exact);
  for (auto _ : state) benchmark::DoNotOptimize(kernelDensity(pts, {}, o).values.data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(GaussianExact)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

// the worst case for a row-sorted engine: every point in one pixel
void QuarticOneSpot(benchmark::State& state) {
  const std::vector<Point> pts(static_cast<std::size_t>(state.range(0)), Point{560000.3, 6700000.7});
  KdeOptions o;
  o.bandwidth = 200;
  o.cell = 10;
  o.extent = BBox{550000, 6690000, 570000, 6710000};
  for (auto _ : state) benchmark::DoNotOptimize(kernelDensity(pts, {}, o).values.data());
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(QuarticOneSpot)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
