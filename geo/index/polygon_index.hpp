#pragma once
// Indexed point-in-polygon membership for delimited areas (which may overlap).
//
// Boundary rule (docs/spatial-relations.md, "Point on a border"): a point p is a
// member of polygon A when the perturbed point p' = (x + eps, y + eps^2), eps
// infinitesimal, lies inside A (Simulation of Simplicity, Edelsbrunner & Muecke
// 1990). Interior points are members as usual; a point exactly on an edge or a
// vertex goes to the side p' falls on. Adjacent areas that share a border
// therefore never both get a point on it, and areas that tile the plane give
// every point exactly one area. On the outer border of the union: a point is in
// no area when its p' falls outside (e.g. on a right or top border), in one
// otherwise. Rings are combined by the even-odd rule, so holes and multipolygon
// parts work; PostGIS's ST_Contains instead puts boundary points in no polygon.
//
// Index: a uniform grid over the areas' extent (after the "fixed grid" point
// location in e.g. GEOS's IndexedPointInAreaLocator, but per cell rather than per
// row). Every cell lists the areas that touch it, each either "fully inside"
// (answered with no test) or "boundary" with the edges of that area that can
// cross a +x ray from the cell (same grid row, right of the cell's left side),
// tested with exact predicates (geo/index/predicates.hpp).
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"
#include "geo/index/predicates.hpp"

namespace trygg::geo {

class PolygonIndex {
 public:
  struct Options {
    // Target number of grid cells per polygon edge; 0 leaves the default (2).
    double cells_per_edge = 2.0;
    // DEFAULT: 1 << 22. Upper bound on the grid size (memory ~ 16 bytes per cell entry).
    std::size_t max_cells = std::size_t{1} << 22;
    // Points per parallel task in assign(); results do not depend on it.
    std::size_t chunk = 16384;
  };

  PolygonIndex() = default;
  // polygons as 2D WKB (Polygon, MultiPolygon) in the working CRS; index i = area i.
  // An empty span is an area with no geometry (never contains anything).
  explicit PolygonIndex(const std::vector<std::span<const std::uint8_t>>& polygons_wkb, Options opt);
  explicit PolygonIndex(const std::vector<std::span<const std::uint8_t>>& polygons_wkb)
      : PolygonIndex(polygons_wkb, Options{}) {}

  std::size_t size() const { return m_polys.size(); }
  const BBox& extent() const { return m_extent; }

  // All areas containing p, ascending, appended to out after clearing it.
  void containing(Point p, std::vector<std::uint32_t>& out) const;
  // Does area k contain p (same rule, no grid)?
  bool contains(std::uint32_t k, Point p) const;
  // Batch, parallel (TBB) and deterministic: the areas of pts[i] are
  // ids[offsets[i] .. offsets[i+1]), ascending; offsets has pts.size() + 1 entries.
  void assign(std::span<const Point> pts, std::vector<std::uint32_t>& offsets,
              std::vector<std::uint32_t>& ids) const;

  // Grid statistics (for benchmarks and tests).
  std::size_t cellCount() const { return m_nx * m_ny; }
  std::size_t boundaryEntryCount() const;

 private:
  struct Poly {
    std::vector<Edge> edges;
    BBox bbox;
  };
  // One area in one cell: edges [begin, begin + count) of m_row_edges, or count
  // == kFull for a cell entirely inside the area.
  struct Entry {
    std::uint32_t poly;
    std::uint32_t begin;
    std::uint32_t count;
  };
  static constexpr std::uint32_t kFull = 0xffffffffu;

  template <typename Emit>
  void visit(Point p, Emit&& emit) const;
  bool cellOf(Point p, std::size_t& cell) const;

  std::vector<Poly> m_polys;
  BBox m_extent;
  std::size_t m_nx = 0, m_ny = 0;
  double m_cw = 1, m_ch = 1, m_inv_cw = 1, m_inv_ch = 1;
  std::vector<std::uint32_t> m_cell_start;  // CSR over cells into m_entries
  std::vector<Entry> m_entries;
  std::vector<Edge> m_row_edges;
  std::size_t m_chunk = 16384;
};

// Deterministic batch runner shared by the indexes: calls f(p, out) for every
// point in parallel chunks and concatenates the results in point order.
template <typename F>
void assignCsr(std::span<const Point> pts, std::size_t chunk, F&& f, std::vector<std::uint32_t>& offsets,
               std::vector<std::uint32_t>& ids);

}  // namespace trygg::geo

#include "geo/index/assign_csr.inl"
