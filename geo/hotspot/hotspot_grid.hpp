#pragma once
// Analysis grids for hot spot statistics -- square and hexagonal cells over a
// study area, point counts per cell, grid contiguity -- and the scale choices of
// ArcGIS's Optimized Hot Spot Analysis (METHODS.md §4). See docs/methods/getis-ord.md.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "geo/hotspot/weights.hpp"

namespace trygg::geo::hotspot {

enum class GridShape { Square, Hexagon };

// A grid of cells over an extent, keeping only the cells a study area asks for.
// Square cells: side `cell`; column c, row r has centre
//   (origin.x + (c + 0.5) cell, origin.y + (r + 0.5) cell), row 0 at the bottom.
// Hexagons: POINTY-TOP, `cell` = the distance between the centres of adjacent
//   hexagons (= the flat-to-flat width), circumradius cell / sqrt(3), area
//   (sqrt(3) / 2) cell^2; rows are cell * sqrt(3) / 2 apart and odd rows are
//   shifted right by cell / 2; centre (origin.x + (c + 0.5 * (r odd)) cell,
//   origin.y + r cell sqrt(3) / 2). Each hexagon has 6 neighbours at distance cell.
// Kept cells are numbered in row-major order (row, then column), bottom row first
// -- for a full square grid this is spdep's cell2nb(nrow, ncol) order.
struct Grid {
  GridShape shape = GridShape::Square;
  double cell = 0;
  Point origin;  // see above
  int ncols = 0, nrows = 0;
  std::vector<Point> centres;                  // kept cells
  std::vector<std::int32_t> col, row;          // kept cells
  std::vector<std::int64_t> lookup;            // row * ncols + col -> kept index, or -1

  std::size_t size() const { return centres.size(); }
  double cellArea() const;
  // Kept index of the cell containing p, or -1 when p falls in no kept cell.
  std::int64_t cellOf(const Point& p) const;
  // The cell's boundary, counter-clockwise, closed (first vertex repeated).
  Ring polygon(std::size_t kept) const;
};

// Keep-predicate: the caller decides whether a cell centre lies in the study
// area (e.g. a GEOS prepared point-in-polygon). Empty = keep every cell.
using InsidePredicate = std::function<bool(Point)>;

// Square cells covering `extent` (origin at its lower-left corner; the last
// column/row may reach past it). With `inside`, only cells whose centre it
// accepts are kept -- empty cells included. Throws UsageError for cell <= 0,
// a cell larger than the extent, or more than 50 million cells.
Grid squareGrid(const BBox& extent, double cell, const InsidePredicate& inside = {});
// Hexagonal cells covering `extent` (the first hexagon centred on its lower-left
// corner). Without `inside`, the cells whose hexagon can overlap the extent.
Grid hexGrid(const BBox& extent, double cell, const InsidePredicate& inside = {});

// Count (or sum `weights` of) the points in each kept cell. A point on a shared
// edge goes to the cell to its upper right (square; the grid's outer right/top
// edge belongs to the last column/row) or to the nearest centre,
// lower index on ties (hexagon). Points outside every kept cell are counted
// in *outside when given.
std::vector<double> countPoints(const Grid& grid, std::span<const Point> points,
                                std::span<const double> weights = {}, std::size_t* outside = nullptr);

// Contiguity between kept cells: square queen (8) / rook (4); hexagons have 6
// edge neighbours whichever is asked.
Weights gridContiguityWeights(const Grid& grid, Contiguity contiguity, bool include_self);

// ---- Optimized Hot Spot Analysis (ArcGIS) scale selection, METHODS.md §4 ----

inline constexpr std::size_t kOptimizedMinFeatures = 30;

struct CellSizeChoice {
  double cell = 0;
  double mean_nn = 0, median_nn = 0;  // nearest-neighbour distances between unique locations
  std::size_t unique_locations = 0;
  std::string note;
};
// Cell size for aggregating incidents: d = max(mean NN, median NN) over unique
// locations, times max(2, max/min of the two) (METHODS.md §4). Throws UsageError
// for fewer than 30 unique locations.
CellSizeChoice optimizedCellSize(std::span<const Point> incidents);

struct DistanceBandOptions {
  int bands = 10;                  // distances tried (ArcGIS Incremental Spatial Autocorrelation default)
  double max_mean_neighbours = 500;  // stop before the mean neighbour count exceeds this
  double significant_z = 1.959963984540054;  // a peak must be significant (two-sided 0.05)
};

enum class ScaleMethod { FirstPeak, MaxPeak, KNearestMean };

struct DistanceBandChoice {
  double band = 0;
  ScaleMethod method = ScaleMethod::KNearestMean;
  std::vector<double> distances, moran_i, moran_z;  // the incremental series
  double start = 0, increment = 0;
  int k = 0;  // for KNearestMean
  std::string note;
};
// Incremental spatial autocorrelation: global Moran's I (binary distance band,
// randomisation z) at start, start + increment, ...: start = the smallest distance
// giving every feature a neighbour (the largest NN distance), increment = the mean
// NN distance; `bands` steps, stopping early when the mean number of neighbours
// would exceed max_mean_neighbours. Band = the first peak (z above its neighbours
// in the series and significant); else the maximum z if significant ("max peak");
// else the mean distance to the k-th nearest neighbour, k = clamp(round(0.05 N), 3, 30).
// Throws UsageError for fewer than 30 features or zero variance.
DistanceBandChoice optimizedDistanceBand(std::span<const Point> centres, std::span<const double> values,
                                         const DistanceBandOptions& options = {});

}  // namespace trygg::geo::hotspot
