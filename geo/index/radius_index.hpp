#pragma once
// Which places' analysis radius covers a point.
//
// A point place with radius r covers p when |p - anchor| <= r; a polygon place
// covers p when p is inside the polygon (PolygonIndex's rule) or its distance to
// the polygon's boundary is <= r (the polygon grown by r, as ST_DWithin(polygon,
// p, r) in PostGIS). Distances are compared as squared doubles (dx*dx + dy*dy <=
// r*r): a point at exactly r up to rounding may fall on either side.
// Index: a uniform grid; each cell lists the places whose grown bbox touches it,
// a point place marked "covers the whole cell" when all four corners are inside.
#include <cstdint>
#include <span>
#include <vector>

#include "core/model.hpp"
#include "core/types.hpp"
#include "geo/index/polygon_index.hpp"

namespace trygg::geo {

struct RadiusSource {
  Point anchor;                               // the place's point (used when polygon_wkb is empty)
  double radius = 0;                          // >= 0, in CRS units
  std::span<const std::uint8_t> polygon_wkb;  // non-empty: this polygon grown by radius
};

class RadiusIndex {
 public:
  struct Options {
    double cells_per_place = 4.0;                  // DEFAULT: 4 grid cells per place
    std::size_t max_cells = std::size_t{1} << 22;  // upper bound on the grid size
    std::size_t chunk = 16384;                     // points per parallel task in assign()
  };

  RadiusIndex() = default;
  // Place i = sources[i]. The WKB is read during construction only.
  explicit RadiusIndex(std::span<const RadiusSource> sources, Options opt);
  explicit RadiusIndex(std::span<const RadiusSource> sources) : RadiusIndex(sources, Options{}) {}

  // Sources for model places: a polygonal geometry is grown by the radius, any
  // other (a point) uses the anchor. The result refers to the places' WKB.
  static std::vector<RadiusSource> sourcesFromPlaces(std::span<const model::Place> places);

  std::size_t size() const { return m_places.size(); }
  // All places covering p, ascending, written to out (cleared first).
  void covering(Point p, std::vector<std::uint32_t>& out) const;
  // Does place k cover p (no grid)?
  bool covers(std::uint32_t k, Point p) const;
  // Batch, parallel, deterministic: same CSR layout as PolygonIndex::assign.
  void assign(std::span<const Point> pts, std::vector<std::uint32_t>& offsets,
              std::vector<std::uint32_t>& ids) const;

 private:
  struct Place {
    Point anchor;
    double r2 = 0;
    std::vector<Edge> crossing;  // non-horizontal edges, for inside tests
    std::vector<Edge> segments;  // every boundary segment, for distances
    bool polygon = false;
  };
  struct Entry {
    std::uint32_t place;
    bool full;
  };
  std::vector<Place> m_places;
  BBox m_extent;
  std::size_t m_nx = 0, m_ny = 0;
  double m_inv_cw = 1, m_inv_ch = 1;
  std::vector<std::uint32_t> m_cell_start;
  std::vector<Entry> m_entries;
  std::size_t m_chunk = 16384;
};

}  // namespace trygg::geo
