#include "engine/outputs.hpp"

#include <array>
#include <cmath>
#include <cstring>
#include <map>

#include <fmt/format.h>

#include "core/category.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/runner.hpp"
#include "geo/index/wkb_read.hpp"

namespace trygg::engine {

using data::FieldDef;
using data::FieldType;
using data::GeomType;
using data::LayerSpec;
using data::Value;

std::vector<std::uint8_t> pointWkb(Point p) {
  std::vector<std::uint8_t> w(21);
  w[0] = 1;
  const std::uint32_t type = 1;
  std::memcpy(&w[1], &type, 4);
  std::memcpy(&w[5], &p.x, 8);
  std::memcpy(&w[13], &p.y, 8);
  return w;
}

std::string joinIds(std::span<const std::uint32_t> offsets, std::span<const std::uint32_t> ids, std::size_t i,
                    const std::vector<std::string>& names) {
  std::string s;
  if (i + 1 >= offsets.size()) return s;
  for (auto k = offsets[i]; k < offsets[i + 1]; ++k) {
    if (!s.empty()) s += ',';
    s += names[ids[k]];
  }
  return s;
}

namespace {

Value str(std::string s) { return Value{std::move(s)}; }
Value i64(std::int64_t v) { return Value{v}; }
Value real(double v) { return std::isfinite(v) ? Value{v} : Value{}; }
Value timeValue(EpochSeconds t) { return t == kNoTime ? Value{} : Value{static_cast<std::int64_t>(t)}; }

// The output layer a geometry goes to: points, lines or polygons.
GeomType measureGeomClass(const model::Geometry& g) {
  if (g.wkb.size() < 5) return GeomType::None;
  using W = geo::wkb::GeomType;
  switch (geo::wkb::geometryType(g.wkb)) {
    case W::Point: case W::MultiPoint: return GeomType::Point;
    case W::LineString: case W::MultiLineString: return GeomType::LineString;
    default: return GeomType::MultiPolygon;
  }
}

}  // namespace

OutputReport writeBaseLayers(const LoadedProject& lp, data::GpkgWriter& w, const OutputOptions& opt) {
  OutputReport report;
  std::vector<std::string> area_ids;
  for (const auto& a : lp.areas) area_ids.push_back(a.id);
  std::vector<std::string> place_ids;
  for (const auto& p : lp.places) place_ids.push_back(p.id);

  // Counts per area: incidents by category, observations by colour band.
  const std::size_t na = lp.areas.size();
  std::vector<std::array<std::int64_t, kCategoryCount>> by_cat(na);
  std::vector<std::int64_t> total(na, 0), stacked(na, 0);
  const auto& inc = lp.incidents;
  for (std::size_t i = 0; i < inc.size(); ++i)
    for (auto k = inc.area_offsets[i]; k < inc.area_offsets[i + 1]; ++k) {
      const auto a = inc.area_ids[k];
      ++by_cat[a][static_cast<std::size_t>(inc.category[i])];
      ++total[a];
      if (inc.flags[i] & model::kFlagStacked) ++stacked[a];
    }
  std::vector<std::array<std::int64_t, 3>> obs_band(na, {0, 0, 0});
  std::vector<std::int64_t> obs_total(na, 0);
  for (std::size_t i = 0; i < lp.observations.size(); ++i) {
    const double s = lp.observations[i].score;
    const int band = !(s >= 20.0 / 3.0) ? 0 : (s < 40.0 / 3.0 ? 1 : 2);
    for (auto k = lp.observation_area_offsets[i]; k < lp.observation_area_offsets[i + 1]; ++k) {
      ++obs_band[lp.observation_area_ids[k]][band];
      ++obs_total[lp.observation_area_ids[k]];
    }
  }
  auto suppress = [&](std::int64_t n) -> Value {
    if (opt.publish && n > 0 && n < opt.suppress_below) {
      ++report.suppressed_cells;
      return Value{};
    }
    return Value{n};
  };

  {  // areas
    auto& L = w.createLayer({.name = "areas", .geom = GeomType::MultiPolygon,
                             .fields = {{"area_id", FieldType::String}, {"name", FieldType::String},
                                        {"repaired", FieldType::Boolean}},
                             .title = "Delimited areas", .description = "Delimited areas (avgränsade områden)",
                             .style_qml = data::qmlAreas("name")});
    for (const auto& a : lp.areas) {
      const Value v[] = {str(a.id), str(a.name), i64(a.repaired)};
      L.add(a.geom.wkb, v);
    }
  }
  {  // area summary
    std::vector<FieldDef> f{{"area_id", FieldType::String}, {"name", FieldType::String},
                            {"incidents", FieldType::Integer64}, {"stacked", FieldType::Integer64}};
    for (const auto& c : categoryTable()) f.push_back({fmt::format("n_{}", c.id), FieldType::Integer64, std::string(c.label_en)});
    for (const char* b : {"obs_red", "obs_yellow", "obs_green", "observations"}) f.push_back({b, FieldType::Integer64});
    double maxn = 1;
    for (auto t : total) maxn = std::max(maxn, static_cast<double>(t));
    // Whole-number classes whose labels say exactly which counts they hold.
    data::QmlLabel label{.field = "name"};
    auto& L = w.createLayer({.name = "area_summary", .geom = GeomType::MultiPolygon, .fields = f,
                             .title = "Area summary", .description = "Incidents by category and observations by colour per area",
                             .style_qml = data::qmlCountChoropleth(GeomType::MultiPolygon, "incidents", maxn, &label)});
    for (std::size_t a = 0; a < na; ++a) {
      std::vector<Value> v{str(lp.areas[a].id), str(lp.areas[a].name), suppress(total[a]), suppress(stacked[a])};
      for (std::size_t c = 0; c < kCategoryCount; ++c) v.push_back(suppress(by_cat[a][c]));
      for (int b = 0; b < 3; ++b) v.push_back(suppress(obs_band[a][b]));
      v.push_back(suppress(obs_total[a]));
      L.add(lp.areas[a].geom.wkb, v);
    }
  }
  {  // places
    std::vector<data::QmlCategory> kinds;
    std::map<std::string, int> seen;
    // 16 distinguishable colours (ColorBrewer Paired, then Dark2): the demo has 16 kinds.
    const char* palette[] = {"#1f78b4", "#33a02c", "#e31a1c", "#ff7f00", "#6a3d9a", "#b15928", "#a6cee3", "#b2df8a",
                             "#fb9a99", "#fdbf6f", "#cab2d6", "#ffff99", "#1b9e77", "#d95f02", "#7570b3", "#e7298a"};
    for (const auto& p : lp.places)
      if (!seen.count(p.kind)) {
        const int k = static_cast<int>(seen.size());
        seen[p.kind] = k;
        kinds.push_back({p.kind, p.kind.empty() ? "(no kind)" : p.kind, palette[k % 16]});
      }
    data::QmlLabel label{.field = "name", .size_pt = 8};
    auto& L = w.createLayer({.name = "places", .geom = GeomType::Point,
                             .fields = {{"place_id", FieldType::String}, {"name", FieldType::String},
                                        {"kind", FieldType::String}, {"radius", FieldType::Real},
                                        {"areas", FieldType::String}, {"polygon", FieldType::Boolean}},
                             .title = "Places", .description = "Places (platser) at their anchor point",
                             .style_qml = kinds.empty() ? data::qmlSingle(GeomType::Point, "#1f78b4", false, &label, 3.0)
                                                        : data::qmlCategorized(GeomType::Point, "kind", kinds, &label, 3.0)});
    for (std::size_t i = 0; i < lp.places.size(); ++i) {
      const auto& p = lp.places[i];
      const bool poly = measureGeomClass(p.geom) == GeomType::MultiPolygon;
      const Value v[] = {str(p.id), str(p.name), str(p.kind), real(p.radius),
                         str(joinIds(lp.place_area_offsets, lp.place_area_ids, i, area_ids)), i64(poly)};
      L.add(pointWkb(p.anchor), v);
    }
  }
  // Incidents: the publish profile writes no points of sensitive categories.
  {
    auto& L = w.createLayer({.name = "incidents", .geom = GeomType::Point,
                             .fields = {{"fid_store", FieldType::Integer64}, {"category", FieldType::String},
                                        {"time_from", FieldType::DateTime}, {"time_to", FieldType::DateTime},
                                        {"weight", FieldType::Real}, {"stacked", FieldType::Boolean},
                                        {"low_precision", FieldType::Boolean}, {"areas", FieldType::String},
                                        {"places", FieldType::String}},
                             .title = "Incidents", .description = "Reported incidents in the working CRS",
                             .style_qml = data::qmlIncidentCategories(GeomType::Point, "category")});
    std::int64_t omitted = 0;
    for (std::size_t i = 0; i < inc.size(); ++i) {
      if (opt.publish && categoryInfo(inc.category[i]).sensitive) {
        ++omitted;
        continue;
      }
      const Value v[] = {i64(inc.fid.empty() ? static_cast<std::int64_t>(i + 1) : inc.fid[i]),
                         str(std::string(categoryId(inc.category[i]))), timeValue(inc.t_from[i]), timeValue(inc.t_to[i]),
                         real(inc.weight[i]), i64((inc.flags[i] & model::kFlagStacked) != 0),
                         i64((inc.flags[i] & model::kFlagLowPrecision) != 0),
                         str(joinIds(inc.area_offsets, inc.area_ids, i, area_ids)),
                         str(joinIds(lp.incident_place_offsets, lp.incident_place_ids, i, place_ids))};
      L.add(pointWkb(inc.pts[i]), v);
    }
    if (omitted) report.omitted_layers.push_back(fmt::format("incidents: {} points of sensitive categories", omitted));
  }
  {  // observations
    auto& L = w.createLayer({.name = "observations", .geom = GeomType::Point,
                             .fields = {{"source_id", FieldType::String}, {"round", FieldType::String},
                                        {"factor", FieldType::String}, {"rating_text", FieldType::String},
                                        {"score", FieldType::Real}, {"time", FieldType::DateTime},
                                        {"place_id", FieldType::String}, {"areas", FieldType::String},
                                        {"places", FieldType::String}, {"note", FieldType::String}},
                             .title = "Walk-inspection observations",
                             .description = "Safety-inspection observations, scored 0 (alarming) to 20 (good)",
                             .style_qml = data::qmlObservationRating(GeomType::Point, "score")});
    for (std::size_t i = 0; i < lp.observations.size(); ++i) {
      const auto& o = lp.observations[i];
      const Value v[] = {str(o.source_id), str(o.round), str(o.factor), str(o.rating_text), real(o.score),
                         timeValue(o.time), str(o.place_id),
                         str(joinIds(lp.observation_area_offsets, lp.observation_area_ids, i, area_ids)),
                         str(joinIds(lp.observation_place_offsets, lp.observation_place_ids, i, place_ids)),
                         str(o.note)};
      L.add(pointWkb(o.pt), v);
    }
  }
  {  // perception: pins as points, answers as a table
    const std::vector<FieldDef> f{{"source_id", FieldType::String}, {"round", FieldType::String},
                                  {"question", FieldType::String}, {"value", FieldType::Real},
                                  {"time_of_day", FieldType::String}, {"gender", FieldType::String},
                                  {"age_band", FieldType::String}, {"place_id", FieldType::String},
                                  {"area_id", FieldType::String}, {"areas", FieldType::String}};
    data::GpkgWriter::Layer* pins = nullptr;
    data::GpkgWriter::Layer* answers = nullptr;
    for (std::size_t i = 0; i < lp.perception.size(); ++i) {
      const auto& p = lp.perception[i];
      const bool pin = p.kind == model::Perception::Kind::Pin && p.has_point;
      if (pin && !pins)
        pins = &w.createLayer({.name = "perception_pins", .geom = GeomType::Point, .fields = f,
                               .title = "Unsafe pins", .description = "Map pins where respondents feel unsafe",
                               .style_qml = data::qmlSingle(GeomType::Point, "#7b3294", false, nullptr, 2.2)});
      if (!pin && !answers)
        answers = &w.createLayer({.name = "perception_answers", .geom = GeomType::None, .fields = f,
                                  .title = "Survey answers", .description = "Safety survey answers"});
      const Value v[] = {str(p.source_id), str(p.round), str(p.question), real(p.value), str(p.time_of_day),
                         opt.publish ? Value{} : str(p.gender), opt.publish ? Value{} : str(p.age_band),
                         str(p.place_id), str(p.area_id),
                         str(joinIds(lp.perception_area_offsets, lp.perception_area_ids, i, area_ids))};
      if (pin) pins->add(pointWkb(p.pt), v);
      else if (p.has_point) answers->add({}, v);
      else answers->add({}, v);
    }
  }
  {  // measures, one layer per geometry class
    const std::vector<FieldDef> f{{"measure_id", FieldType::String}, {"kind", FieldType::String},
                                  {"status", FieldType::String}, {"date", FieldType::DateTime},
                                  {"radius", FieldType::Real}};
    std::map<GeomType, data::GpkgWriter::Layer*> layers;
    for (const auto& m : lp.measures) {
      const GeomType g = measureGeomClass(m.geom);
      if (g == GeomType::None) continue;
      auto& L = layers[g];
      if (!L) {
        const char* suffix = g == GeomType::Point ? "points" : g == GeomType::LineString ? "lines" : "polygons";
        L = &w.createLayer({.name = fmt::format("measures_{}", suffix), .geom = g, .fields = f,
                            .title = fmt::format("Measures ({})", suffix),
                            .description = "Measures (åtgärder): street lights, vegetation, cameras",
                            .style_qml = data::qmlMeasureStatus(g, "status", 2.4)});
      }
      const Value v[] = {str(m.id), str(m.kind), str(m.status), timeValue(m.date), real(m.radius)};
      L->add(m.geom.wkb, v);
    }
  }
  {  // rejected rows and layer counts
    auto& R = w.createLayer({.name = "rejected", .geom = GeomType::None,
                             .fields = {{"layer", FieldType::String}, {"source", FieldType::String},
                                        {"row", FieldType::Integer64}, {"reason", FieldType::String},
                                        {"message", FieldType::String}, {"raw", FieldType::String}},
                             .title = "Rejected rows", .description = "Every source row that was not loaded, with why"});
    for (const auto& r : lp.rejected) {
      const Value v[] = {str(r.layer_name), str(r.source), i64(r.row), str(std::string(model::rejectReasonId(r.reason))),
                         str(r.message), str(r.raw_json)};
      R.add({}, v);
    }
    auto& C = w.createLayer({.name = "layer_counts", .geom = GeomType::None,
                             .fields = {{"layer", FieldType::String}, {"kind", FieldType::String},
                                        {"read", FieldType::Integer64}, {"loaded", FieldType::Integer64},
                                        {"repaired", FieldType::Integer64}, {"rejected", FieldType::Integer64},
                                        {"rejected_by_reason", FieldType::String}, {"warnings", FieldType::String}},
                             .title = "Layer counts", .description = "read = loaded + rejected, per input layer"});
    for (const auto& c : lp.counts) {
      std::string reasons, warnings;
      for (const auto& [k, n] : c.rejected_by_reason) reasons += fmt::format("{}{}={}", reasons.empty() ? "" : "; ", k, n);
      for (const auto& [k, n] : c.warnings) warnings += fmt::format("{}{}={}", warnings.empty() ? "" : "; ", k, n);
      const Value v[] = {str(c.layer_name), str(std::string(model::layerKindId(c.layer))), i64(c.read), i64(c.loaded),
                         i64(c.repaired), i64(c.rejected), str(reasons), str(warnings)};
      C.add({}, v);
    }
  }
  return report;
}

}  // namespace trygg::engine
