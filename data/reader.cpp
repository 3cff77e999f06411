// Layer readers: CSV (own streaming parser) and everything else through GDAL/OGR.
//
// One pass per layer. Each source row goes through the same steps:
//   filter (CSV only; filtered rows are not "read") -> well-formed row? -> geometry
//   (x/y, lon/lat, WKT or the dataset's own) -> transform to the working CRS ->
//   repair polygons (GEOS MakeValid) -> extent -> id duplicates -> kind-specific
//   values (time, category, rating, ...) -> loaded, or Rejected with a reason.
// Every branch ends in exactly one of loaded/rejected: counts.read == loaded + rejected
// is asserted at the end of every read.
#include "data/reader.hpp"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>
#include <unordered_map>

#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "data/csv_reader.hpp"
#include "data/ogr_util.hpp"
#include "data/time_parse.hpp"

namespace trygg::data {

using model::RejectReason;

namespace {

// ---------------------------------------------------------------------------
// Small helpers

std::string_view trimBlank(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool isCsvPath(const std::string& source) {
  if (source.rfind("PG:", 0) == 0 || source.rfind("CSV:", 0) == 0 || source.rfind("/vsi", 0) == 0) return false;
  std::string ext = std::filesystem::path(source).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext == ".csv" || ext == ".tsv" || ext == ".txt";
}

std::string displayName(const std::string& source) {
  if (source.rfind("PG:", 0) == 0) return redactConnection(source);
  const auto name = std::filesystem::path(source).filename().string();
  return name.empty() ? source : name;
}

// Decimal number; `allow_comma` also reads "123,45" and Swedish spreadsheet
// numbers with (non-breaking) spaces as thousands separators ("6 580 123,45").
std::optional<double> parseNumber(std::string_view s, bool allow_comma) {
  s = trimBlank(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec == std::errc() && p == end) {
    if (!std::isfinite(v)) return std::nullopt;
    return v;
  }
  if (s.size() >= 64) return std::nullopt;
  char buf[64];
  std::size_t n = 0;
  bool comma = false, dot = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == 0xA0) continue;  // space, Latin-1 NBSP
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {  // UTF-8 NBSP
      ++i;
      continue;
    }
    if (c == ',') {
      if (!allow_comma) return std::nullopt;
      comma = true;
      buf[n++] = '.';
      continue;
    }
    if (c == '.') dot = true;
    buf[n++] = static_cast<char>(c);
  }
  if (comma && dot) return std::nullopt;  // "1.234,5" or "1,234.5": ambiguous
  if (n == 0) return std::nullopt;
  const char* b = buf;
  if (buf[0] == '+') ++b;
  auto [p2, ec2] = std::from_chars(b, buf + n, v);
  if (ec2 != std::errc() || p2 != buf + n || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::string lowerAscii(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::uint64_t mix64(std::uint64_t x) {  // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// Duplicate ids among up to hundreds of millions of incident ids in 12 bytes per
// id: open addressing on a 64-bit hash of the id, with the first row (32 bit).
// Two different ids collide with probability ~n^2/2^65 (1e-5 at 10M ids); such a
// collision would reject a row as a duplicate, naming the "first" row, which the
// user can check — an acceptable price for bounded memory.
class IdHashSet {
 public:
  // Sizes the table for about `n` ids up front (no rehashing while reading).
  void reserve(std::size_t n) {
    std::size_t cap = 1024;
    while (cap * 7 < n * 10) cap *= 2;
    if (cap > m_slots.size()) rehash(cap);
  }
  // Returns the first row of a previous equal id (-1 when that row is not
  // representable), or 0 when the id is new.
  std::int64_t insert(std::string_view id, std::int64_t row) {
    if ((m_count + 1) * 10 > m_slots.size() * 7) rehash(m_slots.empty() ? 1024 : m_slots.size() * 2);
    std::uint64_t h = mix64(std::hash<std::string_view>{}(id));
    if (h == 0) h = 1;
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = h & mask;
    while (m_slots[i].key != 0) {
      if (m_slots[i].key == h) return m_slots[i].row == 0 ? -1 : m_slots[i].row;
      i = (i + 1) & mask;
    }
    m_slots[i].key = h;
    m_slots[i].row = row > 0 && row < 0xFFFFFFFFLL ? static_cast<std::uint32_t>(row) : 0;
    ++m_count;
    return 0;
  }

 private:
  // Key and row side by side: one cache miss per lookup. Packed to 12 bytes.
#pragma pack(push, 4)
  struct Slot {
    std::uint64_t key = 0;
    std::uint32_t row = 0;
  };
#pragma pack(pop)
  static_assert(sizeof(Slot) == 12);
  void rehash(std::size_t cap) {
    std::vector<Slot> slots(cap);
    for (const auto& s : m_slots) {
      if (s.key == 0) continue;
      std::size_t i = s.key & (cap - 1);
      while (slots[i].key != 0) i = (i + 1) & (cap - 1);
      slots[i] = s;
    }
    m_slots.swap(slots);
  }
  std::vector<Slot> m_slots;
  std::size_t m_count = 0;
};

// Incident ids as exported by police and municipal systems are usually increasing
// integers. While every id so far is a canonical decimal integer larger than the
// one before, ids are kept in an append-only sorted vector (sequential writes, no
// cache misses, an id can only repeat if it is not larger than the last); the first
// id that breaks the run moves everything into the IdHashSet.
class IncidentIdSet {
 public:
  void reserve(std::size_t n) { m_reserve = n; }
  std::int64_t insert(std::string_view id, std::int64_t row) {
    if (m_monotone) {
      std::int64_t v = 0;
      if (canonicalInt(id, v)) {
        if (m_sorted.empty() || v > m_sorted.back().id) {
          if (m_sorted.empty()) m_sorted.reserve(std::min<std::size_t>(m_reserve, std::size_t{1} << 26));
          m_sorted.push_back({v, row});
          return 0;
        }
        auto it = std::lower_bound(m_sorted.begin(), m_sorted.end(), v,
                                   [](const Entry& e, std::int64_t x) { return e.id < x; });
        if (it != m_sorted.end() && it->id == v) return it->row;
      }
      m_monotone = false;
      m_hash.reserve(std::max(m_reserve, m_sorted.size() * 2));
      char buf[24];
      for (const auto& e : m_sorted) {
        const auto r = std::to_chars(buf, buf + sizeof buf, e.id);
        m_hash.insert(std::string_view(buf, static_cast<std::size_t>(r.ptr - buf)), e.row);
      }
      std::vector<Entry>().swap(m_sorted);
    }
    return m_hash.insert(id, row);
  }

 private:
  static bool canonicalInt(std::string_view s, std::int64_t& v) {
    if (s.empty() || s.size() > 18 || (s[0] == '0' && s.size() > 1)) return false;
    v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    return true;
  }
  struct Entry {
    std::int64_t id, row;
  };
  bool m_monotone = true;
  std::size_t m_reserve = 1024;
  std::vector<Entry> m_sorted;
  IdHashSet m_hash;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// ---------------------------------------------------------------------------
// Row sources

class Source {
 public:
  virtual ~Source() = default;
  virtual bool next() = 0;
  virtual std::int64_t row() const = 0;
  virtual std::string rowLabel() const = 0;                 // "row 17 (line 18)" / "FID 17"
  virtual int columnIndex(const std::string& name) const = 0;
  virtual std::vector<std::string> columnNames() const = 0;
  virtual std::string_view field(int idx) = 0;              // raw, trimmed; "" when null or absent
  virtual std::string text(int idx) = 0;                    // UTF-8
  virtual std::string rawJson() = 0;
  // A malformed row (CSV): the problem in words.
  virtual std::optional<std::string> badRow() { return std::nullopt; }
  // The dataset's own geometry (OGR); nullptr when none.
  virtual bool hasNativeGeometry() const { return false; }
  // Owned by the source; valid until next().
  virtual const OGRGeometry* geometryRef() { return nullptr; }
  virtual const OGRSpatialReference* nativeSrs() const { return nullptr; }
  // A time from a typed date/datetime field; nullopt -> parse field() as text.
  virtual std::optional<std::optional<TimeParser::Result>> typedTime(int, const TimeParser&, bool) {
    return std::nullopt;
  }
  virtual double progress() const = 0;
  virtual bool isCsv() const = 0;
};

class CsvSource final : public Source {
 public:
  CsvSource(const LayerConfig& cfg) : m_reader(cfg.source, CsvOptions{cfg.delimiter, cfg.encoding}) {}
  CsvReader& reader() { return m_reader; }
  bool next() override { return m_reader.next(m_rec); }
  std::int64_t row() const override { return m_rec.row; }
  std::string rowLabel() const override { return fmt::format("row {} (line {})", m_rec.row, m_rec.line); }
  int columnIndex(const std::string& name) const override { return m_reader.columnIndex(name); }
  std::vector<std::string> columnNames() const override { return m_reader.header(); }
  std::string_view field(int idx) override {
    if (idx < 0 || static_cast<std::size_t>(idx) >= m_rec.fields.size()) return {};
    return trimBlank(m_rec.fields[static_cast<std::size_t>(idx)]);
  }
  std::string text(int idx) override { return m_reader.toUtf8(field(idx)); }
  std::string rawJson() override {
    std::string out = "{";
    const auto& hdr = m_reader.header();
    const std::size_t n = std::max(hdr.size(), m_rec.fields.size());
    bool first = true;
    for (std::size_t i = 0; i < n && i < m_rec.fields.size(); ++i) {
      const std::string key = i < hdr.size() ? hdr[i] : fmt::format("_extra_{}", i - hdr.size() + 1);
      out += fmt::format("{}\"{}\":\"{}\"", first ? "" : ",", text::jsonEscape(key),
                         text::jsonEscape(m_reader.toUtf8(m_rec.fields[i])));
      first = false;
    }
    if (m_rec.problem != CsvRecord::Problem::None)
      out += fmt::format("{}\"_raw\":\"{}\"", first ? "" : ",", text::jsonEscape(m_reader.toUtf8(m_rec.raw)));
    out += "}";
    return out;
  }
  std::optional<std::string> badRow() override {
    switch (m_rec.problem) {
      case CsvRecord::Problem::None: return std::nullopt;
      case CsvRecord::Problem::FieldCount:
        return fmt::format("has {} fields but the header has {}; check the quoting of values that contain '{}'",
                           m_rec.fields.size(), m_reader.header().size(),
                           m_reader.delimiter() == '\t' ? std::string("TAB") : std::string(1, m_reader.delimiter()));
      case CsvRecord::Problem::BrokenQuote:
        return std::string(
            "has a broken quote (a quote that is not closed, or text after a closing quote); "
            "quote the whole value and double quotes inside it (\"\")");
    }
    return std::nullopt;
  }
  double progress() const override {
    return m_reader.fileSize() == 0 ? 1.0
                                    : static_cast<double>(m_reader.bytesConsumed()) /
                                          static_cast<double>(m_reader.fileSize());
  }
  bool isCsv() const override { return true; }

 private:
  CsvReader m_reader;
  CsvRecord m_rec;
};

struct DatasetCloser {
  void operator()(GDALDataset* d) const {
    if (d != nullptr) GDALClose(d);
  }
};
struct FeatureDeleter {
  void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};

class OgrSource final : public Source {
 public:
  OgrSource(const LayerConfig& cfg, CplErrorCapture& capture) : m_capture(capture) {
    refuseNetworkSourceWhenOffline(cfg);
    ensureGdalRegistered();
    const std::string shown = displayName(cfg.source);
    m_ds.reset(static_cast<GDALDataset*>(
        GDALOpenEx(cfg.source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
    if (!m_ds) {
      const bool exists = cfg.source.rfind("PG:", 0) == 0 || std::filesystem::exists(cfg.source);
      capture.throwIfFailed(
          redactConnection(cfg.source), "cannot open as a vector dataset",
          exists ? "check that the file is complete (not truncated) and in a format GDAL reads (try: ogrinfo <file>)"
                 : "the file does not exist; check the layer's source path",
          true);
    }
    if (!cfg.layer.empty()) {
      m_layer = m_ds->GetLayerByName(cfg.layer.c_str());
      if (m_layer == nullptr) {
        std::string names;
        for (int i = 0; i < m_ds->GetLayerCount(); ++i)
          names += (i ? ", " : "") + std::string(m_ds->GetLayer(i)->GetName());
        throwDataError("{}: has no layer '{}'; its layers are: {}; fix `layer:` in the project file",
                       redactConnection(cfg.source), cfg.layer, names.empty() ? "(none)" : names);
      }
    } else {
      if (m_ds->GetLayerCount() == 0)
        throwDataError("{}: contains no vector layer; check the file", redactConnection(cfg.source));
      m_layer = m_ds->GetLayer(0);
    }
    capture.clear();
    m_filter = cfg.filter;
    m_source_label = redactConnection(cfg.source);
    if (!cfg.filter.empty()) {
      if (m_layer->SetAttributeFilter(cfg.filter.c_str()) != OGRERR_NONE)
        throwUsageError("{}: filter '{}' is not a valid OGR SQL WHERE clause ({}); fix `filter:` in the layer",
                        redactConnection(cfg.source), cfg.filter,
                        capture.failed() ? capture.lastFailure() : "syntax error");
    }
    m_defn = m_layer->GetLayerDefn();
    m_total = m_layer->GetFeatureCount(FALSE);
    if (const auto* srs = m_layer->GetSpatialRef()) m_srs = srsClone(*srs);
    m_layer->ResetReading();
  }
  OGRLayer* layer() { return m_layer; }
  bool next() override {
    m_capture.clear();
    m_feat.reset(m_layer->GetNextFeature());
    if (!m_feat) {
      if (m_capture.failed() && m_index == 0 && !m_filter.empty())
        // SQL drivers (GeoPackage, PostGIS, SQLite) check a WHERE clause only when
        // the first feature is fetched: the filter is at fault, not the file.
        throwUsageError("{}: filter '{}' is not valid for this layer ({}); fix `filter:` in the layer (OGR SQL "
                        "WHERE, column names as in the file)",
                        m_source_label, m_filter, m_capture.lastFailure());
      if (m_capture.failed())
        m_capture.throwIfFailed(m_layer->GetName(), fmt::format("reading stopped after {} features", m_index),
                                "the file may be truncated or corrupt; check it with ogrinfo");
      return false;
    }
    ++m_index;
    return true;
  }
  std::int64_t row() const override {
    const auto fid = m_feat->GetFID();
    return fid == OGRNullFID ? m_index : fid;
  }
  std::string rowLabel() const override { return fmt::format("FID {}", row()); }
  int columnIndex(const std::string& name) const override { return m_defn->GetFieldIndex(name.c_str()); }
  std::vector<std::string> columnNames() const override {
    std::vector<std::string> out;
    for (int i = 0; i < m_defn->GetFieldCount(); ++i) out.emplace_back(m_defn->GetFieldDefn(i)->GetNameRef());
    return out;
  }
  std::string_view field(int idx) override {
    if (idx < 0 || !m_feat->IsFieldSetAndNotNull(idx)) return {};
    return trimBlank(m_feat->GetFieldAsString(idx));
  }
  std::string text(int idx) override {
    const auto f = field(idx);
    // OGR returns UTF-8 for drivers that know the encoding; Shapefiles without a
    // .cpg can still hold Windows-1252 bytes.
    return text::isValidUtf8(f) ? std::string(f) : text::latin1ToUtf8(f);
  }
  std::string rawJson() override {
    std::string out = "{";
    bool first = true;
    for (int i = 0; i < m_defn->GetFieldCount(); ++i) {
      const char* name = m_defn->GetFieldDefn(i)->GetNameRef();
      if (m_feat->IsFieldSetAndNotNull(i))
        out += fmt::format("{}\"{}\":\"{}\"", first ? "" : ",", text::jsonEscape(name), text::jsonEscape(text(i)));
      else
        out += fmt::format("{}\"{}\":null", first ? "" : ",", text::jsonEscape(name));
      first = false;
    }
    if (const OGRGeometry* g = m_feat->GetGeometryRef()) {
      std::string wkt = g->exportToWkt();
      if (wkt.size() > 2000) wkt = wkt.substr(0, 2000) + "...";
      out += fmt::format("{}\"_geometry\":\"{}\"", first ? "" : ",", text::jsonEscape(wkt));
    }
    out += "}";
    return out;
  }
  bool hasNativeGeometry() const override { return m_defn->GetGeomFieldCount() > 0; }
  const OGRGeometry* geometryRef() override { return m_feat->GetGeometryRef(); }
  const OGRSpatialReference* nativeSrs() const override { return m_srs.get(); }
  std::optional<std::optional<TimeParser::Result>> typedTime(int idx, const TimeParser& tp, bool end_of_day) override {
    if (idx < 0) return std::nullopt;
    const auto type = m_defn->GetFieldDefn(idx)->GetType();
    if (type != OFTDate && type != OFTDateTime) return std::nullopt;
    if (!m_feat->IsFieldSetAndNotNull(idx)) return std::optional<TimeParser::Result>{};
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, tz = 0;
    float sec = 0;
    if (!m_feat->GetFieldAsDateTime(idx, &y, &mo, &d, &h, &mi, &sec, &tz) ||
        !validDate(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)))
      return std::optional<TimeParser::Result>{};
    TimeParser::Result r;
    const int s = static_cast<int>(sec);
    if (type == OFTDate) {
      r.date_only = true;
      r.t = end_of_day ? tp.localToUtc(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), 23, 59, 59)
                       : tp.localToUtc(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), 0, 0, 0);
    } else if (tz <= 1) {  // unknown or "local": the layer's time zone
      r.t = tp.localToUtc(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, s);
    } else {  // 100 = UTC, 100 +/- n = offset in quarter hours
      const std::int64_t offset = static_cast<std::int64_t>(tz - 100) * 15 * 60;
      r.t = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + s -
            offset;
    }
    return std::optional<TimeParser::Result>{r};
  }
  double progress() const override {
    return m_total > 0 ? std::min(1.0, static_cast<double>(m_index) / static_cast<double>(m_total)) : 0.0;
  }
  bool isCsv() const override { return false; }

 private:
  CplErrorCapture& m_capture;
  std::unique_ptr<GDALDataset, DatasetCloser> m_ds;
  OGRLayer* m_layer = nullptr;
  std::string m_filter;        // the layer's attribute filter, to blame it for errors at the first fetch
  std::string m_source_label;  // the source as shown in messages (connection passwords redacted)
  OGRFeatureDefn* m_defn = nullptr;
  std::unique_ptr<OGRFeature, FeatureDeleter> m_feat;
  SrsPtr m_srs;
  std::int64_t m_index = 0;
  std::int64_t m_total = -1;
};

// ---------------------------------------------------------------------------
// CSV filter: `col = 'v'`, `col <> 'v'`, `col >= 5` ... joined by AND.

class CsvFilter {
 public:
  CsvFilter() = default;
  CsvFilter(const std::string& expr, Source& src, const std::string& where) {
    static const char* kHelp =
        "a CSV layer's filter supports only conditions `column = 'text'`, `column <> 'text'` or `column >= number` "
        "(operators = <> != < <= > >=, text in single quotes, numbers bare) joined by AND";
    std::string_view s = expr;
    for (;;) {
      s = text::trim(s);
      if (s.empty()) throwUsageError("{}: filter '{}' is incomplete; {}", where, expr, kHelp);
      Cond c;
      // Column: bare word or "quoted".
      std::string col;
      if (s.front() == '"') {
        const auto q = s.find('"', 1);
        if (q == std::string_view::npos) throwUsageError("{}: filter '{}' has an unclosed \"; {}", where, expr, kHelp);
        col = std::string(s.substr(1, q - 1));
        s.remove_prefix(q + 1);
      } else {
        std::size_t k = 0;
        while (k < s.size() && (std::isalnum(static_cast<unsigned char>(s[k])) || s[k] == '_' ||
                                static_cast<unsigned char>(s[k]) >= 0x80))
          ++k;
        col = std::string(s.substr(0, k));
        s.remove_prefix(k);
      }
      if (col.empty()) throwUsageError("{}: filter '{}': expected a column name; {}", where, expr, kHelp);
      c.idx = src.columnIndex(col);
      if (c.idx < 0) throwUsageError("{}: filter '{}': no column '{}' in the file; {}", where, expr, col, kHelp);
      s = text::trim(s);
      static const std::pair<std::string_view, Op> kOps[] = {{"<>", Op::Ne}, {"!=", Op::Ne}, {"<=", Op::Le},
                                                             {">=", Op::Ge}, {"=", Op::Eq},  {"<", Op::Lt},
                                                             {">", Op::Gt}};
      bool found = false;
      for (const auto& [tok, op] : kOps) {
        if (s.substr(0, tok.size()) == tok) {
          c.op = op;
          s.remove_prefix(tok.size());
          found = true;
          break;
        }
      }
      if (!found) throwUsageError("{}: filter '{}': expected an operator after '{}'; {}", where, expr, col, kHelp);
      s = text::trim(s);
      if (!s.empty() && s.front() == '\'') {
        std::string v;
        std::size_t k = 1;
        bool closed = false;
        while (k < s.size()) {
          if (s[k] == '\'') {
            if (k + 1 < s.size() && s[k + 1] == '\'') {
              v.push_back('\'');
              k += 2;
              continue;
            }
            closed = true;
            break;
          }
          v.push_back(s[k++]);
        }
        if (!closed) throwUsageError("{}: filter '{}' has an unclosed quote; {}", where, expr, kHelp);
        c.text = v;
        c.is_number = false;
        s.remove_prefix(k + 1);
      } else {
        std::size_t k = 0;
        while (k < s.size() && !std::isspace(static_cast<unsigned char>(s[k]))) ++k;
        const auto num = parseNumber(s.substr(0, k), false);
        if (!num) throwUsageError("{}: filter '{}': '{}' is neither 'quoted text' nor a number; {}", where, expr,
                                  s.substr(0, k), kHelp);
        c.number = *num;
        c.is_number = true;
        s.remove_prefix(k);
      }
      m_conds.push_back(std::move(c));
      s = text::trim(s);
      if (s.empty()) break;
      if (s.size() >= 4 && lowerAscii(s.substr(0, 3)) == "and" && std::isspace(static_cast<unsigned char>(s[3]))) {
        s.remove_prefix(3);
        continue;
      }
      throwUsageError("{}: filter '{}': unexpected '{}'; {}", where, expr, s, kHelp);
    }
  }
  bool active() const { return !m_conds.empty(); }
  bool pass(Source& src) const {
    for (const auto& c : m_conds) {
      int cmp = 0;
      if (c.is_number) {
        const auto v = parseNumber(src.field(c.idx), true);
        if (!v) return false;  // not a number: the condition is not met
        cmp = *v < c.number ? -1 : (*v > c.number ? 1 : 0);
      } else {
        const std::string v = src.text(c.idx);
        cmp = v.compare(c.text);
        cmp = cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
      }
      bool ok = false;
      switch (c.op) {
        case Op::Eq: ok = cmp == 0; break;
        case Op::Ne: ok = cmp != 0; break;
        case Op::Lt: ok = cmp < 0; break;
        case Op::Le: ok = cmp <= 0; break;
        case Op::Gt: ok = cmp > 0; break;
        case Op::Ge: ok = cmp >= 0; break;
      }
      if (!ok) return false;
    }
    return true;
  }

 private:
  enum class Op { Eq, Ne, Lt, Le, Gt, Ge };
  struct Cond {
    int idx = -1;
    Op op = Op::Eq;
    bool is_number = false;
    double number = 0;
    std::string text;
  };
  std::vector<Cond> m_conds;
};

// ---------------------------------------------------------------------------
// The per-call reading context shared by all layer kinds.

enum class GeoMode { None, XY, LonLat, Wkt, Native };

class LayerReader {
 public:
  LayerReader(const LayerConfig& cfg, const ReadOptions& opts, model::LayerKind kind, bool geometry_optional)
      : m_cfg(cfg), m_opts(opts), m_kind(kind), m_time(cfg.time_zone, cfg.time_format) {
    m_counts.layer_name = cfg.name;
    m_counts.layer = kind;
    m_shown = displayName(cfg.source);
    m_source = redactConnection(cfg.source);
    refuseNetworkSourceWhenOffline(cfg);
    if (isCsvPath(cfg.source)) {
      auto csv = std::make_unique<CsvSource>(cfg);
      if (csv->reader().encodingDetected())
        m_counts.warnings["encoding_detected:windows-1252"] += 1;
      m_src = std::move(csv);
    } else {
      m_src = std::make_unique<OgrSource>(cfg, m_capture);
    }
    if (m_src->isCsv() && !cfg.filter.empty()) m_filter = CsvFilter(cfg.filter, *m_src, m_source);
    m_allow_comma = cfg.decimal != '.';
    setupGeometry(geometry_optional);
  }

  Source& src() { return *m_src; }
  model::LayerCounts& counts() { return m_counts; }
  const LayerConfig& cfg() const { return m_cfg; }
  const ReadOptions& opts() const { return m_opts; }
  TimeParser& time() { return m_time; }
  GeosRepair& geos() { return m_geos; }
  bool allowComma() const { return m_allow_comma; }
  GeoMode geoMode() const { return m_mode; }

  // Column of an engine field: the mapped name, or the field's own name or an
  // alias when present in the source. -1 when neither.
  // A column used only when the project maps it (`columns: {weight: w}`); an
  // unmapped or empty mapping means "not used", whatever the source's columns.
  int mappedColumn(const std::string& field) {
    if (auto it = m_cfg.columns.find(field); it == m_cfg.columns.end() || it->second.empty()) return -1;
    return column(field);
  }
  int column(const std::string& field, std::initializer_list<std::string_view> aliases = {}) {
    if (auto it = m_cfg.columns.find(field); it != m_cfg.columns.end() && !it->second.empty()) {
      const int idx = m_src->columnIndex(it->second);
      if (idx < 0) {
        std::string names;
        for (const auto& n : m_src->columnNames()) names += (names.empty() ? "" : ", ") + n;
        throwDataError("{}: column '{}' (mapped to {}) is not in the layer; its columns are: {}; fix columns.{} in "
                       "layer '{}'",
                       m_source, it->second, field, names, field, m_cfg.name);
      }
      return idx;
    }
    int idx = m_src->columnIndex(field);
    for (auto a : aliases) {
      if (idx >= 0) break;
      idx = m_src->columnIndex(std::string(a));
    }
    return idx;
  }
  bool mapped(const std::string& field) const {
    auto it = m_cfg.columns.find(field);
    return it != m_cfg.columns.end() && !it->second.empty();
  }

  // Reading loop with progress; `handle` returns nothing, it must call loaded()
  // or reject() exactly once per row.
  template <class F>
  void run(F&& handle) {
    // The caller labels the step (Progress::begin) and ends it (done); the reader
    // only reports the fraction read.
    Progress* p = m_opts.progress;
    std::int64_t n = 0;
    while (m_src->next()) {
      // A malformed row cannot be filtered (its values are unknown): it is read and
      // rejected. Well-formed rows the filter leaves out are not "read".
      auto bad = m_src->badRow();
      if (!bad && m_filter.active() && !m_filter.pass(*m_src)) continue;
      ++m_counts.read;
      const auto before = m_counts.loaded + m_counts.rejected;
      if (bad) {
        reject(RejectReason::BadRow, *bad);
      } else {
        handle();
      }
      assert(m_counts.loaded + m_counts.rejected == before + 1);
      (void)before;
      if (p && (++n & 0xFFFF) == 0) p->update(m_src->progress());
    }
    if (auto* csv = dynamic_cast<CsvSource*>(m_src.get()); csv && csv->reader().lateLatin1Fields() > 0)
      m_counts.warnings["encoding_mixed:fields_read_as_windows-1252"] += csv->reader().lateLatin1Fields();
    if (p) p->update(1.0);
    if (m_counts.read == 0) m_counts.warnings["no_rows"] += 1;
    // The bookkeeping invariant of the whole reader.
    assert(m_counts.balanced());
    if (!m_counts.balanced())
      throw Error(fmt::format("internal: {} read {} but loaded {} + rejected {}", m_source, m_counts.read,
                              m_counts.loaded, m_counts.rejected));
  }

  void loaded() { ++m_counts.loaded; }

  // Builds and records a rejection: message "<file> row N: <what_and_fix>".
  void reject(RejectReason reason, const std::string& what_and_fix) {
    model::Rejected r;
    r.layer = m_kind;
    r.layer_name = m_cfg.name;
    r.source = m_source;
    r.row = m_src->row();
    r.raw_json = m_src->rawJson();
    r.reason = reason;
    r.message = fmt::format("{} {}: {}", m_shown, m_src->rowLabel(), what_and_fix);
    ++m_counts.rejected;
    ++m_counts.rejected_by_reason[std::string(model::rejectReasonId(reason))];
    m_sink(std::move(r));
  }
  void setSink(std::function<void(model::Rejected&&)> sink) { m_sink = std::move(sink); }
  void warn(const std::string& key) { ++m_counts.warnings[key]; }

  // --- geometry -----------------------------------------------------------

  struct PointOut {
    bool ok = false;
    bool none = false;  // no coordinates at all (empty values / null geometry)
    Point p;
  };

  // The row's point in the working CRS, or a rejection (returns ok=false, none=false
  // after calling reject()). With `allow_none`, absent coordinates return none=true
  // without rejecting.
  PointOut point(bool allow_none = false, bool check_extent = true) {
    PointOut out;
    double x = 0, y = 0;
    if (m_mode == GeoMode::XY || m_mode == GeoMode::LonLat) {
      const auto fx = m_src->field(m_xi);
      const auto fy = m_src->field(m_yi);
      const char* nx = m_mode == GeoMode::XY ? "x" : "lon";
      const char* ny = m_mode == GeoMode::XY ? "y" : "lat";
      if (fx.empty() && fy.empty()) {
        if (allow_none) {
          out.none = true;
          return out;
        }
        reject(RejectReason::NoGeometry,
               fmt::format("no coordinates ({} and {} are empty); fill them in or remove the row", nx, ny));
        return out;
      }
      const auto vx = parseNumber(fx, m_allow_comma);
      const auto vy = parseNumber(fy, m_allow_comma);
      if (!vx || !vy) {
        reject(RejectReason::BadCoordinate,
               fmt::format("{} '{}' / {} '{}' is not a pair of numbers; use digits with a decimal point{}", nx,
                           m_src->text(m_xi), ny, m_src->text(m_yi),
                           m_allow_comma ? " or comma" : " (the layer sets decimal: '.')"));
        return out;
      }
      x = *vx;
      y = *vy;
      if (m_mode == GeoMode::LonLat && (std::abs(x) > 180 || std::abs(y) > 90)) {
        reject(RejectReason::BadCoordinate,
               fmt::format("lon {} / lat {} is not a WGS 84 position; check that lon and lat are not swapped and "
                           "that these columns hold degrees",
                           x, y));
        return out;
      }
    } else if (m_mode == GeoMode::None) {
      if (allow_none) {
        out.none = true;
        return out;
      }
      reject(RejectReason::NoGeometry, "has no coordinates; map x/y, lon/lat or a geometry column");
      return out;
    } else {
      std::unique_ptr<OGRGeometry> owned;
      const OGRGeometry* g = geometryFromSource(owned);
      if (!g) {
        if (m_geom_problem == RejectReason::NoGeometry && allow_none) {
          out.none = true;
          return out;
        }
        reject(m_geom_problem, m_geom_message);
        return out;
      }
      const auto t = wkbFlatten(g->getGeometryType());
      const OGRPoint* pt = nullptr;
      if (t == wkbPoint) {
        pt = g->toPoint();
      } else if (t == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() == 1) {
        pt = g->toMultiPoint()->getGeometryRef(0);
      } else {
        reject(RejectReason::WrongGeometryType,
               fmt::format("geometry is a {} but a {} layer needs points; convert it to points or use another "
                           "layer kind",
                           OGRGeometryTypeToName(g->getGeometryType()), model::layerKindId(m_kind)));
        return out;
      }
      x = pt->getX();
      y = pt->getY();
    }
    const double sx = x, sy = y;
    if (!m_transform->point(x, y)) {
      m_capture.clear();
      reject(RejectReason::Transform,
             fmt::format("point ({}, {}) cannot be transformed from {} to the working CRS; check the layer's crs "
                         "and that x/y are not swapped",
                         sx, sy, m_src_crs_name));
      return out;
    }
    if (check_extent && m_opts.extent && !m_opts.extent->contains(x, y)) {
      reject(RejectReason::OutsideExtent,
             fmt::format("point ({:.2f}, {:.2f}) is outside the study extent; enlarge the extent or leave the "
                         "row out",
                         x, y));
      return out;
    }
    out.ok = true;
    out.p = {x, y};
    return out;
  }

  // The row's full geometry in the working CRS (not yet type-checked or repaired);
  // nullptr after reject().
  std::unique_ptr<OGRGeometry> geometry() {
    if (m_mode == GeoMode::XY || m_mode == GeoMode::LonLat) {
      auto pt = point(false, false);  // the caller checks the extent on the bbox
      if (!pt.ok) return nullptr;
      return std::make_unique<OGRPoint>(pt.p.x, pt.p.y);
    }
    if (m_mode == GeoMode::None) {
      reject(RejectReason::NoGeometry, "has no geometry; map x/y, lon/lat or a geometry column");
      return nullptr;
    }
    std::unique_ptr<OGRGeometry> g;
    const OGRGeometry* ref = geometryFromSource(g);
    if (!ref) {
      reject(m_geom_problem, m_geom_message);
      return nullptr;
    }
    if (!g) g.reset(ref->clone());  // transformed in place below; the source keeps its own
    if (g->hasCurveGeometry()) g.reset(g->getLinearGeometry());
    if (!m_transform->geometry(*g)) {
      m_capture.clear();
      reject(RejectReason::Transform,
             fmt::format("geometry cannot be transformed from {} to the working CRS; check the layer's crs",
                         m_src_crs_name));
      return nullptr;
    }
    return g;
  }

  // Polygonal geometry made valid: nullptr after reject(). Sets `repaired`.
  std::unique_ptr<OGRGeometry> validPolygonal(std::unique_ptr<OGRGeometry> g, bool& repaired) {
    repaired = false;
    auto r = m_geos.repairPolygonal(*g);
    if (r.status == GeosRepair::Status::Valid) return g;
    if (r.status == GeosRepair::Status::Failed) {
      reject(RejectReason::InvalidGeometry,
             fmt::format("polygon is invalid ({}) and GEOS MakeValid could not repair it into a polygon; redraw "
                         "it in QGIS (Vector > Geometry Tools > Check Validity)",
                         r.reason.empty() ? "unknown reason" : r.reason));
      return nullptr;
    }
    repaired = true;
    return std::move(r.geom);
  }

  bool insideExtent(const model::Geometry& g) {
    if (!m_opts.extent || g.bbox.empty()) return true;
    if (m_opts.extent->intersects(g.bbox)) return true;
    reject(RejectReason::OutsideExtent,
           fmt::format("geometry (bbox {:.2f} {:.2f}, {:.2f} {:.2f}) lies wholly outside the study extent; enlarge "
                       "the extent or leave the row out",
                       g.bbox.minx, g.bbox.miny, g.bbox.maxx, g.bbox.maxy));
    return false;
  }

  // --- ids ----------------------------------------------------------------

  // False (after reject) when `id` repeats an earlier row's id.
  bool uniqueId(const std::string& id, bool compact) {
    if (id.empty()) return true;
    std::int64_t first = 0;
    if (compact) {
      if (!m_id_reserved) {
        m_id_reserved = true;
        m_id_hashes.reserve(estimatedRows());
      }
      first = m_id_hashes.insert(id, m_src->row());
    } else {
      auto [it, inserted] = m_ids.emplace(id, m_src->row());
      first = inserted ? 0 : it->second;
    }
    if (first == 0) return true;
    reject(RejectReason::DuplicateId,
           first > 0 ? fmt::format("id '{}' was already used by {} {}; make ids unique or drop the duplicate", id,
                                   m_src->isCsv() ? "row" : "FID", first)
                     : fmt::format("id '{}' was already used by an earlier row; make ids unique or drop the duplicate",
                                   id));
    return false;
  }

  // --- times --------------------------------------------------------------

  struct TimeOut {
    bool ok = true;     // false: rejected
    bool empty = true;  // no value
    TimeParser::Result r;
  };
  TimeOut time(int idx, const char* what, bool end_of_day = false) {
    TimeOut out;
    if (idx < 0) return out;
    if (auto typed = m_src->typedTime(idx, m_time, end_of_day)) {
      if (*typed) {
        out.empty = false;
        out.r = **typed;
      }
      return out;
    }
    const auto f = m_src->field(idx);
    if (f.empty()) return out;
    out.empty = false;
    if (auto r = m_time.parse(f, end_of_day)) {
      out.r = *r;
      return out;
    }
    out.ok = false;
    reject(RejectReason::BadTime,
           m_cfg.time_format.empty()
               ? fmt::format("{} '{}' is not a date; use ISO 8601 (2023-01-13 18:30) or set time_format in the layer",
                             what, m_src->text(idx))
               : fmt::format("{} '{}' matches neither time_format '{}' nor ISO 8601 (2023-01-13 18:30); fix the "
                             "value or the layer's time_format",
                             what, m_src->text(idx), m_cfg.time_format));
    return out;
  }

  std::string crsName() const { return m_src_crs_name; }
  // Metres per unit of the working CRS (1 for metric CRSs, 0.3048 for feet).
  double unitMetres() const {
    const double u = m_work_srs->IsProjected() ? m_work_srs->GetLinearUnits() : 1.0;
    return u > 0 ? u : 1.0;
  }

  // Rows to expect, from the bytes per row seen so far (CSV) or the feature count.
  std::size_t estimatedRows() const {
    const double f = m_src->progress();
    const auto n = static_cast<double>(std::max<std::int64_t>(m_counts.read, 1));
    if (f > 0 && f <= 1) return static_cast<std::size_t>(std::min(n / f * 1.1, 4e9));
    return 1024;
  }

 private:
  // The row's geometry in the source CRS: parsed WKT (then owned by `owned`) or the
  // feature's own (owned by the source). nullptr with m_geom_problem/message set.
  const OGRGeometry* geometryFromSource(std::unique_ptr<OGRGeometry>& owned) {
    const OGRGeometry* g = nullptr;
    if (m_mode == GeoMode::Wkt) {
      const auto f = m_src->field(m_wkt_i);
      if (f.empty()) {
        m_geom_problem = RejectReason::NoGeometry;
        m_geom_message = "the geometry (WKT) value is empty; fill it in or remove the row";
        return nullptr;
      }
      OGRGeometry* out = nullptr;
      const std::string wkt(f);
      if (OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &out) != OGRERR_NONE || out == nullptr) {
        m_capture.clear();
        m_geom_problem = RejectReason::InvalidGeometry;
        std::string head = wkt.substr(0, 60);
        m_geom_message = fmt::format("'{}{}' is not WKT geometry; write it like POLYGON((x y, x y, ...))", head,
                                     wkt.size() > 60 ? "..." : "");
        return nullptr;
      }
      owned.reset(out);
      g = out;
    } else {
      g = m_src->geometryRef();
      if (!g) {
        m_geom_problem = RejectReason::NoGeometry;
        m_geom_message = "has no geometry; draw it or remove the feature";
        return nullptr;
      }
    }
    if (g->IsEmpty()) {
      m_geom_problem = RejectReason::EmptyGeometry;
      m_geom_message = fmt::format("the {} is empty; draw it or remove the feature",
                                   OGRGeometryTypeToName(g->getGeometryType()));
      return nullptr;
    }
    return g;
  }

  void setupGeometry(bool geometry_optional) {
    const bool map_xy = mapped("x") || mapped("y");
    const bool map_ll = mapped("lon") || mapped("lat");
    const bool map_geom = mapped("geometry");
    if ((map_xy && map_ll) || (map_geom && (map_xy || map_ll)))
      throwUsageError("layer '{}': map only one of x/y, lon/lat or geometry (columns)", m_cfg.name);
    if (map_xy) {
      m_mode = GeoMode::XY;
    } else if (map_ll) {
      m_mode = GeoMode::LonLat;
    } else if (map_geom) {
      m_mode = GeoMode::Wkt;
      if (!m_src->isCsv()) {
        // An OGR layer: a named geometry field is the native geometry.
        auto* ogr = static_cast<OgrSource*>(m_src.get());
        if (ogr->layer()->GetLayerDefn()->GetGeomFieldIndex(m_cfg.columns.at("geometry").c_str()) >= 0)
          m_mode = GeoMode::Native;
      }
    } else if (!m_src->isCsv() && m_src->hasNativeGeometry()) {
      m_mode = GeoMode::Native;
    } else if (m_src->columnIndex("x") >= 0 && m_src->columnIndex("y") >= 0) {
      m_mode = GeoMode::XY;
    } else if (column("lon", {"lng", "long", "longitude"}) >= 0 && column("lat", {"latitude"}) >= 0) {
      m_mode = GeoMode::LonLat;
    } else if (column("geometry", {"wkt", "geom", "the_geom"}) >= 0) {
      m_mode = GeoMode::Wkt;
    } else if (geometry_optional) {
      m_mode = GeoMode::None;
    } else {
      std::string names;
      for (const auto& n : m_src->columnNames()) names += (names.empty() ? "" : ", ") + n;
      throwDataError("{}: no coordinates found (no geometry, no x/y, lon/lat or WKT column; columns: {}); map them "
                     "with columns: {{x: ..., y: ...}}, {{lon: ..., lat: ...}} or {{geometry: <WKT column>}} in "
                     "layer '{}'",
                     m_source, names, m_cfg.name);
    }
    if (m_mode == GeoMode::XY) {
      m_xi = column("x");
      m_yi = column("y");
      if (m_xi < 0 || m_yi < 0) throwUsageError("layer '{}': map both x and y", m_cfg.name);
    } else if (m_mode == GeoMode::LonLat) {
      m_xi = column("lon", {"lng", "long", "longitude"});
      m_yi = column("lat", {"latitude"});
      if (m_xi < 0 || m_yi < 0) throwUsageError("layer '{}': map both lon and lat", m_cfg.name);
    } else if (m_mode == GeoMode::Wkt) {
      m_wkt_i = column("geometry", {"wkt", "geom", "the_geom"});
    }

    // Source CRS: the layer's setting wins, then lon/lat (WGS 84), then the file's own.
    SrsPtr src_srs;
    if (!m_cfg.crs.empty()) {
      std::string err;
      src_srs = srsFromUserInput(m_cfg.crs, &err);
      if (!src_srs)
        throwUsageError("layer '{}': crs '{}' is not a CRS GDAL/PROJ knows ({}); write it like EPSG:3006",
                        m_cfg.name, m_cfg.crs, err);
      if (m_mode == GeoMode::Native && m_src->nativeSrs() && !m_src->nativeSrs()->IsSame(src_srs.get()))
        warn("crs_overrides_file");
    } else if (m_mode == GeoMode::LonLat) {
      src_srs = srsFromUserInput("EPSG:4326");
    } else if (m_mode == GeoMode::Native || (!m_src->isCsv() && m_mode != GeoMode::None)) {
      if (m_src->nativeSrs()) src_srs = srsClone(*m_src->nativeSrs());
    }
    if (m_mode == GeoMode::None) {
      src_srs = srsFromUserInput(m_opts.working_crs);  // nothing to transform
    }
    if (!src_srs)
      throwDataError("{}: has no coordinate reference system (CRS); add `crs: EPSG:xxxx` to layer '{}' (for "
                     "example EPSG:3006 for SWEREF 99 TM, EPSG:4326 for WGS 84 degrees)",
                     m_source, m_cfg.name);
    std::string err;
    m_work_srs = srsFromUserInput(m_opts.working_crs, &err);
    if (!m_work_srs)
      throwUsageError("working CRS '{}' is not a CRS GDAL/PROJ knows ({}); write it like EPSG:3006",
                      m_opts.working_crs, err);
    m_src_crs_name = srsAuthId(*src_srs);
    if (m_src_crs_name.empty()) m_src_crs_name = src_srs->GetName() ? src_srs->GetName() : "the layer's CRS";
    m_src_srs = std::move(src_srs);
    m_transform = std::make_unique<Transformer>(*m_src_srs, *m_work_srs, m_source);
  }

  const LayerConfig& m_cfg;
  const ReadOptions& m_opts;
  model::LayerKind m_kind;
  CplErrorCapture m_capture;  // declared before the source: alive for all its GDAL calls
  std::unique_ptr<Source> m_src;
  TimeParser m_time;
  GeosRepair m_geos;
  CsvFilter m_filter;
  model::LayerCounts m_counts;
  std::function<void(model::Rejected&&)> m_sink;
  std::string m_shown, m_source;
  bool m_allow_comma = true;
  GeoMode m_mode = GeoMode::None;
  int m_xi = -1, m_yi = -1, m_wkt_i = -1;
  SrsPtr m_src_srs, m_work_srs;
  std::string m_src_crs_name;
  std::unique_ptr<Transformer> m_transform;
  RejectReason m_geom_problem = RejectReason::NoGeometry;
  std::string m_geom_message;
  std::unordered_map<std::string, std::int64_t> m_ids;
  IncidentIdSet m_id_hashes;
  bool m_id_reserved = false;
};

// Category lookup: the layer's mapping (case-insensitive), then the engine's ids
// and labels; cached per distinct source word.
class CategoryResolver {
 public:
  explicit CategoryResolver(const LayerConfig& cfg) {
    for (const auto& [word, cat] : cfg.category_map) m_map.emplace(text::foldCase(text::trim(word)), cat);
  }
  struct Entry {
    Category category;
    bool known;
    std::string utf8;  // the word as UTF-8, as read
  };
  // `word` is the raw field (cache key); `utf8` its text as UTF-8 (differs for
  // Windows-1252 files).
  template <class Utf8>
  const Entry& resolve(std::string_view word, Utf8&& utf8) {
    auto it = m_cache.find(word);
    if (it != m_cache.end()) return it->second;
    const std::string key = text::foldCase(text::trim(utf8()));
    Entry e{Category::Other, false, utf8()};
    if (auto m = m_map.find(key); m != m_map.end()) {
      e.category = m->second;
      e.known = true;
    } else if (auto c = parseCategory(key)) {
      e.category = *c;
      e.known = true;
    }
    return m_cache.emplace(std::string(word), e).first->second;
  }

 private:
  std::unordered_map<std::string, Category> m_map;
  std::unordered_map<std::string, Entry, StringHash, std::equal_to<>> m_cache;
};

template <class T>
ReadResult<T> collect(LayerReader& lr) {
  ReadResult<T> res;
  lr.setSink([&res](model::Rejected&& r) { res.rejected.push_back(std::move(r)); });
  return res;
}

std::string defaultId(LayerReader& lr) { return std::to_string(lr.src().row()); }

constexpr double kDefaultPlaceRadiusMetres = 50.0;

}  // namespace

// ---------------------------------------------------------------------------

std::optional<double> mapRating(std::string_view text_in, const std::string& scale_in, bool higher_is_better) {
  const std::string scale = lowerAscii(text::trim(scale_in));
  const std::string_view t = text::trim(text_in);
  if (scale == "colour" || scale == "color") {
    const std::string w = text::foldCase(t);
    // The middle of the default bands red [0, 6.67), yellow [6.67, 13.33), green [13.33, 20].
    if (w == "red" || w == "röd" || w == "rod" || w == "r\xC3\xB6tt" || w == "rött") return 20.0 / 6.0;
    if (w == "yellow" || w == "gul" || w == "gult" || w == "orange") return 10.0;
    if (w == "green" || w == "grön" || w == "gron" || w == "grönt") return 100.0 / 6.0;
    return std::nullopt;
  }
  const auto v = parseNumber(t, true);
  if (!v) return std::nullopt;
  if (scale.empty() || scale == "0-20") {
    if (*v < 0 || *v > 20) return std::nullopt;
    return higher_is_better ? *v : 20.0 - *v;
  }
  if (scale == "1-5") {
    if (*v < 1 || *v > 5) return std::nullopt;
    return higher_is_better ? (*v - 1.0) * 5.0 : (5.0 - *v) * 5.0;
  }
  if (scale == "0-3") {
    if (*v < 0 || *v > 3) return std::nullopt;
    return higher_is_better ? *v * 20.0 / 3.0 : (3.0 - *v) * 20.0 / 3.0;
  }
  throwUsageError("rating_scale '{}' is not supported; use 0-20, 1-5, 0-3 or colour", scale_in);
}

LayerInfo probeLayer(const LayerConfig& cfg) {
  LayerInfo info;
  SrsPtr srs;
  if (!cfg.crs.empty()) {
    std::string err;
    srs = srsFromUserInput(cfg.crs, &err);
    if (!srs)
      throwUsageError("layer '{}': crs '{}' is not a CRS GDAL/PROJ knows ({}); write it like EPSG:3006", cfg.name,
                      cfg.crs, err);
  }
  refuseNetworkSourceWhenOffline(cfg);
  if (isCsvPath(cfg.source)) {
    CsvReader r(cfg.source, CsvOptions{cfg.delimiter, cfg.encoding});
    auto has = [&](std::string_view f, std::initializer_list<std::string_view> aliases) {
      if (auto it = cfg.columns.find(std::string(f)); it != cfg.columns.end() && !it->second.empty())
        return r.columnIndex(it->second) >= 0;
      if (r.columnIndex(f) >= 0) return true;
      for (auto a : aliases)
        if (r.columnIndex(a) >= 0) return true;
      return false;
    };
    const bool lonlat = !(cfg.columns.count("x") || cfg.columns.count("geometry")) &&
                        !(r.columnIndex("x") >= 0 && r.columnIndex("y") >= 0) &&
                        has("lon", {"lng", "long", "longitude"}) && has("lat", {"latitude"});
    if (!srs && lonlat) srs = srsFromUserInput("EPSG:4326");
    const bool wkt = cfg.columns.count("geometry") || has("geometry", {"wkt", "geom", "the_geom"});
    info.geometry_type = wkt && !has("x", {}) ? "Unknown" : "Point";
  } else {
    CplErrorCapture capture;
    OgrSource src(cfg, capture);
    OGRLayer* layer = src.layer();
    if (!srs && src.nativeSrs()) srs = srsClone(*src.nativeSrs());
    OGREnvelope env;
    if (layer->GetGeomType() != wkbNone && layer->GetExtent(&env, TRUE) == OGRERR_NONE) {
      info.bbox.expand(env.MinX, env.MinY);
      info.bbox.expand(env.MaxX, env.MaxY);
    }
    capture.clear();
    info.feature_count = layer->GetFeatureCount(TRUE);
    info.geometry_type = OGRGeometryTypeToName(layer->GetGeomType());
  }
  if (srs) {
    info.has_crs = true;
    info.crs_wkt = srsWkt(*srs);
    info.crs_authid = srsAuthId(*srs);
    info.crs_projected = srs->IsProjected();
  }
  return info;
}

ReadResult<model::Area> readAreas(const LayerConfig& cfg, const ReadOptions& opts) {
  LayerReader lr(cfg, opts, model::LayerKind::Areas, false);
  auto res = collect<model::Area>(lr);
  const int id_i = lr.column("id", {"area_id"});
  const int name_i = lr.column("name", {"namn"});
  lr.run([&] {
    model::Area a;
    a.row = lr.src().row();
    auto g = lr.geometry();
    if (!g) return;
    if (!isPolygonal(g->getGeometryType())) {
      lr.reject(RejectReason::WrongGeometryType,
                fmt::format("geometry is a {} but areas must be polygons; draw the area as a polygon",
                            OGRGeometryTypeToName(g->getGeometryType())));
      return;
    }
    g = lr.validPolygonal(std::move(g), a.repaired);
    if (!g) return;
    a.geom = toModelGeometry(*g);
    if (!lr.insideExtent(a.geom)) return;
    a.id = id_i >= 0 ? lr.src().text(id_i) : defaultId(lr);
    if (a.id.empty()) {
      lr.reject(RejectReason::MissingValue, "the id is empty; other layers join areas by id, so give every area one");
      return;
    }
    if (!lr.uniqueId(a.id, false)) return;
    a.name = name_i >= 0 ? lr.src().text(name_i) : a.id;
    if (a.repaired) ++lr.counts().repaired;
    res.rows.push_back(std::move(a));
    lr.loaded();
  });
  res.counts = lr.counts();
  return res;
}

ReadResult<model::Place> readPlaces(const LayerConfig& cfg, const ReadOptions& opts) {
  LayerReader lr(cfg, opts, model::LayerKind::Places, false);
  auto res = collect<model::Place>(lr);
  const int id_i = lr.column("id", {"place_id"});
  const int name_i = lr.column("name", {"namn"});
  const int kind_i = lr.column("kind", {"type"});
  const int radius_i = lr.column("radius");
  lr.run([&] {
    model::Place p;
    p.row = lr.src().row();
    auto g = lr.geometry();
    if (!g) return;
    const auto t = g->getGeometryType();
    if (isPuntal(t)) {
      if (wkbFlatten(t) == wkbMultiPoint && g->toMultiPoint()->getNumGeometries() != 1) {
        lr.reject(RejectReason::WrongGeometryType,
                  "geometry is a multipoint with several points; a place is one point or one polygon");
        return;
      }
      const OGRPoint* pt = wkbFlatten(t) == wkbPoint ? g->toPoint() : g->toMultiPoint()->getGeometryRef(0);
      p.anchor = {pt->getX(), pt->getY()};
    } else if (isPolygonal(t)) {
      g = lr.validPolygonal(std::move(g), p.repaired);
      if (!g) return;
      auto a = lr.geos().pointOnSurface(*g);
      if (!a) {
        lr.reject(RejectReason::InvalidGeometry, "no point on the polygon's surface could be found; redraw it");
        return;
      }
      p.anchor = *a;
    } else {
      lr.reject(RejectReason::WrongGeometryType,
                fmt::format("geometry is a {} but places must be points or polygons",
                            OGRGeometryTypeToName(t)));
      return;
    }
    p.geom = toModelGeometry(*g);
    if (!lr.insideExtent(p.geom)) return;
    p.id = id_i >= 0 ? lr.src().text(id_i) : defaultId(lr);
    if (p.id.empty()) {
      lr.reject(RejectReason::MissingValue, "the id is empty; other layers join places by id, so give every place one");
      return;
    }
    if (!lr.uniqueId(p.id, false)) return;
    p.name = name_i >= 0 ? lr.src().text(name_i) : std::string();
    p.kind = kind_i >= 0 ? lowerAscii(lr.src().text(kind_i)) : std::string();
    // cfg.radius arrives in CRS units (the engine converts the YAML length); the
    // default and a radius column are metres, converted here.
    p.radius = cfg.radius.value_or(kDefaultPlaceRadiusMetres / lr.unitMetres());
    if (radius_i >= 0 && !lr.src().field(radius_i).empty()) {
      const auto r = parseNumber(lr.src().field(radius_i), lr.allowComma());
      if (!r || *r <= 0) {
        lr.reject(RejectReason::BadValue, fmt::format("radius '{}' is not a positive number (metres); fix the value",
                                                      lr.src().text(radius_i)));
        return;
      }
      p.radius = *r / lr.unitMetres();
    }
    if (p.repaired) ++lr.counts().repaired;
    res.rows.push_back(std::move(p));
    lr.loaded();
  });
  res.counts = lr.counts();
  return res;
}

ReadResult<model::Observation> readObservations(const LayerConfig& cfg, const ReadOptions& opts) {
  (void)mapRating("0", cfg.rating_scale, true);  // validates the scale before reading
  LayerReader lr(cfg, opts, model::LayerKind::Observations, false);
  auto res = collect<model::Observation>(lr);
  const int id_i = lr.column("id");
  const int round_i = lr.column("round", {"omgang", "omgång"});
  const int factor_i = lr.column("factor", {"faktor"});
  const int rating_i = lr.column("rating", {"betyg", "score"});
  const int time_i = lr.column("time", {"datetime", "date", "datum"});
  const int place_i = lr.column("place_id");
  const int note_i = lr.column("note", {"comment", "kommentar"});
  if (factor_i < 0 || rating_i < 0)
    throwDataError("{}: an observations layer needs a factor and a rating column; map them with columns: {{factor: "
                   "..., rating: ...}} in layer '{}'",
                   redactConnection(cfg.source), cfg.name);
  lr.run([&] {
    model::Observation o;
    o.row = lr.src().row();
    auto pt = lr.point();
    if (!pt.ok) return;
    o.pt = pt.p;
    o.source_id = id_i >= 0 ? lr.src().text(id_i) : std::string();
    if (!lr.uniqueId(o.source_id, false)) return;
    o.factor = lowerAscii(lr.src().text(factor_i));
    if (o.factor.empty()) {
      lr.reject(RejectReason::MissingValue, "the factor is empty; name the inspected factor (e.g. lighting)");
      return;
    }
    o.rating_text = lr.src().text(rating_i);
    if (o.rating_text.empty()) {
      lr.reject(RejectReason::MissingValue, "the rating is empty; give a rating or remove the row");
      return;
    }
    const auto score = mapRating(o.rating_text, cfg.rating_scale, cfg.rating_higher_is_better);
    if (!score) {
      lr.reject(RejectReason::BadValue,
                fmt::format("rating '{}' is not on the layer's rating_scale {}; fix the value or set rating_scale "
                            "(0-20, 1-5, 0-3, colour)",
                            o.rating_text, cfg.rating_scale));
      return;
    }
    o.score = *score;
    const auto t = lr.time(time_i, "time");
    if (!t.ok) return;
    o.time = t.empty ? kNoTime : t.r.t;
    o.round = round_i >= 0 ? lr.src().text(round_i) : std::string();
    if (o.round.empty()) o.round = cfg.default_round;
    o.place_id = place_i >= 0 ? lr.src().text(place_i) : std::string();
    o.note = note_i >= 0 ? lr.src().text(note_i) : std::string();
    res.rows.push_back(std::move(o));
    lr.loaded();
  });
  res.counts = lr.counts();
  return res;
}

ReadResult<model::Perception> readPerception(const LayerConfig& cfg, const ReadOptions& opts) {
  LayerReader lr(cfg, opts, model::LayerKind::Perception, true);
  auto res = collect<model::Perception>(lr);
  const int id_i = lr.column("id");
  const int kind_i = lr.column("kind");
  const int place_i = lr.column("place_id");
  const int area_i = lr.column("area_id");
  const int question_i = lr.column("question", {"fraga", "fråga"});
  const int value_i = lr.column("value", {"svar", "answer"});
  const int tod_i = lr.column("time_of_day");
  const int gender_i = lr.column("gender", {"kon", "kön"});
  const int age_i = lr.column("age_band", {"age", "alder", "ålder"});
  const int round_i = lr.column("round");
  const int time_i = lr.column("time", {"datetime", "date", "datum"});
  const std::string default_kind = lowerAscii(cfg.perception_kind);
  if (!default_kind.empty() && default_kind != "pin" && default_kind != "answer")
    throwUsageError("layer '{}': perception_kind '{}' is not pin or answer", cfg.name, cfg.perception_kind);
  lr.run([&] {
    model::Perception p;
    p.row = lr.src().row();
    p.place_id = place_i >= 0 ? lr.src().text(place_i) : std::string();
    p.area_id = area_i >= 0 ? lr.src().text(area_i) : std::string();
    const bool has_join = !p.place_id.empty() || !p.area_id.empty();
    auto pt = lr.point(true);
    if (pt.none) {
      if (!has_join) {
        lr.reject(RejectReason::NoGeometry,
                  "has neither coordinates nor a place_id or area_id; give a position or the place/area it is about");
        return;
      }
      p.has_point = false;
    } else if (!pt.ok) {
      return;
    } else {
      p.has_point = true;
      p.pt = pt.p;
    }
    p.source_id = id_i >= 0 ? lr.src().text(id_i) : std::string();
    if (!lr.uniqueId(p.source_id, false)) return;
    const auto vtext = value_i >= 0 ? lr.src().field(value_i) : std::string_view();
    if (!vtext.empty()) {
      const auto v = parseNumber(vtext, true);
      if (!v) {
        lr.reject(RejectReason::BadValue,
                  fmt::format("value '{}' is not a number; survey answers must be numbers on their own scale (1-5)",
                              lr.src().text(value_i)));
        return;
      }
      p.value = *v;
    }
    std::string kind = kind_i >= 0 ? lowerAscii(lr.src().text(kind_i)) : std::string();
    if (kind.empty()) kind = default_kind;
    if (kind.empty()) kind = vtext.empty() ? "pin" : "answer";
    if (kind == "pin" || kind == "nål" || kind == "nal") {
      p.kind = model::Perception::Kind::Pin;
    } else if (kind == "answer" || kind == "svar") {
      p.kind = model::Perception::Kind::Answer;
    } else {
      lr.reject(RejectReason::BadValue, fmt::format("kind '{}' is neither pin nor answer; fix the value", kind));
      return;
    }
    const auto t = lr.time(time_i, "time");
    if (!t.ok) return;
    p.time = t.empty ? kNoTime : t.r.t;
    p.question = question_i >= 0 ? lr.src().text(question_i) : std::string();
    p.time_of_day = tod_i >= 0 ? lowerAscii(lr.src().text(tod_i)) : std::string();
    p.gender = gender_i >= 0 ? lr.src().text(gender_i) : std::string();
    p.age_band = age_i >= 0 ? lr.src().text(age_i) : std::string();
    p.round = round_i >= 0 ? lr.src().text(round_i) : std::string();
    if (p.round.empty()) p.round = cfg.default_round;
    res.rows.push_back(std::move(p));
    lr.loaded();
  });
  res.counts = lr.counts();
  return res;
}

ReadResult<model::Measure> readMeasures(const LayerConfig& cfg, const ReadOptions& opts) {
  LayerReader lr(cfg, opts, model::LayerKind::Measures, false);
  auto res = collect<model::Measure>(lr);
  const int id_i = lr.column("id");
  const int kind_i = lr.column("kind", {"type"});
  const int status_i = lr.column("status");
  const int date_i = lr.column("date", {"datum"});
  const int radius_i = lr.column("radius");
  lr.run([&] {
    model::Measure m;
    m.row = lr.src().row();
    auto g = lr.geometry();
    if (!g) return;
    const auto t = g->getGeometryType();
    if (isPolygonal(t)) {
      g = lr.validPolygonal(std::move(g), m.repaired);
      if (!g) return;
    } else if (!isPuntal(t) && !isLineal(t)) {
      lr.reject(RejectReason::WrongGeometryType,
                fmt::format("geometry is a {}; measures must be points, lines or polygons", OGRGeometryTypeToName(t)));
      return;
    }
    m.geom = toModelGeometry(*g);
    if (!lr.insideExtent(m.geom)) return;
    m.id = id_i >= 0 ? lr.src().text(id_i) : std::string();
    if (!lr.uniqueId(m.id, false)) return;
    m.kind = kind_i >= 0 ? lowerAscii(lr.src().text(kind_i)) : std::string();
    if (m.kind.empty()) m.kind = cfg.measure_kind.empty() ? "other" : cfg.measure_kind;
    std::string status = status_i >= 0 ? text::foldCase(lr.src().text(status_i)) : std::string();
    // Swedish status words of municipal action plans.
    if (status == "planerad" || status == "planerat") status = "planned";
    else if (status == "påbörjad" || status == "påbörjat" || status == "pågår") status = "started";
    else if (status == "klar" || status == "klart" || status == "utförd" || status == "utfört" || status == "genomförd")
      status = "done";
    if (!status.empty() && status != "planned" && status != "started" && status != "done")
      lr.warn("unknown_status:" + status);
    m.status = status;
    const auto d = lr.time(date_i, "date");
    if (!d.ok) return;
    m.date = d.empty ? kNoTime : d.r.t;
    m.radius = cfg.radius.value_or(NAN);
    if (radius_i >= 0 && !lr.src().field(radius_i).empty()) {
      const auto r = parseNumber(lr.src().field(radius_i), lr.allowComma());
      if (!r || *r < 0) {
        lr.reject(RejectReason::BadValue, fmt::format("radius '{}' is not a non-negative number (metres); fix the value",
                                                      lr.src().text(radius_i)));
        return;
      }
      m.radius = *r / lr.unitMetres();
    }
    if (m.repaired) ++lr.counts().repaired;
    res.rows.push_back(std::move(m));
    lr.loaded();
  });
  res.counts = lr.counts();
  return res;
}

model::LayerCounts readIncidents(const LayerConfig& cfg, const ReadOptions& opts,
                                 const std::function<void(std::vector<model::Incident>&)>& on_batch,
                                 const std::function<void(model::Rejected&&)>& on_rejected) {
  LayerReader lr(cfg, opts, model::LayerKind::Incidents, false);
  lr.setSink([&on_rejected](model::Rejected&& r) {
    if (on_rejected) on_rejected(std::move(r));
  });
  const int id_i = lr.column("id", {"source_id"});
  const int time_i = lr.column("time", {"datetime"});
  // A layer may map both: the instant when it is given, else the span
  // (police exports leave `time` empty when only from..to is known).
  const int from_i = lr.column("time_from");
  const int to_i = lr.column("time_to");
  const int cat_i = lr.column("category", {"kategori", "brottstyp", "type"});
  // Weights only on request (issue 10 item 3): a column that happens to be
  // called "weight" is not used unless `columns: {weight: ...}` names it.
  const int weight_i = lr.mappedColumn("weight");
  if (time_i < 0 && from_i < 0 && to_i < 0) lr.warn("no_time_column");
  if (cat_i < 0) lr.warn("no_category_column");
  CategoryResolver categories(cfg);
  const std::size_t batch_size = std::max<std::size_t>(opts.batch_size, 1);
  std::vector<model::Incident> batch;
  batch.reserve(batch_size);
  const std::uint32_t base_flags = cfg.low_precision ? model::kFlagLowPrecision : 0u;

  lr.run([&] {
    model::Incident inc;
    inc.row = lr.src().row();
    inc.flags = base_flags;
    auto pt = lr.point();
    if (!pt.ok) return;
    inc.pt = pt.p;
    if (id_i >= 0) {
      inc.source_id = lr.src().text(id_i);
      if (!lr.uniqueId(inc.source_id, true)) return;
    }
    // Time: an instant, or a span from..to.
    const bool has_span = (from_i >= 0 && !lr.src().field(from_i).empty()) ||
                          (to_i >= 0 && !lr.src().field(to_i).empty());
    if (time_i >= 0 && (!has_span || !lr.src().field(time_i).empty())) {
      const auto t = lr.time(time_i, "time");
      if (!t.ok) return;
      if (t.empty) {
        inc.flags |= model::kFlagNoTime;
        lr.warn("empty_time");
      } else {
        inc.t_from = inc.t_to = t.r.t;
      }
    } else if (from_i >= 0 || to_i >= 0) {
      const auto f = lr.time(from_i, "time_from");
      if (!f.ok) return;
      const auto t = lr.time(to_i, "time_to", true);  // a date-only `to` means the end of that day
      if (!t.ok) return;
      if (f.empty && t.empty) {
        inc.flags |= model::kFlagNoTime;
        lr.warn("empty_time");
      } else if (f.empty) {
        inc.t_from = inc.t_to = t.r.t;
      } else {
        inc.t_from = f.r.t;
        if (!t.empty) {
          inc.t_to = t.r.t;
        } else if (f.r.date_only) {  // a date alone: the whole day
          inc.t_to = lr.time(from_i, "time_from", true).r.t;
        } else {
          inc.t_to = inc.t_from;
        }
        if (inc.t_to < inc.t_from) {
          lr.reject(RejectReason::BadTime,
                    fmt::format("time_to '{}' is before time_from '{}'; swap or fix the two values",
                                lr.src().text(to_i), lr.src().text(from_i)));
          return;
        }
      }
      if (inc.t_to > inc.t_from) inc.flags |= model::kFlagTimeSpan;
    } else {
      inc.flags |= model::kFlagNoTime;
    }
    // Category.
    if (cat_i >= 0) {
      const auto word = lr.src().field(cat_i);
      if (word.empty()) {
        if (cfg.strict) {
          lr.reject(RejectReason::MissingValue,
                    "the category is empty and the layer is strict; fill it in or set strict: false to load it as "
                    "other");
          return;
        }
        lr.warn("empty_category");
        inc.category = Category::Other;
      } else {
        const auto& e = categories.resolve(word, [&] { return lr.src().text(cat_i); });
        inc.source_category = e.utf8;
        inc.category = e.category;
        if (!e.known) {
          if (cfg.strict) {
            lr.reject(RejectReason::UnknownCategory,
                      fmt::format("category '{}' is not in the layer's categories mapping (strict); add it, e.g. "
                                  "categories: {{\"{}\": vandalism}}, or set strict: false to load it as other",
                                  inc.source_category, inc.source_category));
            return;
          }
          lr.warn("unmapped_category:" + inc.source_category);
        }
      }
    }
    if (weight_i >= 0 && !lr.src().field(weight_i).empty()) {
      const auto w = parseNumber(lr.src().field(weight_i), lr.allowComma());
      if (!w || *w < 0) {
        lr.reject(RejectReason::BadValue,
                  fmt::format("weight '{}' is not a non-negative number; fix the value", lr.src().text(weight_i)));
        return;
      }
      inc.weight = *w;
    }
    batch.push_back(std::move(inc));
    lr.loaded();
    if (batch.size() >= batch_size) {
      on_batch(batch);
      batch.clear();
    }
  });
  if (!batch.empty()) {
    on_batch(batch);
    batch.clear();
  }
  return lr.counts();
}

}  // namespace trygg::data
