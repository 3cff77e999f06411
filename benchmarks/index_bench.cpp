// geo::PolygonIndex::assign: N clustered points against 300 irregular areas
// that tile a 20 x 20 km town (the peers' workload shape: a perturbed 20 x 15
// lattice, every lattice edge wiggled with shared inner vertices). Edge cases
// on their own lines: all points on one spot (a vertex shared by four areas),
// points where no area is, and an index with no areas. Fixed seeds.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstring>
#include <map>
#include <random>

#include "data/wkb.hpp"
#include "geo/index/polygon_index.hpp"
#include "geo/index/radius_index.hpp"
#include "geo/index/stacks.hpp"

using namespace trygg;

namespace {

constexpr double kX0 = 550000, kY0 = 6690000, kSide = 20000;

std::vector<std::vector<std::uint8_t>> makeAreas() {
  std::mt19937_64 rng(20240611);
  const int nx = 20, ny = 15;
  const double dx = kSide / nx, dy = kSide / ny;
  std::uniform_real_distribution<double> jit(-0.22, 0.22), amp(0.02, 0.07), ph(0, 2 * M_PI);
  std::uniform_int_distribution<int> nin(2, 11);
  std::vector<Point> g((nx + 1) * (ny + 1));
  for (int j = 0; j <= ny; ++j)
    for (int i = 0; i <= nx; ++i)
      g[j * (nx + 1) + i] = {kX0 + dx * i + ((i == 0 || i == nx) ? 0 : jit(rng) * dx),
                             kY0 + dy * j + ((j == 0 || j == ny) ? 0 : jit(rng) * dy)};
  std::map<std::pair<int, int>, std::vector<Point>> edges;
  auto edge = [&](int a, int b) {
    const auto key = std::minmax(a, b);
    auto it = edges.find(key);
    if (it == edges.end()) {
      const Point p = g[key.first], q = g[key.second];
      const bool outer = (p.x == q.x && (p.x == kX0 || p.x == kX0 + kSide)) || (p.y == q.y && (p.y == kY0 || p.y == kY0 + kSide));
      const int k = nin(rng);
      const double L = std::hypot(q.x - p.x, q.y - p.y), A = outer ? 0 : amp(rng) * L, f = ph(rng);
      std::vector<Point> v;
      for (int s = 1; s <= k; ++s) {
        const double t = double(s) / (k + 1), w = A * std::sin(M_PI * t) * std::sin(2 * M_PI * t + f);
        v.push_back({p.x + t * (q.x - p.x) - w * (q.y - p.y) / L, p.y + t * (q.y - p.y) + w * (q.x - p.x) / L});
      }
      it = edges.emplace(key, v).first;
    }
    auto v = it->second;
    if (a != key.first) std::reverse(v.begin(), v.end());
    return v;
  };
  std::vector<std::vector<std::uint8_t>> out;
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      const int c[4] = {j * (nx + 1) + i, j * (nx + 1) + i + 1, (j + 1) * (nx + 1) + i + 1, (j + 1) * (nx + 1) + i};
      std::vector<Point> ring;
      for (int s = 0; s < 4; ++s) {
        ring.push_back(g[c[s]]);
        for (const Point& p : edge(c[s], c[(s + 1) % 4])) ring.push_back(p);
      }
      out.push_back(data::wkb::polygonWkb({ring}));
    }
  return out;
}

// 70 % in 50 Gaussian clusters (sigma 40-400 m), 30 % uniform background.
std::vector<Point> clustered(std::size_t n, std::uint64_t seed = 2) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(kX0, kX0 + kSide), uy(kY0, kY0 + kSide), ls(std::log(40.0), std::log(400.0));
  std::vector<Point> c(50);
  std::vector<double> sig(50);
  for (int k = 0; k < 50; ++k) {
    c[k] = {kX0 + 1000 + (kSide - 2000) * (ux(rng) - kX0) / kSide, kY0 + 1000 + (kSide - 2000) * (uy(rng) - kY0) / kSide};
    sig[k] = std::exp(ls(rng));
  }
  std::normal_distribution<double> nd;
  std::uniform_int_distribution<int> pick(0, 49);
  std::vector<Point> pts(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 10 < 3) {
      pts[i] = {ux(rng), uy(rng)};
    } else {
      const int k = pick(rng);
      pts[i] = {std::round((c[k].x + nd(rng) * sig[k]) * 100) / 100, std::round((c[k].y + nd(rng) * sig[k]) * 100) / 100};
    }
  }
  return pts;
}

struct Setup {
  std::vector<std::vector<std::uint8_t>> wkb = makeAreas();
  geo::PolygonIndex index;
  Setup() {
    std::vector<std::span<const std::uint8_t>> s;
    for (const auto& w : wkb) s.emplace_back(w);
    index = geo::PolygonIndex(s);
  }
};
const Setup& setup() {
  static const Setup s;
  return s;
}

void run(benchmark::State& state, const geo::PolygonIndex& ix, const std::vector<Point>& pts) {
  std::vector<std::uint32_t> off, ids;
  for (auto _ : state) {
    ix.assign(pts, off, ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(pts.size()));
  state.counters["memberships"] = static_cast<double>(ids.size());
}

void BM_Assign_Clustered(benchmark::State& state) {
  const auto pts = clustered(static_cast<std::size_t>(state.range(0)));
  run(state, setup().index, pts);
}
BENCHMARK(BM_Assign_Clustered)->Arg(100000)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_Assign_AllOnOneSharedVertex(benchmark::State& state) {
  // A lattice node shared by four areas: every point takes the exact path.
  const auto& s = setup();
  std::vector<std::uint32_t> out;
  // Find a vertex of area 21 that is also in another area's ring: use its first vertex.
  const auto rings = s.wkb[21];
  Point v;
  std::memcpy(&v.x, rings.data() + 13, 8);
  std::memcpy(&v.y, rings.data() + 21, 8);
  run(state, s.index, std::vector<Point>(static_cast<std::size_t>(state.range(0)), v));
}
BENCHMARK(BM_Assign_AllOnOneSharedVertex)->Arg(1000000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_Assign_NoAreaThere(benchmark::State& state) {
  std::vector<Point> pts = clustered(static_cast<std::size_t>(state.range(0)));
  for (auto& p : pts) p.x += 2 * kSide;  // east of the town: outside every area
  run(state, setup().index, pts);
}
BENCHMARK(BM_Assign_NoAreaThere)->Arg(1000000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_Assign_EmptyIndex(benchmark::State& state) {
  const geo::PolygonIndex empty(std::vector<std::span<const std::uint8_t>>{});
  run(state, empty, clustered(static_cast<std::size_t>(state.range(0))));
}
BENCHMARK(BM_Assign_EmptyIndex)->Arg(1000000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_BuildIndex300(benchmark::State& state) {
  const auto& s = setup();
  std::vector<std::span<const std::uint8_t>> spans;
  for (const auto& w : s.wkb) spans.emplace_back(w);
  for (auto _ : state) benchmark::DoNotOptimize(geo::PolygonIndex(spans).cellCount());
}
BENCHMARK(BM_BuildIndex300)->Unit(benchmark::kMillisecond);

void BM_RadiusAssign_5000Places50m(benchmark::State& state) {
  const auto anchors = clustered(5000, 9);
  std::vector<geo::RadiusSource> src;
  for (const Point& a : anchors) src.push_back({a, 50.0, {}});
  const geo::RadiusIndex ix(src);
  const auto pts = clustered(static_cast<std::size_t>(state.range(0)));
  std::vector<std::uint32_t> off, ids;
  for (auto _ : state) {
    ix.assign(pts, off, ids);
    benchmark::DoNotOptimize(ids.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_RadiusAssign_5000Places50m)->Arg(1000000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

void BM_StackedMask(benchmark::State& state) {
  const auto pts = clustered(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(geo::stackedMask(pts).data());
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_StackedMask)->Arg(1000000)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime()->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
