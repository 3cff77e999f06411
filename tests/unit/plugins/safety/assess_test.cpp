// assess() on small in-memory towns: metric edges and property tests.
#include "plugins/safety/assess.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "core/model.hpp"
#include "engine/run_context.hpp"
#include "geo/geos/geos.hpp"
#include "plugins/safety/catalogue.hpp"

using namespace trygg;
using namespace trygg::plugins::safety;
namespace sc = trygg::geo::scoring;

namespace {

struct Town {
  std::vector<model::Area> areas;
  std::vector<model::Place> places;
  std::vector<model::Observation> obs;
  std::vector<model::Perception> per;
  std::vector<model::Measure> measures;
  engine::IncidentColumns inc;
  engine::RunContext ctx;
  Town() {
    model::Area a;
    a.id = "A";
    const Point ring[] = {{0, 0}, {2000, 0}, {2000, 2000}, {0, 2000}};
    a.geom.wkb = geo::makePolygon(ring);
    areas.push_back(a);
    for (int k = 0; k < 4; ++k) {
      model::Place p;
      p.id = "P" + std::to_string(k);
      p.kind = k % 2 ? "park" : "square";
      p.anchor = {400.0 + 400 * k, 1000};
      p.radius = 50;
      places.push_back(p);
    }
    ctx.extent = {0, 0, 2000, 2000};
    ctx.areas = &areas;
    ctx.places = &places;
    ctx.observations = &obs;
    ctx.perception = &per;
    ctx.measures = &measures;
    ctx.incidents = &inc;
  }
  void incident(Point p, EpochSeconds t, Category c) {
    inc.pts.push_back(p);
    inc.t_from.push_back(t);
    inc.t_to.push_back(t);
    inc.category.push_back(c);
    inc.weight.push_back(1);
    inc.flags.push_back(0);
    inc.fid.push_back(static_cast<std::int64_t>(inc.fid.size() + 1));
  }
  std::vector<RoundSpec> rounds() const {
    AssessOptions o;
    o.round_dates = {"2024-06-30", "2025-06-30"};
    return resolveRounds(ctx, o);
  }
};

bool insideAnyRadius(const Town& t, Point q) {
  for (const auto& p : t.places)
    if (std::hypot(q.x - p.anchor.x, q.y - p.anchor.y) <= p.radius + 1e-6) return true;
  return false;
}

constexpr EpochSeconds kMar2024 = 1710504000;  // 2024-03-15 12:00 UTC
constexpr EpochSeconds kMar2025 = 1742040000;  // 2025-03-15 12:00 UTC

}  // namespace

TEST(Assess, RoundsAndPeriods) {
  Town t;
  const auto r = t.rounds();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].date_source, "given");
  // 12 months ending 2024-06-30, local (Europe/Stockholm, CEST = UTC+2): [2023-07-01, 2024-07-01)
  EXPECT_EQ(r[0].period_start, 1688162400);
  EXPECT_EQ(r[0].day_end, 1719784800);
  EXPECT_DOUBLE_EQ(r[0].years, 1.0);
  // Inferred from the latest observation of the round.
  model::Observation o;
  o.round = "followup";
  o.time = kMar2025;
  t.obs.push_back(o);
  AssessOptions ao;
  const auto r2 = resolveRounds(t.ctx, ao);
  EXPECT_EQ(r2[1].date, "2025-03-15");
  EXPECT_EQ(r2[1].date_source, "latest observation");
  EXPECT_EQ(r2[0].date_source, "unknown");
  EXPECT_EQ(r2[0].day_end, kNoTime);
}

TEST(Assess, MissingRoundIsNotAssessedNeverGreen) {
  Town t;
  t.incident({400, 1000}, kMar2024, Category::Violence);
  AssessOptions ao;
  ao.round_dates = {"2024-06-30", ""};
  const auto rounds = resolveRounds(t.ctx, ao);
  const auto A = assess(t.ctx, defaultCatalogue(), rounds);
  const auto f = static_cast<std::size_t>(defaultCatalogue().findFactor("violence_robbery"));
  for (std::size_t p = 0; p < t.places.size(); ++p) {
    EXPECT_EQ(A.at(1, p, f).colour, sc::Colour::NotAssessed);
    EXPECT_NE(A.at(1, p, f).note.find("has no date"), std::string::npos);
  }
  // No observations at all: every rating factor is not assessed (never green).
  const auto l = static_cast<std::size_t>(defaultCatalogue().findFactor("lighting"));
  EXPECT_EQ(A.at(0, 0, l).colour, sc::Colour::NotAssessed);
  // No street lights loaded: lit share not assessed.
  const auto ls = static_cast<std::size_t>(defaultCatalogue().findFactor("lit_share"));
  EXPECT_EQ(A.at(0, 0, ls).colour, sc::Colour::NotAssessed);
}

TEST(Assess, CountOfProblemsAndPinsAndCover) {
  Town t;
  const auto cat = parseCatalogue(R"(
factors:
  - { id: lighting, metric: rating, combine: count_of_problems, table: [[0, 20], [1, 10], [3, 0]] }
  - { id: pins, metric: pins_per_hectare, table: [[0, 20], [10, 0]] }
  - { id: veg, metric: cover_share, table: [[0, 20], [1, 0]] }
)",
                                  "t.yaml");
  for (double s : {5.0, 6.5, 7.0, 15.0}) {  // two below 20/3 (6.67): two problems
    model::Observation o;
    o.round = "baseline";
    o.factor = "lighting";
    o.place_id = "P0";
    o.score = s;
    t.obs.push_back(o);
  }
  for (int k = 0; k < 3; ++k) {
    model::Perception q;
    q.kind = model::Perception::Kind::Pin;
    q.has_point = true;
    q.pt = {1200.0 + k, 1000};
    q.round = "baseline";
    t.per.push_back(q);
  }
  model::Measure m;  // a vegetation polygon covering the east half of P1's circle, trimmed in 2025
  m.kind = "vegetation";
  m.status = "done";
  m.date = kMar2025;
  const Point ring[] = {{800, 900}, {900, 900}, {900, 1100}, {800, 1100}};
  m.geom.wkb = geo::makePolygon(ring);
  t.measures.push_back(m);
  const auto A = assess(t.ctx, cat, t.rounds());
  EXPECT_DOUBLE_EQ(A.at(0, 0, 0).value, 2);
  EXPECT_DOUBLE_EQ(A.at(0, 0, 0).score, 5);
  EXPECT_EQ(A.at(0, 0, 0).evidence, 4);
  const double ha = std::numbers::pi * 2500 / 10000;
  EXPECT_NEAR(A.at(0, 2, 1).value, 3 / ha, 1e-9);  // P2 at (1200, 1000)
  EXPECT_EQ(A.at(0, 2, 1).evidence, 3);
  EXPECT_EQ(A.at(1, 2, 1).colour, sc::Colour::NotAssessed);  // no pins in the follow-up
  EXPECT_NEAR(A.at(0, 1, 2).value, 0.5, 2e-3);               // half the circle: still overgrown at the baseline
  EXPECT_NEAR(A.at(1, 1, 2).value, 0.0, 1e-12);              // trimmed before the follow-up
  const auto W = assess(t.ctx, cat, t.rounds(), OverlayMode::WhatIf, {2});
  EXPECT_NEAR(W.at(0, 1, 2).value, 0.0, 1e-12);
}

// Property: an incident outside every place's radius moved anywhere else
// outside every radius (same area) changes no place score and no colour.
TEST(AssessProperty, IncidentsOutsideEveryRadiusChangeNoScore) {
  Town t;
  std::uint64_t s = 7;
  auto u = [&]() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1.0p-53;
  };
  const Category cats[] = {Category::Violence, Category::Robbery, Category::Vandalism, Category::Drugs,
                           Category::Disorder, Category::Littering};
  for (int i = 0; i < 400; ++i) {
    const auto& p = t.places[static_cast<std::size_t>(i) % 4];
    const Point q = i % 3 ? Point{p.anchor.x + (u() - 0.5) * 140, p.anchor.y + (u() - 0.5) * 140}
                          : Point{u() * 2000, u() * 2000};
    t.incident(q, i % 2 ? kMar2024 : kMar2025, cats[static_cast<std::size_t>(i) % 6]);
  }
  const auto& cat = defaultCatalogue();
  const auto rounds = t.rounds();
  const auto before = assess(t.ctx, cat, rounds);
  for (std::size_t i = 0; i < t.inc.size(); ++i) {
    if (insideAnyRadius(t, t.inc.pts[i])) continue;
    Point q;
    do q = {u() * 2000, u() * 2000};
    while (insideAnyRadius(t, q));
    t.inc.pts[i] = q;
  }
  const auto after = assess(t.ctx, cat, rounds);
  ASSERT_EQ(before.values.size(), after.values.size());
  for (std::size_t k = 0; k < before.values.size(); ++k) {
    const auto& b = before.values[k];
    const auto& a = after.values[k];
    if (std::isnan(b.score)) EXPECT_TRUE(std::isnan(a.score));
    else EXPECT_EQ(b.score, a.score) << k;
    EXPECT_EQ(b.colour, a.colour) << k;
  }
}
