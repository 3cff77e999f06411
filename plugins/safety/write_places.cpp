// The writer, section factors: place_factors, places_<round>, action_plan,
// perception_splits.
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
       .geom = GeomType::Point,
       .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"area_id", FieldType::String},
                  {"round", FieldType::String}, {"factor", FieldType::String}, {"label_sv", FieldType::String},
                  {"label_en", FieldType::String}, {"group", FieldType::String}, {"metric", FieldType::String},
                  {"value", FieldType::Real}, {"score", FieldType::Real}, {"colour", FieldType::String},
                  {"evidence", FieldType::Integer64}, {"too_little_evidence", FieldType::Boolean},
                  {"expected", FieldType::Real}, {"p_value", FieldType::Real}, {"guarded", FieldType::Boolean},
                  {"note", FieldType::String}},
       .title = fmt::format("Factor scores and colours per place ({})", m_o.prefix),
       .description = "One row per place × factor × round: raw value, 0–20 score, colour, evidence",
       .style_qml = data::qmlTrafficLight(GeomType::Point, "colour")});
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
        L.add(m_anchor[p], vals);
      }
}

void LayerWriter::placesPerRound() {
  const auto& places = *m_ctx.places;
  data::QmlLabel label{.field = "name", .size_pt = 8};
  std::array<std::int64_t, 4> overall_count{};
  for (std::size_t r = 0; r < m_res.rounds.size(); ++r) {
    auto& L = m_ctx.gpkg->createLayer(
        {.name = fmt::format("{}_places_{}", m_o.prefix, m_res.rounds[r].name),
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
         .title = fmt::format("Places by factor group, round {} ({})", m_res.rounds[r].name, m_o.prefix),
         .description = "Colour per factor group (worst factor of the group); overall = worst group",
         .style_qml = data::qmlTrafficLight(GeomType::Point, "overall", &label, 4.0)});
    for (std::size_t p = 0; p < places.size(); ++p) {
      const auto& s = m_res.places[r][p];
      if (r == m_res.last()) ++overall_count[static_cast<std::size_t>(s.worst_group)];
      const Value vals[] = {str(places[p].id), str(places[p].name), str(places[p].kind), str(areaIdOf(p)),
                            str(m_res.rounds[r].name), colourValue(s.group[0]), colourValue(s.group[1]),
                            colourValue(s.group[2]), colourValue(s.group[3]), colourValue(s.actual),
                            colourValue(s.perceived_overall), colourValue(s.worst_group), str(s.worst_factors),
                            i64(s.n[1]), i64(s.n[2]), i64(s.n[3]), i64(s.n[0])};
      L.add(m_anchor[p], vals);
    }
  }
  m_meta["places_overall_last_round"] = {{"red", overall_count[1]}, {"yellow", overall_count[2]},
                                         {"green", overall_count[3]}, {"not_assessed", overall_count[0]}};
}

void LayerWriter::actionPlan() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  const std::size_t last = m_res.last();
  auto& L = m_ctx.gpkg->createLayer(
      {.name = layer("action_plan"),
       .geom = GeomType::Point,
       .fields = {{"rank", FieldType::Integer}, {"place_id", FieldType::String}, {"place_name", FieldType::String},
                  {"area_id", FieldType::String}, {"factor", FieldType::String}, {"label_sv", FieldType::String},
                  {"group", FieldType::String}, {"colour", FieldType::String}, {"score", FieldType::Real},
                  {"value", FieldType::Real}, {"evidence", FieldType::Integer64}, {"evidence_text", FieldType::String},
                  {"measures", FieldType::String}},
       .title = fmt::format("Action plan: places and factors, worst first ({})", m_o.prefix),
       .description = fmt::format("Round {}: red then yellow, lowest score first", m_res.rounds[last].name),
       .style_qml = data::qmlTrafficLight(GeomType::Point, "colour")});
  for (const auto& it : m_res.plan.items) {
    const auto& fa = cat.factors[it.f];
    const auto& v = m_res.A.at(last, it.p, it.f);
    const Value vals[] = {i64(it.rank), str(places[it.p].id), str(places[it.p].name), str(areaIdOf(it.p)),
                          str(fa.id), str(fa.label_sv), str(std::string(groupId(fa.group))),
                          colourValue(v.colour), real(v.score), it.small ? Value{} : real(v.value),
                          isCountSource(fa) ? m_sup.count(v.evidence, layer("action_plan") + ".evidence")
                                            : i64(v.evidence),
                          str(it.evidence_text), str(m_res.coverage.measureIds(*m_ctx.measures, it.p))};
    L.add(m_anchor[it.p], vals);
  }
  m_meta["action_plan_rows"] = m_res.plan.items.size();
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
