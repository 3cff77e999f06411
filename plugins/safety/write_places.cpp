// The writer, section factors: place_factors (table), places_<round>,
// action_plan, action_plan_items (table), perception_splits (table).
#include <cmath>

#include <fmt/format.h>

#include "data/qml.hpp"
#include "plugins/safety/writer.hpp"

namespace trygg::plugins::safety {

using data::FieldType;
using data::GeomType;
using data::Value;
namespace sc = geo::scoring;

void LayerWriter::placeFactors() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  const std::string key = layer("place_factors");
  auto& L = m_ctx.gpkg->createLayer(
      {.name = key,
       .geom = GeomType::None,
       .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"area_id", FieldType::String},
                  {"round", FieldType::String}, {"factor", FieldType::String}, {"label_sv", FieldType::String},
                  {"label_en", FieldType::String}, {"group", FieldType::String}, {"metric", FieldType::String},
                  {"value", FieldType::Real}, {"score", FieldType::Real}, {"colour", FieldType::String},
                  {"evidence", FieldType::Integer64}, {"too_little_evidence", FieldType::Boolean},
                  {"expected", FieldType::Real}, {"p_value", FieldType::Real}, {"guarded", FieldType::Boolean},
                  {"note", FieldType::String}},
       .title = fmt::format("Factor scores and colours per place, long table ({})", m_o.prefix),
       .description = "One row per place × factor × round: raw value, 0–20 score, colour, evidence (no geometry: "
                      "the map is places_<round>)"});
  for (std::size_t r = 0; r < m_res.rounds.size(); ++r)
    for (std::size_t p = 0; p < places.size(); ++p)
      for (std::size_t f = 0; f < cat.factors.size(); ++f) {
        const auto& fa = cat.factors[f];
        const auto& v = m_res.A.at(r, p, f);
        const bool small = isCountSource(fa) && m_sup.small(v.evidence);
        const Value ev = isCountSource(fa) ? m_sup.count(v.evidence, key + ".evidence") : i64(v.evidence);
        if (small) ++m_sup.cells[key + ".value"];
        const Value vals[] = {str(places[p].id), str(places[p].name), str(areaIdOf(p)), str(m_res.rounds[r].name),
                              str(fa.id), str(fa.label_sv), str(fa.label_en), str(std::string(groupId(fa.group))),
                              str(std::string(metricId(fa.metric))), small ? Value{} : real(v.value),
                              real(v.score), colourValue(v.colour), ev, boolean(v.too_little_evidence),
                              real(v.expected), small ? Value{} : real(v.p), boolean(v.guarded), str(v.note)};
        L.add({}, vals);
      }
}

// One feature per place and round: the headline class, counts per colour, the
// group colours, the worst factors, a label, then each factor's colour and score.
void LayerWriter::placesPerRound() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  std::vector<data::FieldDef> fields = {
      {"place_id", FieldType::String}, {"name", FieldType::String}, {"kind", FieldType::String},
      {"area_id", FieldType::String}, {"round", FieldType::String},
      {"overall", FieldType::String, "Headline class: share of red among the assessed factors (docs/factors.md)"},
      {"share_red", FieldType::Real, "Red factors / assessed factors"},
      {"n_red", FieldType::Integer}, {"n_yellow", FieldType::Integer}, {"n_green", FieldType::Integer},
      {"n_not_assessed", FieldType::Integer}, {"n_assessed", FieldType::Integer},
      {"crime_disorder", FieldType::String, "Crime and disorder (actual safety)"},
      {"physical_environment", FieldType::String, "Physical environment"},
      {"perceived_safety", FieldType::String, "Perceived safety (survey, pins)"},
      {"life_functions", FieldType::String, "Life and functions"},
      {"worst_factors", FieldType::String, "Red factors, lowest score first (at most 5)"},
      {"label", FieldType::String, "Map label: name (red / assessed)"},
      {"actual_safety", FieldType::String, "Actual safety (incidents) = crime_disorder"},
      {"perceived_overall", FieldType::String, "Perceived safety (inspection and survey)"},
      {"worst_group", FieldType::String, "The worst group colour (the former headline)"}};
  for (const auto& fa : cat.factors) {
    fields.push_back({fa.id + "_colour", FieldType::String, fa.label_en});
    fields.push_back({fa.id + "_score", FieldType::Real, fa.label_en + " (0–20)"});
  }
  data::QmlLabel label{.field = "label", .size_pt = 8};
  auto& jr = m_meta["places_overall"] = nlohmann::json::object();
  for (std::size_t r = 0; r < m_res.rounds.size(); ++r) {
    auto& L = m_ctx.gpkg->createLayer(
        {.name = fmt::format("{}_places_{}", m_o.prefix, m_res.rounds[r].name),
         .geom = GeomType::Point,
         .fields = fields,
         .title = fmt::format("Places, round {}: headline class and factor colours ({})", m_res.rounds[r].name,
                              m_o.prefix),
         .description = "One point per place. overall: red when >= red_share of the assessed factors are red, "
                        "yellow when >= yellow_share, else green when >= green_share are green (docs/factors.md)",
         .style_qml = data::qmlTrafficLight(GeomType::Point, "overall", &label, 4.0)});
    std::array<std::int64_t, 4> count{};
    for (std::size_t p = 0; p < places.size(); ++p) {
      const auto& s = m_res.places[r][p];
      ++count[static_cast<std::size_t>(s.overall)];
      std::vector<Value> v{str(places[p].id), str(places[p].name), str(places[p].kind), str(areaIdOf(p)),
                           str(m_res.rounds[r].name), colourValue(s.overall), real(s.share_red), i64(s.n[1]),
                           i64(s.n[2]), i64(s.n[3]), i64(s.n[0]), i64(s.n_assessed), colourValue(s.group[0]),
                           colourValue(s.group[1]), colourValue(s.group[2]), colourValue(s.group[3]),
                           str(s.worst_factors), str(s.label), colourValue(s.actual),
                           colourValue(s.perceived_overall), colourValue(s.worst_group)};
      for (std::size_t f = 0; f < cat.factors.size(); ++f) {
        const auto& fv = m_res.A.at(r, p, f);
        v.push_back(colourValue(fv.colour));
        v.push_back(real(fv.score));
      }
      L.add(m_anchor[p], v);
    }
    jr[m_res.rounds[r].name] = {{"red", count[1]}, {"yellow", count[2]}, {"green", count[3]},
                                {"not_assessed", count[0]}};
    if (r == m_res.last()) m_meta["places_overall_last_round"] = jr[m_res.rounds[r].name];
  }
  const auto& h = cat.headline;
  m_meta["headline_rule"] = fmt::format(
      "overall = red when >= {:g} % of the assessed factors are red, yellow when >= {:g} %, else green when >= {:g} % "
      "are green (else yellow); not_assessed with fewer than {} assessed factors",
      100 * h.red_share, 100 * h.yellow_share, 100 * h.green_share, h.min_assessed);
}

// The action plan: one point per place with a red or yellow factor (rank = its
// worst item), and the long list of items as a table.
void LayerWriter::actionPlan() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  const std::size_t last = m_res.last();
  data::QmlLabel label{.field = "place_name", .size_pt = 8};
  auto& LP = m_ctx.gpkg->createLayer(
      {.name = layer("action_plan"),
       .geom = GeomType::Point,
       .fields = {{"rank", FieldType::Integer}, {"place_id", FieldType::String}, {"place_name", FieldType::String},
                  {"area_id", FieldType::String}, {"overall", FieldType::String}, {"n_items", FieldType::Integer},
                  {"top_items", FieldType::String, "The worst items with their evidence"},
                  {"measures", FieldType::String}},
       .title = fmt::format("Action plan: places, worst first ({})", m_o.prefix),
       .description = fmt::format("Round {}: one point per place with a red or yellow factor; rank 1 has the worst "
                                  "item; the items are in action_plan_items",
                                  m_res.rounds[last].name),
       .style_qml = data::qmlTrafficLight(GeomType::Point, "overall", &label, 4.0)});
  for (const auto& pp : m_res.plan.places) {
    const Value vals[] = {i64(pp.rank), str(places[pp.p].id), str(places[pp.p].name), str(areaIdOf(pp.p)),
                          colourValue(m_res.places.empty() ? geo::scoring::Colour::NotAssessed
                                                           : m_res.places[last][pp.p].overall),
                          i64(static_cast<std::int64_t>(pp.items.size())), str(pp.top_items),
                          str(m_res.coverage.measureIds(*m_ctx.measures, pp.p))};
    LP.add(m_anchor[pp.p], vals);
  }
  const std::string key = layer("action_plan_items");
  auto& L = m_ctx.gpkg->createLayer(
      {.name = key,
       .geom = GeomType::None,
       .fields = {{"rank", FieldType::Integer}, {"place_id", FieldType::String}, {"place_name", FieldType::String},
                  {"area_id", FieldType::String}, {"factor", FieldType::String}, {"label_sv", FieldType::String},
                  {"group", FieldType::String}, {"colour", FieldType::String}, {"score", FieldType::Real},
                  {"value", FieldType::Real}, {"evidence", FieldType::Integer64}, {"evidence_text", FieldType::String},
                  {"measures", FieldType::String}},
       .title = fmt::format("Action plan items: place × factor, worst first ({})", m_o.prefix),
       .description = fmt::format("Round {}: red then yellow, lowest score first", m_res.rounds[last].name)});
  for (const auto& it : m_res.plan.items) {
    const auto& fa = cat.factors[it.f];
    const auto& v = m_res.A.at(last, it.p, it.f);
    const Value vals[] = {i64(it.rank), str(places[it.p].id), str(places[it.p].name), str(areaIdOf(it.p)),
                          str(fa.id), str(fa.label_sv), str(std::string(groupId(fa.group))),
                          colourValue(v.colour), real(v.score), it.small ? Value{} : real(v.value),
                          isCountSource(fa) ? m_sup.count(v.evidence, key + ".evidence") : i64(v.evidence),
                          str(it.evidence_text), str(m_res.coverage.measureIds(*m_ctx.measures, it.p))};
    L.add({}, vals);
  }
  m_meta["action_plan_rows"] = m_res.plan.items.size();
  m_meta["action_plan_places"] = m_res.plan.places.size();
}

void LayerWriter::perceptionSplits() {
  const auto& places = *m_ctx.places;
  const std::string key = layer("perception_splits");
  auto& L = m_ctx.gpkg->createLayer(
      {.name = key,
       .geom = GeomType::None,
       .fields = {{"place_id", FieldType::String}, {"round", FieldType::String}, {"dimension", FieldType::String},
                  {"grp", FieldType::String}, {"answers", FieldType::Integer64}, {"mean_answer", FieldType::Real},
                  {"pins", FieldType::Integer64}},
       .title = fmt::format("Perceived safety by time of day, gender and age band ({})", m_o.prefix),
       .description = "Survey answers and unsafe pins per place, round and group"});
  std::int64_t suppressed_groups = 0;
  for (const auto& a : m_res.splits) {
    const bool small_ans = m_sup.small(a.answers);
    if (small_ans && a.dimension != "all") ++suppressed_groups;
    const Value vals[] = {str(places[a.p].id), str(m_res.rounds[a.r].name), str(a.dimension), str(a.group),
                          m_sup.count(a.answers, key + ".answers"),
                          small_ans ? Value{} : real(a.answers ? a.sum / static_cast<double>(a.answers) : NAN),
                          m_sup.count(a.pins, key + ".pins")};
    L.add({}, vals);
  }
  if (m_ctx.publish) m_meta["suppressed_survey_groups"] = suppressed_groups;
}

}  // namespace trygg::plugins::safety
