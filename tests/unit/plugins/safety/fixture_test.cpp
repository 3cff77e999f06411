// The hand-computed fixture project (tests/data/safety): every output value of
// safety.analysis is asserted. The numbers are worked out in
// docs/methods/safety-analysis.md ("The fixture, by hand"); p-values of the
// perceived-safety and incident tests come from R
// (tests/reference/scoring/make_scoring.R -> fixture.csv).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <numbers>
#include <string>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "engine/method.hpp"
#include "engine/project.hpp"
#include "engine/runner.hpp"
#include "geo/change/exact_tests.hpp"
#include "geo/change/wdq.hpp"

namespace fs = std::filesystem;

namespace {

struct Db {
  sqlite3* db = nullptr;
  explicit Db(const fs::path& p) { EXPECT_EQ(sqlite3_open_v2(p.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK); }
  ~Db() { sqlite3_close(db); }
  using Row = std::map<std::string, std::string>;
  std::vector<Row> rows(const std::string& sql) const {
    std::vector<Row> out;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql << ": " << sqlite3_errmsg(db);
    if (!st) return out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      Row r;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        const auto* t = sqlite3_column_text(st, i);
        r[sqlite3_column_name(st, i)] = t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out.push_back(std::move(r));
    }
    sqlite3_finalize(st);
    return out;
  }
  Row one(const std::string& sql) const {
    auto r = rows(sql);
    EXPECT_EQ(r.size(), 1u) << sql;
    return r.empty() ? Row{} : r[0];
  }
};

double num(const std::string& s) { return s == "NULL" ? NAN : std::stod(s); }

class Fixture : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path src = fs::path(TRYGG_TEST_DATA_DIR) / "safety";
    // One folder per process: ctest runs the tests of this suite in parallel processes.
    dir = fs::temp_directory_path() / ("trygg_safety_fixture_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& e : fs::directory_iterator(src))
      if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
    auto project = trygg::engine::loadProject(dir / "project.yaml");
    trygg::engine::RunOptions o;
    o.quiet = true;
    trygg::engine::Runner(project, o, trygg::engine::Registry::builtin()).run();
    gpkg = dir / "output" / "safety_fixture.gpkg";
    std::ifstream js(dir / "output" / "safety_fixture_summary.json");
    summary = nlohmann::json::parse(js);
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  static inline fs::path dir, gpkg;
  static inline nlohmann::json summary;

  static nlohmann::json meta() {
    for (const auto& a : summary["analyses"])
      if (a["name"] == "safety") return a;
    return {};
  }
  // score, colour, evidence of one place × factor × round
  static Db::Row pf(const Db& db, const char* round, const char* place, const char* factor) {
    return db.one(std::string("SELECT * FROM safety_place_factors WHERE round='") + round + "' AND place_id='" + place +
                  "' AND factor='" + factor + "'");
  }
};

void expectFactor(const Db::Row& r, double value, double score, const char* colour, std::int64_t evidence,
                  bool too_little = false) {
  if (std::isnan(value)) EXPECT_EQ(r.at("value"), "NULL");
  else EXPECT_NEAR(num(r.at("value")), value, 1e-9) << r.at("place_id") << " " << r.at("factor") << " " << r.at("round");
  if (std::isnan(score)) EXPECT_EQ(r.at("score"), "NULL");
  else EXPECT_NEAR(num(r.at("score")), score, 1e-9) << r.at("place_id") << " " << r.at("factor") << " " << r.at("round");
  EXPECT_EQ(r.at("colour"), colour) << r.at("place_id") << " " << r.at("factor") << " " << r.at("round");
  EXPECT_EQ(std::stoll(r.at("evidence")), evidence) << r.at("place_id") << " " << r.at("factor") << " " << r.at("round");
  EXPECT_EQ(r.at("too_little_evidence"), too_little ? "1" : "0") << r.at("place_id") << " " << r.at("factor");
}

constexpr double kBuf = std::numbers::pi * 50 * 50;  // place buffer, m²
constexpr double kArea = 1e6;                        // each area, m²

}  // namespace

TEST_F(Fixture, PlaceFactorsBaseline) {
  Db db(gpkg);
  EXPECT_EQ(db.one("SELECT count(*) n FROM safety_place_factors").at("n"), "42");  // 3 places × 7 factors × 2 rounds
  // P1: 5 violent incidents in the year (the 2023-05-01 one is before the period): 7 - 7/6.
  auto r = pf(db, "baseline", "P1", "violence");
  expectFactor(r, 5, 7 - 7.0 / 6, "red", 5);
  EXPECT_NEAR(num(r.at("expected")), 14 * kBuf / kArea, 1e-12);  // A1 had 14 violent incidents
  EXPECT_NEAR(num(r.at("p_value")),
              trygg::geo::change::poissonTestOneSample(5, 1, 14 * kBuf / kArea, {trygg::geo::change::Alternative::Greater}).pValue,
              1e-12);
  EXPECT_EQ(r.at("guarded"), "0");
  expectFactor(pf(db, "baseline", "P1", "disorder"), 3, 0, "red", 3);           // 3 >= 3 and p tiny: red stays
  expectFactor(pf(db, "baseline", "P1", "lighting"), 5, 5, "red", 2);           // worst of 5, 12
  expectFactor(pf(db, "baseline", "P1", "litter"), 8, 8, "yellow", 2);          // mean of 6, 10
  expectFactor(pf(db, "baseline", "P1", "survey_unsafe"), 13.0 / 3, 20 - 20 * (13.0 / 3 - 1) / 4, "red", 3);
  expectFactor(pf(db, "baseline", "P1", "lit_share"), 1, 20, "green", 1);      // L1 (r 50) on the place
  expectFactor(pf(db, "baseline", "P1", "function_mix"), 2, 8, "yellow", 2);   // square + bus stop within 500 m
  // P2
  expectFactor(pf(db, "baseline", "P2", "violence"), 4, 7, "yellow", 4);       // exactly the yellow cut-off region
  expectFactor(pf(db, "baseline", "P2", "disorder"), 0, 20, "green", 0);
  expectFactor(pf(db, "baseline", "P2", "lighting"), 9, 9, "yellow", 1);
  expectFactor(pf(db, "baseline", "P2", "litter"), 13, 13, "yellow", 1);       // 13 < 40/3
  expectFactor(pf(db, "baseline", "P2", "survey_unsafe"), 3, 10, "not_assessed", 1, true);  // 1 answer < 2
  expectFactor(pf(db, "baseline", "P2", "lit_share"), 0, 0, "red", 0);         // L2 only planned
  expectFactor(pf(db, "baseline", "P2", "function_mix"), 2, 8, "yellow", 2);
  // P3
  r = pf(db, "baseline", "P3", "violence");
  expectFactor(r, 0, 20, "green", 0);
  EXPECT_DOUBLE_EQ(num(r.at("expected")), 0);
  r = pf(db, "baseline", "P3", "disorder");
  expectFactor(r, 2, 0, "yellow", 2);  // red by the table, but 2 < 3 incidents: the guard makes it yellow
  EXPECT_EQ(r.at("guarded"), "1");
  EXPECT_NE(r.at("note").find("fewer than 3"), std::string::npos);
  expectFactor(pf(db, "baseline", "P3", "lighting"), 14, 14, "green", 1);
  expectFactor(pf(db, "baseline", "P3", "litter"), NAN, NAN, "not_assessed", 0);  // not inspected: never green
  expectFactor(pf(db, "baseline", "P3", "survey_unsafe"), NAN, NAN, "not_assessed", 0);
  expectFactor(pf(db, "baseline", "P3", "lit_share"), 0, 0, "red", 0);  // L3 done after the round
  expectFactor(pf(db, "baseline", "P3", "function_mix"), 1, 4, "red", 1);
}

TEST_F(Fixture, PlaceFactorsFollowup) {
  Db db(gpkg);
  auto r = pf(db, "followup", "P1", "violence");
  expectFactor(r, 1, 14, "green", 1);
  EXPECT_NEAR(num(r.at("expected")), 8 * kBuf / kArea, 1e-12);
  expectFactor(pf(db, "followup", "P1", "disorder"), 0, 20, "green", 0);
  expectFactor(pf(db, "followup", "P1", "lighting"), 15, 15, "green", 1);
  expectFactor(pf(db, "followup", "P1", "litter"), 17, 17, "green", 2);
  expectFactor(pf(db, "followup", "P1", "survey_unsafe"), 2, 15, "green", 4);
  expectFactor(pf(db, "followup", "P1", "lit_share"), 1, 20, "green", 1);
  expectFactor(pf(db, "followup", "P1", "function_mix"), 2, 8, "yellow", 2);
  expectFactor(pf(db, "followup", "P2", "violence"), 4, 7, "yellow", 4);
  expectFactor(pf(db, "followup", "P2", "disorder"), 0, 20, "green", 0);
  expectFactor(pf(db, "followup", "P2", "lighting"), 8, 8, "yellow", 1);
  expectFactor(pf(db, "followup", "P2", "litter"), 14, 14, "green", 1);  // 14 >= 40/3
  expectFactor(pf(db, "followup", "P2", "survey_unsafe"), 3, 10, "yellow", 2);
  expectFactor(pf(db, "followup", "P2", "lit_share"), 0, 0, "red", 0);
  expectFactor(pf(db, "followup", "P3", "violence"), 0, 20, "green", 0);
  expectFactor(pf(db, "followup", "P3", "disorder"), 0, 20, "green", 0);
  expectFactor(pf(db, "followup", "P3", "lighting"), 6, 6, "red", 1);
  expectFactor(pf(db, "followup", "P3", "litter"), 12, 12, "yellow", 1);
  expectFactor(pf(db, "followup", "P3", "survey_unsafe"), NAN, NAN, "not_assessed", 0);
  expectFactor(pf(db, "followup", "P3", "lit_share"), 0, 0, "red", 0);  // L3 dated 2025-12-01, after the round
  expectFactor(pf(db, "followup", "P3", "function_mix"), 1, 4, "red", 1);
}

TEST_F(Fixture, PlacesByGroup) {
  Db db(gpkg);
  auto r = db.one("SELECT * FROM safety_places_followup WHERE place_id='P1'");
  EXPECT_EQ(r.at("crime_disorder"), "green");
  EXPECT_EQ(r.at("physical_environment"), "green");
  EXPECT_EQ(r.at("perceived_safety"), "green");
  EXPECT_EQ(r.at("life_functions"), "yellow");
  EXPECT_EQ(r.at("actual_safety"), "green");
  EXPECT_EQ(r.at("perceived_overall"), "green");
  EXPECT_EQ(r.at("worst_group"), "yellow");  // the former headline (worst group), kept as a column
  EXPECT_EQ(r.at("overall"), "green");        // the headline: 0 of 7 red, 6 of 7 green
  EXPECT_EQ(r.at("share_red"), "0.0");
  EXPECT_EQ(r.at("n_assessed"), "7");
  EXPECT_EQ(r.at("label"), "Torget (0/7 red)");
  EXPECT_EQ(r.at("worst_factors"), "");
  EXPECT_EQ(r.at("n_green"), "6");
  EXPECT_EQ(r.at("n_yellow"), "1");
  r = db.one("SELECT * FROM safety_places_followup WHERE place_id='P3'");
  EXPECT_EQ(r.at("crime_disorder"), "green");
  EXPECT_EQ(r.at("physical_environment"), "red");
  EXPECT_EQ(r.at("perceived_safety"), "not_assessed");
  EXPECT_EQ(r.at("overall"), "red");  // 3 of 6 assessed red: 50 % >= 25 %
  EXPECT_EQ(r.at("worst_group"), "red");
  EXPECT_NEAR(num(r.at("share_red")), 0.5, 1e-12);
  EXPECT_EQ(r.at("worst_factors"), "lit_share,function_mix,lighting");
  EXPECT_EQ(r.at("n_red"), "3");
  EXPECT_EQ(r.at("n_not_assessed"), "1");
  r = db.one("SELECT * FROM safety_places_baseline WHERE place_id='P1'");
  EXPECT_EQ(r.at("crime_disorder"), "red");
  EXPECT_EQ(r.at("overall"), "red");  // 4 of 7 red
  EXPECT_EQ(r.at("worst_group"), "red");
  EXPECT_EQ(r.at("worst_factors"), "disorder,survey_unsafe,lighting,violence");
  // P2 at the follow-up: 1 red of 7 (14 % < 15 %), 2 green of 7 (29 % < 40 %): yellow.
  r = db.one("SELECT * FROM safety_places_followup WHERE place_id='P2'");
  EXPECT_EQ(r.at("overall"), "yellow");
  EXPECT_EQ(r.at("n_red"), "1");
  EXPECT_EQ(r.at("n_green"), "2");
}

// One feature per place and round, each factor's colour and score as columns.
TEST_F(Fixture, PlacesAreWide) {
  Db db(gpkg);
  for (const char* l : {"safety_places_baseline", "safety_places_followup", "safety_place_changes"}) {
    EXPECT_EQ(db.one(std::string("SELECT count(*) n, count(DISTINCT place_id) d FROM ") + l).at("n"), "3") << l;
    EXPECT_EQ(db.one(std::string("SELECT count(DISTINCT place_id) d FROM ") + l).at("d"), "3") << l;
  }
  auto r = db.one("SELECT * FROM safety_places_baseline WHERE place_id='P1'");
  for (const char* f : {"violence", "disorder", "lighting", "litter", "survey_unsafe", "lit_share", "function_mix"}) {
    EXPECT_TRUE(r.count(std::string(f) + "_colour")) << f;
    EXPECT_TRUE(r.count(std::string(f) + "_score")) << f;
  }
  EXPECT_EQ(r.at("lighting_colour"), "red");
  EXPECT_DOUBLE_EQ(num(r.at("lighting_score")), 5);
  EXPECT_EQ(r.at("lit_share_colour"), "green");
  r = db.one("SELECT * FROM safety_places_baseline WHERE place_id='P3'");
  EXPECT_EQ(r.at("litter_colour"), "not_assessed");
  EXPECT_EQ(r.at("litter_score"), "NULL");
  // The long tables have no geometry.
  for (const char* l : {"safety_place_factors", "safety_factor_changes", "safety_action_plan_items"})
    EXPECT_EQ(db.one(std::string("SELECT data_type FROM gpkg_contents WHERE table_name='") + l + "'").at("data_type"),
              "attributes")
        << l;
  for (const char* l : {"safety_places_baseline", "safety_place_changes", "safety_action_plan"})
    EXPECT_EQ(db.one(std::string("SELECT data_type FROM gpkg_contents WHERE table_name='") + l + "'").at("data_type"),
              "features")
        << l;
}

TEST_F(Fixture, ActionPlan) {
  Db db(gpkg);
  const auto rows = db.rows("SELECT rank, place_id, factor, colour FROM safety_action_plan_items ORDER BY rank");
  const std::vector<std::pair<std::string, std::string>> want = {
      {"P2", "lit_share"},    {"P3", "lit_share"},    {"P3", "function_mix"}, {"P3", "lighting"},
      {"P2", "violence"},     {"P1", "function_mix"}, {"P2", "function_mix"}, {"P2", "lighting"},
      {"P2", "survey_unsafe"}, {"P3", "litter"}};
  ASSERT_EQ(rows.size(), want.size());
  for (std::size_t k = 0; k < want.size(); ++k) {
    EXPECT_EQ(rows[k].at("rank"), std::to_string(k + 1));
    EXPECT_EQ(rows[k].at("place_id"), want[k].first) << k;
    EXPECT_EQ(rows[k].at("factor"), want[k].second) << k;
    EXPECT_EQ(rows[k].at("colour"), k < 4 ? "red" : "yellow") << k;
  }
  EXPECT_EQ(db.one("SELECT measures FROM safety_action_plan_items WHERE rank=1").at("measures"), "L2");
  // One point per place, ranked by its worst item: P2 (lit_share), P3, P1 (function_mix).
  const auto places = db.rows("SELECT * FROM safety_action_plan ORDER BY rank");
  ASSERT_EQ(places.size(), 3u);
  EXPECT_EQ(places[0].at("place_id"), "P2");
  EXPECT_EQ(places[0].at("n_items"), "5");
  EXPECT_EQ(places[0].at("overall"), "yellow");
  EXPECT_EQ(places[0].at("measures"), "L2");
  EXPECT_EQ(places[0].at("top_items").rfind("lit_share (red): 0 % covered", 0), 0u) << places[0].at("top_items");
  EXPECT_NE(places[0].at("top_items").find("violence (yellow): 4 incidents"), std::string::npos);
  EXPECT_EQ(places[1].at("place_id"), "P3");
  EXPECT_EQ(places[1].at("n_items"), "4");
  EXPECT_EQ(places[1].at("overall"), "red");
  EXPECT_EQ(places[2].at("place_id"), "P1");
  EXPECT_EQ(places[2].at("rank"), "3");
  EXPECT_EQ(places[2].at("n_items"), "1");
  EXPECT_EQ(places[2].at("overall"), "green");
}

TEST_F(Fixture, FactorChangesAndAreas) {
  Db db(gpkg);
  EXPECT_EQ(db.one("SELECT count(*) n FROM safety_factor_changes").at("n"), "21");
  auto c = [&](const char* p, const char* f) {
    return db.one(std::string("SELECT change FROM safety_factor_changes WHERE place_id='") + p + "' AND factor='" + f + "'")
        .at("change");
  };
  EXPECT_EQ(c("P1", "violence"), "improved");
  EXPECT_EQ(c("P1", "survey_unsafe"), "improved");
  EXPECT_EQ(c("P1", "lit_share"), "unchanged");
  EXPECT_EQ(c("P2", "litter"), "improved");
  EXPECT_EQ(c("P2", "survey_unsafe"), "not_comparable");
  EXPECT_EQ(c("P3", "lighting"), "worse");
  EXPECT_EQ(c("P3", "disorder"), "improved");
  EXPECT_EQ(c("P3", "litter"), "not_comparable");

  // One point per place: counts and each factor's transition.
  auto pc = db.one("SELECT * FROM safety_place_changes WHERE place_id='P1'");
  EXPECT_EQ(pc.at("n_improved"), "5");
  EXPECT_EQ(pc.at("n_unchanged"), "2");
  EXPECT_EQ(pc.at("n_worse"), "0");
  EXPECT_EQ(pc.at("change"), "improved");
  EXPECT_NEAR(num(pc.at("share_improved")), 5.0 / 7, 1e-12);
  EXPECT_EQ(pc.at("lighting"), "red→green");
  EXPECT_EQ(pc.at("lit_share"), "green→green");
  pc = db.one("SELECT * FROM safety_place_changes WHERE place_id='P3'");
  EXPECT_EQ(pc.at("n_improved"), "1");
  EXPECT_EQ(pc.at("n_worse"), "1");
  EXPECT_EQ(pc.at("n_not_comparable"), "2");
  EXPECT_EQ(pc.at("change"), "mixed");
  EXPECT_EQ(pc.at("lighting"), "green→red");
  EXPECT_EQ(pc.at("litter"), "NULL");
  pc = db.one("SELECT * FROM safety_place_changes WHERE place_id='P2'");
  EXPECT_EQ(pc.at("n_improved"), "1");
  EXPECT_EQ(pc.at("n_unchanged"), "5");
  EXPECT_EQ(pc.at("change"), "improved");

  auto a1 = db.one("SELECT * FROM safety_area_change WHERE area_id='A1'");
  EXPECT_EQ(a1.at("assessed"), "1");
  EXPECT_NE(a1.at("label").find("46 % improved (goal met)"), std::string::npos) << a1.at("label");
  EXPECT_EQ(a1.at("pairs"), "13");
  EXPECT_EQ(a1.at("improved"), "6");
  EXPECT_EQ(a1.at("unchanged"), "7");
  EXPECT_EQ(a1.at("worse"), "0");
  EXPECT_EQ(a1.at("not_comparable"), "1");
  EXPECT_NEAR(num(a1.at("share_improved")), 6.0 / 13, 1e-12);
  EXPECT_EQ(a1.at("not_green_before"), "11");
  EXPECT_NEAR(num(a1.at("share_improved_not_green")), 6.0 / 11, 1e-12);
  const std::map<std::string, std::string> m1 = {{"red_red", "1"},    {"red_yellow", "0"},    {"red_green", "4"},
                                                 {"yellow_red", "0"}, {"yellow_yellow", "4"}, {"yellow_green", "2"},
                                                 {"green_red", "0"},  {"green_yellow", "0"},  {"green_green", "2"}};
  for (const auto& [k, v] : m1) EXPECT_EQ(a1.at(k), v) << k;
  EXPECT_EQ(a1.at("goal_met"), "1");
  EXPECT_EQ(a1.at("measures"), "1");  // L2 planned; L1 (2020) is existing stock
  EXPECT_EQ(a1.at("measures_started_done"), "0");
  EXPECT_DOUBLE_EQ(num(a1.at("share_measures_started_done")), 0);
  EXPECT_EQ(a1.at("measures_goal_met"), "0");
  EXPECT_EQ(a1.at("survey_n_before"), "4");
  EXPECT_EQ(a1.at("survey_n_after"), "6");
  EXPECT_DOUBLE_EQ(num(a1.at("survey_mean_before")), 4.0);
  EXPECT_NEAR(num(a1.at("survey_mean_after")), 14.0 / 6, 1e-12);
  EXPECT_NEAR(num(a1.at("survey_p")), 0.0134131095397708, 1e-12);  // R, fixture.csv
  EXPECT_EQ(a1.at("perceived_improved"), "1");
  EXPECT_EQ(a1.at("pins_before"), "6");
  EXPECT_EQ(a1.at("pins_after"), "2");
  EXPECT_NEAR(num(a1.at("pins_rate_ratio")), 1.0 / 3, 1e-12);
  EXPECT_NEAR(num(a1.at("pins_p")), 0.14453125, 1e-12);

  auto a2 = db.one("SELECT * FROM safety_area_change WHERE area_id='A2'");
  EXPECT_EQ(a2.at("pairs"), "5");
  EXPECT_EQ(a2.at("improved"), "1");
  EXPECT_EQ(a2.at("unchanged"), "3");
  EXPECT_EQ(a2.at("worse"), "1");
  EXPECT_EQ(a2.at("not_comparable"), "2");
  EXPECT_NEAR(num(a2.at("share_improved")), 0.2, 1e-12);
  EXPECT_EQ(a2.at("goal_met"), "0");  // one area meets the 25 % goal, one misses it
  EXPECT_NEAR(num(a2.at("share_improved_not_green")), 1.0 / 3, 1e-12);
  EXPECT_EQ(a2.at("green_red"), "1");
  EXPECT_EQ(a2.at("red_red"), "2");
  EXPECT_EQ(a2.at("yellow_green"), "1");
  EXPECT_EQ(a2.at("green_green"), "1");
  EXPECT_EQ(a2.at("measures"), "1");
  EXPECT_EQ(a2.at("measures_started_done"), "1");
  EXPECT_EQ(a2.at("measures_goal_met"), "1");
  EXPECT_EQ(a2.at("survey_p"), "NULL");

  auto p1 = db.one("SELECT * FROM safety_perception_change WHERE place_id='P1'");
  EXPECT_NEAR(num(p1.at("p_value")), 0.0238390515680109, 1e-12);  // R, fixture.csv
  EXPECT_EQ(p1.at("improved"), "1");
  EXPECT_EQ(p1.at("result"), "improved");
}

TEST_F(Fixture, IncidentTests) {
  Db db(gpkg);
  const auto rows = db.rows("SELECT * FROM safety_incident_tests");
  ASSERT_EQ(rows.size(), 4u);  // A1, A2 and the places with a done measure (P1, P3)
  std::map<std::string, Db::Row> by;
  for (const auto& r : rows) by[r.at("unit_id")] = r;
  const auto& a1 = by.at("A1");
  EXPECT_EQ(a1.at("before"), "17");
  EXPECT_EQ(a1.at("after"), "8");
  EXPECT_DOUBLE_EQ(num(a1.at("days_before")), 366);  // 2023-07-01 .. 2024-06-30
  EXPECT_DOUBLE_EQ(num(a1.at("days_after")), 365);
  EXPECT_NEAR(num(a1.at("rate_ratio")), (8.0 / 365) / (17.0 / 366), 1e-12);
  EXPECT_NEAR(num(a1.at("p_value")), 0.107760348050422, 1e-12);  // R: poisson.test(c(8, 17), c(365, 366))
  EXPECT_EQ(a1.at("control_before"), "10");
  EXPECT_EQ(a1.at("control_after"), "10");
  EXPECT_EQ(a1.at("buffer_before"), "2");
  EXPECT_EQ(a1.at("buffer_after"), "4");
  const auto rrr = trygg::geo::change::ratioOfRateRatios({8, 17, 365, 366}, {10, 10, 365, 366});
  EXPECT_NEAR(num(a1.at("rrr")), rrr.ratio, 1e-12);
  EXPECT_NEAR(num(a1.at("rrr_p")), rrr.pValue, 1e-12);
  EXPECT_NEAR(num(a1.at("wdq")), 0.2 / -0.9, 1e-12);  // success 0.8 - 1.7, buffer 0.4 - 0.2
  EXPECT_EQ(a1.at("wdq_verdict"), "displacement");
  EXPECT_EQ(a1.at("direction"), "fell");
  EXPECT_NEAR(num(a1.at("change_pct")), 100 * ((8.0 / 365) / (17.0 / 366) - 1), 1e-9);
  EXPECT_EQ(a1.at("significant"), "0");
  EXPECT_EQ(a1.at("result"), "not_significant");
  const auto& a2 = by.at("A2");
  EXPECT_EQ(a2.at("before"), "2");
  EXPECT_EQ(a2.at("after"), "0");
  EXPECT_EQ(a2.at("buffer_before"), "0");
  EXPECT_EQ(a2.at("direction"), "fell");
  EXPECT_DOUBLE_EQ(num(a2.at("change_pct")), -100);
  const auto& p1 = by.at("P1");
  EXPECT_EQ(p1.at("unit_type"), "place");
  EXPECT_EQ(p1.at("before"), "8");
  EXPECT_EQ(p1.at("after"), "1");
  EXPECT_EQ(p1.at("buffer_before"), "0");
  const auto& p3 = by.at("P3");
  EXPECT_EQ(p3.at("before"), "2");
  EXPECT_EQ(p3.at("after"), "0");
  const auto m = meta();
  EXPECT_EQ(m["tests"]["control_before"], 10);
  ASSERT_TRUE(m.contains("sppt"));
  EXPECT_GE(m["sppt"]["global_s"].get<double>(), 0);
  EXPECT_LE(m["sppt"]["global_s"].get<double>(), 1);
  EXPECT_GT(std::stoll(db.one("SELECT count(*) n FROM safety_sppt").at("n")), 0);
}

TEST_F(Fixture, OverlayAndWhatIf) {
  Db db(gpkg);
  auto l1 = db.one("SELECT * FROM safety_measure_cover WHERE measure_id='L1'");
  EXPECT_EQ(l1.at("places"), "P1");
  EXPECT_EQ(l1.at("unsafe_pins"), "1");  // n7, 22 m from the light
  EXPECT_EQ(l1.at("red_factors"), "");
  auto l3 = db.one("SELECT * FROM safety_measure_cover WHERE measure_id='L3'");
  EXPECT_EQ(l3.at("places"), "P3");
  EXPECT_EQ(l3.at("red_factors"), "P3:lighting,P3:lit_share,P3:function_mix");
  EXPECT_EQ(l3.at("n_red_factors"), "3");
  EXPECT_EQ(db.one("SELECT red_factors FROM safety_measure_cover WHERE measure_id='L2'").at("red_factors"), "P2:lit_share");

  const auto rows = db.rows("SELECT * FROM safety_what_if_items ORDER BY place_id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("place_id"), "P2");
  EXPECT_EQ(rows[0].at("factor"), "lit_share");
  EXPECT_NEAR(num(rows[0].at("value_what_if")), 0.64, 1e-9);  // (40/50)²: the planned light's circle
  EXPECT_NEAR(num(rows[0].at("score_what_if")), 16, 1e-7);
  EXPECT_EQ(rows[0].at("colour_now"), "red");
  EXPECT_EQ(rows[0].at("colour_what_if"), "green");  // the lighting colour flips
  EXPECT_EQ(rows[0].at("colour_changes"), "1");
  EXPECT_EQ(rows[0].at("flip"), "red→green");
  EXPECT_EQ(rows[1].at("place_id"), "P3");
  EXPECT_NEAR(num(rows[1].at("value_what_if")), 1, 1e-9);
  EXPECT_EQ(rows[1].at("colour_what_if"), "green");
  EXPECT_EQ(rows[1].at("flip"), "red→green");
  EXPECT_EQ(meta()["what_if"]["colours_changed"], 2);
  // One point per place. P2: lit share red→green, so the headline goes from 1 red of 7 to 0 red and 3 green
  // of 7 (43 %): yellow -> green. P3: 3 red of 6 -> 2 red of 6 (33 %): red stays.
  const auto wp = db.rows("SELECT * FROM safety_what_if ORDER BY place_id");
  ASSERT_EQ(wp.size(), 2u);
  EXPECT_EQ(wp[0].at("place_id"), "P2");
  EXPECT_EQ(wp[0].at("factor"), "lit_share");
  EXPECT_EQ(wp[0].at("flip"), "red→green");
  EXPECT_EQ(wp[0].at("flips"), "lit_share red→green");
  EXPECT_EQ(wp[0].at("colour_changes"), "1");
  EXPECT_EQ(wp[0].at("overall_now"), "yellow");
  EXPECT_EQ(wp[0].at("overall_what_if"), "green");
  EXPECT_EQ(wp[1].at("overall_now"), "red");
  EXPECT_EQ(wp[1].at("overall_what_if"), "red");
}

TEST_F(Fixture, StylesAndMetadata) {
  Db db(gpkg);
  // place_factors and factor_changes are attribute tables now (no style); their maps are places_<round> and place_changes.
  for (const char* l : {"safety_places_baseline", "safety_places_followup", "safety_action_plan",
                        "safety_place_changes", "safety_perception_change", "safety_area_change",
                        "safety_incident_tests", "safety_what_if", "safety_measure_cover", "safety_sppt"})
    EXPECT_EQ(db.one(std::string("SELECT count(*) n FROM layer_styles WHERE f_table_name='") + l + "'").at("n"), "1") << l;
  const auto m = meta();
  EXPECT_EQ(m["rounds"][0]["date"], "2024-06-30");
  EXPECT_EQ(m["rounds"][1]["incident_period"], "12 months ending 2025-06-30");
  EXPECT_FALSE(m.contains("missing_rounds"));
  // Baseline: P1 4/7 red, P3 2/5 red (red); P2 1/6 = 17 % red (yellow). Follow-up: P1 green, P2 yellow, P3 red.
  EXPECT_EQ(m["places_overall"]["baseline"]["red"], 2);
  EXPECT_EQ(m["places_overall"]["baseline"]["yellow"], 1);
  EXPECT_EQ(m["places_overall"]["followup"]["green"], 1);
  EXPECT_EQ(m["places_overall"]["followup"]["yellow"], 1);
  EXPECT_EQ(m["places_overall"]["followup"]["red"], 1);
  EXPECT_TRUE(m.contains("headline_rule"));
}

// The publish profile: counts 1..4 and survey groups under 5 are NULL, and the
// metadata says what was suppressed.
TEST(FixturePublish, SuppressesSmallCounts) {
  const fs::path src = fs::path(TRYGG_TEST_DATA_DIR) / "safety";
  const fs::path dir = fs::temp_directory_path() / ("trygg_safety_fixture_publish_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  for (const auto& e : fs::directory_iterator(src))
    if (e.is_regular_file()) fs::copy_file(e.path(), dir / e.path().filename());
  auto project = trygg::engine::loadProject(dir / "project.yaml");
  trygg::engine::RunOptions o;
  o.quiet = true;
  o.publish = true;
  trygg::engine::Runner(project, o, trygg::engine::Registry::builtin()).run();
  Db db(dir / "output" / "safety_fixture.gpkg");
  auto r = db.one("SELECT * FROM safety_place_factors WHERE round='baseline' AND place_id='P1' AND factor='violence'");
  EXPECT_EQ(r.at("evidence"), "5");  // 5 is not below 5
  r = db.one("SELECT * FROM safety_place_factors WHERE round='baseline' AND place_id='P2' AND factor='violence'");
  EXPECT_EQ(r.at("evidence"), "NULL");
  EXPECT_EQ(r.at("value"), "NULL");
  EXPECT_EQ(r.at("colour"), "yellow");  // the colour is the analysis' result and stays
  r = db.one("SELECT * FROM safety_place_factors WHERE round='baseline' AND place_id='P1' AND factor='lighting'");
  EXPECT_EQ(r.at("evidence"), "2");  // inspection ratings are not sensitive counts
  r = db.one("SELECT * FROM safety_area_change WHERE area_id='A1'");
  EXPECT_EQ(r.at("survey_n_before"), "NULL");
  EXPECT_EQ(r.at("survey_p"), "NULL");
  std::ifstream js(dir / "output" / "safety_fixture_summary.json");
  const auto summary = nlohmann::json::parse(js);
  for (const auto& a : summary["analyses"])
    if (a["name"] == "safety") {
      ASSERT_TRUE(a.contains("suppressed"));
      EXPECT_EQ(a["suppressed"]["threshold"], 5);
      EXPECT_GT(a["suppressed"]["cells"]["safety_place_factors.evidence"].get<int>(), 0);
    }
}
