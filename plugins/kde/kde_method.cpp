#include "plugins/kde/kde_method.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/geotiff_writer.hpp"
#include "data/qml.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/kde.hpp"
#include "trygg/version.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;

KdeMethod::KdeMethod() {
  m_sel.declare(*this);
  addChoiceArg("kernel", "Kernel shape", &m_kernel,
               {"quartic", "triangular", "uniform", "triweight", "epanechnikov", "gaussian"});
  addLengthArg("bandwidth", "Kernel radius (Gaussian: its standard deviation); 0 = automatic (ArcGIS's spatial Silverman rule)",
               &m_bandwidth)
      .min(0);
  addLengthArg("cell", "Pixel size; 0 = min(width, height)/250 of the study extent (ArcGIS's default)", &m_cell).min(0);
  addChoiceArg("output", "raw = sum of kernel values (QGIS 'raw'); density = events per km² (integrates to the count)",
               &m_output, {"raw", "density"});
  addChoiceArg("mode", "exact = double sums at pixel centres; qgis_compat = QGIS 3.22 Heatmap's pixel addressing; "
               "binned = binned Gaussian (fast, approximate)",
               &m_mode, {"exact", "qgis_compat", "binned"});
  addArg("decay", "Triangular kernel's decay ratio (QGIS), >= 0", &m_decay).min(0);
}

double KdeMethod::reachMetres() const {
  return m_kernel == "gaussian" ? 3 * m_bandwidth : m_bandwidth;
}

void KdeMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  const auto sel = engine::selectIncidents(ctx, m_sel, where);
  if (sel.pts.empty())
    throwDataError("{}: no incidents match the selection ({}); widen the categories or the date window", where,
                   sel.description);

  hs::KdeOptions o;
  static const std::pair<const char*, hs::Kernel> kKernels[] = {
      {"quartic", hs::Kernel::Quartic},   {"triangular", hs::Kernel::Triangular},
      {"uniform", hs::Kernel::Uniform},   {"triweight", hs::Kernel::Triweight},
      {"epanechnikov", hs::Kernel::Epanechnikov}, {"gaussian", hs::Kernel::Gaussian}};
  for (const auto& [name, k] : kKernels)
    if (m_kernel == name) o.kernel = k;
  o.triangular_decay = m_decay;
  o.output = m_output == "density" ? hs::KdeOutput::Density : hs::KdeOutput::Raw;
  o.mode = m_mode == "qgis_compat" ? hs::PixelMode::QgisCompat
           : m_mode == "binned"    ? hs::PixelMode::Binned
                                   : hs::PixelMode::Exact;
  if (o.mode == hs::PixelMode::Binned && o.kernel != hs::Kernel::Gaussian)
    throwUsageError("{}: mode binned is for the Gaussian kernel; use kernel: gaussian or mode: exact", where);
  const bool auto_bandwidth = m_bandwidth <= 0;
  o.bandwidth = auto_bandwidth ? hs::silvermanBandwidth(sel.pts, sel.weights) : ctx.toCrsUnits(m_bandwidth);
  if (!(o.bandwidth > 0))
    throwDataError("{}: the automatic bandwidth is 0 (all selected incidents on one spot?); set bandwidth", where);
  // The raster covers the study extent, so rasters of different selections align.
  o.extent = ctx.extent;
  o.expand_extent_by_radius = false;
  o.cell = m_cell > 0 ? ctx.toCrsUnits(m_cell) : hs::defaultCellSize(ctx.extent);
  if (o.cell > std::min(ctx.extent.width(), ctx.extent.height()))
    throwUsageError("{}: cell {} m is larger than the study extent; choose a smaller cell", where, m_cell);
  if (o.mode == hs::PixelMode::QgisCompat) {
    o.extent.reset();  // QGIS computes its own extent from the points
    o.expand_extent_by_radius = true;
  }

  auto grid = hs::kernelDensity(sel.pts, sel.weights, o);
  if (o.output == hs::KdeOutput::Density) hs::densityToPerSquareKilometre(grid, ctx.unit_metres);
  float vmax = 0;
  for (float v : grid.values)
    if (v != grid.nodata) vmax = std::max(vmax, v);

  const auto path = ctx.output_dir / fmt::format("{}_{}.tif", ctx.output_name, ctx.analysis_name);
  std::map<std::string, std::string> md{
      {"TRYGG_METHOD", std::string(kId)},
      {"TRYGG_KERNEL", m_kernel},
      {"TRYGG_BANDWIDTH", fmt::format("{}", o.bandwidth)},
      {"TRYGG_OUTPUT", m_output == "density" ? "events per km2" : "raw kernel sum"},
      {"TRYGG_SELECTION", sel.description},
      {"TRYGG_INCIDENTS", fmt::format("{}", sel.pts.size())},
      {"TRYGG_EXCLUDED_STACKED", fmt::format("{}", sel.excluded_stacked)},
      {"TRYGG_MODE", m_mode},
      {"TRYGG_CELL", fmt::format("{}", o.cell)},
      {"TRYGG_VERSION", kVersion}};
  // The legend says what a value means: events per km² (density) or the kernel-weighted
  // count around a pixel (raw, QGIS's Heatmap default).
  const std::string unit = o.output == hs::KdeOutput::Density ? "incidents per km²" : "incidents (kernel-weighted)";
  const std::string description =
      fmt::format("Kernel density ({}), {}", ctx.analysis_name, unit);
  data::writeGeoTiffFloat32(path, grid.width, grid.height, grid.origin_x, grid.origin_y, grid.cell, grid.values,
                            grid.nodata, ctx.crs_wkt, data::qmlKdeHeat(vmax > 0 ? vmax : 1, grid.nodata, unit), md,
                            description, unit);
  ctx.files_written.push_back(path);
  auto& m = *ctx.metadata;
  m["bandwidth_crs_units"] = o.bandwidth;
  m["bandwidth_automatic"] = auto_bandwidth;
  m["cell_crs_units"] = grid.cell;
  m["raster"] = {{"width", grid.width}, {"height", grid.height}, {"max", vmax}};
  m["incidents_used"] = sel.pts.size();
  m["excluded_stacked"] = sel.excluded_stacked;
  m["excluded_no_time"] = sel.excluded_no_time;
  m["selection"] = sel.description;
}

}  // namespace trygg::plugins
