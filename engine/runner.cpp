#include "engine/runner.hpp"

#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <unordered_map>

#include "core/error.hpp"
#include "data/atomic_file.hpp"
#include "data/gpkg_writer.hpp"
#include "data/reader.hpp"
#include "data/store.hpp"
#include "engine/method.hpp"
#include "engine/outputs.hpp"
#include "geo/crs/crs.hpp"
#include "geo/index/polygon_index.hpp"
#include "geo/index/radius_index.hpp"
#include "geo/index/stacks.hpp"
#include "trygg/version.hpp"

namespace trygg::engine {

namespace fs = std::filesystem;
using model::LayerKind;

namespace {

double nowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

// The areas' bounding box in their own CRS and that CRS as a user string.
// GDAL sources know their extent; a CSV's is read (areas are few rows).
struct AreasExtent {
  BBox bbox;
  std::string crs;  // WKT or user string; empty when the layer has none
};
AreasExtent areasExtent(const data::LayerConfig& cfg) {
  const auto info = data::probeLayer(cfg);
  AreasExtent e;
  e.crs = !cfg.crs.empty() ? cfg.crs : (info.has_crs ? info.crs_wkt : std::string());
  e.bbox = info.bbox;
  if (e.bbox.empty() && !e.crs.empty()) {
    data::ReadOptions ro;
    ro.working_crs = e.crs;
    for (const auto& a : data::readAreas(cfg, ro).rows) e.bbox.expand(a.geom.bbox);
  }
  return e;
}

// The lon/lat centre of a bbox in CRS `crs`; false when it cannot be computed.
bool lonLatCentre(const AreasExtent& e, double& lon, double& lat) {
  if (e.bbox.empty() || e.crs.empty()) return false;
  lon = (e.bbox.minx + e.bbox.maxx) / 2;
  lat = (e.bbox.miny + e.bbox.maxy) / 2;
  const auto src = geo::Crs::fromUserString(e.crs);
  if (src.isGeographic() && std::abs(lon) <= 180 && std::abs(lat) <= 90) return true;
  geo::Transformer t(src, geo::Crs::fromUserString("EPSG:4326"));
  return t.transform(lon, lat);
}

// SWEREF 99 TM's area of use (EPSG:3006): Sweden, onshore and offshore.
bool inSweden(double lon, double lat) { return lon >= 10.03 && lon <= 24.17 && lat >= 54.96 && lat <= 69.07; }

struct WorkingCrs {
  geo::Crs crs;
  std::string reason;  // why this CRS (printed and kept in the run summary)
};

// The working CRS (docs/project-file.md): the areas layer's CRS when projected;
// for geographic (lon/lat) areas SWEREF 99 TM when they lie in Sweden, else the
// WGS 84 / UTM zone of their centre; "auto" = the UTM zone of the areas; a
// geographic CRS is refused (analyses need lengths).
WorkingCrs resolveWorkingCrs(const Project& p) {
  const auto areas = p.layersOf(LayerKind::Areas);
  const auto file = p.file.filename().string();
  if (p.crs == "default") {
    const auto info = data::probeLayer(*areas.front());
    if (!areas.front()->crs.empty()) {
      auto c = geo::Crs::fromUserString(areas.front()->crs);
      if (c.isProjected()) return {c, "the areas layer's crs (projected)"};
    } else if (info.has_crs && info.crs_projected) {
      return {geo::Crs::fromUserString(info.crs_wkt), "the areas layer's own CRS (projected)"};
    }
    // Geographic areas (degrees): Sweden gets SWEREF 99 TM, elsewhere the UTM zone.
    double lon = 0, lat = 0;
    const auto e = areasExtent(*areas.front());
    if (!lonLatCentre(e, lon, lat))
      return {geo::Crs::fromUserString("EPSG:3006"),
              "the areas' position is unknown; SWEREF 99 TM assumed (set project.crs if the data are not in Sweden)"};
    if (inSweden(lon, lat))
      return {geo::Crs::fromUserString("EPSG:3006"),
              fmt::format("the areas are in degrees and lie in Sweden (centre {:.4f}, {:.4f})", lon, lat)};
    return {geo::Crs::utmFor(lon, lat),
            fmt::format("the areas are in degrees and lie outside Sweden (centre {:.4f}, {:.4f}): the UTM zone of "
                        "their centre; set project.crs to choose another",
                        lon, lat)};
  }
  if (p.crs == "auto") {
    double lon = 0, lat = 0;
    const auto e = areasExtent(*areas.front());
    if (e.bbox.empty())
      throwDataError("{}: project.crs is 'auto' but the areas layer's extent is unknown; give a CRS such as EPSG:3006",
                     file);
    if (e.crs.empty())
      throwDataError("{}: project.crs is 'auto' but the areas layer has no CRS; add `crs:` to the areas layer", file);
    if (!lonLatCentre(e, lon, lat)) throwDataError("{}: cannot find the UTM zone of the areas' centre", file);
    return {geo::Crs::utmFor(lon, lat), fmt::format("crs: auto, the UTM zone of the areas' centre ({:.4f}, {:.4f})",
                                                    lon, lat)};
  }
  auto c = geo::Crs::fromUserString(p.crs);
  if (c.isGeographic())
    throwDataError("{}: project.crs '{}' is geographic (degrees); analyses need a projected CRS in metres or feet, "
                   "e.g. EPSG:3006 (SWEREF 99 TM), or 'auto' for the UTM zone",
                   file, p.crs);
  return {c, "project.crs"};
}

// Creates an output folder; a failure (a file where a folder belongs, a name
// too long, no permission, a full disk) is the user's to fix: exit 1 with the path.
void makeFolder(const fs::path& dir, std::string_view what) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (!ec) return;
  // Name the first part of the path that is in the way, when there is one.
  fs::path blocker;
  for (fs::path p = dir; !p.empty() && p != p.parent_path(); p = p.parent_path()) {
    std::error_code e2;
    if (fs::exists(p, e2) && !fs::is_directory(p, e2)) {
      blocker = p;
      break;
    }
  }
  if (!blocker.empty())
    throwDataError("cannot create the {} '{}': '{}' is a file, not a folder; choose another folder in the project file",
                   what, dir.string(), blocker.string());
  throwDataError("cannot create the {} '{}': {}; check the path, its permissions and free disk space", what,
                 dir.string(), ec.message());
}

void appendCsr(std::vector<std::uint32_t>& offsets, std::vector<std::uint32_t>& ids,
               const std::vector<std::uint32_t>& off2, const std::vector<std::uint32_t>& ids2) {
  const auto base = static_cast<std::uint32_t>(ids.size());
  for (std::size_t i = 1; i < off2.size(); ++i) offsets.push_back(base + off2[i]);
  ids.insert(ids.end(), ids2.begin(), ids2.end());
}

template <class T>
void collect(data::ReadResult<T>&& r, std::vector<T>& rows, LoadedProject& lp) {
  rows.insert(rows.end(), std::make_move_iterator(r.rows.begin()), std::make_move_iterator(r.rows.end()));
  lp.rejected.insert(lp.rejected.end(), std::make_move_iterator(r.rejected.begin()),
                     std::make_move_iterator(r.rejected.end()));
  lp.counts.push_back(std::move(r.counts));
}

// Sets the stacked flag on incidents already in the store (same transaction).
void markStacked(data::Store& store, const std::vector<std::int64_t>& fids) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(store.handle(), "UPDATE incidents SET flags = flags | ?1 WHERE fid = ?2", -1, &st, nullptr) !=
      SQLITE_OK)
    throw Error(fmt::format("store: cannot flag stacked incidents: {}", sqlite3_errmsg(store.handle())));
  for (const auto fid : fids) {
    sqlite3_bind_int64(st, 1, model::kFlagStacked);
    sqlite3_bind_int64(st, 2, fid);
    if (sqlite3_step(st) != SQLITE_DONE) {
      sqlite3_finalize(st);
      throw Error(fmt::format("store: cannot flag stacked incidents: {}", sqlite3_errmsg(store.handle())));
    }
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
}

// Writes incident batches into the store on a thread of its own, so that the
// reader parses the next batch while SQLite inserts this one. At most kDepth
// batches wait; a store error is rethrown by push() or finish().
class StoreWriter {
 public:
  explicit StoreWriter(data::Store* store) : m_store(store) {
    if (m_store) m_thread = std::thread([this] { loop(); });
  }
  ~StoreWriter() {
    if (m_thread.joinable()) {
      {
        std::lock_guard lock(m_mutex);
        m_closed = true;
      }
      m_cv.notify_all();
      m_thread.join();
    }
  }
  void push(std::vector<model::Incident>&& batch, const std::vector<std::uint32_t>& off,
            const std::vector<std::uint32_t>& ids, const std::vector<std::uint32_t>& poff,
            const std::vector<std::uint32_t>& pids) {
    if (!m_store) return;
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [&] { return m_jobs.size() < kDepth || m_error; });
    if (m_error) std::rethrow_exception(m_error);
    m_jobs.push_back({std::move(batch), off, ids, poff, pids});
    lock.unlock();
    m_cv.notify_all();
  }
  void finish() {
    if (!m_thread.joinable()) return;
    {
      std::lock_guard lock(m_mutex);
      m_closed = true;
    }
    m_cv.notify_all();
    m_thread.join();
    if (m_error) std::rethrow_exception(m_error);
  }

 private:
  struct Job {
    std::vector<model::Incident> batch;
    std::vector<std::uint32_t> off, ids, poff, pids;
  };
  static constexpr std::size_t kDepth = 4;
  void loop() {
    for (;;) {
      Job job;
      {
        std::unique_lock lock(m_mutex);
        m_cv.wait(lock, [&] { return !m_jobs.empty() || m_closed; });
        if (m_jobs.empty()) return;
        job = std::move(m_jobs.front());
        m_jobs.pop_front();
      }
      m_cv.notify_all();
      try {
        m_store->appendIncidents(job.batch, {job.off, job.ids}, {job.poff, job.pids});
      } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
        m_jobs.clear();
        m_cv.notify_all();
        return;
      }
    }
  }
  data::Store* m_store;
  std::thread m_thread;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::deque<Job> m_jobs;
  bool m_closed = false;
  std::exception_ptr m_error;
};

}  // namespace

Runner::Runner(Project project, RunOptions options, const Registry& registry)
    : m_project(std::move(project)), m_opt(options), m_registry(registry) {
  if (m_opt.quiet) m_opt.progress = false;
  // Offline unless the command line or the project allows the network.
  data::setNetworkAccess(m_opt.allow_network || m_project.network);
}

LoadedProject Runner::load(bool write_store, bool keep_incidents) {
  LoadedProject lp;
  Progress progress(m_opt.progress);
  const auto working = resolveWorkingCrs(m_project);
  const auto& crs = working.crs;
  lp.crs_reason = working.reason;
  lp.crs_wkt = crs.wkt();
  lp.crs_authid = crs.authId();
  lp.crs_name = crs.name();
  lp.unit_metres = crs.linearUnitMetres();
  const double unit = lp.unit_metres;

  data::ReadOptions ro;
  ro.working_crs = lp.crs_authid.empty() ? lp.crs_wkt : lp.crs_authid;
  ro.progress = &progress;
  auto withRadius = [&](data::LayerConfig cfg) {
    if (cfg.radius) cfg.radius = *cfg.radius / unit;  // typed in metres -> CRS units
    return cfg;
  };

  // Areas first: they define the default study extent.
  for (const auto* cfg : m_project.layersOf(LayerKind::Areas)) {
    progress.begin(fmt::format("Reading {}: ", cfg->name));
    collect(data::readAreas(*cfg, ro), lp.areas, lp);
    progress.done();
  }
  if (lp.areas.empty()) {
    // Nothing has been printed yet: say here what happened to the area rows.
    std::string why;
    std::int64_t read = 0;
    for (const auto& c : lp.counts) read += c.read;
    if (read == 0) {
      why = "the areas layer has no rows";
      for (const auto* cfg : m_project.layersOf(LayerKind::Areas))
        if (!cfg->filter.empty()) why += fmt::format(" (after its filter '{}')", cfg->filter);
    } else {
      why = fmt::format("all {} rows were rejected:", read);
      std::size_t shown = 0;
      for (const auto& r : lp.rejected) {
        if (shown++ == 5) {
          why += fmt::format("\n  ... and {} more", lp.rejected.size() - 5);
          break;
        }
        why += "\n  " + r.message;
      }
    }
    throwDataError("{}: no area was loaded, so there is nothing to analyse: {}\nA project needs at least one valid "
                   "area polygon in its areas layer",
                   m_project.file.filename().string(), why);
  }
  if (m_project.extent) {
    lp.extent = *m_project.extent;
  } else {
    for (const auto& a : lp.areas) lp.extent.expand(a.geom.bbox);
    // Grow by the largest distance any analysis or layer uses, so that kernels,
    // buffers and control areas near the border see their neighbourhood.
    double reach = m_project.max_distance;
    for (const auto& a : m_project.analyses) {
      if (!m_registry.has(a.method)) continue;  // reported when the analysis runs
      auto m = m_registry.create(a.method);
      m->configure(a.params, fmt::format("{} analysis '{}'", m_project.file.filename().string(), a.name));
      reach = std::max(reach, m->reachMetres());
    }
    for (const auto& l : m_project.layers)
      if (l.radius) reach = std::max(reach, *l.radius);
    reach = std::max(reach, 50.0) + m_project.extent_margin;
    lp.extent = lp.extent.grown(reach / unit);
  }
  ro.extent = lp.extent;

  for (const auto* cfg : m_project.layersOf(LayerKind::Places)) {
    progress.begin(fmt::format("Reading {}: ", cfg->name));
    collect(data::readPlaces(withRadius(*cfg), ro), lp.places, lp);
    progress.done();
  }
  for (auto& p : lp.places)
    if (!(p.radius > 0)) p.radius = 50.0 / unit;
  for (const auto* cfg : m_project.layersOf(LayerKind::Observations)) {
    progress.begin(fmt::format("Reading {}: ", cfg->name));
    collect(data::readObservations(*cfg, ro), lp.observations, lp);
    progress.done();
  }
  for (const auto* cfg : m_project.layersOf(LayerKind::Perception)) {
    progress.begin(fmt::format("Reading {}: ", cfg->name));
    collect(data::readPerception(*cfg, ro), lp.perception, lp);
    progress.done();
  }
  for (const auto* cfg : m_project.layersOf(LayerKind::Measures)) {
    progress.begin(fmt::format("Reading {}: ", cfg->name));
    collect(data::readMeasures(withRadius(*cfg), ro), lp.measures, lp);
    progress.done();
  }

  // Spatial indexes over areas and places.
  std::vector<std::span<const std::uint8_t>> area_wkb;
  for (const auto& a : lp.areas) area_wkb.emplace_back(a.geom.wkb);
  const geo::PolygonIndex area_index(area_wkb);
  const auto place_sources = geo::RadiusIndex::sourcesFromPlaces(lp.places);
  const geo::RadiusIndex place_index(place_sources);

  std::optional<data::Store> store;
  if (write_store) {
    makeFolder(m_project.store_path.parent_path(), "store's folder");
    store.emplace(data::Store::create(m_project.store_path, crs.epsg(), lp.crs_wkt));
  }

  // Incidents stream: read a batch, assign areas and places, keep the columns,
  // and hand the batch to the store writer, which runs on its own thread so that
  // parsing the next batch overlaps the SQLite inserts of this one.
  auto& inc = lp.incidents;
  StoreWriter writer(store ? &*store : nullptr);
  std::vector<std::uint32_t> off, ids, poff, pids;
  std::vector<Point> batch_pts;
  for (const auto* cfg : m_project.layersOf(LayerKind::Incidents)) {
    progress.begin(fmt::format("Reading {}: ", cfg->name));
    std::vector<model::Rejected> rejected;
    auto counts = data::readIncidents(
        *cfg, ro,
        [&](std::vector<model::Incident>& batch) {
          batch_pts.clear();
          for (const auto& b : batch) batch_pts.push_back(b.pt);
          area_index.assign(batch_pts, off, ids);
          place_index.assign(batch_pts, poff, pids);
          if (!keep_incidents) {  // only the points, for the stack check
            inc.pts.insert(inc.pts.end(), batch_pts.begin(), batch_pts.end());
            writer.push(std::move(batch), off, ids, poff, pids);
            batch.clear();
            return;
          }
          for (const auto& b : batch) {
            inc.pts.push_back(b.pt);
            inc.t_from.push_back(b.t_from);
            inc.t_to.push_back(b.t_to);
            inc.category.push_back(b.category);
            inc.weight.push_back(b.weight);
            inc.flags.push_back(b.flags);
            inc.fid.push_back(static_cast<std::int64_t>(inc.fid.size() + 1));
          }
          appendCsr(inc.area_offsets, inc.area_ids, off, ids);
          appendCsr(lp.incident_place_offsets, lp.incident_place_ids, poff, pids);
          writer.push(std::move(batch), off, ids, poff, pids);
          batch.clear();
        },
        [&](model::Rejected&& r) { rejected.push_back(std::move(r)); });
    lp.rejected.insert(lp.rejected.end(), std::make_move_iterator(rejected.begin()),
                       std::make_move_iterator(rejected.end()));
    lp.counts.push_back(std::move(counts));
    progress.done();
  }
  writer.finish();  // rethrows a store error

  // Stacks of many incidents on one coordinate (geocoding fallbacks): flagged,
  // counted, kept out of hotspot maps.
  {
    const auto mask = geo::stackedMask(inc.pts, m_project.stack_min);
    std::vector<std::int64_t> stacked;
    for (std::size_t i = 0; i < mask.size(); ++i)
      if (mask[i]) {
        if (keep_incidents) inc.flags[i] |= model::kFlagStacked;
        stacked.push_back(static_cast<std::int64_t>(i + 1));  // the store's fid
      }
    if (!keep_incidents) inc.clear();
    lp.stacked_incidents = static_cast<std::int64_t>(stacked.size());
    if (store && !stacked.empty()) markStacked(*store, stacked);
  }

  // Memberships.
  {
    std::vector<Point> pts;
    for (const auto& p : lp.places) pts.push_back(p.anchor);
    area_index.assign(pts, lp.place_area_offsets, lp.place_area_ids);
    pts.clear();
    for (const auto& o : lp.observations) pts.push_back(o.pt);
    area_index.assign(pts, lp.observation_area_offsets, lp.observation_area_ids);
    place_index.assign(pts, lp.observation_place_offsets, lp.observation_place_ids);
    // Perception answers without coordinates join by place or area id.
    lp.perception_area_offsets.assign(1, 0);
    lp.perception_area_ids.clear();
    lp.perception_place_offsets.assign(1, 0);
    lp.perception_place_ids.clear();
    std::unordered_map<std::string, std::uint32_t> area_by_id, place_by_id;
    for (std::uint32_t i = 0; i < lp.areas.size(); ++i) area_by_id.emplace(lp.areas[i].id, i);
    for (std::uint32_t i = 0; i < lp.places.size(); ++i) place_by_id.emplace(lp.places[i].id, i);
    std::vector<std::uint32_t> tmp;
    for (const auto& p : lp.perception) {
      tmp.clear();
      if (p.has_point) area_index.containing(p.pt, tmp);
      else if (auto it = area_by_id.find(p.area_id); it != area_by_id.end()) tmp.push_back(it->second);
      else if (auto jt = place_by_id.find(p.place_id); jt != place_by_id.end()) {
        for (auto k = lp.place_area_offsets[jt->second]; k < lp.place_area_offsets[jt->second + 1]; ++k)
          tmp.push_back(lp.place_area_ids[k]);
      }
      lp.perception_area_ids.insert(lp.perception_area_ids.end(), tmp.begin(), tmp.end());
      lp.perception_area_offsets.push_back(static_cast<std::uint32_t>(lp.perception_area_ids.size()));
      tmp.clear();
      if (p.has_point) place_index.covering(p.pt, tmp);
      else if (auto jt = place_by_id.find(p.place_id); jt != place_by_id.end()) tmp.push_back(jt->second);
      lp.perception_place_ids.insert(lp.perception_place_ids.end(), tmp.begin(), tmp.end());
      lp.perception_place_offsets.push_back(static_cast<std::uint32_t>(lp.perception_place_ids.size()));
    }
  }

  for (const auto& c : lp.counts)
    if (!c.balanced())
      throw Error(fmt::format("layer {}: read {} != loaded {} + rejected {} (a bug: please report it)", c.layer_name,
                              c.read, c.loaded, c.rejected));

  if (store) {
    store->writeAreas(lp.areas);
    store->writePlaces(lp.places, {lp.place_area_offsets, lp.place_area_ids});
    store->writeObservations(lp.observations, {lp.observation_area_offsets, lp.observation_area_ids},
                             {lp.observation_place_offsets, lp.observation_place_ids});
    store->writePerception(lp.perception, {lp.perception_area_offsets, lp.perception_area_ids});
    store->writeMeasures(lp.measures);
    store->writeRejected(lp.rejected);
    store->writeLayerCounts(lp.counts);
    store->commit();
  }
  return lp;
}

void Runner::printCounts(const LoadedProject& lp) const {
  if (m_opt.quiet) return;
  auto* out = m_opt.report;
  fmt::print(out, "Working CRS: {} ({}), unit {} m; chosen because: {}\n", lp.crs_name,
             lp.crs_authid.empty() ? "custom" : lp.crs_authid, lp.unit_metres, lp.crs_reason);
  fmt::print(out, "Study extent: {:.1f} {:.1f} {:.1f} {:.1f}\n", lp.extent.minx, lp.extent.miny, lp.extent.maxx,
             lp.extent.maxy);
  fmt::print(out, "{:<22} {:<13} {:>10} {:>10} {:>9} {:>9}\n", "layer", "kind", "read", "loaded", "repaired", "rejected");
  for (const auto& c : lp.counts) {
    fmt::print(out, "{:<22} {:<13} {:>10} {:>10} {:>9} {:>9}\n", c.layer_name, model::layerKindId(c.layer), c.read,
               c.loaded, c.repaired, c.rejected);
    for (const auto& [reason, n] : c.rejected_by_reason) fmt::print(out, "    rejected {:<24} {:>8}\n", reason, n);
    for (const auto& [w, n] : c.warnings) fmt::print(out, "    warning  {:<24} {:>8}\n", w, n);
  }
  for (const auto* l : m_project.layersOf(LayerKind::Incidents)) {
    const auto it = l->columns.find("weight");
    if (it != l->columns.end() && !it->second.empty())
      fmt::print(out, "Incident weights: layer {} uses column '{}' (each incident counts its weight)\n", l->name,
                 it->second);
  }
  if (lp.stacked_incidents > 0)
    fmt::print(out, "{} incidents share a coordinate with {} or more others (geocoding fallbacks?): flagged 'stacked', "
                    "kept out of hotspot maps\n",
               lp.stacked_incidents, m_project.stack_min - 1);
  // The first few rejected rows in full, so the user sees what to fix.
  std::size_t shown = 0;
  for (const auto& r : lp.rejected) {
    if (shown++ == 10) {
      fmt::print(out, "... and {} more rejected rows (all are in the 'rejected' table of the store and the GeoPackage)\n",
                 lp.rejected.size() - 10);
      break;
    }
    fmt::print(out, "  {}\n", r.message);
  }
}

std::int64_t Runner::validate() {
  const auto lp = load(false, false);
  printCounts(lp);
  std::int64_t n = 0;
  for (const auto& c : lp.counts) n += c.rejected;
  return n;
}

void Runner::import() {
  const auto lp = load(true, false);
  printCounts(lp);
  if (!m_opt.quiet) fmt::print(m_opt.report, "Store written: {}\n", m_project.store_path.string());
}

namespace {

bool selectedBy(const std::vector<std::string>& only, const Project::Analysis& a) {
  return only.empty() || std::find(only.begin(), only.end(), a.name) != only.end() ||
         std::find(only.begin(), only.end(), a.method) != only.end();
}

// The previous run's summary, from the GeoPackage's trygg_metadata table (null
// when there is no previous GeoPackage or it has no summary).
nlohmann::json previousSummary(const fs::path& gpkg) {
  if (!fs::exists(gpkg)) return nullptr;
  sqlite3* db = nullptr;
  nlohmann::json out;
  if (sqlite3_open_v2(gpkg.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT value FROM trygg_metadata WHERE key = 'run_summary'", -1, &st, nullptr) ==
            SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
      const auto* t = sqlite3_column_text(st, 0);
      if (t) out = nlohmann::json::parse(reinterpret_cast<const char*>(t), nullptr, false);
      if (out.is_discarded()) out = nullptr;
    }
    sqlite3_finalize(st);
  }
  if (db) sqlite3_close(db);
  return out;
}

}  // namespace

void Runner::run() {
  const double t0 = nowSeconds();
  // `--only`: every name must be an analysis of the project (before anything is
  // read or written: a typo must not wipe the outputs).
  for (const auto& o : m_opt.only) {
    bool found = false;
    for (const auto& a : m_project.analyses) found = found || a.name == o || a.method == o;
    if (!found) {
      std::string names;
      for (const auto& a : m_project.analyses) names += (names.empty() ? "" : ", ") + a.name;
      throwUsageError("--only {}: the project has no analysis of that name or method; its analyses are: {}", o,
                      names.empty() ? "(none)" : names);
    }
  }
  auto lp = load(true);
  printCounts(lp);
  const double t_import = nowSeconds() - t0;

  makeFolder(m_project.output_dir, "output folder");
  const auto gpkg_path = m_project.output_dir / (m_project.output_name + ".gpkg");
  data::GpkgWriter w(gpkg_path, lp.crs_wkt);
  OutputOptions oo;
  oo.publish = m_opt.publish;
  const auto out_report = writeBaseLayers(lp, w, oo);

  nlohmann::json summary;
  summary["software"] = {{"name", "trygg"}, {"version", kVersion}};
  summary["project"] = {{"file", m_project.file.string()}, {"name", m_project.name}};
  summary["crs"] = {{"authid", lp.crs_authid}, {"name", lp.crs_name}, {"unit_metres", lp.unit_metres},
                    {"reason", lp.crs_reason}};
  summary["extent"] = {lp.extent.minx, lp.extent.miny, lp.extent.maxx, lp.extent.maxy};
  summary["publish"] = m_opt.publish;
  auto& inputs = summary["inputs"] = nlohmann::json::array();
  for (std::size_t i = 0; i < lp.counts.size(); ++i) {
    const auto& c = lp.counts[i];
    nlohmann::json j{{"layer", c.layer_name}, {"kind", model::layerKindId(c.layer)}, {"read", c.read},
                     {"loaded", c.loaded}, {"repaired", c.repaired}, {"rejected", c.rejected},
                     {"rejected_by_reason", c.rejected_by_reason}, {"warnings", c.warnings}};
    for (const auto& l : m_project.layers)
      if (l.name == c.layer_name) {
        j["source"] = l.source.rfind("PG:", 0) == 0 ? "PG:(connection)" : l.source;
        if (l.kind == LayerKind::Incidents) {
          const auto it = l.columns.find("weight");
          j["weight_column"] = it != l.columns.end() && !it->second.empty() ? nlohmann::json(it->second) : nullptr;
        }
      }
    inputs.push_back(j);
  }
  summary["stacked_incidents"] = lp.stacked_incidents;
  if (m_opt.publish)
    summary["suppressed"] = {{"cells", out_report.suppressed_cells}, {"omitted", out_report.omitted_layers}};

  // Analyses.
  RunContext ctx;
  ctx.crs_wkt = lp.crs_wkt;
  ctx.crs_authid = lp.crs_authid;
  ctx.unit_metres = lp.unit_metres;
  ctx.extent = lp.extent;
  ctx.time_zone = m_project.time_zone;
  ctx.areas = &lp.areas;
  ctx.places = &lp.places;
  ctx.observations = &lp.observations;
  ctx.perception = &lp.perception;
  ctx.measures = &lp.measures;
  ctx.incidents = &lp.incidents;
  ctx.loaded = &lp;
  ctx.gpkg = &w;
  ctx.base_dir = m_project.base_dir;
  ctx.output_dir = m_project.output_dir;
  ctx.output_name = m_project.output_name;
  ctx.publish = m_opt.publish;
  Progress progress(m_opt.progress);
  ctx.progress = &progress;
  auto& analyses = summary["analyses"] = nlohmann::json::array();
  const auto& reg = m_registry;
  // One analysis that cannot run is reported (summary, GeoPackage metadata,
  // report) and the others are still written.
  std::vector<std::string> failed;
  for (const auto& a : m_project.analyses) {
    if (!selectedBy(m_opt.only, a)) continue;
    nlohmann::json meta;
    meta["name"] = a.name;
    meta["method"] = a.method;
    const auto layers_before = w.layerNames();
    ctx.analysis_name = a.name;
    ctx.metadata = &meta;
    ctx.files_written.clear();
    const double ta = nowSeconds();
    try {
      auto method = reg.create(a.method);
      const std::string where = fmt::format("{} analysis '{}'", m_project.file.filename().string(), a.name);
      method->configure(a.params, where);
      method->checkRequired(where);
      for (const auto& [k, v] : method->parameterValues()) meta["parameters"][k] = v;
      progress.begin(fmt::format("Running {} ({}): ", a.name, a.method));
      method->run(ctx);
      progress.done();
      meta["status"] = "done";
    } catch (const Error& e) {
      progress.done();
      // Nothing half-made of this analysis stays: its layers and files go.
      for (const auto& name : w.layerNames())
        if (std::find(layers_before.begin(), layers_before.end(), name) == layers_before.end()) w.dropLayer(name);
      for (const auto& f : ctx.files_written) {
        std::error_code ec;
        fs::remove(f, ec);
      }
      ctx.files_written.clear();
      meta["status"] = "failed";
      meta["error"] = e.what();
      meta["exit_code"] = static_cast<int>(e.exitCode());
      failed.push_back(a.name);
      fmt::print(stderr, "\ntrygg: error: analysis {} ({}) could not run: {}\n", a.name, a.method, e.what());
    }
    meta["seconds"] = nowSeconds() - ta;
    for (const auto& name : w.layerNames())
      if (std::find(layers_before.begin(), layers_before.end(), name) == layers_before.end())
        meta["layers"].push_back(name);
    for (const auto& f : ctx.files_written) meta["files"].push_back(f.string());
    analyses.push_back(meta);
    if (!m_opt.quiet && meta["status"] == "done")
      fmt::print(m_opt.report, "Analysis {} ({}) done in {:.2f} s\n", a.name, a.method, nowSeconds() - ta);
  }
  // `--only`: the analyses not named keep their layers (and their entry in the
  // summary) from the previous run's GeoPackage.
  if (!m_opt.only.empty()) {
    const auto prev = previousSummary(gpkg_path);
    for (const auto& a : m_project.analyses) {
      if (selectedBy(m_opt.only, a)) continue;
      nlohmann::json kept;
      if (prev.is_object() && prev.contains("analyses"))
        for (const auto& pa : prev["analyses"])
          if (pa.value("name", "") == a.name && pa.value("method", "") == a.method) kept = pa;
      if (kept.is_null()) continue;  // never run before: nothing to keep
      std::vector<std::string> names;
      if (kept.contains("layers"))
        for (const auto& l : kept["layers"]) names.push_back(l.get<std::string>());
      w.copyLayersFrom(gpkg_path, names);
      kept["kept_from_previous_run"] = true;
      analyses.push_back(kept);
    }
  }
  summary["failed_analyses"] = failed;
  summary["seconds"] = {{"import", t_import}, {"total", nowSeconds() - t0}};
  summary["outputs"]["geopackage"] = gpkg_path.string();
  summary["outputs"]["store"] = m_project.store_path.string();
  w.setMetadata("run_summary", summary.dump(2));
  w.commit();

  const auto summary_path = m_project.output_dir / (m_project.output_name + "_summary.json");
  {
    data::AtomicOutput out(summary_path);
    std::ofstream f(out.tempPath());
    f << summary.dump(2) << '\n';
    f.close();
    if (!f) throw DataError(fmt::format("{}: cannot write the run summary", summary_path.string()));
    out.commit();
  }
  if (!m_opt.quiet) {
    fmt::print(m_opt.report, "Results:\n  {}\n  {}\n", gpkg_path.string(), summary_path.string());
    for (const auto& a : analyses)
      if (a.contains("files") && !a.contains("kept_from_previous_run"))
        for (const auto& f : a["files"]) fmt::print(m_opt.report, "  {}\n", f.get<std::string>());
  }
  if (!failed.empty()) {
    // The outputs of the others are written; the exit code still says that
    // something must be fixed (the worst code of the failed analyses).
    int code = 1;
    std::string list;
    for (const auto& a : analyses)
      if (a.value("status", "") == "failed") {
        code = std::max(code, a.value("exit_code", 1));
        list += fmt::format("\n  {}: {}", a.value("name", ""), a.value("error", ""));
      }
    const auto msg = fmt::format("{} of {} analyses could not run (the others are written to {}):{}", failed.size(),
                                 analyses.size(), gpkg_path.string(), list);
    if (code >= 3) throw Error(msg);
    if (code == 2) throw UsageError(msg);
    throw DataError(msg);
  }
}

}  // namespace trygg::engine
