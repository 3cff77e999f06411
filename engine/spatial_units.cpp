#include "engine/spatial_units.hpp"

#include <cmath>
#include <cstring>

#include <fmt/format.h>

#include "core/error.hpp"
#include "engine/method.hpp"
#include "engine/run_context.hpp"
#include "engine/selection.hpp"
#include "geo/geos/geos.hpp"
#include "geo/index/polygon_index.hpp"
#include "geo/index/wkb_read.hpp"

namespace trygg::engine {

namespace hs = geo::hotspot;

void UnitOptions::declare(Method& m) {
  m.declareChoiceArg("units", "grid = cells over the study areas; areas = the project's delimited areas", &units,
                     {"grid", "areas"});
  m.declareChoiceArg("shape", "Grid cell shape", &shape, {"square", "hexagon"});
  m.declareLengthArg("cell", "Grid cell size; 0 = ArcGIS Optimized Hot Spot rule from the incidents", &cell).min(0);
  m.declareChoiceArg("weights", "Spatial weights: distance_band (binary, d <= band), knn, queen or rook contiguity",
                     &weights, {"distance_band", "knn", "queen", "rook"});
  m.declareLengthArg("band", "Distance band; 0 = chosen by incremental spatial autocorrelation (ArcGIS)", &band).min(0);
  m.declareArg("k", "Neighbours for knn weights", &k).min(1);
}

std::vector<std::uint8_t> polygonWkb(const hs::Ring& ring) {
  std::vector<std::uint8_t> w(1 + 4 + 4 + 4 + ring.size() * 16);
  std::size_t o = 0;
  w[o++] = 1;
  auto put32 = [&](std::uint32_t v) { std::memcpy(&w[o], &v, 4); o += 4; };
  auto putd = [&](double v) { std::memcpy(&w[o], &v, 8); o += 8; };
  put32(3);
  put32(1);
  put32(static_cast<std::uint32_t>(ring.size()));
  for (const auto& p : ring) {
    putd(p.x);
    putd(p.y);
  }
  return w;
}

SpatialUnits buildUnits(const RunContext& ctx, const SelectedIncidents& sel, const UnitOptions& o,
                        const std::string& where) {
  SpatialUnits u;
  const auto& areas = *ctx.areas;
  if (o.units == "areas") {
    u.is_grid = false;
    for (const auto& a : areas) {
      u.ids.push_back(a.id);
      u.names.push_back(a.name);
      u.wkb.push_back(a.geom.wkb);
      u.centres.push_back(geo::pointOnSurface(a.geom.wkb));
    }
    // Counts from the area memberships (many-to-many: an incident in two
    // overlapping areas counts in both).
    u.counts.assign(areas.size(), 0.0);
    const auto& inc = *ctx.incidents;
    for (std::size_t s = 0; s < sel.index.size(); ++s) {
      const auto i = sel.index[s];
      if (inc.area_offsets[i] == inc.area_offsets[i + 1]) ++u.outside;
      for (auto k = inc.area_offsets[i]; k < inc.area_offsets[i + 1]; ++k) u.counts[inc.area_ids[k]] += sel.weights[s];
    }
    return u;
  }
  double cell = ctx.toCrsUnits(o.cell);
  if (o.cell <= 0) {
    if (sel.pts.size() < hs::kOptimizedMinFeatures)
      throwDataError("{}: choosing the cell size automatically needs at least {} incidents (got {}); set cell", where,
                     hs::kOptimizedMinFeatures, sel.pts.size());
    const auto c = hs::optimizedCellSize(sel.pts);
    cell = c.cell;
    u.cell_note = c.note;
  }
  BBox ext;
  for (const auto& a : areas) ext.expand(a.geom.bbox);
  if (cell > std::min(ext.width(), ext.height()))
    throwUsageError("{}: cell {:.1f} m is larger than the study areas ({:.0f} × {:.0f} m); choose a smaller cell", where,
                    cell * ctx.unit_metres, ext.width() * ctx.unit_metres, ext.height() * ctx.unit_metres);
  // Snap the grid to whole multiples of the cell size, so grids of different
  // selections and runs line up with each other and with round coordinates.
  ext.minx = std::floor(ext.minx / cell) * cell;
  ext.miny = std::floor(ext.miny / cell) * cell;
  ext.maxx = std::ceil(ext.maxx / cell) * cell;
  ext.maxy = std::ceil(ext.maxy / cell) * cell;
  std::vector<std::span<const std::uint8_t>> polys;
  for (const auto& a : areas) polys.emplace_back(a.geom.wkb);
  const geo::PolygonIndex index(polys);
  std::vector<std::uint32_t> tmp;
  auto inside = [&](Point p) {
    tmp.clear();
    index.containing(p, tmp);
    return !tmp.empty();
  };
  u.grid = o.shape == "hexagon" ? hs::hexGrid(ext, cell, inside) : hs::squareGrid(ext, cell, inside);
  if (u.grid.size() < 3)
    throwUsageError("{}: only {} grid cells lie in the study areas; choose a smaller cell", where, u.grid.size());
  u.cell = cell;
  u.centres = u.grid.centres;
  for (std::size_t i = 0; i < u.grid.size(); ++i) {
    u.ids.push_back(fmt::format("r{}c{}", u.grid.row[i], u.grid.col[i]));
    u.wkb.push_back(polygonWkb(u.grid.polygon(i)));
  }
  u.counts = hs::countPoints(u.grid, sel.pts, sel.weights, &u.outside);
  return u;
}

hs::Weights buildWeights(SpatialUnits& u, const UnitOptions& o, bool include_self, const std::string& where) {
  if (o.weights == "knn") {
    if (static_cast<std::size_t>(o.k) >= u.centres.size())
      throwUsageError("{}: k = {} needs more than {} units", where, o.k, u.centres.size());
    return hs::knnWeights(u.centres, o.k, include_self);
  }
  if (o.weights == "queen" || o.weights == "rook") {
    const auto c = o.weights == "queen" ? hs::Contiguity::Queen : hs::Contiguity::Rook;
    if (u.is_grid) return hs::gridContiguityWeights(u.grid, c, include_self);
    std::vector<hs::PolygonRings> rings;
    for (const auto& w : u.wkb) {
      const auto r = geo::wkb::polygonRings(w);
      hs::PolygonRings pr;
      for (std::size_t k = 0; k < r.ringCount(); ++k)
        pr.emplace_back(r.pts.begin() + r.starts[k], r.pts.begin() + r.starts[k + 1]);
      rings.push_back(std::move(pr));
    }
    return hs::polygonContiguityWeights(rings, c, include_self);
  }
  // Distance band.
  if (u.band <= 0) {
    const auto choice = hs::optimizedDistanceBand(u.centres, u.counts);
    u.band = choice.band;
    u.band_note = choice.note;
  }
  return hs::distanceBandWeights(u.centres, u.band, include_self);
}

}  // namespace trygg::engine
