#include "data/store.hpp"

#include <algorithm>
#include <bit>
#include <limits>
#include <chrono>
#include <cstring>
#include <map>

#include <ctime>

#include <fmt/format.h>
// sqlite3.h first: spatialite.h uses its types.
#include <sqlite3.h>
#include <spatialite.h>

#include "core/error.hpp"
#include "data/atomic_file.hpp"
#include "data/rtree_bulk.hpp"
#include "data/wkb.hpp"
#include "trygg/version.hpp"

namespace trygg::data {
namespace fs = std::filesystem;

namespace {

// Tables whose R*Tree is filled in bulk at commit (their per-row SpatiaLite
// triggers are dropped during the load and restored at commit).
constexpr const char* kBulkTables[] = {"incidents", "observations"};

// Membership tables: name, left column, right column, and whether they get a
// second index by the right column. The incident tables do not: the engine
// reads memberships in incident order (the primary key), a per-area SQL count
// scans 1M rows in ~0.1 s, and the index would cost about a second per
// million incidents at import (CREATE INDEX incident_area_by_area_fid ON
// incident_area(area_fid, incident_fid) adds it when wanted).
struct Link {
  const char* table;
  const char* left;
  const char* right;
  bool by_right;
};
constexpr Link kLinks[] = {
    {"incident_area", "incident_fid", "area_fid", false},       {"incident_place", "incident_fid", "place_fid", false},
    {"observation_area", "observation_fid", "area_fid", true}, {"observation_place", "observation_fid", "place_fid", true},
    {"perception_area", "perception_fid", "area_fid", true},   {"place_area", "place_fid", "area_fid", true},
    {"measure_area", "measure_fid", "area_fid", true},
};


std::string jsonEscape(std::string_view s) {
  std::string o;
  o.reserve(s.size() + 2);
  for (const char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) o += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else o += c;
    }
  }
  return o;
}

std::string jsonObject(const std::map<std::string, std::int64_t>& m) {
  std::string o = "{";
  for (const auto& [k, v] : m) {
    if (o.size() > 1) o += ",";
    o += fmt::format("\"{}\":{}", jsonEscape(k), v);
  }
  return o + "}";
}

}  // namespace

// ---------------------------------------------------------------------------

// A failed SQLite call. A full disk, a file-size limit or an I/O error is the
// user's to fix (exit 1, with the store's path); anything else is a bug.
[[noreturn]] void storeFail(sqlite3* db, int rc, const std::string& what) {
  const int primary = rc & 0xff;
  const char* file = db ? sqlite3_db_filename(db, "main") : nullptr;
  const std::string path = file && *file ? file : "(the project store)";
  // CORRUPT/NOTADB: on a store trygg is writing, a write that failed half-way
  // (a full disk) or a file that is not trygg's; either way, the path to check.
  if (primary == SQLITE_FULL || primary == SQLITE_IOERR || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY ||
      primary == SQLITE_PERM || primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    throwDataError("store {}: cannot write ({}); check free disk space, file-size limits and permissions of its folder",
                   path, sqlite3_errstr(rc));
  throw Error(fmt::format("store: {}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
}

class Stmt {
 public:
  Stmt(sqlite3* db, const std::string& sql) : m_db(db) {
    if (const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &m_s, nullptr); rc != SQLITE_OK)
      storeFail(db, sqlite3_extended_errcode(db), fmt::format("cannot prepare '{}'", sql));
  }
  ~Stmt() { sqlite3_finalize(m_s); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(m_s, i, v)); }
  Stmt& bind(int i, int v) { return check(sqlite3_bind_int64(m_s, i, v)); }
  Stmt& bind(int i, std::uint32_t v) { return check(sqlite3_bind_int64(m_s, i, v)); }
  Stmt& bind(int i, double v) { return check(std::isnan(v) ? sqlite3_bind_null(m_s, i) : sqlite3_bind_double(m_s, i, v)); }
  // Text must outlive step() (it is bound without a copy).
  Stmt& bind(int i, std::string_view v) {
    return check(sqlite3_bind_text(m_s, i, v.data(), static_cast<int>(v.size()), SQLITE_STATIC));
  }
  Stmt& bindTime(int i, EpochSeconds t) { return t == kNoTime ? null(i) : bind(i, static_cast<std::int64_t>(t)); }
  Stmt& blob(int i, std::span<const std::uint8_t> b) {
    if (b.empty()) return null(i);
    return check(sqlite3_bind_blob(m_s, i, b.data(), static_cast<int>(b.size()), SQLITE_STATIC));
  }
  Stmt& null(int i) { return check(sqlite3_bind_null(m_s, i)); }
  // Runs to completion; returns whether a row is available (for queries).
  bool step() {
    const int rc = sqlite3_step(m_s);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) storeFail(m_db, sqlite3_extended_errcode(m_db), "step failed");
    return false;
  }
  void run() {
    step();
    sqlite3_reset(m_s);
  }
  void reset() { sqlite3_reset(m_s); }
  sqlite3_stmt* get() const { return m_s; }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) throw Error(fmt::format("store: bind failed: {}", sqlite3_errmsg(m_db)));
    return *this;
  }
  sqlite3* m_db;
  sqlite3_stmt* m_s = nullptr;
};

struct Store::Impl {
  sqlite3* db = nullptr;
  void* splite = nullptr;
  std::unique_ptr<AtomicOutput> out;  // set while importing
  bool writable = false;
  int srid = 0;
  std::int64_t next_incident = 1;
  std::int64_t next_observation = 1;
  std::int64_t n_places = 0;
  std::map<std::string, std::vector<std::string>> saved_triggers;
  // Points of the bulk tables as written (fid, point), for the R*Tree at commit.
  // 24 bytes a point: at 10M rows this list is the import's largest allocation.
  struct Pending {
    Point p;
    std::uint32_t fid;
    std::uint32_t key;  // Hilbert key, set at commit
  };
  std::map<std::string, std::vector<Pending>> pending;
  std::unique_ptr<Stmt> ins_incident, ins_incident_area, ins_incident_place;

  ~Impl() { close(); }
  void close() noexcept {
    ins_incident.reset();
    ins_incident_area.reset();
    ins_incident_place.reset();
    if (db) sqlite3_close(db);
    db = nullptr;
    if (splite) spatialite_cleanup_ex(splite);
    splite = nullptr;
  }

  void exec(const std::string& sql) const {
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
      std::string m = err ? err : "unknown error";
      sqlite3_free(err);
      storeFail(db, sqlite3_extended_errcode(db), fmt::format("'{}' failed: {}", sql.substr(0, 200), m));
    }
  }
  std::int64_t scalarInt(const std::string& sql) const {
    Stmt s(db, sql);
    return s.step() ? sqlite3_column_int64(s.get(), 0) : 0;
  }

  void openDb(const fs::path& p, int flags) {
    // One connection is never used by two threads at once (the runner's writer
    // thread hands it back before anything else touches it), so SQLite's
    // per-call connection mutex is pure cost: about 15 % of a 1M-row import.
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(p.c_str(), &db, flags, nullptr) != SQLITE_OK) {
      const std::string m = db ? sqlite3_errmsg(db) : "out of memory";
      close();
      throwDataError("store {}: cannot open ({}); check the path and its permissions", p.string(), m);
    }
    splite = spatialite_alloc_connection();
    spatialite_init_ex(db, splite, 0);
  }

  void addLinkRows(Stmt& ins, std::int64_t first_fid, Memberships m, std::size_t n, const char* what) {
    if (m.offsets.empty()) return;
    if (m.offsets.size() != n + 1)
      throwUsageError("store: {} memberships have {} offsets for {} rows (need n + 1)", what, m.offsets.size(), n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::uint32_t q = m.offsets[i]; q < m.offsets[i + 1]; ++q) {
        ins.bind(1, first_fid + static_cast<std::int64_t>(i)).bind(2, static_cast<std::int64_t>(m.ids[q]) + 1);
        ins.run();
      }
    }
  }

  void createSchema(const std::string& crs_wkt) {
    // InitSpatialMetaData(1, 'NONE'): metadata tables in one transaction, without
    // the 5,000-row EPSG table; only our SRID is inserted.
    exec("SELECT InitSpatialMetaData(1, 'NONE')");
    exec("BEGIN");
    bool have = false;
    if (srid > 0) {
      have = scalarInt(fmt::format("SELECT InsertEpsgSrid({})", srid)) == 1 ||
             scalarInt(fmt::format("SELECT COUNT(*) FROM spatial_ref_sys WHERE srid = {}", srid)) > 0;
    }
    if (!have) {
      if (srid <= 0) srid = kCustomSrid;
      Stmt s(db, "INSERT INTO spatial_ref_sys(srid, auth_name, auth_srid, ref_sys_name, proj4text, srtext) "
                 "VALUES (?, 'trygg', ?, 'trygg working CRS', '', ?)");
      s.bind(1, srid).bind(2, srid).bind(3, std::string_view(crs_wkt)).run();
    }
    exec(R"(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE areas(fid INTEGER PRIMARY KEY, area_id TEXT NOT NULL, name TEXT, src_row INTEGER, repaired INTEGER NOT NULL);
CREATE TABLE places(fid INTEGER PRIMARY KEY, place_id TEXT NOT NULL, name TEXT, kind TEXT, radius REAL,
  anchor_x REAL, anchor_y REAL, src_row INTEGER, repaired INTEGER NOT NULL);
CREATE TABLE incidents(fid INTEGER PRIMARY KEY, src_row INTEGER, source_id TEXT, t_from INTEGER, t_to INTEGER,
  category TEXT NOT NULL, source_category TEXT, weight REAL NOT NULL, flags INTEGER NOT NULL);
CREATE TABLE observations(fid INTEGER PRIMARY KEY, src_row INTEGER, source_id TEXT, round TEXT, factor TEXT,
  rating_text TEXT, score REAL, time INTEGER, place_id TEXT, note TEXT);
CREATE TABLE perception(fid INTEGER PRIMARY KEY, src_row INTEGER, source_id TEXT, kind TEXT NOT NULL, place_id TEXT,
  area_id TEXT, question TEXT, value REAL, time_of_day TEXT, gender TEXT, age_band TEXT, round TEXT, time INTEGER);
CREATE TABLE measures(fid INTEGER PRIMARY KEY, measure_id TEXT, kind TEXT, status TEXT, date INTEGER, radius REAL,
  src_row INTEGER, repaired INTEGER NOT NULL);
CREATE TABLE rejected(fid INTEGER PRIMARY KEY, layer TEXT NOT NULL, layer_name TEXT, source TEXT, src_row INTEGER,
  raw_json TEXT, reason TEXT NOT NULL, message TEXT);
CREATE TABLE layer_counts(layer_name TEXT PRIMARY KEY, layer TEXT NOT NULL, read INTEGER NOT NULL, loaded INTEGER NOT NULL,
  repaired INTEGER NOT NULL, rejected INTEGER NOT NULL, rejected_by_reason TEXT, warnings TEXT);
)");
    for (const Link& l : kLinks)
      exec(fmt::format("CREATE TABLE {0}({1} INTEGER NOT NULL, {2} INTEGER NOT NULL, PRIMARY KEY({1}, {2})) WITHOUT ROWID",
                       l.table, l.left, l.right));
    const std::pair<const char*, const char*> geoms[] = {{"areas", "MULTIPOLYGON"}, {"places", "GEOMETRY"},
                                                         {"incidents", "POINT"},    {"observations", "POINT"},
                                                         {"perception", "POINT"},   {"measures", "GEOMETRY"}};
    for (const auto& [t, type] : geoms) {
      if (scalarInt(fmt::format("SELECT AddGeometryColumn('{}', 'geom', {}, '{}', 'XY', 0)", t, srid, type)) != 1)
        throw Error(fmt::format("store: AddGeometryColumn({}) failed", t));
      if (scalarInt(fmt::format("SELECT CreateSpatialIndex('{}', 'geom')", t)) != 1)
        throw Error(fmt::format("store: CreateSpatialIndex({}) failed", t));
    }
    // Bulk tables: keep SpatiaLite's own trigger SQL, drop it for the load.
    for (const char* t : kBulkTables) {
      Stmt q(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? ORDER BY name");
      q.bind(1, std::string_view(t));
      std::vector<std::string> names;
      while (q.step()) {
        names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 0)));
        saved_triggers[t].emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1)));
      }
      for (const auto& n : names) exec(fmt::format("DROP TRIGGER \"{}\"", n));
    }
  }

  // R*Tree of a bulk table, bulk-loaded (data/rtree_bulk.hpp): SQLite's own
  // R*Tree inserts one row at a time, about 20 s for 1M points. SpatiaLite's
  // triggers are restored afterwards.
  void fillSpatialIndex(const char* table) {
    // Sorted in place (no second copy of the points).
    std::vector<Pending> rows;
    rows.swap(pending[table]);
    std::erase_if(rows, [](const Pending& q) { return !std::isfinite(q.p.x) || !std::isfinite(q.p.y); });
    BBox ext;
    for (const Pending& q : rows) ext.expand(q.p);
    for (Pending& r : rows) r.key = hilbertKey(r.p.x, r.p.y, ext);
    std::sort(rows.begin(), rows.end(),
              [](const Pending& a, const Pending& b) { return a.key != b.key ? a.key < b.key : a.fid < b.fid; });
    bulkLoadRtree(db, fmt::format("idx_{}_geom", table), rows.size(), [&](std::size_t i, std::int64_t& id, RtreeBox& box) {
      id = rows[i].fid;
      box = outwardBox(rows[i].p.x, rows[i].p.x, rows[i].p.y, rows[i].p.y);
    });
    for (const auto& sql : saved_triggers[table]) exec(sql);
  }
};

// ---------------------------------------------------------------------------

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;  // Impl closes; AtomicOutput removes an uncommitted temp file

Store Store::create(const fs::path& db, int srid, const std::string& crs_wkt) {
  auto impl = std::make_unique<Impl>();
  impl->out = std::make_unique<AtomicOutput>(db);
  std::error_code ec;
  fs::remove(impl->out->tempPath(), ec);
  impl->openDb(impl->out->tempPath(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  impl->exec("PRAGMA page_size = 16384");
  impl->srid = srid;
  // The temporary file is discarded on any failure, so no journal and no syncs:
  // durability comes from commit()'s fsync + rename.
  impl->exec("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
             "PRAGMA cache_size = -131072; PRAGMA temp_store = FILE");
  impl->createSchema(crs_wkt);
  impl->writable = true;
  Store s(std::move(impl));
  s.m_path = db;
  s.m_srid = s.m_impl->srid;
  s.setMeta("crs_wkt", crs_wkt);
  s.setMeta("srid", std::to_string(s.m_srid));
  s.setMeta("trygg_version", kVersion);
  s.setMeta("schema_version", "1");
  return s;
}

Store Store::open(const fs::path& db) {
  if (!fs::exists(db)) throwDataError("store {} does not exist; run `trygg import` first", db.string());
  auto impl = std::make_unique<Impl>();
  impl->openDb(db, SQLITE_OPEN_READWRITE);
  Store s(std::move(impl));
  s.m_path = db;
  const std::string sr = s.meta("srid");
  if (sr.empty()) throwDataError("store {} is not a trygg project database (no meta table); re-run `trygg import`", db.string());
  s.m_srid = std::stoi(sr);
  s.m_impl->srid = s.m_srid;
  return s;
}

sqlite3* Store::handle() const { return m_impl->db; }

void Store::requireWritable(const char* what) const {
  if (!m_impl || !m_impl->writable)
    throwUsageError("store {}: {} needs a store from Store::create() that is not yet committed", m_path.string(), what);
}

void Store::setMeta(const std::string& key, const std::string& value) {
  requireWritable("setMeta");
  Stmt s(m_impl->db, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
  s.bind(1, std::string_view(key)).bind(2, std::string_view(value)).run();
}

std::string Store::meta(const std::string& key) const {
  Stmt s(m_impl->db, "SELECT value FROM meta WHERE key = ?");
  s.bind(1, std::string_view(key));
  if (!s.step()) return {};
  const auto* t = sqlite3_column_text(s.get(), 0);
  return t ? reinterpret_cast<const char*>(t) : "";
}

std::int64_t Store::count(std::string_view table) const {
  return m_impl->scalarInt(fmt::format("SELECT COUNT(*) FROM \"{}\"", table));
}

void Store::writeAreas(std::span<const model::Area> areas) {
  requireWritable("writeAreas");
  Stmt s(m_impl->db, fmt::format("INSERT INTO areas(fid, area_id, name, src_row, repaired, geom) VALUES "
                                 "(?, ?, ?, ?, ?, CastToMultiPolygon(GeomFromWKB(?, {})))", m_srid));
  std::int64_t fid = m_impl->scalarInt("SELECT COALESCE(MAX(fid), 0) FROM areas") + 1;
  for (const auto& a : areas) {
    s.bind(1, fid++).bind(2, std::string_view(a.id)).bind(3, std::string_view(a.name)).bind(4, a.row).bind(5, int(a.repaired));
    s.blob(6, a.geom.wkb);
    s.run();
  }
}

void Store::writePlaces(std::span<const model::Place> places, Memberships place_area) {
  requireWritable("writePlaces");
  Stmt s(m_impl->db, fmt::format("INSERT INTO places(fid, place_id, name, kind, radius, anchor_x, anchor_y, src_row, "
                                 "repaired, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, GeomFromWKB(?, {}))", m_srid));
  const std::int64_t first = m_impl->n_places + 1;
  std::int64_t fid = first;
  for (const auto& p : places) {
    s.bind(1, fid++).bind(2, std::string_view(p.id)).bind(3, std::string_view(p.name)).bind(4, std::string_view(p.kind));
    s.bind(5, p.radius).bind(6, p.anchor.x).bind(7, p.anchor.y).bind(8, p.row).bind(9, int(p.repaired));
    s.blob(10, p.geom.wkb);
    s.run();
  }
  m_impl->n_places = fid - 1;
  Stmt link(m_impl->db, "INSERT INTO place_area VALUES (?, ?)");
  m_impl->addLinkRows(link, first, place_area, places.size(), "place_area");
}

void Store::writeObservations(std::span<const model::Observation> obs, Memberships area, Memberships place) {
  requireWritable("writeObservations");
  Stmt s(m_impl->db, "INSERT INTO observations(fid, src_row, source_id, round, factor, rating_text, score, time, "
                     "place_id, note, geom) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  const std::int64_t first = m_impl->next_observation;
  std::uint8_t blob[wkb::kSpatialitePointSize];
  auto& pend = m_impl->pending["observations"];
  for (std::size_t i = 0; i < obs.size(); ++i) {
    const auto& o = obs[i];
    pend.push_back({o.pt, static_cast<std::uint32_t>(first + static_cast<std::int64_t>(i)), 0});
    wkb::spatialitePoint(o.pt, m_srid, blob);
    s.bind(1, first + static_cast<std::int64_t>(i)).bind(2, o.row).bind(3, std::string_view(o.source_id));
    s.bind(4, std::string_view(o.round)).bind(5, std::string_view(o.factor)).bind(6, std::string_view(o.rating_text));
    s.bind(7, o.score).bindTime(8, o.time).bind(9, std::string_view(o.place_id)).bind(10, std::string_view(o.note));
    s.blob(11, blob);
    s.run();
  }
  m_impl->next_observation += static_cast<std::int64_t>(obs.size());
  Stmt la(m_impl->db, "INSERT INTO observation_area VALUES (?, ?)");
  m_impl->addLinkRows(la, first, area, obs.size(), "observation_area");
  Stmt lp(m_impl->db, "INSERT INTO observation_place VALUES (?, ?)");
  m_impl->addLinkRows(lp, first, place, obs.size(), "observation_place");
}

void Store::writePerception(std::span<const model::Perception> rows, Memberships area) {
  requireWritable("writePerception");
  Stmt s(m_impl->db, fmt::format("INSERT INTO perception(fid, src_row, source_id, kind, place_id, area_id, question, value, "
                                 "time_of_day, gender, age_band, round, time, geom) VALUES "
                                 "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  const std::int64_t first = m_impl->scalarInt("SELECT COALESCE(MAX(fid), 0) FROM perception") + 1;
  std::uint8_t blob[wkb::kSpatialitePointSize];
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    s.bind(1, first + static_cast<std::int64_t>(i)).bind(2, r.row).bind(3, std::string_view(r.source_id));
    s.bind(4, std::string_view(r.kind == model::Perception::Kind::Pin ? "pin" : "answer"));
    s.bind(5, std::string_view(r.place_id)).bind(6, std::string_view(r.area_id)).bind(7, std::string_view(r.question));
    s.bind(8, r.value).bind(9, std::string_view(r.time_of_day)).bind(10, std::string_view(r.gender));
    s.bind(11, std::string_view(r.age_band)).bind(12, std::string_view(r.round)).bindTime(13, r.time);
    if (r.has_point) {
      wkb::spatialitePoint(r.pt, m_srid, blob);
      s.blob(14, blob);
    } else {
      s.null(14);
    }
    s.run();
  }
  Stmt la(m_impl->db, "INSERT INTO perception_area VALUES (?, ?)");
  m_impl->addLinkRows(la, first, area, rows.size(), "perception_area");
}

void Store::writeMeasures(std::span<const model::Measure> rows, Memberships area) {
  requireWritable("writeMeasures");
  Stmt s(m_impl->db, fmt::format("INSERT INTO measures(fid, measure_id, kind, status, date, radius, src_row, repaired, geom) "
                                 "VALUES (?, ?, ?, ?, ?, ?, ?, ?, GeomFromWKB(?, {}))", m_srid));
  const std::int64_t first = m_impl->scalarInt("SELECT COALESCE(MAX(fid), 0) FROM measures") + 1;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& m = rows[i];
    s.bind(1, first + static_cast<std::int64_t>(i)).bind(2, std::string_view(m.id)).bind(3, std::string_view(m.kind));
    s.bind(4, std::string_view(m.status)).bindTime(5, m.date).bind(6, m.radius).bind(7, m.row).bind(8, int(m.repaired));
    s.blob(9, m.geom.wkb);
    s.run();
  }
  Stmt la(m_impl->db, "INSERT INTO measure_area VALUES (?, ?)");
  m_impl->addLinkRows(la, first, area, rows.size(), "measure_area");
}

void Store::appendIncidents(std::span<const model::Incident> batch, Memberships area, Memberships place) {
  requireWritable("appendIncidents");
  Impl& im = *m_impl;
  if (!im.ins_incident) {
    im.ins_incident = std::make_unique<Stmt>(
        im.db, "INSERT INTO incidents(fid, src_row, source_id, t_from, t_to, category, source_category, weight, flags, geom) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    im.ins_incident_area = std::make_unique<Stmt>(im.db, "INSERT INTO incident_area VALUES (?, ?)");
    im.ins_incident_place = std::make_unique<Stmt>(im.db, "INSERT INTO incident_place VALUES (?, ?)");
  }
  Stmt& s = *im.ins_incident;
  const std::int64_t first = im.next_incident;
  if (first + static_cast<std::int64_t>(batch.size()) > 0xffffffffLL)
    throwUsageError("store: more than 4,294,967,295 incidents in one import are not supported");
  std::uint8_t blob[wkb::kSpatialitePointSize];
  auto& pend = im.pending["incidents"];
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const auto& r = batch[i];
    pend.push_back({r.pt, static_cast<std::uint32_t>(first + static_cast<std::int64_t>(i)), 0});
    wkb::spatialitePoint(r.pt, m_srid, blob);
    s.bind(1, first + static_cast<std::int64_t>(i)).bind(2, r.row);
    if (r.source_id.empty()) s.null(3); else s.bind(3, std::string_view(r.source_id));
    s.bindTime(4, r.t_from).bindTime(5, r.t_to).bind(6, categoryId(r.category));
    if (r.source_category.empty()) s.null(7); else s.bind(7, std::string_view(r.source_category));
    s.bind(8, r.weight).bind(9, r.flags).blob(10, blob);
    s.run();
  }
  im.next_incident += static_cast<std::int64_t>(batch.size());
  im.addLinkRows(*im.ins_incident_area, first, area, batch.size(), "incident_area");
  im.addLinkRows(*im.ins_incident_place, first, place, batch.size(), "incident_place");
}

void Store::writeRejected(std::span<const model::Rejected> rows) {
  requireWritable("writeRejected");
  Stmt s(m_impl->db, "INSERT INTO rejected(layer, layer_name, source, src_row, raw_json, reason, message) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)");
  for (const auto& r : rows) {
    s.bind(1, model::layerKindId(r.layer)).bind(2, std::string_view(r.layer_name)).bind(3, std::string_view(r.source));
    s.bind(4, r.row).bind(5, std::string_view(r.raw_json)).bind(6, model::rejectReasonId(r.reason));
    s.bind(7, std::string_view(r.message));
    s.run();
  }
}

void Store::writeLayerCounts(std::span<const model::LayerCounts> rows) {
  requireWritable("writeLayerCounts");
  Stmt s(m_impl->db, "INSERT OR REPLACE INTO layer_counts(layer_name, layer, read, loaded, repaired, rejected, "
                     "rejected_by_reason, warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& c : rows) {
    const std::string by = jsonObject(c.rejected_by_reason), w = jsonObject(c.warnings);
    s.bind(1, std::string_view(c.layer_name)).bind(2, model::layerKindId(c.layer)).bind(3, c.read).bind(4, c.loaded);
    s.bind(5, c.repaired).bind(6, c.rejected).bind(7, std::string_view(by)).bind(8, std::string_view(w));
    s.run();
  }
}

void Store::commit() {
  requireWritable("commit");
  Impl& im = *m_impl;
  for (const char* t : kBulkTables) im.fillSpatialIndex(t);
  for (const Link& l : kLinks)
    if (l.by_right) im.exec(fmt::format("CREATE INDEX {0}_by_{1} ON {0}({1}, {2})", l.table, l.right, l.left));
  {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    setMeta("import_time", buf);
  }
  im.exec("COMMIT");
  im.writable = false;
  im.close();
  im.out->commit();  // fsync + rename over the previous store + fsync the folder
  im.out.reset();
  im.openDb(m_path, SQLITE_OPEN_READWRITE);
}

StoredIncidents Store::readIncidents() const {
  StoredIncidents out;
  const auto n = static_cast<std::size_t>(count("incidents"));
  out.fid.reserve(n);
  out.pts.reserve(n);
  out.t_from.reserve(n);
  out.t_to.reserve(n);
  out.category.reserve(n);
  out.weight.reserve(n);
  out.flags.reserve(n);
  out.area_offsets.reserve(n + 1);
  {
    Stmt q(m_impl->db, "SELECT fid, t_from, t_to, category, weight, flags, geom FROM incidents ORDER BY fid");
    sqlite3_stmt* s = q.get();
    while (q.step()) {
      out.fid.push_back(sqlite3_column_int64(s, 0));
      out.t_from.push_back(sqlite3_column_type(s, 1) == SQLITE_NULL ? kNoTime : sqlite3_column_int64(s, 1));
      out.t_to.push_back(sqlite3_column_type(s, 2) == SQLITE_NULL ? kNoTime : sqlite3_column_int64(s, 2));
      const std::string_view cat(reinterpret_cast<const char*>(sqlite3_column_text(s, 3)),
                                 static_cast<std::size_t>(sqlite3_column_bytes(s, 3)));
      Category c = Category::Other;
      for (const auto& info : categoryTable())
        if (info.id == cat) c = info.category;
      out.category.push_back(c);
      out.weight.push_back(sqlite3_column_double(s, 4));
      out.flags.push_back(static_cast<std::uint32_t>(sqlite3_column_int64(s, 5)));
      const auto* b = static_cast<const std::uint8_t*>(sqlite3_column_blob(s, 6));
      const auto p = wkb::readSpatialitePoint({b, static_cast<std::size_t>(sqlite3_column_bytes(s, 6))});
      out.pts.push_back(p ? *p : Point{NAN, NAN});
    }
  }
  // Memberships by incident fid (the primary key order), as 0-based area indices.
  Stmt q(m_impl->db, "SELECT incident_fid, area_fid FROM incident_area ORDER BY incident_fid, area_fid");
  std::size_t i = 0;
  while (q.step()) {
    const std::int64_t f = sqlite3_column_int64(q.get(), 0);
    while (i < out.fid.size() && out.fid[i] < f) {
      out.area_offsets.push_back(static_cast<std::uint32_t>(out.area_ids.size()));
      ++i;
    }
    out.area_ids.push_back(static_cast<std::uint32_t>(sqlite3_column_int64(q.get(), 1) - 1));
  }
  while (i < out.fid.size()) {
    out.area_offsets.push_back(static_cast<std::uint32_t>(out.area_ids.size()));
    ++i;
  }
  return out;
}

}  // namespace trygg::data
