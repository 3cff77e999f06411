#pragma once
// Bulk loading of a 2-D SQLite R*Tree (the spatial index of a SpatiaLite store
// and of a GeoPackage).
//
// SQLite's R*Tree module has no bulk load: it inserts one row at a time (about
// 20 µs a row, 20 s for 1M points; GDAL 3.6 builds a GeoPackage's index the
// same way). Instead the entries are sorted in Hilbert order, packed bottom-up
// into full nodes (a Hilbert-packed R-tree, Kamel & Faloutsos 1993) and the
// nodes are written straight into the virtual table's shadow tables (%_node,
// %_rowid, %_parent) in the format of SQLite's rtree.c, as GDAL ≥ 3.7 does for
// GeoPackage (sqlite_rtree_bulk_load.c). SQLite's own `rtreecheck()` accepts
// the result (tests/unit/data/rtree_bulk_test.cpp).
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "core/types.hpp"

struct sqlite3;

namespace trygg::data {

// A box as the R*Tree stores it: 32-bit floats rounded outward, so the stored
// box always contains the double-precision one.
struct RtreeBox {
  float x0, x1, y0, y1;
};
RtreeBox outwardBox(double minx, double maxx, double miny, double maxy);

// One entry: the row id (the table's fid, ≥ 1), its box, and its Hilbert key
// (set by sortHilbert).
struct RtreeEntry {
  std::int64_t id;
  RtreeBox box;
  std::uint32_t key = 0;
};

// 2-D Hilbert index of (x, y) in a 2^16 × 2^16 grid over `ext`.
std::uint32_t hilbertKey(double x, double y, const BBox& ext);

// Sorts entries by the Hilbert key of their box centre (ties by id).
void sortHilbert(std::vector<RtreeEntry>& entries);

// Fills the existing, empty R*Tree `name` (a virtual table created with
// `USING rtree(id, minx, maxx, miny, maxy)`) with the entries, in their order
// (sort them with sortHilbert first), inside the caller's transaction. Ids must
// be positive and unique; memory: 4 bytes per id up to the largest id.
void bulkLoadRtree(sqlite3* db, const std::string& name, const std::vector<RtreeEntry>& entries);

// The same for callers that keep their own, smaller entries (the store keeps
// 24-byte points at 10M rows): entry(i, id, box) gives the i-th entry in order.
template <class EntryFn>
void bulkLoadRtree(sqlite3* db, const std::string& name, std::size_t n, EntryFn&& entry);

namespace detail {
void bulkLoadRtreeImpl(sqlite3* db, const std::string& name, std::size_t n,
                       void (*entry)(const void* ctx, std::size_t i, std::int64_t& id, RtreeBox& box),
                       const void* ctx);
}  // namespace detail

template <class EntryFn>
void bulkLoadRtree(sqlite3* db, const std::string& name, std::size_t n, EntryFn&& entry) {
  detail::bulkLoadRtreeImpl(
      db, name, n,
      [](const void* ctx, std::size_t i, std::int64_t& id, RtreeBox& box) {
        (*static_cast<const std::remove_reference_t<EntryFn>*>(ctx))(i, id, box);
      },
      &entry);
}

}  // namespace trygg::data
