#include "hotspots_command.hpp"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/model.hpp"
#include "data/reader.hpp"
#include "engine/runner.hpp"
#include "geo/crs/crs.hpp"

namespace trygg::engine {

namespace fs = std::filesystem;

HotspotsCommand::HotspotsCommand(CLI::App& app, const Registry& registry) : m_registry(registry) {
  m_cmd = app.add_subcommand("hotspots", "Run one hotspot method on any point file, without a project file");
  m_cmd->require_subcommand(1);
  m_cmd->footer("Example: trygg hotspots kde --input crimes.csv --x x --y y --crs EPSG:3006 --bandwidth 200 --out out/\n"
                "Parameters of each method: trygg hotspots <method> --help");
  auto common = [this](CLI::App* s) {
    s->add_option("--input", m_input, "Point file: CSV or anything GDAL opens")->required();
    s->add_option("--layer", m_layer, "Layer within the dataset");
    s->add_option("--x", m_x, "CSV: easting column");
    s->add_option("--y", m_y, "CSV: northing column");
    s->add_option("--lon", m_lon, "CSV: longitude column (WGS 84)");
    s->add_option("--lat", m_lat, "CSV: latitude column (WGS 84)");
    s->add_option("--wkt", m_wkt, "CSV: WKT geometry column");
    s->add_option("--time", m_time, "Time column");
    s->add_option("--time-from", m_time_from, "Start of a time span column");
    s->add_option("--time-to", m_time_to, "End of a time span column");
    s->add_option("--category", m_category, "Category column (words map onto docs/categories.md; others load as 'other')");
    s->add_option("--weight", m_weight, "Weight column");
    s->add_option("--crs", m_crs, "CRS of the input when it has none (e.g. EPSG:3006)");
    s->add_option("--working-crs", m_working_crs, "Working CRS (default: the input's when projected, else EPSG:3006; 'auto' = UTM)")
        ->capture_default_str();
    s->add_option("--areas", m_areas, "Polygon layer to limit the grid to (default: the input's bounding box)");
    s->add_option("--areas-layer", m_areas_layer, "Layer within the areas dataset");
    s->add_option("--time-zone", m_time_zone, "Zone of times without one")->capture_default_str();
    s->add_option("--out", m_out, "Output folder")->capture_default_str();
  };
  for (const auto& [id, description] : registry.list()) {
    if (id.rfind("hotspot.", 0) != 0) continue;
    auto sub = std::make_unique<Sub>();
    sub->method_id = id;
    sub->app = m_cmd->add_subcommand(id.substr(8), description);
    common(sub->app);
    const auto method = registry.create(id);
    for (const auto& a : method->args()) {
      std::string help = a.help();
      if (!a.rangeText().empty()) help += " [" + a.rangeText() + "]";
      if (!a.defaultText().empty()) help += " (default " + a.defaultText() + ")";
      const std::string flag = "--" + a.name();
      if (a.type() == ArgType::StringList) sub->app->add_option(flag, sub->lists[a.name()], help)->delimiter(',');
      else sub->app->add_option(flag, sub->values[a.name()], help);
    }
    m_subs.push_back(std::move(sub));
  }
}

bool HotspotsCommand::selected() const { return m_cmd->parsed(); }

void HotspotsCommand::run(bool quiet, bool progress) const {
  const Sub* sub = nullptr;
  for (const auto& s : m_subs)
    if (s->app->parsed()) sub = s.get();
  if (!sub) throwUsageError("hotspots: name a method (trygg hotspots --help)");

  Project p;
  p.file = fs::absolute(m_input);
  p.base_dir = fs::current_path();
  p.name = fs::path(m_input).stem().string();
  p.output_dir = fs::absolute(m_out);
  p.output_name = p.name;
  p.store_path = p.output_dir / (p.name + ".sqlite");
  p.time_zone = m_time_zone;
  p.crs = m_working_crs;

  data::LayerConfig inc;
  inc.kind = model::LayerKind::Incidents;
  inc.name = "incidents";
  inc.source = fs::absolute(m_input).string();
  inc.layer = m_layer;
  inc.crs = m_crs;
  inc.time_zone = m_time_zone;
  auto map = [&](const char* field, const std::string& col) {
    if (!col.empty()) inc.columns[field] = col;
  };
  map("x", m_x);
  map("y", m_y);
  map("lon", m_lon);
  map("lat", m_lat);
  map("geometry", m_wkt);
  map("time", m_time);
  map("time_from", m_time_from);
  map("time_to", m_time_to);
  map("category", m_category);
  map("weight", m_weight);

  data::LayerConfig areas;
  areas.kind = model::LayerKind::Areas;
  areas.name = "areas";
  if (!m_areas.empty()) {
    areas.source = fs::absolute(m_areas).string();
    areas.layer = m_areas_layer;
  } else {
    // The study area is the input's bounding box (in the input's CRS), written
    // as a one-row WKT CSV beside the outputs.
    const auto info = data::probeLayer(inc);
    std::string crs = inc.crs;
    if (!info.has_crs && crs.empty() && (!m_lon.empty() || !m_lat.empty())) crs = "EPSG:4326";
    if (info.has_crs) crs = info.crs_authid.empty() ? info.crs_wkt : info.crs_authid;
    if (crs.empty())
      throwDataError("{}: the input has no CRS; give --crs (e.g. --crs EPSG:3006, or --lon/--lat for WGS 84)", m_input);
    BBox b = info.bbox;
    if (b.empty()) {
      data::ReadOptions ro;
      ro.working_crs = crs;
      data::readIncidents(inc, ro, [&](std::vector<model::Incident>& batch) {
        for (const auto& i : batch) b.expand(i.pt);
      }, {});
    }
    if (b.empty()) throwDataError("{}: no point could be read; check the column options", m_input);
    const double pad = std::max({b.width(), b.height(), 1.0}) * 1e-6;
    b = b.grown(pad);
    fs::create_directories(p.output_dir);
    const auto path = p.output_dir / (p.name + "_extent.csv");
    std::ofstream f(path);
    f << "id,name,wkt\n" << fmt::format("extent,Bounding box of {},\"POLYGON(({:.10g} {:.10g},{:.10g} {:.10g},{:.10g} {:.10g},{:.10g} {:.10g},{:.10g} {:.10g}))\"\n",
                                        p.name, b.minx, b.miny, b.maxx, b.miny, b.maxx, b.maxy, b.minx, b.maxy, b.minx, b.miny);
    f.close();
    areas.source = path.string();
    areas.crs = crs;
    areas.columns = {{"id", "id"}, {"name", "name"}, {"geometry", "wkt"}};
  }
  p.layers = {areas, inc};

  Project::Analysis a;
  a.method = sub->method_id;
  a.name = sub->method_id.substr(8);
  a.params = YAML::Node(YAML::NodeType::Map);
  for (const auto& [k, v] : sub->values)
    if (!v.empty()) a.params[k] = v;
  for (const auto& [k, v] : sub->lists)
    if (!v.empty()) {
      YAML::Node seq(YAML::NodeType::Sequence);
      for (const auto& x : v) seq.push_back(x);
      a.params[k] = seq;
    }
  p.analyses.push_back(a);
  // Parameter errors here are the command line's, not a file's.
  try {
    m_registry.create(a.method)->configure(a.params, "trygg hotspots " + a.name);
  } catch (const DataError& e) {
    throw UsageError(e.what());
  }

  RunOptions opt;
  opt.quiet = quiet;
  opt.progress = progress;
  Runner r(std::move(p), opt, m_registry);
  r.run();
}

}  // namespace trygg::engine
