// End-to-end import driver for benchmarks/e2e/import_vs_peers.sh (not a Google
// Benchmark program; it has its own main): the peers' workload CSV -> the
// SpatiaLite project store with geometry column, populated spatial index and
// stored area ids, streamed in batches.
//
//   import_driver_bench <incidents.csv> <areas.csv> <out.sqlite> [batch_rows]
//
// The CSV parser here is a minimal one for the peers' fixed layout
// (id,x,y,datetime,category; ISO times without zone read as UTC): the engine's
// own reader (data/csv_reader) was written in parallel, so this driver measures
// the store and the index, not the general reader. Prints "PHASE name seconds"
// lines (the peers' convention) and a verification of the stored result.
// Parsing runs on the main thread while a worker assigns areas and appends the
// previous batch to the store, so parse and store overlap (wall phases overlap).
#include <sys/resource.h>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <future>
#include <iostream>
#include <string>
#include <vector>

#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <sqlite3.h>

#include "core/model.hpp"
#include "data/store.hpp"
#include "geo/index/polygon_index.hpp"

using namespace trygg;
using Clock = std::chrono::steady_clock;

namespace {

double secs(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// CPU seconds of this process (user + system, all threads): on a shared,
// loaded machine this is the steadier figure.
double cpuNow() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + 1e-6 * static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

// Splits one CSV line into fields (double-quoted fields may hold commas).
std::vector<std::string_view> splitCsv(std::string_view line) {
  std::vector<std::string_view> f;
  std::size_t i = 0;
  while (i <= line.size()) {
    if (i < line.size() && line[i] == '"') {
      const std::size_t e = line.find('"', i + 1);
      f.push_back(line.substr(i + 1, e - i - 1));
      i = e + 2;
    } else {
      std::size_t e = line.find(',', i);
      if (e == std::string_view::npos) e = line.size();
      f.push_back(line.substr(i, e - i));
      i = e + 1;
    }
  }
  return f;
}

// Days from 1970-01-01 (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097LL + static_cast<int>(doe) - 719468;
}

int num(std::string_view s, std::size_t a, std::size_t n) {
  int v = 0;
  std::from_chars(s.data() + a, s.data() + a + n, v);
  return v;
}

Category mapCategory(std::string_view w) {
  if (w == "theft") return Category::Theft;
  if (w == "burglary") return Category::Burglary;
  if (w == "vandalism") return Category::Vandalism;
  if (w == "assault") return Category::Violence;
  if (w == "drugs") return Category::Drugs;
  if (w == "robbery") return Category::Robbery;
  if (w == "vehicle") return Category::VehicleCrime;
  if (w == "disorder") return Category::Disorder;
  return Category::Other;
}

long peakRssKb() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s incidents.csv areas.csv out.sqlite [batch_rows]\n", argv[0]);
    return 2;
  }
  const std::size_t batch = argc > 4 ? std::stoul(argv[4]) : 200000;
  const auto t0 = Clock::now();

  // Areas: WKT -> WKB through OGR.
  std::vector<model::Area> areas;
  {
    std::ifstream f(argv[2]);
    std::string line;
    std::getline(f, line);
    while (std::getline(f, line)) {
      const auto fl = splitCsv(line);
      OGRGeometry* g = nullptr;
      const std::string wkt(fl.at(2));
      if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g) != OGRERR_NONE || !g) {
        std::fprintf(stderr, "areas row %zu: bad WKT\n", areas.size() + 1);
        return 1;
      }
      model::Area a;
      a.row = static_cast<std::int64_t>(areas.size() + 1);
      a.id = std::string(fl[0]);
      a.name = std::string(fl[1]);
      a.geom.wkb.resize(static_cast<std::size_t>(g->WkbSize()));
      g->exportToWkb(wkbNDR, a.geom.wkb.data(), wkbVariantIso);
      OGRGeometryFactory::destroyGeometry(g);
      areas.push_back(std::move(a));
    }
  }
  std::vector<std::span<const std::uint8_t>> spans;
  for (const auto& a : areas) spans.emplace_back(a.geom.wkb);
  const geo::PolygonIndex index(spans);
  OGRSpatialReference srs;
  srs.importFromEPSG(3006);
  char* wkt = nullptr;
  srs.exportToWkt(&wkt);
  data::Store store = data::Store::create(argv[3], 3006, wkt);
  CPLFree(wkt);
  store.writeAreas(areas);
  const auto t1 = Clock::now();
  std::printf("PHASE areas_index_schema %.3f\n", secs(t0, t1));

  // Incidents, streamed.
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 1;
  }
  std::vector<char> buf(std::size_t{8} << 20);
  std::string carry;
  bool header = true;
  std::vector<model::Incident> rows;
  rows.reserve(batch);
  std::vector<Point> pts;
  std::vector<std::uint32_t> off, ids;
  double t_parse = 0, t_assign = 0, t_store = 0, c_assign = 0, c_store = 0;
  std::int64_t in_frame = 0;  // brute-force count for the verification query
  std::int64_t row = 0, total = 0;
  // Parsing batch k+1 overlaps assigning and storing batch k (one worker;
  // the store itself is single-threaded SQLite).
  std::future<void> busy;
  double t_wait = 0;
  auto flush = [&] {
    const auto w0 = Clock::now();
    if (busy.valid()) busy.get();
    t_wait += secs(w0, Clock::now());
    busy = std::async(std::launch::async, [&, batchRows = std::move(rows)]() mutable {
      auto a = Clock::now();
      const double ca = cpuNow();
      pts.resize(batchRows.size());
      for (std::size_t i = 0; i < batchRows.size(); ++i) pts[i] = batchRows[i].pt;
      index.assign(pts, off, ids);
      auto b = Clock::now();
      const double cb = cpuNow();
      store.appendIncidents(batchRows, {off, ids});
      auto c = Clock::now();
      t_assign += secs(a, b);
      t_store += secs(b, c);
      c_assign += cb - ca;  // process CPU: includes the parser thread meanwhile
      c_store += cpuNow() - cb;
      total += static_cast<std::int64_t>(batchRows.size());
    });
    rows = {};
    rows.reserve(batch);
  };
  auto parseLine = [&](std::string_view l) {
    if (header) {
      header = false;
      return;
    }
    if (l.empty()) return;
    ++row;
    std::string_view f[5];
    std::size_t k = 0, s = 0;
    for (std::size_t i = 0; i <= l.size() && k < 5; ++i)
      if (i == l.size() || l[i] == ',') {
        f[k++] = l.substr(s, i - s);
        s = i + 1;
      }
    model::Incident r;
    r.row = row;
    r.source_id = std::string(f[0]);
    std::from_chars(f[1].data(), f[1].data() + f[1].size(), r.pt.x);
    std::from_chars(f[2].data(), f[2].data() + f[2].size(), r.pt.y);
    const std::string_view d = f[3];  // YYYY-MM-DDTHH:MM:SS
    r.t_from = daysFromCivil(num(d, 0, 4), num(d, 5, 2), num(d, 8, 2)) * 86400 + num(d, 11, 2) * 3600 +
               num(d, 14, 2) * 60 + num(d, 17, 2);
    r.t_to = r.t_from;
    r.category = mapCategory(f[4]);
    r.source_category = std::string(f[4]);
    in_frame += r.pt.x >= 559000 && r.pt.x <= 561000 && r.pt.y >= 6699000 && r.pt.y <= 6701000;
    rows.push_back(std::move(r));
  };
  auto tp = Clock::now();
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const std::size_t n = static_cast<std::size_t>(in.gcount());
    std::string_view chunk(buf.data(), n);
    std::size_t s = 0;
    while (true) {
      const std::size_t e = chunk.find('\n', s);
      if (e == std::string_view::npos) break;
      if (!carry.empty()) {
        carry.append(chunk.substr(s, e - s));
        parseLine(carry);
        carry.clear();
      } else {
        parseLine(chunk.substr(s, e - s));
      }
      s = e + 1;
      if (rows.size() == batch) {
        t_parse += secs(tp, Clock::now());
        flush();
        tp = Clock::now();
      }
    }
    carry.append(chunk.substr(s));
  }
  if (!carry.empty()) parseLine(carry);
  t_parse += secs(tp, Clock::now());
  if (!rows.empty()) flush();
  if (busy.valid()) busy.get();
  const auto t2 = Clock::now();
  const double c2 = cpuNow();
  store.commit();
  const auto t3 = Clock::now();
  const double c3 = cpuNow();
  std::printf("PHASE parse_csv %.3f\nPHASE assign_areas %.3f\nPHASE store_insert %.3f\nPHASE commit_index_rename %.3f\n",
              t_parse, t_assign, t_store, secs(t2, t3));
  std::printf("PHASE total %.3f\n", secs(t0, t3));
  std::printf("PHASE parser_waited_for_store %.3f\n", t_wait);
  std::printf("CPU (process, overlapping phases) assign_areas %.3f store_insert %.3f commit_index_rename %.3f total %.3f\n",
              c_assign, c_store, c3 - c2, c3);

  // Verification: the stored result answers a spatial query.
  auto q = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(store.handle(), sql, -1, &st, nullptr);
    std::int64_t v = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  };
  std::printf("rows: %lld, incidents: %lld, incident_area rows: %lld, indexed: %lld, "
              "in centre 2x2 km via SpatialIndex: %lld (brute force %lld)\n",
              static_cast<long long>(total), static_cast<long long>(store.count("incidents")),
              static_cast<long long>(store.count("incident_area")),
              static_cast<long long>(q("SELECT COUNT(*) FROM idx_incidents_geom")),
              static_cast<long long>(q("SELECT COUNT(*) FROM incidents WHERE ST_X(geom) BETWEEN 559000 AND 561000 "
                                       "AND ST_Y(geom) BETWEEN 6699000 AND 6701000 AND ROWID IN (SELECT ROWID FROM "
                                       "SpatialIndex WHERE f_table_name = 'incidents' AND search_frame = "
                                       "BuildMbr(559000, 6699000, 561000, 6701000, 3006))")),
              static_cast<long long>(in_frame));
  std::printf("PEAK_RSS_KB %ld\n", peakRssKb());
  return 0;
}
