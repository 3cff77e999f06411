#pragma once
// Spatial weights for local statistics (Gi, Gi*, local Moran's I): a sparse
// row-compressed matrix, one row per location, holding that location's
// neighbours and their weights.
//
// Builders follow R spdep 1.2-7 so its localG/localmoran are reproduced exactly:
//   distanceBandWeights  ~ dnearneigh(xy, 0, band)   (inclusive d <= band)
//   knnWeights           ~ knn2nb(knearneigh(xy, k))  (asymmetric)
//   polygonContiguity... ~ poly2nb(queen = TRUE/FALSE)
//   include_self         ~ include.self()            (self weight 1)
//   rowStandardised      ~ nb2listw(style = "W")
// Every row lists its neighbours in increasing index order (spdep's order), with
// the location itself in its place when it is included.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace trygg::geo::hotspot {

struct Weights {
  // Row i's neighbours are neighbours[offsets[i] .. offsets[i+1]), with the
  // matching weights. offsets.size() == n + 1.
  std::vector<std::uint32_t> offsets{0};
  std::vector<std::uint32_t> neighbours;
  std::vector<double> weights;
  bool includes_self = false;  // true when every row holds its own location (Gi*)
  std::string kind;            // e.g. "distance band 150 (binary, self included)"

  std::size_t size() const { return offsets.empty() ? 0 : offsets.size() - 1; }
  std::uint32_t count(std::size_t i) const { return offsets[i + 1] - offsets[i]; }
  std::span<const std::uint32_t> row(std::size_t i) const {
    return {neighbours.data() + offsets[i], count(i)};
  }
  std::span<const double> rowWeights(std::size_t i) const {
    return {weights.data() + offsets[i], count(i)};
  }
};

enum class Contiguity { Queen, Rook };

// Binary fixed-distance band: j != i is a neighbour of i when d(i, j) <= band
// (inclusive, as ArcGIS and spdep's dnearneigh(xy, 0, band) with its default
// bounds GE/LE, so coincident points are neighbours), plus i itself
// when include_self. Grid-indexed: O(n k) for n points and k neighbours each.
// Throws UsageError for band <= 0 or non-finite coordinates.
Weights distanceBandWeights(std::span<const Point> centres, double band, bool include_self);

// Binary k nearest neighbours (asymmetric: j in N(i) does not imply i in N(j)).
// Ties at the k-th distance are broken by the lower index, as spdep's
// knearneigh (it sorts distances with a stable order); coincident points are
// neighbours at distance 0. Requires 1 <= k < n.
Weights knnWeights(std::span<const Point> centres, int k, bool include_self);

// A polygon as a set of rings (outer rings and holes of all its parts); each ring
// a closed or open sequence of vertices.
using Ring = std::vector<Point>;
using PolygonRings = std::vector<Ring>;

// Contiguity of polygons by shared boundary vertices, as spdep's poly2nb: queen
// = at least one shared vertex, rook = at least two (poly2nb's rook criterion).
// Vertices match when they lie within `snap` of each other (poly2nb's default
// snap is sqrt(DBL_EPSILON) ~ 1.5e-8 in the data's units).
Weights polygonContiguityWeights(std::span<const PolygonRings> polygons, Contiguity contiguity,
                                 bool include_self, double snap = 1.4901161193847656e-08);

// Contiguity on a full rectangular lattice of nrows x ncols cells numbered
// row-major (index = row * ncols + col), as spdep's cell2nb(nrow, ncol).
Weights latticeContiguityWeights(int nrows, int ncols, Contiguity contiguity, bool include_self);

// Adds i to every row with weight self_weight (spdep include.self() + style B: 1).
Weights withSelf(const Weights& w, double self_weight = 1.0);

// Each row divided by its sum (spdep style "W"); rows without neighbours stay empty.
Weights rowStandardised(const Weights& w);

// Mean, min and max number of neighbours (self included when it is).
struct WeightsSummary {
  double mean_neighbours = 0;
  std::uint32_t min_neighbours = 0;
  std::uint32_t max_neighbours = 0;
  std::size_t isolated = 0;  // rows with no neighbour other than self
};
WeightsSummary summarise(const Weights& w);

}  // namespace trygg::geo::hotspot
