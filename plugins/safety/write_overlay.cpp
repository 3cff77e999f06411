// The writer, sections overlay and what_if: measure_cover, what_if, what_if_items (table).
#include <cmath>

#include <fmt/format.h>

#include "data/qml.hpp"
#include "plugins/safety/writer.hpp"

namespace trygg::plugins::safety {

using data::FieldType;
using data::GeomType;
using data::Value;
namespace sc = geo::scoring;

void LayerWriter::measureCover() {
  const auto& measures = *m_ctx.measures;
  const auto& o = *m_res.overlay;
  const std::size_t last = m_res.last();
  auto& L = m_ctx.gpkg->createLayer(
      {.name = layer("measure_cover"),
       .geom = GeomType::MultiPolygon,
       .fields = {{"measure_id", FieldType::String}, {"kind", FieldType::String}, {"status", FieldType::String},
                  {"date", FieldType::DateTime}, {"places", FieldType::String}, {"n_places", FieldType::Integer},
                  {"unsafe_pins", FieldType::Integer64}, {"red_factors", FieldType::String},
                  {"n_red_factors", FieldType::Integer}, {"hotspot_cells", FieldType::Integer}},
       .title = fmt::format("What each measure covers ({})", m_o.prefix),
       .description = fmt::format("Coverage: the radius around a light or camera, the polygon itself, lines "
                                  "buffered by {} m; pins and colours of round {}",
                                  m_o.line_radius_m, m_res.rounds[last].name),
       // The palette of the measures_* base layers (planned blue, started orange, done green).
       .style_qml = data::qmlMeasureStatus(GeomType::MultiPolygon, "status", 2.0, true)});
  for (const auto& row : o.rows) {
    const auto& m = measures[row.measure];
    const Value v[] = {str(m.id), str(m.kind), str(m.status),
                       m.date == kNoTime ? Value{} : Value{static_cast<std::int64_t>(m.date)}, str(row.places),
                       i64(static_cast<std::int64_t>(m_res.coverage.covered_places[row.measure].size())),
                       m_sup.count(row.unsafe_pins, layer("measure_cover") + ".unsafe_pins"), str(row.red_factors),
                       i64(row.n_red_factors), row.hotspot_cells ? Value{*row.hotspot_cells} : Value{}};
    L.add(m_res.coverage.cover[row.measure], v);
  }
  m_meta["overlay"] = {
      {"measures", measures.size()}, {"measures_covering_places", o.covering},
      {"hotspot_cells", !o.hotspot_analysis.empty()
                            ? "hot cells (Gi_Bin > 0) of analysis '" + o.hotspot_analysis +
                                  "' intersecting the measure's coverage"
                            : std::string("not computed: no hotspot.getis_ord analysis ran before this one; list one "
                                          "earlier in the project file")}};
}

namespace {

// Every flip between colours, drawn in the colour it flips to; no flip grey.
std::vector<data::QmlCategory> flipCategories() {
  using sc::Colour;
  const Colour cs[] = {Colour::Red, Colour::Yellow, Colour::Green, Colour::NotAssessed};
  const char* fill[] = {data::kColourRed, data::kColourYellow, data::kColourGreen, data::kColourNotAssessed};
  std::vector<data::QmlCategory> out;
  for (std::size_t to = 0; to < 4; ++to)
    for (std::size_t from = 0; from < 4; ++from) {
      if (from == to) continue;
      const auto t = fmt::format("{}→{}", sc::colourId(cs[from]), sc::colourId(cs[to]));
      out.push_back({t, t, fill[to]});
    }
  out.push_back({"", "colour stays (value changes)", "#9e9e9e"});
  return out;
}

}  // namespace

// One point per place whose value changes: the biggest flip (`flip`, what the
// style draws), every flip in words, the headline class now and as if done;
// the place × factor rows in the table what_if_items.
void LayerWriter::whatIf() {
  const auto& places = *m_ctx.places;
  const auto& cat = m_res.cat;
  const auto& wr = *m_res.what_if;
  data::QmlLabel label{.field = "flip", .size_pt = 8};
  auto& LP = m_ctx.gpkg->createLayer(
      {.name = layer("what_if"),
       .geom = GeomType::Point,
       .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String},
                  {"factor", FieldType::String, "The factors whose value changes"},
                  {"n_changed", FieldType::Integer}, {"colour_changes", FieldType::Boolean},
                  {"flip", FieldType::String, "The biggest colour change, e.g. red→green (NULL: no colour changes)"},
                  {"flips", FieldType::String, "Every colour change, with its factor"},
                  {"overall_now", FieldType::String, "The headline class now"},
                  {"overall_what_if", FieldType::String, "The headline class as if the measures were done"},
                  {"measures", FieldType::String}},
       .title = fmt::format("What if the planned measures were done ({})", m_o.prefix),
       .description = fmt::format("One point per place whose overlay factors (round {}) change when every planned "
                                  "and started measure is done; the rows are in what_if_items",
                                  m_res.rounds[m_res.last()].name),
       .style_qml = data::qmlCategorized(GeomType::Point, "flip", flipCategories(), &label, 4.0)});
  for (const auto& wp : wr.places) {
    std::string factors, flips;
    for (auto k : wp.rows) {
      const auto& w = wr.rows[k];
      factors += (factors.empty() ? "" : ",") + cat.factors[w.f].id;
      if (w.flips) flips += (flips.empty() ? "" : "; ") + cat.factors[w.f].id + " " + w.flip;
    }
    const Value v[] = {str(places[wp.p].id), str(places[wp.p].name), str(factors),
                       i64(static_cast<std::int64_t>(wp.rows.size())), boolean(wp.best >= 0),
                       wp.best >= 0 ? str(wr.rows[static_cast<std::size_t>(wp.best)].flip) : Value{},
                       flips.empty() ? Value{} : str(flips), colourValue(wp.overall_now),
                       colourValue(wp.overall_what_if), str(m_res.coverage.measureIds(*m_ctx.measures, wp.p))};
    LP.add(m_anchor[wp.p], v);
  }
  auto& L = m_ctx.gpkg->createLayer(
      {.name = layer("what_if_items"),
       .geom = GeomType::None,
       .fields = {{"place_id", FieldType::String}, {"place_name", FieldType::String}, {"factor", FieldType::String},
                  {"value_now", FieldType::Real}, {"value_what_if", FieldType::Real}, {"score_now", FieldType::Real},
                  {"score_what_if", FieldType::Real}, {"colour_now", FieldType::String},
                  {"colour_what_if", FieldType::String}, {"colour_changes", FieldType::Boolean},
                  {"measures", FieldType::String},
                  {"flip", FieldType::String, "The colour's change, e.g. red→green (NULL: the colour stays)"}},
       .title = fmt::format("What if the planned measures were done: place × factor ({})", m_o.prefix),
       .description = fmt::format("Overlay factors of round {} re-scored with every planned and started measure "
                                  "done; rows where the value changes",
                                  m_res.rounds[m_res.last()].name)});
  std::int64_t flips = 0;
  auto& jf = m_meta["what_if_flips"] = nlohmann::json::array();
  for (const auto& w : wr.rows) {
    if (w.flips) {
      ++flips;
      jf.push_back(fmt::format("{} {}: {} -> {}", places[w.p].id, cat.factors[w.f].id, sc::colourId(w.now.colour),
                               sc::colourId(w.what_if.colour)));
    }
    const Value v[] = {str(places[w.p].id), str(places[w.p].name), str(cat.factors[w.f].id), real(w.now.value),
                       real(w.what_if.value), real(w.now.score), real(w.what_if.score), colourValue(w.now.colour),
                       colourValue(w.what_if.colour), boolean(w.flips),
                       str(m_res.coverage.measureIds(*m_ctx.measures, w.p)), w.flips ? str(w.flip) : Value{}};
    L.add({}, v);
  }
  m_meta["what_if"] = {{"values_changed", wr.rows.size()}, {"colours_changed", flips},
                       {"places", wr.places.size()}};
}

}  // namespace trygg::plugins::safety
