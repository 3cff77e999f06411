#pragma once
// The units a lattice hotspot method (Gi*, local Moran) works on: a square or
// hexagonal grid whose cells' centres lie in the study areas (empty cells
// included), or the project's areas themselves; their incident counts; and the
// spatial weights between them. Shared by plugins/getis_ord and plugins/local_moran.
#include <string>
#include <vector>

#include "geo/hotspot/hotspot_grid.hpp"
#include "geo/hotspot/weights.hpp"

namespace trygg::engine {

class Method;
struct RunContext;
struct SelectedIncidents;

struct UnitOptions {
  std::string units = "grid";           // grid | areas
  std::string shape = "square";         // square | hexagon
  double cell = 0;                      // metres; 0 = ArcGIS Optimized Hot Spot rule
  std::string weights = "distance_band";  // distance_band | knn | queen | rook
  double band = 0;                      // metres; 0 = incremental spatial autocorrelation (ArcGIS)
  int k = 8;                            // knn
  void declare(Method& m);
};

struct SpatialUnits {
  bool is_grid = true;
  geo::hotspot::Grid grid;                       // when is_grid
  std::vector<Point> centres;
  std::vector<std::string> ids;                  // cell ids "r<row>c<col>" or area ids
  std::vector<std::string> names;                // area names (empty for grids)
  std::vector<std::vector<std::uint8_t>> wkb;    // unit polygons (working CRS)
  std::vector<double> counts;                    // weighted incident counts
  std::size_t outside = 0;                       // selected incidents in no unit
  std::string cell_note, band_note;
  double cell = 0, band = 0;                     // CRS units, as used
};

// Builds the units and counts the selected incidents in them.
SpatialUnits buildUnits(const RunContext& ctx, const SelectedIncidents& sel, const UnitOptions& o,
                        const std::string& where);
// The weights the options ask for; include_self for Gi*.
geo::hotspot::Weights buildWeights(SpatialUnits& u, const UnitOptions& o, bool include_self, const std::string& where);

std::vector<std::uint8_t> polygonWkb(const geo::hotspot::Ring& ring);

}  // namespace trygg::engine
