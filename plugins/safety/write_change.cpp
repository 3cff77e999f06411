// The writer, section change: factor_changes (table), place_changes,
// perception_change, area_change.
#include <cmath>

#include <fmt/format.h>

#include "data/qml.hpp"
#include "plugins/safety/writer.hpp"

namespace trygg::plugins::safety {

using data::FieldType;
using data::GeomType;
using data::Value;
namespace sc = geo::scoring;

void LayerWriter::factorChanges() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  const auto& ch = *m_res.change;
  auto& L = m_ctx.gpkg->createLayer(
      {.name = layer("factor_changes"),
       .geom = GeomType::None,
       .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"area_id", FieldType::String},
                  {"factor", FieldType::String}, {"group", FieldType::String}, {"colour_before", FieldType::String},
                  {"colour_after", FieldType::String}, {"score_before", FieldType::Real},
                  {"score_after", FieldType::Real}, {"change", FieldType::String}},
       .title = fmt::format("Colour changes {} → {} ({})", m_res.rounds[0].name, m_res.rounds[m_res.last()].name,
                            m_o.prefix),
       .description = "improved / unchanged / worse / not_comparable per place × factor (no geometry: the map is "
                      "place_changes)"});
  for (std::size_t p = 0; p < places.size(); ++p)
    for (std::size_t f = 0; f < cat.factors.size(); ++f) {
      const auto& c = ch.at(p, f);
      const Value vals[] = {str(places[p].id), str(places[p].name), str(areaIdOf(p)), str(cat.factors[f].id),
                            str(std::string(groupId(cat.factors[f].group))), colourValue(c.before),
                            colourValue(c.after), real(c.score_before), real(c.score_after),
                            str(std::string(sc::changeId(c.change)))};
      L.add({}, vals);
    }
}

// One feature per place: counts of improved / unchanged / worse, the place's
// change class, and each factor's transition ("red→green") as a column.
void LayerWriter::placeChanges() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  const auto& ch = *m_res.change;
  std::vector<data::FieldDef> fields = {
      {"place_id", FieldType::String}, {"name", FieldType::String}, {"area_id", FieldType::String},
      {"n_improved", FieldType::Integer}, {"n_unchanged", FieldType::Integer}, {"n_worse", FieldType::Integer},
      {"n_not_comparable", FieldType::Integer},
      {"share_improved", FieldType::Real, "Improved / factors coloured in both rounds"},
      {"change", FieldType::String,
       "improved (more factors improved than got worse), worse (the opposite), mixed (as many), unchanged, "
       "not_comparable"},
      {"label", FieldType::String}};
  for (const auto& fa : cat.factors) fields.push_back({fa.id, FieldType::String, fa.label_en});
  data::QmlLabel label{.field = "label", .size_pt = 8};
  auto& L = m_ctx.gpkg->createLayer(
      {.name = layer("place_changes"),
       .geom = GeomType::Point,
       .fields = fields,
       .title = fmt::format("Colour changes per place {} → {} ({})", m_res.rounds[0].name,
                            m_res.rounds[m_res.last()].name, m_o.prefix),
       .description = "One point per place: factors improved / unchanged / worse, and each factor's colour "
                      "transition (NULL: not comparable)",
       .style_qml = data::qmlCategorized(GeomType::Point, "change",
                                         {{"improved", "improved (more improved than worse)", data::kColourGreen},
                                          {"mixed", "mixed (as many improved as worse)", "#7b3294"},
                                          {"unchanged", "unchanged", "#9e9e9e"},
                                          {"worse", "worse (more worse than improved)", data::kColourRed},
                                          {"not_comparable", "not comparable", data::kColourNotAssessed}},
                                         &label, 4.0)});
  for (std::size_t p = 0; p < places.size(); ++p) {
    const auto& pc = ch.places[p];
    const auto& s = pc.summary;
    std::vector<Value> v{str(places[p].id), str(places[p].name), str(areaIdOf(p)), i64(s.improved),
                         i64(s.unchanged), i64(s.worse), i64(s.not_comparable), real(s.shareImproved()),
                         str(std::string(placeChangeId(pc.change))), str(pc.label)};
    for (std::size_t f = 0; f < cat.factors.size(); ++f) {
      const auto& c = ch.at(p, f);
      v.push_back(c.change == sc::Change::NotComparable
                      ? Value{}
                      : str(fmt::format("{}→{}", sc::colourId(c.before), sc::colourId(c.after))));
    }
    L.add(m_anchor[p], v);
  }
}

void LayerWriter::perceptionChange() {
  const auto& places = *m_ctx.places;
  const auto& t = *m_res.perception;
  const std::string key = layer("perception_change");
  auto& Lp = m_ctx.gpkg->createLayer(
      {.name = key,
       .geom = GeomType::Point,
       .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String},
                  {"answers_before", FieldType::Integer64}, {"answers_after", FieldType::Integer64},
                  {"mean_before", FieldType::Real}, {"mean_after", FieldType::Real},
                  {"w", FieldType::Real}, {"p_value", FieldType::Real}, {"improved", FieldType::Boolean},
                  {"result", FieldType::String, "improved, no_improvement or too_few_answers"}},
       .title = fmt::format("Perceived safety before/after per place ({})", m_o.prefix),
       .description = "Wilcoxon rank-sum (Mann–Whitney, normal approximation with tie and continuity "
                      "corrections, as R's wilcox.test(exact = FALSE)), one-sided: answers improved",
       .style_qml = data::qmlCategorized(GeomType::Point, "result",
                                         {{"improved", "improved (p < alpha)", data::kColourGreen},
                                          {"no_improvement", "no significant improvement", "#9e9e9e"},
                                          {"too_few_answers", "too few answers to test", data::kColourNotAssessed}},
                                         nullptr, 3.0)});
  std::int64_t improved_places = 0;
  for (std::size_t p = 0; p < places.size(); ++p) {
    if (!t.place_has[p]) continue;
    const auto& r = t.place[p];
    const bool small = m_sup.small(r.n_x) || m_sup.small(r.n_y);
    const bool imp = !small && std::isfinite(r.p) && r.p < m_o.alpha;
    improved_places += imp;
    const Value vals[] = {str(places[p].id), str(places[p].name), m_sup.count(r.n_x, key + ".answers"),
                          m_sup.count(r.n_y, key + ".answers"), small ? Value{} : real(r.mean_x),
                          small ? Value{} : real(r.mean_y), small ? Value{} : real(r.w), small ? Value{} : real(r.p),
                          boolean(imp),
                          str(imp ? "improved" : small || !std::isfinite(r.p) ? "too_few_answers" : "no_improvement")};
    Lp.add(m_anchor[p], vals);
  }
  m_meta["perceived_safety_improved_places"] = improved_places;
}

void LayerWriter::areaChange() {
  const auto& areas = *m_ctx.areas;
  const auto& ch = *m_res.change;
  const auto& t = *m_res.perception;
  const std::string key = layer("area_change");
  data::QmlLabel label{.field = "label", .size_pt = 9};
  auto& LA = m_ctx.gpkg->createLayer(
      {.name = key,
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
                  {"pins_p", FieldType::Real},
                  {"assessed", FieldType::Boolean, "Has place × factor pairs coloured in both rounds"},
                  {"label", FieldType::String}},
       .title = fmt::format("Before/after per area against the {:.0f} % goal ({})", 100 * m_o.min_improved_share,
                            m_o.prefix),
       .description = "share_improved = improved / place × factor pairs coloured in both rounds",
       .style_qml = data::qmlShareImproved(GeomType::MultiPolygon, "share_improved", m_o.min_improved_share,
                                           &label)});
  auto& jareas = m_meta["areas"] = nlohmann::json::array();
  for (std::size_t a = 0; a < areas.size(); ++a) {
    const auto& s = ch.areas[a];
    const auto& r = t.area[a];
    const auto& pt = t.pins_test[a];
    const bool small = m_sup.small(r.n_x) || m_sup.small(r.n_y);
    const double ms = ch.measures[a] > 0
                          ? static_cast<double>(ch.measures_started_done[a]) / static_cast<double>(ch.measures[a])
                          : NAN;
    std::vector<Value> v{str(areas[a].id), str(areas[a].name), i64(s.pairs), i64(s.improved), i64(s.unchanged),
                         i64(s.worse), i64(s.not_comparable), real(s.shareImproved()), i64(s.not_green_before),
                         real(s.shareImprovedNotGreen())};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) v.push_back(i64(s.matrix[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)]));
    v.push_back(real(m_o.min_improved_share));
    v.push_back(boolean(s.goalMet(m_o.min_improved_share)));
    v.push_back(i64(ch.measures[a]));
    v.push_back(i64(ch.measures_started_done[a]));
    v.push_back(real(ms));
    v.push_back(boolean(std::isfinite(ms) && ms >= m_o.min_measures_share));
    v.push_back(m_sup.count(r.n_x, key + ".survey_n"));
    v.push_back(m_sup.count(r.n_y, key + ".survey_n"));
    v.push_back(small ? Value{} : real(r.mean_x));
    v.push_back(small ? Value{} : real(r.mean_y));
    v.push_back(small ? Value{} : real(r.p));
    v.push_back(boolean(!small && std::isfinite(r.p) && r.p < m_o.alpha));
    v.push_back(m_sup.count(t.pins_before[a], key + ".pins"));
    v.push_back(m_sup.count(t.pins_after[a], key + ".pins"));
    v.push_back(real(pt.rateRatio));
    v.push_back(real(t.pins_before[a] + t.pins_after[a] > 0 ? pt.pValue : NAN));
    v.push_back(boolean(s.pairs > 0));
    v.push_back(str(s.pairs > 0 ? fmt::format("{}: {:.0f} % improved{}", areas[a].name, 100 * s.shareImproved(),
                                              s.goalMet(m_o.min_improved_share) ? " (goal met)" : "")
                                : fmt::format("{}: not assessed", areas[a].name)));
    LA.add(areas[a].geom.wkb, v);
    jareas.push_back({{"area_id", areas[a].id}, {"name", areas[a].name}, {"pairs", s.pairs},
                      {"improved", s.improved},
                      {"share_improved", std::isfinite(s.shareImproved()) ? s.shareImproved() : -1},
                      {"goal_met", s.goalMet(m_o.min_improved_share)}});
  }
  const auto& total = ch.total;
  m_meta["total"] = {{"pairs", total.pairs}, {"improved", total.improved}, {"unchanged", total.unchanged},
                     {"worse", total.worse}, {"not_comparable", total.not_comparable},
                     {"share_improved", std::isfinite(total.shareImproved()) ? total.shareImproved() : -1}};
  m_meta["survey_test"] = t.description;
}

}  // namespace trygg::plugins::safety
