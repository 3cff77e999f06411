// safety.analysis scoring: 5,000 places × the default catalogue (21 factors)
// over 1M incidents, 50,000 observations and 20,000 perception rows for two
// rounds, built in memory into a RunContext (no I/O). The target:
// under 5 s on the 2-core machine. Run:
//   build/bin/engine_safety_bench --benchmark_filter=Assess --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "core/model.hpp"
#include "engine/run_context.hpp"
#include "engine/selection.hpp"
#include "geo/geos/geos.hpp"
#include "plugins/safety/assess.hpp"
#include "plugins/safety/catalogue.hpp"

namespace {

using namespace trygg;

struct Synthetic {
  std::vector<model::Area> areas;
  std::vector<model::Place> places;
  std::vector<model::Observation> obs;
  std::vector<model::Perception> per;
  std::vector<model::Measure> measures;
  engine::IncidentColumns inc;
  engine::RunContext ctx;
};

std::uint64_t mix(std::uint64_t& s) {
  s += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = s;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
double unif(std::uint64_t& s) { return static_cast<double>(mix(s) >> 11) * 0x1.0p-53; }

// A 10 km × 10 km town of 10 × 10 areas, places on a jittered grid, incidents
// half around places and half uniform, spread over three years.
Synthetic& town(std::size_t n_places, std::size_t n_incidents, std::size_t n_obs) {
  static Synthetic s;
  static std::size_t built = 0;
  if (built == n_places * 1000003 + n_incidents) return s;
  built = n_places * 1000003 + n_incidents;
  s = Synthetic{};
  std::uint64_t seed = 42;
  const double W = 10000;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) {
      model::Area a;
      a.id = "A" + std::to_string(i * 10 + j);
      const Point ring[] = {{i * 1000.0, j * 1000.0}, {(i + 1) * 1000.0, j * 1000.0}, {(i + 1) * 1000.0, (j + 1) * 1000.0},
                            {i * 1000.0, (j + 1) * 1000.0}};
      a.geom.wkb = geo::makePolygon(ring);
      a.geom.bbox = {i * 1000.0, j * 1000.0, (i + 1) * 1000.0, (j + 1) * 1000.0};
      s.areas.push_back(std::move(a));
    }
  const char* kinds[] = {"square", "bus_stop", "park", "parking", "school_entrance", "shop", "underpass", "footpath"};
  for (std::size_t p = 0; p < n_places; ++p) {
    model::Place pl;
    pl.id = "P" + std::to_string(p);
    pl.kind = kinds[mix(seed) % 8];
    pl.anchor = {unif(seed) * W, unif(seed) * W};
    pl.radius = 50;
    s.places.push_back(std::move(pl));
  }
  const std::int64_t t0 = 1672531200;  // 2023-01-01
  const std::int64_t span = 3 * 365 * 86400LL;
  s.inc.reserve(n_incidents);
  for (std::size_t i = 0; i < n_incidents; ++i) {
    Point q;
    if (i % 2 == 0) {
      const auto& pl = s.places[mix(seed) % n_places];
      q = {pl.anchor.x + (unif(seed) - 0.5) * 120, pl.anchor.y + (unif(seed) - 0.5) * 120};
    } else {
      q = {unif(seed) * W, unif(seed) * W};
    }
    s.inc.pts.push_back(q);
    const std::int64_t t = t0 + static_cast<std::int64_t>(unif(seed) * static_cast<double>(span));
    s.inc.t_from.push_back(t);
    s.inc.t_to.push_back(t);
    s.inc.category.push_back(static_cast<Category>(mix(seed) % kCategoryCount));
    s.inc.weight.push_back(1);
    s.inc.flags.push_back(0);
    s.inc.fid.push_back(static_cast<std::int64_t>(i + 1));
  }
  const char* factors[] = {"lighting", "vegetation", "sightlines", "overview", "maintenance", "graffiti",
                           "litter", "damage", "wayfinding", "hiding_places", "escape_routes"};
  for (std::size_t i = 0; i < n_obs; ++i) {
    model::Observation o;
    const auto& pl = s.places[mix(seed) % n_places];
    o.pt = {pl.anchor.x + (unif(seed) - 0.5) * 20, pl.anchor.y + (unif(seed) - 0.5) * 20};
    o.round = i % 2 ? "followup" : "baseline";
    o.factor = factors[mix(seed) % 11];
    o.score = std::floor(unif(seed) * 21);
    s.obs.push_back(std::move(o));
  }
  for (std::size_t i = 0; i < 20000; ++i) {
    model::Perception q;
    const auto& pl = s.places[mix(seed) % n_places];
    q.round = i % 2 ? "followup" : "baseline";
    if (i % 4 < 2) {
      q.kind = model::Perception::Kind::Pin;
      q.has_point = true;
      q.pt = {pl.anchor.x + (unif(seed) - 0.5) * 60, pl.anchor.y + (unif(seed) - 0.5) * 60};
    } else {
      q.kind = model::Perception::Kind::Answer;
      q.place_id = pl.id;
      q.value = 1 + static_cast<double>(mix(seed) % 5);
    }
    s.per.push_back(std::move(q));
  }
  auto& c = s.ctx;
  c.extent = {0, 0, W, W};
  c.areas = &s.areas;
  c.places = &s.places;
  c.observations = &s.obs;
  c.perception = &s.per;
  c.measures = &s.measures;
  c.incidents = &s.inc;
  return s;
}

void BM_Assess(benchmark::State& st) {
  auto& s = town(static_cast<std::size_t>(st.range(0)), static_cast<std::size_t>(st.range(1)), 50000);
  plugins::safety::AssessOptions o;
  o.round_dates = {"2024-06-30", "2025-06-30"};
  const auto rounds = plugins::safety::resolveRounds(s.ctx, o);
  const auto& cat = plugins::safety::defaultCatalogue();
  for (auto _ : st) {
    auto a = plugins::safety::assess(s.ctx, cat, rounds);
    benchmark::DoNotOptimize(a.values.data());
  }
  st.counters["places"] = static_cast<double>(st.range(0));
  st.counters["incidents"] = static_cast<double>(st.range(1));
  st.counters["factors"] = static_cast<double>(cat.factors.size());
}
BENCHMARK(BM_Assess)
    ->Args({5000, 1000000})
    ->Args({2500, 1000000})
    ->Args({5000, 500000})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
