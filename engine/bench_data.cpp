// Preparing a bench run: study area, grid (with each cell's area inside the
// study area), and the incidents binned once into the grid per category.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"
#include "data/csv_reader.hpp"
#include "data/reader.hpp"
#include "data/time_parse.hpp"
#include "engine/bench.hpp"
#include "geo/crs/crs.hpp"
#include "geo/geos/geos.hpp"
#include "geo/hotspot/hotspot_grid.hpp"
#include "geo/index/polygon_index.hpp"

namespace trygg::engine::bench {

namespace fs = std::filesystem;

namespace {

constexpr double kPi = 3.14159265358979323846;

std::pair<std::uint64_t, std::string> hashFile(const std::string& path) {
  // FNV-1a, 64 bit: enough to tell two inputs apart; not a security hash.
  std::ifstream in(path, std::ios::binary);
  if (!in) return {0, ""};
  std::uint64_t h = 1469598103934665603ull, bytes = 0;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    for (std::size_t i = 0; i < got; ++i) {
      h ^= static_cast<unsigned char>(buf[i]);
      h *= 1099511628211ull;
    }
    bytes += got;
  }
  return {bytes, fmt::format("{:016x}", h)};
}

// `col = 'v' AND col <> 'w' AND col >= 5` on CSV fields.
struct Condition {
  int idx = -1;
  std::string op;
  std::string text;
  std::optional<double> num;
  bool quoted = false;
};

std::vector<Condition> parseFilter(const std::string& expr, const data::CsvReader& csv, const std::string& where) {
  std::vector<Condition> out;
  if (text::trim(expr).empty()) return out;
  std::string rest = expr;
  while (true) {
    std::string part;
    std::size_t andPos = std::string::npos;
    for (std::size_t i = 0; i + 5 <= rest.size(); ++i) {
      if (text::foldCase(rest.substr(i, 5)) == " and ") {
        // not inside quotes
        const auto quotes = std::count(rest.begin(), rest.begin() + static_cast<long>(i), '\'');
        if (quotes % 2 == 0) {
          andPos = i;
          break;
        }
      }
    }
    part = rest.substr(0, andPos);
    Condition c;
    static const char* kOps[] = {"<>", "!=", ">=", "<=", "=", ">", "<"};
    std::size_t opPos = std::string::npos;
    for (const char* op : kOps) {
      const auto p = part.find(op);
      if (p != std::string::npos && (opPos == std::string::npos || p < opPos ||
                                     (p == opPos && std::string(op).size() > c.op.size()))) {
        opPos = p;
        c.op = op;
      }
    }
    if (opPos == std::string::npos)
      throwUsageError("{}: filter '{}': expected `column = 'text'`, `column <> 'text'` or `column >= number` joined by AND",
                      where, expr);
    const auto col = std::string(text::trim(part.substr(0, opPos)));
    c.idx = csv.columnIndex(col);
    if (c.idx < 0) throwUsageError("{}: filter '{}': no column '{}' in the file", where, expr, col);
    auto val = std::string(text::trim(part.substr(opPos + c.op.size())));
    if (val.size() >= 2 && val.front() == '\'' && val.back() == '\'') {
      c.quoted = true;
      c.text = val.substr(1, val.size() - 2);
    } else {
      c.num = text::parseDouble(val, false);
      if (!c.num) throwUsageError("{}: filter '{}': '{}' is neither 'quoted text' nor a number", where, expr, val);
    }
    out.push_back(c);
    if (andPos == std::string::npos) break;
    rest = rest.substr(andPos + 5);
  }
  return out;
}

bool passes(const std::vector<Condition>& conds, const data::CsvRecord& rec) {
  for (const auto& c : conds) {
    const auto f = text::trim(rec.fields[static_cast<std::size_t>(c.idx)]);
    if (c.quoted) {
      const bool eq = f == c.text;
      if ((c.op == "=" && !eq) || ((c.op == "<>" || c.op == "!=") && eq)) return false;
      if (c.op != "=" && c.op != "<>" && c.op != "!=") {
        const int cmp = f.compare(c.text);
        if ((c.op == ">=" && cmp < 0) || (c.op == "<=" && cmp > 0) || (c.op == ">" && cmp <= 0) ||
            (c.op == "<" && cmp >= 0))
          return false;
      }
    } else {
      const auto v = text::parseDouble(f, false);
      if (!v) return false;
      const double a = *v, b = *c.num;
      const bool ok = c.op == "=" ? a == b : (c.op == "<>" || c.op == "!=") ? a != b : c.op == ">=" ? a >= b
                    : c.op == "<=" ? a <= b : c.op == ">" ? a > b : a < b;
      if (!ok) return false;
    }
  }
  return true;
}

struct RawIncident {
  double x, y;
  std::int64_t occur, available;
  double weight;
  std::int32_t category;
  std::int64_t row;
};

// End of the period that starts at t (local time in tp's zone).
std::int64_t periodEnd(const data::TimeParser& tp, std::int64_t t, const std::string& period) {
  if (period == "instant") return t;
  // Local civil date of t: find by converting back through the zone.
  const auto* zone = date::locate_zone(tp.zoneName());
  const auto local = zone->to_local(date::sys_seconds{std::chrono::seconds{t}});
  const auto ld = date::floor<date::days>(local);
  date::year_month_day ymd{ld};
  if (period == "day") ymd = date::year_month_day{date::local_days{ymd} + date::days{1}};
  else ymd = date::year_month_day{(ymd.year() / ymd.month() / 1) + date::months{1}};
  return tp.localToUtc(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()), 0, 0, 0);
}

std::string decompressIfXz(const std::string& source, const fs::path& outDir) {
  if (source.size() < 3 || source.substr(source.size() - 3) != ".xz") return source;
  const fs::path cache = outDir / ".cache";
  fs::create_directories(cache);
  const auto target = cache / fs::path(source).stem();
  if (fs::exists(target) && fs::last_write_time(target) >= fs::last_write_time(source)) return target.string();
  const auto tmp = target.string() + ".tmp";
  auto quote = [](const std::string& s) {
    std::string q = "'";
    for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
    return q + "'";
  };
  const auto cmd = fmt::format("xz -dc {} > {}", quote(source), quote(tmp));
  if (std::system(cmd.c_str()) != 0)
    throwDataError("{}: could not decompress with `xz -dc` (is xz installed?); decompress it and point source at the .csv",
                   source);
  fs::rename(tmp, target);
  return target.string();
}

}  // namespace

std::int64_t benchShiftDate(const std::string& zone, std::int64_t t, int days, int months);

std::int64_t benchShiftDate(const std::string& zoneName, std::int64_t t, int days, int months) {
  const data::TimeParser tp(zoneName);
  const auto* zone = date::locate_zone(zoneName);
  const auto local = zone->to_local(date::sys_seconds{std::chrono::seconds{t}});
  auto ld = date::floor<date::days>(local);
  date::year_month_day ymd{ld};
  if (months != 0) {
    ymd = ymd + date::months{months};
    if (!ymd.ok()) ymd = ymd.year() / ymd.month() / date::last;
  }
  ymd = date::year_month_day{date::local_days{ymd} + date::days{days}};
  return tp.localToUtc(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()), 0, 0, 0);
}

PreparedBench prepareBench(BenchConfig& cfg) {
  PreparedBench out;
  auto& fp = out.fingerprint;
  auto& L = cfg.incidents;
  fs::create_directories(cfg.outDir);

  // ---- CRS ----
  if (cfg.workingCrs.empty()) cfg.workingCrs = L.crs;
  if (cfg.workingCrs.empty())
    throwUsageError("{}: give the working CRS (`crs:` at the top, a projected CRS such as ESRI:102696) or incidents.crs",
                    cfg.file.string());
  const auto working = geo::Crs::fromUserString(cfg.workingCrs);
  if (!working.isProjected())
    throwUsageError("{}: the working CRS '{}' must be projected (lengths and areas are measured in it)",
                    cfg.file.string(), cfg.workingCrs);
  const double unit = working.linearUnitMetres();
  auto& grid = out.grid;
  grid.unitMetres = unit;
  grid.shape = cfg.grid.shape;
  grid.cell = cfg.grid.cell / unit;
  // Coverages given as areas (negative) become fractions once the study area is known (below).

  // ---- study area ----
  data::LayerConfig acfg;
  acfg.kind = model::LayerKind::Areas;
  acfg.name = "study_area";
  acfg.source = cfg.studyArea.source;
  acfg.layer = cfg.studyArea.layer;
  acfg.crs = cfg.studyArea.crs;
  data::ReadOptions ropt;
  ropt.working_crs = cfg.workingCrs;
  auto areas = data::readAreas(acfg, ropt);
  if (areas.rows.empty()) throwDataError("{}: the study area layer has no usable polygon", cfg.studyArea.source);
  std::vector<geo::WkbView> parts;
  std::vector<std::span<const std::uint8_t>> polys;
  BBox ext;
  for (const auto& a : areas.rows) {
    parts.emplace_back(a.geom.wkb);
    polys.emplace_back(a.geom.wkb);
    ext.expand(a.geom.bbox);
  }
  const auto unionWkb = parts.size() == 1 ? areas.rows[0].geom.wkb : geo::unionAll(parts);
  const geo::PolygonIndex pip(polys);
  fp.areaSource = cfg.studyArea.source;
  fp.areaHash = hashFile(cfg.studyArea.source).second;

  // ---- grid in a frame rotated by `rotation` about the offset point ----
  const double th = cfg.grid.rotationDeg * kPi / 180, ct = std::cos(th), st = std::sin(th);
  const double ox = cfg.grid.offsetX / unit, oy = cfg.grid.offsetY / unit;
  auto toGrid = [&](double x, double y) {
    const double dx = x - ox, dy = y - oy;
    return Point{ct * dx + st * dy, -st * dx + ct * dy};
  };
  auto toWorld = [&](const Point& p) { return Point{ox + ct * p.x - st * p.y, oy + st * p.x + ct * p.y}; };
  BBox gext;
  for (const Point& p : {Point{ext.minx, ext.miny}, Point{ext.maxx, ext.miny}, Point{ext.minx, ext.maxy},
                         Point{ext.maxx, ext.maxy}})
    gext.expand(toGrid(p.x, p.y));
  const double c = grid.cell;
  if (!(c > 0)) throwUsageError("{}: grid.cell must be > 0", cfg.file.string());
  geo::hotspot::Grid g;
  if (cfg.grid.shape == "square") {
    BBox e{std::floor(gext.minx / c) * c, std::floor(gext.miny / c) * c, gext.maxx, gext.maxy};
    g = geo::hotspot::squareGrid(e, c);
  } else {
    const double rs = c * std::sqrt(3.0) / 2;  // row spacing; keep row parity aligned with the offset lattice
    BBox e{std::floor(gext.minx / c) * c - c, std::floor(gext.miny / (2 * rs)) * 2 * rs - 2 * rs, gext.maxx + c,
           gext.maxy + rs};
    g = geo::hotspot::hexGrid(e, c);
  }
  if (cfg.nijLimits) {
    const double ft2 = g.cellArea() * unit * unit / (kFootMetres * kFootMetres);
    if (ft2 < 62500 * (1 - 1e-9) || ft2 > 360000 * (1 + 1e-9))
      throwUsageError("{}: nij_limits: a cell of {:.0f} ft² is outside the NIJ challenge's 62,500–360,000 ft²; "
                      "choose a cell side between 250 ft and 600 ft (square)",
                      cfg.file.string(), ft2);
  }
  // Cells: keep those with area inside the study area > 0; edge cells count by their inside area.
  grid.ncols = g.ncols;
  grid.nrows = g.nrows;
  grid.lookup.assign(static_cast<std::size_t>(g.ncols) * static_cast<std::size_t>(g.nrows), -1);
  const double full = g.cellArea();
  const auto ubox = geo::bbox(unionWkb);
  const geo::PreparedArea study(unionWkb);  // parsed and indexed once, not per cell
  for (std::size_t k = 0; k < g.size(); ++k) {
    auto ring = g.polygon(k);
    BBox wb;
    for (auto& p : ring) {
      p = toWorld(p);
      wb.expand(p);
    }
    if (!wb.intersects(ubox)) continue;
    // Exact for every candidate cell: covered cells count whole, edge cells by
    // their intersection area (GEOS, against the prepared study area).
    const auto cellWkb = geo::makePolygon(ring);
    double a = 0;
    if (study.covers(cellWkb)) a = full;
    else a = study.intersectionArea(cellWkb);
    if (!(a > full * 1e-9)) continue;
    const auto kept = static_cast<std::int64_t>(grid.areas.size());
    grid.areas.push_back(a);
    grid.ids.push_back(static_cast<std::int64_t>(g.row[k]) * g.ncols + g.col[k]);
    grid.centres.push_back(g.centres[k]);
    grid.col.push_back(g.col[k]);
    grid.row.push_back(g.row[k]);
    grid.lookup[static_cast<std::size_t>(g.row[k]) * static_cast<std::size_t>(g.ncols) + static_cast<std::size_t>(g.col[k])] = kept;
  }
  grid.ncells = grid.areas.size();
  grid.studyArea = std::accumulate(grid.areas.begin(), grid.areas.end(), 0.0);
  if (grid.ncells == 0) throwDataError("{}: no grid cell overlaps the study area; check its CRS", cfg.studyArea.source);

  // Coverages given as areas.
  const double studyM2 = grid.studyArea * unit * unit;
  for (std::size_t i = 0; i < cfg.coverages.size(); ++i) {
    if (cfg.coverages[i] < 0) {
      const double a = -cfg.coverages[i];
      if (a > studyM2)
        throwUsageError("{}: coverage '{}' is larger than the study area ({:.3f} km²)", cfg.file.string(),
                        cfg.coverageLabels[i], studyM2 / 1e6);
      cfg.coverages[i] = a / studyM2;
    }
    if (cfg.nijLimits) {
      const double mi2 = cfg.coverages[i] * studyM2 / (1609.344 * 1609.344);
      if (mi2 < 0.25 * (1 - 1e-9) || mi2 > 0.75 * (1 + 1e-9))
        throwUsageError("{}: nij_limits: coverage '{}' is {:.3f} mi², outside the NIJ challenge's 0.25–0.75 mi²",
                        cfg.file.string(), cfg.coverageLabels[i], mi2);
    }
  }

  // ---- incidents ----
  std::map<std::string, std::int32_t> catOf;  // folded source word -> category index
  for (std::size_t k = 0; k < cfg.categories.size(); ++k)
    for (const auto& w : cfg.categories[k].second) {
      const auto key = text::foldCase(text::trim(w));
      if (catOf.count(key))
        throwUsageError("{}: source category '{}' is listed in two categories", cfg.file.string(), w);
      catOf[key] = static_cast<std::int32_t>(k);
    }
  const auto [bytes, hash] = hashFile(L.source);
  fp.source = L.source;
  fp.bytes = bytes;
  fp.fnv1a64 = hash;
  if (bytes == 0 && !fs::exists(L.source)) throwUsageError("{}: incidents source not found", L.source);

  std::vector<RawIncident> raw;
  const std::string src = decompressIfXz(L.source, cfg.outDir);
  const bool isCsv = text::foldCase(fs::path(src).extension().string()) == ".csv";
  auto reject = [&](const std::string& why) {
    ++fp.rowsRejected;
    ++fp.rejectedByReason[why];
  };
  const data::TimeParser tp(L.time_zone, L.time_format);
  const data::TimeParser rtp(L.time_zone, L.reported_at_format);
  const data::TimeParser monthParser(L.time_zone);
  if (isCsv) {
    data::CsvOptions copt;
    copt.delimiter = L.delimiter;
    copt.encoding = L.encoding;
    data::CsvReader csv(src, copt);
    auto col = [&](const char* key) {
      const auto it = L.columns.find(key);
      if (it == L.columns.end()) return -1;
      const int i = csv.columnIndex(it->second);
      if (i < 0) throwUsageError("{}: incidents.columns.{}: no column '{}' in the file", L.source, key, it->second);
      return i;
    };
    const bool lonlat = L.columns.count("lon") > 0;
    const int xi = col(lonlat ? "lon" : "x"), yi = col(lonlat ? "lat" : "y"), ti = col("time"), ci = col("category"),
              wi = col("weight"), ri = col("reported_at");
    if (xi < 0 || yi < 0) throwUsageError("{}: incidents.columns needs x and y (or lon and lat)", L.source);
    const auto conds = parseFilter(L.filter, csv, L.source);
    std::string srcCrs = lonlat ? "EPSG:4326" : L.crs;
    if (srcCrs.empty()) srcCrs = cfg.workingCrs;
    const geo::Transformer tr(geo::Crs::fromUserString(srcCrs), working);
    const bool identity = tr.isIdentity();
    data::CsvRecord rec;
    while (csv.next(rec)) {
      ++fp.rowsRead;
      if (rec.problem != data::CsvRecord::Problem::None) {
        reject("bad_row");
        continue;
      }
      if (!passes(conds, rec)) {
        ++fp.rowsFiltered;
        continue;
      }
      const auto cat = catOf.find(text::foldCase(text::trim(rec.fields[static_cast<std::size_t>(ci)])));
      if (cat == catOf.end()) {
        ++fp.rowsNoCategory;
        continue;
      }
      auto x = text::parseDouble(rec.fields[static_cast<std::size_t>(xi)], false);
      auto y = text::parseDouble(rec.fields[static_cast<std::size_t>(yi)], false);
      if (!x || !y || (*x == 0 && *y == 0) || !std::isfinite(*x) || !std::isfinite(*y)) {
        reject("no_coordinates");
        continue;
      }
      const auto t = tp.parse(text::trim(rec.fields[static_cast<std::size_t>(ti)]));
      if (!t) {
        reject("bad_time");
        continue;
      }
      std::int64_t avail = t->t;
      if (ri >= 0) {
        const auto rtext = text::trim(rec.fields[static_cast<std::size_t>(ri)]);
        auto r = rtp.parse(rtext);
        // A month ("2013-05", as St. Louis' coded_month) is the first day of that month.
        if (!r && rtext.size() == 7 && rtext[4] == '-') r = monthParser.parse(std::string(rtext) + "-01");
        if (!r) {
          reject("bad_reported_at");
          continue;
        }
        avail = periodEnd(rtp, r->t, L.reported_at_period);
      }
      double w = 1;
      if (wi >= 0) {
        const auto v = text::parseDouble(rec.fields[static_cast<std::size_t>(wi)], false);
        if (!v || !std::isfinite(*v)) {
          reject("bad_weight");
          continue;
        }
        w = *v;
      }
      double px = *x, py = *y;
      if (!identity && !tr.transform(px, py)) {
        reject("transform_failed");
        continue;
      }
      raw.push_back({px, py, t->t, avail, w, cat->second, rec.row});
    }
  } else {
    // GDAL/OGR layers through the project reader: weights >= 0, no reported_at column.
    if (L.columns.count("reported_at"))
      throwUsageError("{}: reported_at is supported for CSV incident files only; export the layer to CSV", L.source);
    data::LayerConfig icfg;
    icfg.kind = model::LayerKind::Incidents;
    icfg.name = "incidents";
    icfg.source = src;
    icfg.layer = L.layer;
    icfg.crs = L.crs;
    icfg.columns = L.columns;
    icfg.time_zone = L.time_zone;
    icfg.time_format = L.time_format;
    icfg.filter = L.filter;
    const auto counts = data::readIncidents(
        icfg, ropt,
        [&](std::vector<model::Incident>& batch) {
          for (const auto& inc : batch) {
            const auto cat = catOf.find(text::foldCase(text::trim(inc.source_category)));
            if (cat == catOf.end()) {
              ++fp.rowsNoCategory;
              continue;
            }
            raw.push_back({inc.pt.x, inc.pt.y, inc.t_from, inc.t_from, inc.weight, cat->second, inc.row});
          }
        },
        [&](model::Rejected&& r) { reject(std::string(model::rejectReasonId(r.reason))); });
    fp.rowsRead = counts.read;
  }

  // Study-area membership and cells (parallel and deterministic inside PolygonIndex).
  std::vector<Point> pts(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) pts[i] = {raw[i].x, raw[i].y};
  std::vector<std::uint32_t> offs, ids;
  pip.assign(pts, offs, ids);
  out.categories.resize(cfg.categories.size());
  for (std::size_t k = 0; k < cfg.categories.size(); ++k) out.categories[k].name = cfg.categories[k].first;
  std::vector<std::vector<std::size_t>> order(cfg.categories.size());
  std::vector<std::int32_t> cellOf(raw.size(), -1);
  fp.firstOccur = std::numeric_limits<std::int64_t>::max();
  fp.lastOccur = fp.lastAvailable = std::numeric_limits<std::int64_t>::min();
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (offs[i] == offs[i + 1]) {
      ++fp.rowsOutside;
      continue;
    }
    const auto gp = toGrid(raw[i].x, raw[i].y);
    const auto gk = g.cellOf(gp);
    const auto kept = gk < 0 ? -1 : grid.lookup[static_cast<std::size_t>(g.row[static_cast<std::size_t>(gk)]) *
                                                     static_cast<std::size_t>(g.ncols) +
                                                 static_cast<std::size_t>(g.col[static_cast<std::size_t>(gk)])];
    if (kept < 0) {
      ++fp.rowsOutside;
      continue;
    }
    cellOf[i] = static_cast<std::int32_t>(kept);
    order[static_cast<std::size_t>(raw[i].category)].push_back(i);
    fp.firstOccur = std::min(fp.firstOccur, raw[i].occur);
    fp.lastOccur = std::max(fp.lastOccur, raw[i].occur);
    fp.lastAvailable = std::max(fp.lastAvailable, raw[i].available);
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    auto& o = order[k];
    std::sort(o.begin(), o.end(), [&](std::size_t a, std::size_t b) {
      return raw[a].occur != raw[b].occur ? raw[a].occur < raw[b].occur : raw[a].row < raw[b].row;
    });
    auto& ce = out.categories[k];
    double wsum = 0;
    for (auto i : o) {
      ce.occur.push_back(raw[i].occur);
      ce.available.push_back(raw[i].available);
      ce.cell.push_back(cellOf[i]);
      ce.weight.push_back(raw[i].weight);
      wsum += raw[i].weight;
    }
    fp.perCategory[ce.name] = {static_cast<std::int64_t>(o.size()), wsum};
  }
  if (fp.lastOccur < fp.firstOccur && fp.rowsRejected * 2 <= fp.rowsRead)
    throwDataError("{}: no incident of the bench categories inside the study area ({} rows read, {} filtered out, {} "
                   "rejected, {} not in a category, {} outside the study area); check the columns, categories and CRS",
                   L.source, fp.rowsRead, fp.rowsFiltered, fp.rowsRejected, fp.rowsNoCategory, fp.rowsOutside);
  if (fp.rowsRejected * 2 > fp.rowsRead) {
    std::string why;
    for (const auto& [k, v] : fp.rejectedByReason) why += fmt::format("{}{} {}", why.empty() ? "" : ", ", v, k);
    throwDataError("{}: {} of {} rows rejected ({}); check the column mapping, time formats and CRS", L.source,
                   fp.rowsRejected, fp.rowsRead, why);
  }

  // ---- forecast dates and windows ----
  // Data end: the last instant at which records are known (with reported_at), or
  // the day after the last occurrence.
  const std::int64_t dataEnd =
      L.columns.count("reported_at") ? fp.lastAvailable : benchShiftDate(L.time_zone, fp.lastOccur, 1, 0);
  for (const auto& ds : cfg.forecastDates) {
    const auto t = tp.parse(ds);
    if (!t || !t->date_only) throwUsageError("{}: forecast date '{}' must be YYYY-MM-DD", cfg.file.string(), ds);
    out.dates.push_back(t->t);
    out.trainStart.push_back(benchShiftDate(L.time_zone, t->t, -cfg.trainingDays, -cfg.trainingMonths));
    std::vector<std::int64_t> ends;
    for (const auto& h : cfg.horizons) {
      const auto e = benchShiftDate(L.time_zone, t->t, h.days, h.months);
      if (e > dataEnd)
        throwUsageError("{}: forecast date {} + horizon '{}' ends after the data ({}); choose earlier forecast dates",
                        cfg.file.string(), ds, h.label,
                        date::format("%Y-%m-%d", date::sys_seconds{std::chrono::seconds{dataEnd}}));
      ends.push_back(e);
    }
    out.testEnd.push_back(std::move(ends));
  }
  return out;
}

}  // namespace trygg::engine::bench
