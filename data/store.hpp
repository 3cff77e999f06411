#pragma once
// The project's embedded SpatiaLite database (SQLite + SpatiaLite 5).
//
// Tables (fid = 1-based position in what was written; memberships use fids):
//   areas(fid, area_id, name, src_row, repaired, geom MULTIPOLYGON)
//   places(fid, place_id, name, kind, radius, anchor_x, anchor_y, src_row, repaired, geom GEOMETRY)
//   incidents(fid, src_row, source_id, t_from, t_to, category, source_category, weight, flags, geom POINT)
//   observations(fid, src_row, source_id, round, factor, rating_text, score, time, place_id, note, geom POINT)
//   perception(fid, src_row, source_id, kind, place_id, area_id, question, value, time_of_day,
//              gender, age_band, round, time, geom POINT NULL for answers without coordinates)
//   measures(fid, measure_id, kind, status, date, radius, src_row, repaired, geom GEOMETRY)
//   incident_area, incident_place, observation_area, observation_place, perception_area,
//   place_area, measure_area: (<thing>_fid, <area|place>_fid), primary key both, WITHOUT ROWID,
//   plus an index by the second column.
//   rejected(layer, layer_name, source, src_row, raw_json, reason, message)
//   layer_counts(layer_name, layer, read, loaded, repaired, rejected, rejected_by_reason, warnings)
//   meta(key, value): crs_wkt, srid, trygg_version, import_time, ...
// Every geometry column is registered with AddGeometryColumn in the working
// CRS's SRID and has a SpatiaLite spatial index (R*Tree idx_<table>_geom).
// Times are epoch seconds (UTC), NULL when absent.
//
// Atomic: create() builds a temporary file next to the target (journal off,
// synchronous off: it is thrown away on failure); commit() ends the one
// transaction, fsyncs and renames it over the previous store. A Store destroyed
// without commit() removes the temporary file and the previous store is untouched.
//
// Bulk speed: point rows are written as SpatiaLite blobs directly; during the
// load the per-row SpatiaLite triggers of incidents/observations are dropped and
// restored at commit, and their R*Trees are filled at commit in Hilbert order.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/types.hpp"

struct sqlite3;

namespace trygg::data {

// Memberships of a batch as CSR (as geo::PolygonIndex::assign returns them):
// the targets of row i are ids[offsets[i] .. offsets[i+1]), 0-based indices
// into what writeAreas / writePlaces wrote. Empty offsets: no memberships.
struct Memberships {
  std::span<const std::uint32_t> offsets;
  std::span<const std::uint32_t> ids;
};

// Incidents read back as columns.
struct StoredIncidents {
  std::vector<std::int64_t> fid;
  std::vector<Point> pts;
  std::vector<EpochSeconds> t_from, t_to;  // kNoTime when absent
  std::vector<Category> category;
  std::vector<double> weight;  // double, as read (issue 10 item 3)
  std::vector<std::uint32_t> flags;
  // areas of incident i: area_ids[area_offsets[i] .. area_offsets[i+1]), 0-based area indices
  std::vector<std::uint32_t> area_offsets{0}, area_ids;
  std::size_t size() const { return fid.size(); }
};

class Store {
 public:
  // SRID used when the working CRS has no EPSG code (srid <= 0 given).
  static constexpr int kCustomSrid = 990001;

  // A new empty store that replaces `db` on commit(). srid: the working CRS's
  // EPSG code, or <= 0 for a CRS without one (then crs_wkt is stored as a custom
  // spatial_ref_sys row with srid kCustomSrid).
  static Store create(const std::filesystem::path& db, int srid, const std::string& crs_wkt);
  // An existing store, for reading.
  static Store open(const std::filesystem::path& db);

  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  ~Store();

  // --- writing (only on a store from create(), before commit()) ---
  void writeAreas(std::span<const model::Area> areas);
  void writePlaces(std::span<const model::Place> places, Memberships place_area = {});
  void writeObservations(std::span<const model::Observation> obs, Memberships area = {}, Memberships place = {});
  void writePerception(std::span<const model::Perception> rows, Memberships area = {});
  void writeMeasures(std::span<const model::Measure> rows, Memberships area = {});
  // Streamed batches; fids continue across calls (1, 2, ... in call order).
  void appendIncidents(std::span<const model::Incident> batch, Memberships area = {}, Memberships place = {});
  void writeRejected(std::span<const model::Rejected> rows);
  void writeLayerCounts(std::span<const model::LayerCounts> rows);
  void setMeta(const std::string& key, const std::string& value);
  // Ends the import: fills spatial indexes, restores triggers, commits, renames
  // over the target. After it the store is open (read) on the final path.
  void commit();

  // --- reading ---
  const std::filesystem::path& path() const { return m_path; }
  int srid() const { return m_srid; }
  std::int64_t count(std::string_view table) const;
  std::string meta(const std::string& key) const;  // "" when absent
  StoredIncidents readIncidents() const;
  // The raw connection (SpatiaLite loaded) for queries the API does not cover.
  sqlite3* handle() const;

 private:
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  void requireWritable(const char* what) const;

  std::unique_ptr<Impl> m_impl;
  std::filesystem::path m_path;
  int m_srid = 0;
};

}  // namespace trygg::data
