#include "plugins/safety/safety_method.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/outputs.hpp"
#include "engine/run_context.hpp"
#include "engine/runner.hpp"
#include "geo/change/exact_tests.hpp"
#include "geo/change/sppt.hpp"
#include "geo/change/wdq.hpp"
#include "geo/geos/geos.hpp"
#include "geo/index/polygon_index.hpp"
#include "geo/index/radius_index.hpp"
#include "plugins/safety/assess.hpp"
#include "plugins/safety/catalogue.hpp"

namespace trygg::plugins {

namespace sc = geo::scoring;
namespace ch = geo::change;
namespace fs = std::filesystem;
using data::FieldType;
using data::GeomType;
using data::Value;
using safety::Assessment;
using safety::Catalogue;
using safety::Group;
using safety::Metric;
using safety::Source;

SafetyMethod::SafetyMethod() {
  addArg("catalogue", "Factor catalogue (YAML); empty = the built-in config/factors.yaml (docs/factors.md)", &m_catalogue);
  addArg("rounds", "Round names as in the observations/perception 'round' column: before, ..., after", &m_rounds);
  addArg("round_dates", "Date of each round (YYYY-MM-DD); empty = the latest observation (else perception) of the round",
         &m_round_dates);
  addArg("incident_months", "Length of a round's incident period, ending at the round's date", &m_incident_months)
      .min(1).max(120).unit("months");
  addArg("sections", "Sections to run: factors, change, tests, overlay, what_if", &m_sections)
      .choices({"factors", "change", "tests", "overlay", "what_if"});
  addArg("min_improved_share", "The goal: share of factors with an improved colour (Trygga Platser: 0.25)",
         &m_min_improved_share).min(0).max(1);
  addArg("min_measures_share", "The goal: share of measures started or done (Trygga Platser: 0.5)",
         &m_min_measures_share).min(0).max(1);
  addArg("alpha", "Significance level of the change tests", &m_alpha).minExclusive(0).max(0.5);
  addArg("test_categories", "Incident categories of the change tests (ids; empty = all)", &m_test_categories);
  addLengthArg("wdq_buffer", "Width of the buffer ring around a treated area or place (WDQ)", &m_wdq_buffer).minExclusive(0);
  addLengthArg("control_gap", "Extra gap between the buffers and the control area (the extent minus treated areas and "
               "buffers)", &m_control_gap).min(0);
  addChoiceArg("sppt_units", "Units of the spatial point pattern test", &m_sppt_units, {"grid", "areas"});
  addLengthArg("sppt_cell", "Grid cell size of the SPPT", &m_sppt_cell).minExclusive(0);
  addArg("sppt_samples", "SPPT samples (85 % of the after events each)", &m_sppt_samples).min(20);
  addArg("seed", "Random seed of the SPPT (same seed, same result)", &m_seed);
  addLengthArg("line_radius", "Coverage of a line measure without a radius (buffer distance)", &m_line_radius).minExclusive(0);
  addArg("suppress_below", "Publish profile: counts 1..(n-1) and survey groups under n are suppressed", &m_suppress_below)
      .min(1);
  addArg("action_plan_max", "Rows of the action plan (0 = every red and yellow place × factor)", &m_action_plan_max).min(0);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
Value str(std::string s) { return Value{std::move(s)}; }
Value i64(std::int64_t v) { return Value{v}; }
Value real(double v) { return std::isfinite(v) ? Value{v} : Value{}; }
Value boolean(bool b) { return Value{static_cast<std::int64_t>(b)}; }
Value colourValue(sc::Colour c) { return str(std::string(sc::colourId(c))); }

std::string lowerAscii(std::string_view s) {
  std::string o(s);
  for (auto& c : o) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return o;
}

// Publish profile bookkeeping: counts 1..(n-1) become NULL.
struct Suppressor {
  bool on = false;
  std::int64_t below = 5;
  std::map<std::string, std::int64_t> cells;  // layer.field -> suppressed cells
  bool small(std::int64_t n) const { return on && n > 0 && n < below; }
  Value count(std::int64_t n, const std::string& what) {
    if (small(n)) {
      ++cells[what];
      return Value{};
    }
    return Value{n};
  }
};

bool isCountSource(const safety::Factor& f) {
  const auto s = safety::sourceOf(f.metric);
  return s == Source::Incidents || s == Source::Perception;
}

std::string resolveCatalogue(const std::string& path, const engine::RunContext& ctx) {
  // Relative paths are relative to the project file's folder, as every path
  // in the project file is.
  fs::path p(path);
  if (p.is_absolute() || ctx.base_dir.empty()) return p.string();
  return (ctx.base_dir / p).lexically_normal().string();
}

geo::Wkb coverage(const model::Measure& m, double line_radius_crs) {
  const std::string type = geo::geometryType(m.geom.wkb);
  const double r = std::isfinite(m.radius) && m.radius > 0 ? m.radius : 0;
  if (type.find("Polygon") != std::string::npos)
    return r > 0 ? geo::buffer(m.geom.wkb, r) : geo::Wkb(m.geom.wkb.begin(), m.geom.wkb.end());
  if (type.find("Point") != std::string::npos) return geo::buffer(m.geom.wkb, r > 0 ? r : line_radius_crs);
  return geo::buffer(m.geom.wkb, r > 0 ? r : line_radius_crs);
}

geo::Wkb placeBuffer(const model::Place& p) {
  if (p.geom.wkb.empty()) return geo::buffer(geo::makePoint(p.anchor.x, p.anchor.y), p.radius);
  return geo::buffer(p.geom.wkb, p.radius);
}

geo::Wkb rectangle(const BBox& b) {
  const Point ring[] = {{b.minx, b.miny}, {b.maxx, b.miny}, {b.maxx, b.maxy}, {b.minx, b.maxy}};
  return geo::makePolygon(ring);
}

}  // namespace

void SafetyMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  auto& meta = *ctx.metadata;
  const auto has = [&](const char* s) { return std::find(m_sections.begin(), m_sections.end(), s) != m_sections.end(); };

  // ---- rules and rounds
  const Catalogue cat = m_catalogue.empty() ? safety::defaultCatalogue()
                                            : safety::loadCatalogue(resolveCatalogue(m_catalogue, ctx));
  safety::checkLayers(ctx, cat);
  meta["catalogue"] = cat.file;
  meta["factors"] = cat.factors.size();
  safety::AssessOptions ao;
  ao.rounds = m_rounds;
  ao.round_dates = m_round_dates;
  ao.incident_months = m_incident_months;
  ao.where = where;
  const auto rounds = safety::resolveRounds(ctx, ao);
  auto& jr = meta["rounds"] = nlohmann::json::array();
  std::vector<std::string> missing;
  for (const auto& r : rounds) {
    jr.push_back({{"name", r.name}, {"date", r.date}, {"date_source", r.date_source},
                  {"observations", r.observations}, {"survey_answers", r.answers}, {"pins", r.pins},
                  {"incident_period", r.date.empty() ? std::string("unknown")
                                                     : fmt::format("{} months ending {}", m_incident_months, r.date)}});
    if (r.observations == 0 && r.answers == 0 && r.pins == 0 && r.date_source != "given")
      missing.push_back(r.name);
  }
  if (!missing.empty()) {
    std::string m;
    for (const auto& x : missing) m += (m.empty() ? "" : ", ") + x;
    meta["missing_rounds"] = missing;
    meta["missing_rounds_note"] = fmt::format(
        "round(s) {} have no observations, survey answers or pins and no date: their factors are not assessed and the "
        "before/after step compares only what both rounds have",
        m);
  }

  const Assessment A = safety::assess(ctx, cat, rounds, safety::OverlayMode::AsOfRound);
  for (const auto& n : A.notes) meta["notes"].push_back(n);
  const auto& places = *ctx.places;
  const auto& areas = *ctx.areas;
  const std::size_t P = places.size(), F = cat.factors.size(), R = rounds.size();
  const std::size_t last = R - 1;
  Suppressor sup{ctx.publish, m_suppress_below, {}};
  const std::string pre = ctx.analysis_name;
  auto areaIdOf = [&](std::size_t p) { return A.place_area[p] >= 0 ? areas[static_cast<std::size_t>(A.place_area[p])].id : std::string(); };
  std::vector<geo::Wkb> anchor_wkb(P);
  for (std::size_t p = 0; p < P; ++p) anchor_wkb[p] = engine::pointWkb(places[p].anchor);

  // Measures: coverage geometry and which places each covers.
  const auto& measures = *ctx.measures;
  const double line_r = ctx.toCrsUnits(m_line_radius);
  std::vector<geo::Wkb> cover(measures.size());
  std::vector<std::vector<std::uint32_t>> covered_places(measures.size());
  std::vector<std::vector<std::uint32_t>> place_measures(P);
  {
    std::vector<geo::Wkb> pbuf(P);
    std::vector<BBox> pbox(P);
    for (std::size_t p = 0; p < P; ++p) {
      pbuf[p] = placeBuffer(places[p]);
      pbox[p] = geo::bbox(pbuf[p]);
    }
    for (std::size_t i = 0; i < measures.size(); ++i) {
      if (measures[i].geom.wkb.empty()) continue;
      cover[i] = coverage(measures[i], line_r);
      const BBox b = geo::bbox(cover[i]);
      for (std::size_t p = 0; p < P; ++p) {
        const auto& q = pbox[p];
        if (b.maxx < q.minx || b.minx > q.maxx || b.maxy < q.miny || b.miny > q.maxy) continue;
        if (geo::intersects(cover[i], pbuf[p])) {
          covered_places[i].push_back(static_cast<std::uint32_t>(p));
          place_measures[p].push_back(static_cast<std::uint32_t>(i));
        }
      }
    }
  }
  auto measureIds = [&](std::size_t p) {
    std::string s;
    for (auto i : place_measures[p]) s += (s.empty() ? "" : ",") + measures[i].id;
    return s;
  };

  // ================================================================ factors
  if (has("factors")) {
    {
      auto& L = ctx.gpkg->createLayer(
          {.name = pre + "_place_factors",
           .geom = GeomType::Point,
           .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"area_id", FieldType::String},
                      {"round", FieldType::String}, {"factor", FieldType::String}, {"label_sv", FieldType::String},
                      {"label_en", FieldType::String}, {"group", FieldType::String}, {"metric", FieldType::String},
                      {"value", FieldType::Real}, {"score", FieldType::Real}, {"colour", FieldType::String},
                      {"evidence", FieldType::Integer64}, {"too_little_evidence", FieldType::Boolean},
                      {"expected", FieldType::Real}, {"p_value", FieldType::Real}, {"guarded", FieldType::Boolean},
                      {"note", FieldType::String}},
           .title = fmt::format("Factor scores and colours per place ({})", pre),
           .description = "One row per place × factor × round: raw value, 0–20 score, colour, evidence",
           .style_qml = data::qmlTrafficLight(GeomType::Point, "colour")});
      for (std::size_t r = 0; r < R; ++r)
        for (std::size_t p = 0; p < P; ++p)
          for (std::size_t f = 0; f < F; ++f) {
            const auto& fa = cat.factors[f];
            const auto& v = A.at(r, p, f);
            const bool small = isCountSource(fa) && sup.small(v.evidence);
            const std::string key = pre + "_place_factors";
            const Value ev = isCountSource(fa) ? sup.count(v.evidence, key + ".evidence") : i64(v.evidence);
            if (small) ++sup.cells[key + ".value"];
            const Value vals[] = {str(places[p].id), str(places[p].name), str(areaIdOf(p)), str(rounds[r].name),
                                  str(fa.id), str(fa.label_sv), str(fa.label_en),
                                  str(std::string(safety::groupId(fa.group))),
                                  str(std::string(safety::metricId(fa.metric))), small ? Value{} : real(v.value),
                                  real(v.score), colourValue(v.colour), ev, boolean(v.too_little_evidence),
                                  real(v.expected), small ? Value{} : real(v.p), boolean(v.guarded), str(v.note)};
            L.add(anchor_wkb[p], vals);
          }
    }
    // places per round: one colour per group.
    data::QmlLabel label{.field = "name", .size_pt = 8};
    std::array<std::int64_t, 4> overall_count{};
    for (std::size_t r = 0; r < R; ++r) {
      auto& L = ctx.gpkg->createLayer(
          {.name = fmt::format("{}_places_{}", pre, rounds[r].name),
           .geom = GeomType::Point,
           .fields = {{"place_id", FieldType::String}, {"name", FieldType::String}, {"kind", FieldType::String},
                      {"area_id", FieldType::String}, {"round", FieldType::String},
                      {"crime_disorder", FieldType::String, "Crime and disorder (actual safety)"},
                      {"physical_environment", FieldType::String, "Physical environment"},
                      {"perceived_safety", FieldType::String, "Perceived safety (survey, pins)"},
                      {"life_functions", FieldType::String, "Life and functions"},
                      {"actual_safety", FieldType::String, "Actual safety (incidents)"},
                      {"perceived_overall", FieldType::String, "Perceived safety (inspection and survey)"},
                      {"overall", FieldType::String, "Overall (worst group)"},
                      {"worst_factors", FieldType::String}, {"n_red", FieldType::Integer},
                      {"n_yellow", FieldType::Integer}, {"n_green", FieldType::Integer},
                      {"n_not_assessed", FieldType::Integer}},
           .title = fmt::format("Places by factor group, round {} ({})", rounds[r].name, pre),
           .description = "Colour per factor group (worst factor of the group); overall = worst group",
           .style_qml = data::qmlTrafficLight(GeomType::Point, "overall", &label, 4.0)});
      for (std::size_t p = 0; p < P; ++p) {
        std::array<sc::Colour, safety::kGroupCount> g{};
        std::array<int, 4> n{};
        std::vector<std::pair<double, std::string>> bad;
        for (std::size_t f = 0; f < F; ++f) {
          const auto& v = A.at(r, p, f);
          const auto gi = static_cast<std::size_t>(cat.factors[f].group);
          g[gi] = sc::worseOf(g[gi], v.colour);
          ++n[static_cast<std::size_t>(v.colour)];
          if (v.colour == sc::Colour::Red) bad.emplace_back(v.score, cat.factors[f].id);
        }
        std::sort(bad.begin(), bad.end());
        std::string worst;
        for (std::size_t k = 0; k < bad.size() && k < 5; ++k) worst += (worst.empty() ? "" : ",") + bad[k].second;
        const sc::Colour actual = g[0];
        const sc::Colour perceived = sc::worseOf(sc::worseOf(g[1], g[2]), g[3]);
        const sc::Colour overall = sc::worseOf(actual, perceived);
        if (r == last) ++overall_count[static_cast<std::size_t>(overall)];
        const Value vals[] = {str(places[p].id), str(places[p].name), str(places[p].kind), str(areaIdOf(p)),
                              str(rounds[r].name), colourValue(g[0]), colourValue(g[1]), colourValue(g[2]),
                              colourValue(g[3]), colourValue(actual),
                              colourValue(sc::worseOf(g[1], g[2])), colourValue(overall), str(worst),
                              i64(n[1]), i64(n[2]), i64(n[3]), i64(n[0])};
        L.add(anchor_wkb[p], vals);
      }
    }
    meta["places_overall_last_round"] = {{"red", overall_count[1]}, {"yellow", overall_count[2]},
                                         {"green", overall_count[3]}, {"not_assessed", overall_count[0]}};
    // Action plan (latest round): red first, then yellow; lowest score first; more evidence first.
    {
      struct Row {
        std::size_t p, f;
      };
      std::vector<Row> rows;
      for (std::size_t p = 0; p < P; ++p)
        for (std::size_t f = 0; f < F; ++f) {
          const auto c = A.at(last, p, f).colour;
          if (c == sc::Colour::Red || c == sc::Colour::Yellow) rows.push_back({p, f});
        }
      std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
        const auto& va = A.at(last, a.p, a.f);
        const auto& vb = A.at(last, b.p, b.f);
        if (va.colour != vb.colour) return va.colour < vb.colour;
        if (va.score != vb.score) return va.score < vb.score;
        if (va.evidence != vb.evidence) return va.evidence > vb.evidence;
        if (places[a.p].id != places[b.p].id) return places[a.p].id < places[b.p].id;
        return a.f < b.f;
      });
      if (m_action_plan_max > 0 && rows.size() > static_cast<std::size_t>(m_action_plan_max))
        rows.resize(static_cast<std::size_t>(m_action_plan_max));
      auto& L = ctx.gpkg->createLayer(
          {.name = pre + "_action_plan",
           .geom = GeomType::Point,
           .fields = {{"rank", FieldType::Integer}, {"place_id", FieldType::String}, {"place_name", FieldType::String},
                      {"area_id", FieldType::String}, {"factor", FieldType::String}, {"label_sv", FieldType::String},
                      {"group", FieldType::String}, {"colour", FieldType::String}, {"score", FieldType::Real},
                      {"value", FieldType::Real}, {"evidence", FieldType::Integer64}, {"evidence_text", FieldType::String},
                      {"measures", FieldType::String}},
           .title = fmt::format("Action plan: places and factors, worst first ({})", pre),
           .description = fmt::format("Round {}: red then yellow, lowest score first", rounds[last].name),
           .style_qml = data::qmlTrafficLight(GeomType::Point, "colour")});
      std::int64_t rank = 0;
      for (const auto& row : rows) {
        const auto& fa = cat.factors[row.f];
        const auto& v = A.at(last, row.p, row.f);
        const bool small = isCountSource(fa) && sup.small(v.evidence);
        std::string text;
        switch (safety::sourceOf(fa.metric)) {
          case Source::Incidents:
            text = small ? fmt::format("fewer than {} incidents ({}) in the period", m_suppress_below, fa.categories_text)
                         : fmt::format("{} incidents ({}) in the period, {:.1f} expected from the area's rate (p = {:.2g})",
                                       v.evidence, fa.categories_text, v.expected, v.p);
            break;
          case Source::Observations:
            text = fmt::format("{} inspection rating(s), {} {:.1f}", v.evidence, sc::combineId(fa.combine), v.value);
            break;
          case Source::Perception:
            text = small ? fmt::format("fewer than {} answers/pins", m_suppress_below)
                         : fa.metric == Metric::SurveyMean
                               ? fmt::format("{} survey answers, mean {:.2f}", v.evidence, v.value)
                               : fmt::format("{} unsafe pins, {:.1f} expected", v.evidence, v.expected);
            break;
          case Source::Overlay:
            text = fa.metric == Metric::FunctionMix
                       ? fmt::format("{} kinds of places within {:.0f} m", v.value, fa.walk_radius_m)
                       : fmt::format("{:.0f} % covered ({} {})", 100 * v.value, v.evidence, fa.measure_kind);
            break;
        }
        if (v.guarded) text += "; " + v.note;
        const Value vals[] = {i64(++rank), str(places[row.p].id), str(places[row.p].name), str(areaIdOf(row.p)),
                              str(fa.id), str(fa.label_sv), str(std::string(safety::groupId(fa.group))),
                              colourValue(v.colour), real(v.score), small ? Value{} : real(v.value),
                              isCountSource(fa) ? sup.count(v.evidence, pre + "_action_plan.evidence") : i64(v.evidence),
                              str(text), str(measureIds(row.p))};
        L.add(anchor_wkb[row.p], vals);
      }
      meta["action_plan_rows"] = rows.size();
    }
    // Perception splits (time of day, gender, age band) per place and round.
    {
      struct Key {
        std::size_t r, p;
        std::string dim, group;
        bool operator<(const Key& o) const { return std::tie(r, p, dim, group) < std::tie(o.r, o.p, o.dim, o.group); }
      };
      struct Acc {
        std::int64_t answers = 0, pins = 0;
        double sum = 0;
      };
      std::map<Key, Acc> acc;
      const auto& per = *ctx.perception;
      std::unordered_map<std::string, std::size_t> by_id;
      for (std::size_t p = 0; p < P; ++p) by_id.emplace(places[p].id, p);
      const auto src = geo::RadiusIndex::sourcesFromPlaces(places);
      const geo::RadiusIndex idx(src);
      std::vector<std::uint32_t> tmp;
      for (const auto& q : per) {
        std::size_t r = R;
        for (std::size_t k = 0; k < R; ++k)
          if (q.round == rounds[k].name) r = k;
        if (r == R) continue;
        tmp.clear();
        if (q.has_point) idx.covering(q.pt, tmp);
        else if (auto it = by_id.find(q.place_id); it != by_id.end()) tmp.push_back(static_cast<std::uint32_t>(it->second));
        const bool ans = q.kind == model::Perception::Kind::Answer && std::isfinite(q.value);
        for (auto p : tmp)
          for (const auto& [dim, val] : {std::pair<const char*, const std::string*>{"all", nullptr},
                                         {"time_of_day", &q.time_of_day}, {"gender", &q.gender},
                                         {"age_band", &q.age_band}}) {
            if (val && val->empty()) continue;
            auto& a = acc[{r, p, dim, val ? *val : std::string("all")}];
            if (ans) {
              ++a.answers;
              a.sum += q.value;
            } else if (q.kind == model::Perception::Kind::Pin) {
              ++a.pins;
            }
          }
      }
      auto& L = ctx.gpkg->createLayer(
          {.name = pre + "_perception_splits",
           .geom = GeomType::None,
           .fields = {{"place_id", FieldType::String}, {"round", FieldType::String}, {"dimension", FieldType::String},
                      {"grp", FieldType::String}, {"answers", FieldType::Integer64}, {"mean_answer", FieldType::Real},
                      {"pins", FieldType::Integer64}},
           .title = fmt::format("Perceived safety by time of day, gender and age band ({})", pre),
           .description = "Survey answers and unsafe pins per place, round and group"});
      std::int64_t suppressed_groups = 0;
      for (const auto& [k, a] : acc) {
        const bool small_ans = sup.small(a.answers);
        if (small_ans && k.dim != "all") ++suppressed_groups;
        const Value vals[] = {str(places[k.p].id), str(rounds[k.r].name), str(k.dim), str(k.group),
                              sup.count(a.answers, pre + "_perception_splits.answers"),
                              small_ans ? Value{} : real(a.answers ? a.sum / static_cast<double>(a.answers) : kNaN),
                              sup.count(a.pins, pre + "_perception_splits.pins")};
        L.add({}, vals);
      }
      if (ctx.publish) meta["suppressed_survey_groups"] = suppressed_groups;
    }
  }

  // ================================================================ change
  if (has("change")) {
    if (R < 2) {
      meta["change"] = fmt::format("only one round ({}): no before/after; give rounds: [baseline, followup]", rounds[0].name);
    } else {
      auto& L = ctx.gpkg->createLayer(
          {.name = pre + "_factor_changes",
           .geom = GeomType::Point,
           .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"area_id", FieldType::String},
                      {"factor", FieldType::String}, {"group", FieldType::String}, {"colour_before", FieldType::String},
                      {"colour_after", FieldType::String}, {"score_before", FieldType::Real},
                      {"score_after", FieldType::Real}, {"change", FieldType::String}},
           .title = fmt::format("Colour changes {} → {} ({})", rounds[0].name, rounds[last].name, pre),
           .description = "improved / unchanged / worse / not_comparable per place × factor",
           .style_qml = data::qmlCategorized(GeomType::Point, "change",
                                             {{"improved", "improved", data::kColourGreen},
                                              {"unchanged", "unchanged", "#9e9e9e"},
                                              {"worse", "worse", data::kColourRed},
                                              {"", "not comparable", data::kColourNotAssessed}},
                                             nullptr, 3.0)});
      const std::size_t NA = areas.size();
      std::vector<sc::ChangeSummary> area_sum(NA);
      sc::ChangeSummary total;
      for (std::size_t p = 0; p < P; ++p)
        for (std::size_t f = 0; f < F; ++f) {
          const auto& b = A.at(0, p, f);
          const auto& a = A.at(last, p, f);
          const auto c = sc::changeOf(b.colour, a.colour);
          for (auto ai : A.place_areas[p]) area_sum[ai].add(b.colour, a.colour);
          total.add(b.colour, a.colour);
          const Value vals[] = {str(places[p].id), str(places[p].name), str(areaIdOf(p)), str(cat.factors[f].id),
                                str(std::string(safety::groupId(cat.factors[f].group))), colourValue(b.colour),
                                colourValue(a.colour), real(b.score), real(a.score),
                                str(std::string(sc::changeId(c)))};
          L.add(anchor_wkb[p], vals);
        }
      // Perceived safety per place and area: survey answers (rank-sum) and pins (Poisson).
      int survey_f = -1, pins_f = -1;
      for (std::size_t f = 0; f < F; ++f) {
        if (survey_f < 0 && cat.factors[f].metric == Metric::SurveyMean) survey_f = static_cast<int>(f);
        if (pins_f < 0 && (cat.factors[f].metric == Metric::PinsRelative || cat.factors[f].metric == Metric::PinsPerHectare))
          pins_f = static_cast<int>(f);
      }
      const bool survey_worse_high = survey_f >= 0 ? cat.factors[static_cast<std::size_t>(survey_f)].higher_is_worse : true;
      std::vector<std::vector<double>> ans_b(P), ans_a(P), area_b(NA), area_a(NA);
      std::vector<std::int64_t> pins_b(NA, 0), pins_a(NA, 0);
      {
        std::unordered_map<std::string, std::size_t> by_id;
        for (std::size_t p = 0; p < P; ++p) by_id.emplace(places[p].id, p);
        const auto src = geo::RadiusIndex::sourcesFromPlaces(places);
        const geo::RadiusIndex idx(src);
        std::vector<std::span<const std::uint8_t>> awkb;
        for (const auto& a : areas) awkb.emplace_back(a.geom.wkb);
        const geo::PolygonIndex aidx(awkb);
        std::vector<std::uint32_t> tmp;
        const std::string question = survey_f >= 0 ? cat.factors[static_cast<std::size_t>(survey_f)].question : "";
        for (const auto& q : *ctx.perception) {
          const int r = q.round == rounds[0].name ? 0 : q.round == rounds[last].name ? 1 : -1;
          if (r < 0) continue;
          if (q.kind == model::Perception::Kind::Pin) {
            if (!q.has_point) continue;
            aidx.containing(q.pt, tmp);
            for (auto a : tmp) ++(r == 0 ? pins_b : pins_a)[a];
            continue;
          }
          if (!std::isfinite(q.value) || (!question.empty() && lowerAscii(question) != lowerAscii(q.question))) continue;
          tmp.clear();
          if (q.has_point) idx.covering(q.pt, tmp);
          else if (auto it = by_id.find(q.place_id); it != by_id.end()) tmp.push_back(static_cast<std::uint32_t>(it->second));
          std::set<std::uint32_t> as;
          for (auto p : tmp) {
            (r == 0 ? ans_b : ans_a)[p].push_back(q.value);
            for (auto a : A.place_areas[p]) as.insert(a);
          }
          for (auto a : as) (r == 0 ? area_b : area_a)[a].push_back(q.value);
        }
      }
      const sc::Tail improved_tail = survey_worse_high ? sc::Tail::Greater : sc::Tail::Less;  // before vs after
      {
        auto& Lp = ctx.gpkg->createLayer(
            {.name = pre + "_perception_change",
             .geom = GeomType::Point,
             .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String},
                        {"answers_before", FieldType::Integer64}, {"answers_after", FieldType::Integer64},
                        {"mean_before", FieldType::Real}, {"mean_after", FieldType::Real},
                        {"w", FieldType::Real}, {"p_value", FieldType::Real}, {"improved", FieldType::Boolean}},
             .title = fmt::format("Perceived safety before/after per place ({})", pre),
             .description = "Wilcoxon rank-sum (Mann–Whitney, normal approximation with tie and continuity "
                            "corrections, as R's wilcox.test(exact = FALSE)), one-sided: answers improved",
             .style_qml = data::qmlCategorized(GeomType::Point, "improved",
                                               {{"1", "improved (p < alpha)", data::kColourGreen},
                                                {"0", "no significant improvement", "#9e9e9e"}},
                                               nullptr, 3.0)});
        std::int64_t improved_places = 0;
        for (std::size_t p = 0; p < P; ++p) {
          if (ans_b[p].empty() && ans_a[p].empty()) continue;
          const auto t = sc::wilcoxonRankSum(ans_b[p], ans_a[p], improved_tail);
          const bool small = sup.small(t.n_x) || sup.small(t.n_y);
          const bool imp = !small && std::isfinite(t.p) && t.p < m_alpha;
          improved_places += imp;
          const Value vals[] = {str(places[p].id), str(places[p].name),
                                sup.count(t.n_x, pre + "_perception_change.answers"),
                                sup.count(t.n_y, pre + "_perception_change.answers"),
                                small ? Value{} : real(t.mean_x), small ? Value{} : real(t.mean_y),
                                small ? Value{} : real(t.w), small ? Value{} : real(t.p), boolean(imp)};
          Lp.add(anchor_wkb[p], vals);
        }
        meta["perceived_safety_improved_places"] = improved_places;
      }
      // Measures per area: started or done against the model's 50 %.
      std::vector<std::int64_t> m_total(NA, 0), m_started(NA, 0);
      {
        std::vector<std::span<const std::uint8_t>> awkb;
        for (const auto& a : areas) awkb.emplace_back(a.geom.wkb);
        const geo::PolygonIndex aidx(awkb);
        std::vector<std::uint32_t> tmp;
        for (const auto& m : measures) {
          if (m.geom.wkb.empty()) continue;
          aidx.containing(geo::pointOnSurface(m.geom.wkb), tmp);
          const std::string s = lowerAscii(m.status);
          const bool sd = s == "started" || s == "done";
          // Existing stock (done before the baseline) is not a measure of the project.
          if (s == "done" && m.date != kNoTime && rounds[0].day_end != kNoTime &&
              m.date < rounds[0].period_start)
            continue;
          for (auto a : tmp) {
            ++m_total[a];
            m_started[a] += sd;
          }
        }
      }
      auto& LA = ctx.gpkg->createLayer(
          {.name = pre + "_area_change",
           .geom = GeomType::MultiPolygon,
           .fields = {{"area_id", FieldType::String}, {"name", FieldType::String}, {"pairs", FieldType::Integer64},
                      {"improved", FieldType::Integer64}, {"unchanged", FieldType::Integer64},
                      {"worse", FieldType::Integer64}, {"not_comparable", FieldType::Integer64},
                      {"share_improved", FieldType::Real}, {"not_green_before", FieldType::Integer64},
                      {"share_improved_not_green", FieldType::Real},
                      {"red_red", FieldType::Integer64}, {"red_yellow", FieldType::Integer64},
                      {"red_green", FieldType::Integer64}, {"yellow_red", FieldType::Integer64},
                      {"yellow_yellow", FieldType::Integer64}, {"yellow_green", FieldType::Integer64},
                      {"green_red", FieldType::Integer64}, {"green_yellow", FieldType::Integer64},
                      {"green_green", FieldType::Integer64}, {"min_improved_share", FieldType::Real},
                      {"goal_met", FieldType::Boolean}, {"measures", FieldType::Integer64},
                      {"measures_started_done", FieldType::Integer64}, {"share_measures_started_done", FieldType::Real},
                      {"measures_goal_met", FieldType::Boolean}, {"survey_n_before", FieldType::Integer64},
                      {"survey_n_after", FieldType::Integer64}, {"survey_mean_before", FieldType::Real},
                      {"survey_mean_after", FieldType::Real}, {"survey_p", FieldType::Real},
                      {"perceived_improved", FieldType::Boolean}, {"pins_before", FieldType::Integer64},
                      {"pins_after", FieldType::Integer64}, {"pins_rate_ratio", FieldType::Real},
                      {"pins_p", FieldType::Real}},
           .title = fmt::format("Before/after per area against the {:.0f} % goal ({})", 100 * m_min_improved_share, pre),
           .description = "share_improved = improved / place × factor pairs coloured in both rounds",
           .style_qml = data::qmlShareImproved(GeomType::MultiPolygon, "share_improved", m_min_improved_share)});
      auto& jareas = meta["areas"] = nlohmann::json::array();
      for (std::size_t a = 0; a < NA; ++a) {
        const auto& s = area_sum[a];
        const auto t = sc::wilcoxonRankSum(area_b[a], area_a[a], improved_tail);
        const bool small = sup.small(t.n_x) || sup.small(t.n_y);
        const auto pt = ch::poissonTest(pins_a[a], pins_b[a], 1, 1, 1, {ch::Alternative::Less, 0.95});
        const double ms = m_total[a] > 0 ? static_cast<double>(m_started[a]) / static_cast<double>(m_total[a]) : kNaN;
        const std::string key = pre + "_area_change";
        std::vector<Value> v{str(areas[a].id), str(areas[a].name), i64(s.pairs), i64(s.improved), i64(s.unchanged),
                             i64(s.worse), i64(s.not_comparable), real(s.shareImproved()), i64(s.not_green_before),
                             real(s.shareImprovedNotGreen())};
        for (int i = 0; i < 3; ++i)
          for (int j = 0; j < 3; ++j) v.push_back(i64(s.matrix[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]));
        v.push_back(real(m_min_improved_share));
        v.push_back(boolean(s.goalMet(m_min_improved_share)));
        v.push_back(i64(m_total[a]));
        v.push_back(i64(m_started[a]));
        v.push_back(real(ms));
        v.push_back(boolean(std::isfinite(ms) && ms >= m_min_measures_share));
        v.push_back(sup.count(t.n_x, key + ".survey_n"));
        v.push_back(sup.count(t.n_y, key + ".survey_n"));
        v.push_back(small ? Value{} : real(t.mean_x));
        v.push_back(small ? Value{} : real(t.mean_y));
        v.push_back(small ? Value{} : real(t.p));
        v.push_back(boolean(!small && std::isfinite(t.p) && t.p < m_alpha));
        v.push_back(sup.count(pins_b[a], key + ".pins"));
        v.push_back(sup.count(pins_a[a], key + ".pins"));
        v.push_back(real(pt.rateRatio));
        v.push_back(real(pins_a[a] + pins_b[a] > 0 ? pt.pValue : kNaN));
        LA.add(areas[a].geom.wkb, v);
        jareas.push_back({{"area_id", areas[a].id}, {"name", areas[a].name}, {"pairs", s.pairs},
                          {"improved", s.improved}, {"share_improved", std::isfinite(s.shareImproved()) ? s.shareImproved() : -1},
                          {"goal_met", s.goalMet(m_min_improved_share)}});
      }
      meta["total"] = {{"pairs", total.pairs}, {"improved", total.improved}, {"unchanged", total.unchanged},
                       {"worse", total.worse}, {"not_comparable", total.not_comparable},
                       {"share_improved", std::isfinite(total.shareImproved()) ? total.shareImproved() : -1}};
      meta["survey_test"] = survey_f >= 0
                                ? fmt::format("one-sided Wilcoxon rank-sum of '{}' answers, before vs after ({}); pins: "
                                              "exact Poisson test after vs before, one-sided 'less'",
                                              cat.factors[static_cast<std::size_t>(survey_f)].id,
                                              survey_worse_high ? "lower after = improved" : "higher after = improved")
                                : std::string("no survey_mean factor in the catalogue");
    }
  }

  // ================================================================ tests
  if (has("tests")) {
    if (R < 2 || rounds[0].day_end == kNoTime || rounds[last].day_end == kNoTime) {
      meta["tests"] = "not run: both rounds need a date (round_dates) for their incident periods";
    } else {
      std::array<bool, kCategoryCount> cats{};
      if (m_test_categories.empty()) cats.fill(true);
      for (const auto& c : m_test_categories) {
        const auto cc = parseCategory(c);
        if (!cc) throwUsageError("{}: test_categories: unknown category '{}'; see docs/categories.md", where, c);
        cats[static_cast<std::size_t>(*cc)] = true;
      }
      const auto& inc = *ctx.incidents;
      std::vector<Point> pb, pa;  // before, after
      for (std::size_t i = 0; i < inc.size(); ++i) {
        if (!cats[static_cast<std::size_t>(inc.category[i])] || (inc.flags[i] & model::kFlagStacked)) continue;
        if (inc.t_from[i] == kNoTime) continue;
        const double t = inc.t_to[i] != kNoTime && inc.t_to[i] != inc.t_from[i]
                             ? (static_cast<double>(inc.t_from[i]) + static_cast<double>(inc.t_to[i])) / 2
                             : static_cast<double>(inc.t_from[i]);
        if (t >= static_cast<double>(rounds[0].period_start) && t < static_cast<double>(rounds[0].day_end)) pb.push_back(inc.pts[i]);
        if (t >= static_cast<double>(rounds[last].period_start) && t < static_cast<double>(rounds[last].day_end)) pa.push_back(inc.pts[i]);
      }
      if (rounds[last].period_start < rounds[0].day_end)
        meta["tests_note"] = "the two incident periods overlap: incidents in the overlap count in both";
      const double tb = static_cast<double>(rounds[0].day_end - rounds[0].period_start) / 86400.0;
      const double ta = static_cast<double>(rounds[last].day_end - rounds[last].period_start) / 86400.0;
      // Treated units: every area, and every place covered by a started/done measure.
      struct Unit {
        std::string type, id, name;
        geo::Wkb geom, ring;
      };
      std::vector<Unit> units;
      const double w = ctx.toCrsUnits(m_wdq_buffer), gap = ctx.toCrsUnits(m_control_gap);
      std::vector<geo::WkbView> area_parts;
      for (const auto& a : areas) area_parts.emplace_back(a.geom.wkb);
      const geo::Wkb areas_union = geo::unionAll(area_parts);
      std::vector<geo::Wkb> grown;
      for (const auto& a : areas) {
        Unit u{"area", a.id, a.name, geo::Wkb(a.geom.wkb.begin(), a.geom.wkb.end()), {}};
        u.ring = geo::difference(geo::buffer(a.geom.wkb, w), areas_union);
        grown.push_back(geo::buffer(a.geom.wkb, w + gap));
        units.push_back(std::move(u));
      }
      for (std::size_t p = 0; p < P; ++p) {
        bool treated = false;
        for (auto i : place_measures[p]) {
          const std::string s = lowerAscii(measures[i].status);
          treated = treated || s == "started" || s == "done";
        }
        if (!treated) continue;
        Unit u{"place", places[p].id, places[p].name, placeBuffer(places[p]), {}};
        u.ring = geo::difference(geo::buffer(u.geom, w), u.geom);
        grown.push_back(geo::buffer(u.geom, w + gap));
        units.push_back(std::move(u));
      }
      std::vector<geo::WkbView> gv;
      for (const auto& g : grown) gv.emplace_back(g);
      const geo::Wkb control = geo::difference(rectangle(ctx.extent), geo::unionAll(gv));
      // Counts by point-in-polygon: units, rings, control.
      std::vector<std::span<const std::uint8_t>> polys;
      for (const auto& u : units) polys.emplace_back(u.geom);
      for (const auto& u : units) polys.emplace_back(u.ring);
      polys.emplace_back(control);
      const geo::PolygonIndex pidx(polys);
      const std::size_t U = units.size();
      std::vector<std::int64_t> cb(2 * U + 1, 0), ca(2 * U + 1, 0);
      std::vector<std::uint32_t> off, ids;
      pidx.assign(pb, off, ids);
      for (auto k : ids) ++cb[k];
      pidx.assign(pa, off, ids);
      for (auto k : ids) ++ca[k];
      const std::int64_t Cb = cb[2 * U], Ca = ca[2 * U];
      auto& L = ctx.gpkg->createLayer(
          {.name = pre + "_incident_tests",
           .geom = GeomType::MultiPolygon,
           .fields = {{"unit_type", FieldType::String}, {"unit_id", FieldType::String}, {"name", FieldType::String},
                      {"before", FieldType::Integer64}, {"after", FieldType::Integer64},
                      {"days_before", FieldType::Real}, {"days_after", FieldType::Real},
                      {"rate_ratio", FieldType::Real}, {"rr_low", FieldType::Real}, {"rr_high", FieldType::Real},
                      {"p_value", FieldType::Real}, {"control_before", FieldType::Integer64},
                      {"control_after", FieldType::Integer64}, {"rrr", FieldType::Real}, {"rrr_low", FieldType::Real},
                      {"rrr_high", FieldType::Real}, {"rrr_p", FieldType::Real},
                      {"buffer_before", FieldType::Integer64}, {"buffer_after", FieldType::Integer64},
                      {"wdq", FieldType::Real}, {"wdq_verdict", FieldType::String}, {"wdq_note", FieldType::String},
                      {"significant", FieldType::Boolean}},
           .title = fmt::format("Incident change tests ({})", pre),
           .description = "Exact Poisson rate ratio after/before (R's poisson.test), ratio of rate ratios vs the "
                          "control, WDQ with a buffer ring",
           .style_qml = data::qmlCategorized(GeomType::MultiPolygon, "significant",
                                             {{"1", "significant change", "#7b3294"},
                                              {"0", "no significant change", "#bababa"}},
                                             nullptr, 2.0, true)});
      const std::string key = pre + "_incident_tests";
      for (std::size_t k = 0; k < U; ++k) {
        const auto pt = ch::poissonTest(ca[k], cb[k], ta, tb);
        const auto rrr = ch::ratioOfRateRatios({ca[k], cb[k], ta, tb}, {Ca, Cb, ta, tb});
        const auto wd = ch::weightedDisplacementQuotient({static_cast<double>(cb[k]), static_cast<double>(ca[k]),
                                                          static_cast<double>(cb[U + k]), static_cast<double>(ca[U + k]),
                                                          static_cast<double>(Cb), static_cast<double>(Ca)});
        const bool empty = ca[k] + cb[k] == 0;
        const Value v[] = {str(units[k].type), str(units[k].id), str(units[k].name),
                           sup.count(cb[k], key + ".before"), sup.count(ca[k], key + ".after"), real(tb), real(ta),
                           real(pt.rateRatio), real(pt.confLow), real(pt.confHigh), real(empty ? kNaN : pt.pValue),
                           sup.count(Cb, key + ".control"), sup.count(Ca, key + ".control"), real(rrr.ratio),
                           real(rrr.confLow), real(rrr.confHigh), real(rrr.pValue),
                           sup.count(cb[U + k], key + ".buffer"), sup.count(ca[U + k], key + ".buffer"),
                           real(wd.applicable ? wd.wdq : kNaN), str(std::string(ch::toString(wd.verdict))),
                           str(wd.applicable ? wd.interpretation : wd.reason),
                           boolean(!empty && pt.pValue < m_alpha)};
        L.add(units[k].geom, v);
      }
      meta["tests"] = {{"units", U}, {"control_before", Cb}, {"control_after", Ca},
                       {"wdq_buffer_m", m_wdq_buffer}, {"control_gap_m", m_control_gap},
                       {"control", "the study extent minus every area and measure place grown by wdq_buffer + control_gap"}};
      // SPPT between the periods on a grid or the areas.
      std::vector<geo::Wkb> cells;
      std::vector<std::string> cell_ids;
      std::vector<std::int64_t> nb, na;
      if (m_sppt_units == "areas") {
        std::vector<std::span<const std::uint8_t>> aw;
        for (const auto& a : areas) {
          aw.emplace_back(a.geom.wkb);
          cells.emplace_back(a.geom.wkb.begin(), a.geom.wkb.end());
          cell_ids.push_back(a.id);
        }
        const geo::PolygonIndex ai(aw);
        nb.assign(areas.size(), 0);
        na.assign(areas.size(), 0);
        ai.assign(pb, off, ids);
        for (auto k : ids) ++nb[k];
        ai.assign(pa, off, ids);
        for (auto k : ids) ++na[k];
      } else {
        const double c = ctx.toCrsUnits(m_sppt_cell);
        const auto nx = static_cast<std::size_t>(std::ceil((ctx.extent.maxx - ctx.extent.minx) / c));
        const auto ny = static_cast<std::size_t>(std::ceil((ctx.extent.maxy - ctx.extent.miny) / c));
        if (nx * ny > 4'000'000) throwUsageError("{}: sppt_cell {} m gives {} cells; use a larger cell", where, m_sppt_cell, nx * ny);
        std::vector<std::int64_t> gb(nx * ny, 0), ga(nx * ny, 0);
        auto cellOf = [&](Point q) -> std::ptrdiff_t {
          const auto ix = static_cast<std::ptrdiff_t>(std::floor((q.x - ctx.extent.minx) / c));
          const auto iy = static_cast<std::ptrdiff_t>(std::floor((q.y - ctx.extent.miny) / c));
          if (ix < 0 || iy < 0 || ix >= static_cast<std::ptrdiff_t>(nx) || iy >= static_cast<std::ptrdiff_t>(ny)) return -1;
          return iy * static_cast<std::ptrdiff_t>(nx) + ix;
        };
        for (const auto& q : pb)
          if (auto k = cellOf(q); k >= 0) ++gb[static_cast<std::size_t>(k)];
        for (const auto& q : pa)
          if (auto k = cellOf(q); k >= 0) ++ga[static_cast<std::size_t>(k)];
        // Only cells with events in either period (the test's "robust" units).
        for (std::size_t k = 0; k < nx * ny; ++k) {
          if (gb[k] + ga[k] == 0) continue;
          const double x0 = ctx.extent.minx + static_cast<double>(k % nx) * c, y0 = ctx.extent.miny + static_cast<double>(k / nx) * c;
          cells.push_back(rectangle({x0, y0, x0 + c, y0 + c}));
          cell_ids.push_back(fmt::format("c{}_{}", k % nx, k / nx));
          nb.push_back(gb[k]);
          na.push_back(ga[k]);
        }
      }
      std::int64_t sb = 0, sa = 0;
      for (auto x : nb) sb += x;
      for (auto x : na) sa += x;
      if (sb == 0 || sa == 0) {
        meta["sppt"] = "not run: no incidents in one of the periods";
      } else {
        ch::SpptOptions so;
        so.samples = m_sppt_samples;
        so.seed = m_seed;
        const auto s = ch::spatialPointPatternTest(nb, na, so);
        auto& LS = ctx.gpkg->createLayer(
            {.name = pre + "_sppt",
             .geom = GeomType::Polygon,
             .fields = {{"unit_id", FieldType::String}, {"before", FieldType::Integer64}, {"after", FieldType::Integer64},
                        {"before_pct", FieldType::Real}, {"after_pct", FieldType::Real}, {"conf_low", FieldType::Real},
                        {"conf_high", FieldType::Real}, {"s_index", FieldType::Integer}, {"similar", FieldType::Boolean}},
             .title = fmt::format("Spatial point pattern test, before vs after ({})", pre),
             .description = fmt::format("Andresen's S-index: base = before, test = after; global S {:.3f}", s.globalS),
             .style_qml = data::qmlCategorized(GeomType::Polygon, "s_index",
                                               {{"-1", "share rose after", data::kColourRed},
                                                {"0", "similar", "#e0e0e0"},
                                                {"1", "share fell after", data::kColourGreen}})});
        for (std::size_t k = 0; k < s.units.size(); ++k) {
          const auto& uu = s.units[k];
          const Value v[] = {str(cell_ids[k]), sup.count(uu.baseCount, pre + "_sppt.before"),
                             sup.count(uu.testCount, pre + "_sppt.after"), real(uu.basePercent), real(uu.testPercent),
                             real(uu.confLow), real(uu.confHigh), i64(uu.sIndex), boolean(uu.similar)};
          LS.add(cells[k], v);
        }
        meta["sppt"] = {{"units", m_sppt_units}, {"unit_count", s.units.size()}, {"global_s", s.globalS},
                        {"global_s_robust", std::isfinite(s.globalSRobust) ? s.globalSRobust : -1},
                        {"seed", m_seed}, {"samples", m_sppt_samples}};
      }
    }
  }

  // ================================================================ overlay
  if (has("overlay")) {
    // Unsafe pins of the latest round inside each measure's coverage.
    std::vector<std::span<const std::uint8_t>> cw;
    for (const auto& c : cover) cw.emplace_back(c);
    const geo::PolygonIndex cidx(cw);
    std::vector<std::int64_t> pins(measures.size(), 0);
    std::vector<std::uint32_t> tmp;
    for (const auto& q : *ctx.perception) {
      if (q.kind != model::Perception::Kind::Pin || !q.has_point || q.round != rounds[last].name) continue;
      cidx.containing(q.pt, tmp);
      for (auto i : tmp) ++pins[i];
    }
    auto& L = ctx.gpkg->createLayer(
        {.name = pre + "_measure_cover",
         .geom = GeomType::MultiPolygon,
         .fields = {{"measure_id", FieldType::String}, {"kind", FieldType::String}, {"status", FieldType::String},
                    {"date", FieldType::DateTime}, {"places", FieldType::String}, {"n_places", FieldType::Integer},
                    {"unsafe_pins", FieldType::Integer64}, {"red_factors", FieldType::String},
                    {"n_red_factors", FieldType::Integer}, {"hotspot_cells", FieldType::Integer}},
         .title = fmt::format("What each measure covers ({})", pre),
         .description = fmt::format("Coverage: the radius around a light or camera, the polygon itself, lines "
                                    "buffered by {} m; pins and colours of round {}", m_line_radius, rounds[last].name),
         .style_qml = data::qmlCategorized(GeomType::MultiPolygon, "status",
                                           {{"planned", "planned", "#2c7bb6"}, {"started", "started", "#fdae61"},
                                            {"done", "done", "#1a9641"}, {"", "other", "#bababa"}},
                                           nullptr, 2.0, true)});
    // Hot spot cells (Gi_Bin > 0) of the latest Gi* analysis that ran before this one.
    const engine::HotspotCells* hot = ctx.hotspot_cells.empty() ? nullptr : &ctx.hotspot_cells.back();
    std::vector<BBox> hot_box;
    if (hot)
      for (const auto& c : hot->cells) hot_box.push_back(geo::bbox(c));
    auto hotCells = [&](std::size_t i) -> Value {
      if (!hot) return Value{};
      const BBox b = geo::bbox(cover[i]);
      std::int64_t n = 0;
      for (std::size_t k = 0; k < hot->cells.size(); ++k)
        if (hot->bin[k] > 0 && b.intersects(hot_box[k]) && geo::intersects(cover[i], hot->cells[k])) ++n;
      return Value{n};
    };
    std::int64_t covering = 0;
    for (std::size_t i = 0; i < measures.size(); ++i) {
      if (cover[i].empty()) continue;
      std::string pl, red;
      int nred = 0;
      for (auto p : covered_places[i]) {
        pl += (pl.empty() ? "" : ",") + places[p].id;
        for (std::size_t f = 0; f < F; ++f)
          if (A.at(last, p, f).colour == sc::Colour::Red) {
            red += (red.empty() ? "" : ",") + places[p].id + ":" + cat.factors[f].id;
            ++nred;
          }
      }
      covering += !covered_places[i].empty();
      const Value v[] = {str(measures[i].id), str(measures[i].kind), str(measures[i].status),
                         measures[i].date == kNoTime ? Value{} : Value{static_cast<std::int64_t>(measures[i].date)},
                         str(pl), i64(static_cast<std::int64_t>(covered_places[i].size())),
                         sup.count(pins[i], pre + "_measure_cover.unsafe_pins"), str(red), i64(nred), hotCells(i)};
      L.add(cover[i], v);
    }
    meta["overlay"] = {{"measures", measures.size()}, {"measures_covering_places", covering},
                       {"hotspot_cells", hot ? "hot cells (Gi_Bin > 0) of analysis '" + hot->analysis + "' intersecting "
                                               "the measure's coverage"
                                             : std::string("not computed: no hotspot.getis_ord analysis ran before "
                                                           "this one; list one earlier in the project file")}};
  }

  // ================================================================ what-if
  if (has("what_if")) {
    std::vector<std::size_t> ov;
    for (std::size_t f = 0; f < F; ++f)
      if (safety::sourceOf(cat.factors[f].metric) == Source::Overlay && cat.factors[f].metric != Metric::FunctionMix)
        ov.push_back(f);
    const Assessment W = safety::assess(ctx, cat, rounds, safety::OverlayMode::WhatIf, ov);
    auto& L = ctx.gpkg->createLayer(
        {.name = pre + "_what_if",
         .geom = GeomType::Point,
         .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"factor", FieldType::String},
                    {"value_now", FieldType::Real}, {"value_what_if", FieldType::Real}, {"score_now", FieldType::Real},
                    {"score_what_if", FieldType::Real}, {"colour_now", FieldType::String},
                    {"colour_what_if", FieldType::String}, {"colour_changes", FieldType::Boolean},
                    {"measures", FieldType::String}},
         .title = fmt::format("What if the planned measures were done ({})", pre),
         .description = fmt::format("Overlay factors of round {} re-scored with every planned and started measure "
                                    "done; rows where the value changes",
                                    rounds[last].name),
         .style_qml = data::qmlTrafficLight(GeomType::Point, "colour_what_if")});
    std::int64_t changed = 0, flips = 0;
    auto& jf = meta["what_if_flips"] = nlohmann::json::array();
    for (std::size_t p = 0; p < P; ++p)
      for (auto f : ov) {
        const auto& now = A.at(last, p, f);
        const auto& wi = W.at(last, p, f);
        if (now.value == wi.value || (std::isnan(now.value) && std::isnan(wi.value))) continue;
        ++changed;
        const bool flip = now.colour != wi.colour;
        if (flip) {
          ++flips;
          jf.push_back(fmt::format("{} {}: {} -> {}", places[p].id, cat.factors[f].id, sc::colourId(now.colour),
                                   sc::colourId(wi.colour)));
        }
        const Value v[] = {str(places[p].id), str(places[p].name), str(cat.factors[f].id), real(now.value),
                           real(wi.value), real(now.score), real(wi.score), colourValue(now.colour),
                           colourValue(wi.colour), boolean(flip), str(measureIds(p))};
        L.add(anchor_wkb[p], v);
      }
    meta["what_if"] = {{"values_changed", changed}, {"colours_changed", flips}};
  }

  if (ctx.publish) {
    nlohmann::json s = nlohmann::json::object();
    for (const auto& [k, n] : sup.cells) s[k] = n;
    meta["suppressed"] = {{"threshold", m_suppress_below}, {"cells", s},
                          {"rule", fmt::format("counts 1..{} and survey groups with fewer than {} answers are written "
                                               "as NULL; no incident points are written by this analysis",
                                               m_suppress_below - 1, m_suppress_below)}};
  }
}

}  // namespace trygg::plugins
