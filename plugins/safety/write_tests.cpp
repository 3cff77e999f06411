// The writer, section tests: incident_tests and sppt.
#include <cmath>

#include <fmt/format.h>

#include "data/qml.hpp"
#include "plugins/safety/writer.hpp"

namespace trygg::plugins::safety {

using data::FieldType;
using data::GeomType;
using data::Value;

void LayerWriter::incidentTests() {
  const auto& t = *m_res.incidents;
  const std::string key = layer("incident_tests");
  auto& L = m_ctx.gpkg->createLayer(
      {.name = key,
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
                  {"significant", FieldType::Boolean},
                  {"direction", FieldType::String, "rose, fell, no_change or no_data (the rate ratio after/before)"},
                  {"change_pct", FieldType::Real, "100 (rate ratio - 1): the change of the daily rate in %"},
                  {"result", FieldType::String, "rose_significant, fell_significant, not_significant, no_data"}},
       .title = fmt::format("Incident change tests ({})", m_o.prefix),
       .description = "Exact Poisson rate ratio after/before (R's poisson.test), ratio of rate ratios vs the "
                      "control, WDQ with a buffer ring",
       .style_qml = data::qmlCategorized(GeomType::MultiPolygon, "result",
                                         {{"rose_significant", "rose (significant)", data::kColourRed},
                                          {"fell_significant", "fell (significant)", data::kColourGreen},
                                          {"not_significant", "no significant change", "#9e9e9e"},
                                          {"no_data", "no incidents in either period", data::kColourNotAssessed}},
                                         nullptr, 2.0, true)});
  for (const auto& u : t.units) {
    const bool empty = u.before + u.after == 0;
    const Value v[] = {str(u.type), str(u.id), str(u.name), m_sup.count(u.before, key + ".before"),
                       m_sup.count(u.after, key + ".after"), real(t.days_before), real(t.days_after),
                       real(u.test.rateRatio), real(u.test.confLow), real(u.test.confHigh),
                       real(empty ? NAN : u.test.pValue), m_sup.count(t.control_before, key + ".control"),
                       m_sup.count(t.control_after, key + ".control"), real(u.rrr.ratio), real(u.rrr.confLow),
                       real(u.rrr.confHigh), real(u.rrr.pValue), m_sup.count(u.buffer_before, key + ".buffer"),
                       m_sup.count(u.buffer_after, key + ".buffer"), real(u.wdq.applicable ? u.wdq.wdq : NAN),
                       str(std::string(geo::change::toString(u.wdq.verdict))),
                       str(u.wdq.applicable ? u.wdq.interpretation : u.wdq.reason), boolean(u.significant),
                       str(u.direction), real(u.change_pct),
                       str(u.direction == "no_data" ? "no_data"
                           : u.significant          ? u.direction + "_significant"
                                                    : "not_significant")};
    L.add(u.geom, v);
  }
  m_meta["tests"] = {{"units", t.units.size()}, {"control_before", t.control_before},
                     {"control_after", t.control_after}, {"wdq_buffer_m", m_o.wdq_buffer_m},
                     {"control_gap_m", m_o.control_gap_m},
                     {"control", "the study extent minus every area and measure place grown by wdq_buffer + control_gap"}};
}

void LayerWriter::sppt() {
  const auto& t = *m_res.incidents;
  if (!t.sppt_ran) {
    m_meta["sppt"] = "not run: no incidents in one of the periods";
    return;
  }
  const auto& s = t.sppt;
  const std::string key = layer("sppt");
  auto& LS = m_ctx.gpkg->createLayer(
      {.name = key,
       .geom = GeomType::Polygon,
       .fields = {{"unit_id", FieldType::String}, {"before", FieldType::Integer64}, {"after", FieldType::Integer64},
                  {"before_pct", FieldType::Real}, {"after_pct", FieldType::Real}, {"conf_low", FieldType::Real},
                  {"conf_high", FieldType::Real}, {"s_index", FieldType::Integer}, {"similar", FieldType::Boolean}},
       .title = fmt::format("Spatial point pattern test, before vs after ({})", m_o.prefix),
       .description = fmt::format("Andresen's S-index: base = before, test = after; global S {:.3f}", s.globalS),
       .style_qml = data::qmlCategorized(GeomType::Polygon, "s_index",
                                         {{"-1", "share rose after", data::kColourRed},
                                          {"0", "similar", "#e0e0e0"},
                                          {"1", "share fell after", data::kColourGreen}})});
  for (std::size_t k = 0; k < s.units.size(); ++k) {
    const auto& uu = s.units[k];
    const Value v[] = {str(t.cell_ids[k]), m_sup.count(uu.baseCount, key + ".before"),
                       m_sup.count(uu.testCount, key + ".after"), real(uu.basePercent), real(uu.testPercent),
                       real(uu.confLow), real(uu.confHigh), i64(uu.sIndex), boolean(uu.similar)};
    LS.add(t.cells[k], v);
  }
  m_meta["sppt"] = {{"units", m_o.sppt_units}, {"unit_count", s.units.size()}, {"global_s", s.globalS},
                    {"global_s_robust", std::isfinite(s.globalSRobust) ? s.globalSRobust : -1},
                    {"seed", m_o.seed}, {"samples", m_o.sppt_samples}};
}

}  // namespace trygg::plugins::safety
