#include "data/gpkg_writer.hpp"

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>

#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include "core/error.hpp"
#include "core/types.hpp"
#include "data/qml.hpp"
#include "data/rtree_bulk.hpp"

namespace trygg::data {
namespace fs = std::filesystem;

namespace {

constexpr const char* kGeomColumn = "geom";
constexpr const char* kMetadataTable = "trygg_metadata";
constexpr const char* kStylesTable = "layer_styles";

void registerGdal() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string lastGdalError() {
  const char* msg = CPLGetLastErrorMsg();
  return (msg && *msg) ? msg : "no message from GDAL";
}

OGRwkbGeometryType ogrType(GeomType g) {
  switch (g) {
    case GeomType::None: return wkbNone;
    case GeomType::Point: return wkbPoint;
    case GeomType::LineString: return wkbLineString;
    case GeomType::Polygon: return wkbPolygon;
    case GeomType::MultiPolygon: return wkbMultiPolygon;
    case GeomType::Geometry: return wkbUnknown;
  }
  return wkbUnknown;
}

OGRFieldType ogrFieldType(FieldType t) {
  switch (t) {
    case FieldType::Integer: return OFTInteger;
    case FieldType::Integer64: return OFTInteger64;
    case FieldType::Real: return OFTReal;
    case FieldType::String: return OFTString;
    case FieldType::DateTime: return OFTDateTime;
    case FieldType::Boolean: return OFTInteger;
  }
  return OFTString;
}

// The §10 schema, exactly as QGIS creates it.
constexpr const char* kCreateStyles =
    "CREATE TABLE layer_styles ("
    "id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT, f_table_schema TEXT, "
    "f_table_name TEXT, f_geometry_column TEXT, styleName TEXT, styleQML TEXT, styleSLD TEXT, "
    "useAsDefault BOOLEAN, description TEXT, owner TEXT, ui TEXT, "
    "update_time DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))";

class Sqlite {
 public:
  explicit Sqlite(const fs::path& p) {
    if (sqlite3_open_v2(p.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
      const std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
      sqlite3_close(m_db);
      throwDataError("cannot reopen '{}' to write styles: {}", p.string(), msg);
    }
  }
  ~Sqlite() { sqlite3_close(m_db); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "";
      sqlite3_free(err);
      throw Error("GeoPackage styles: SQL failed (" + msg + "): " + sql.substr(0, 120));
    }
  }
  sqlite3* get() { return m_db; }

 private:
  sqlite3* m_db = nullptr;
};

// Little-endian 2D point WKB (the common case, 21 bytes) without a generic parse.
bool fastPoint(std::span<const std::uint8_t> wkb, double& x, double& y) {
  if constexpr (std::endian::native != std::endian::little) return false;
  if (wkb.size() != 21 || wkb[0] != 1) return false;
  std::uint32_t type = 0;
  std::memcpy(&type, wkb.data() + 1, 4);
  if (type != 1) return false;
  std::memcpy(&x, wkb.data() + 5, 8);
  std::memcpy(&y, wkb.data() + 13, 8);
  return !(std::isnan(x) || std::isnan(y));  // POINT EMPTY takes the generic path
}

std::string xmlAttr(std::string_view v) {
  std::string out;
  for (char c : v) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

// GDAL 3.6's GPKG driver does not store field alternative names (3.7 does,
// in gpkg_data_columns), so the aliases travel in the style, where QGIS reads
// them (<aliases>, as QgsVectorLayer writes them).
std::string withAliases(const std::string& qml, const std::vector<FieldDef>& fields) {
  std::string aliases;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (!fields[i].alias.empty())
      aliases += "  <alias field=\"" + xmlAttr(fields[i].name) + "\" index=\"" + std::to_string(i + 1) +
                 "\" name=\"" + xmlAttr(fields[i].alias) + "\"/>\n";
  const auto end = qml.rfind("</qgis>");
  if (aliases.empty() || end == std::string::npos || qml.find("<aliases>") != std::string::npos) return qml;
  return qml.substr(0, end) + " <aliases>\n" + aliases + " </aliases>\n" + qml.substr(end);
}

}  // namespace

std::string isoUtc(std::int64_t epoch_seconds) {
  using namespace std::chrono;
  const sys_seconds tp{seconds{epoch_seconds}};
  const auto day = floor<days>(tp);
  const year_month_day ymd{day};
  const hh_mm_ss hms{tp - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long>(hms.hours().count()), static_cast<long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

// ---------------------------------------------------------------- Layer

GpkgWriter::Layer::Layer(GpkgWriter& writer, OGRLayer* layer, LayerSpec spec)
    : m_writer(writer),
      m_layer(layer),
      m_spec(std::move(spec)),
      m_feature(new OGRFeature(layer->GetLayerDefn()), [](OGRFeature* f) { OGRFeature::DestroyFeature(f); }) {}

GpkgWriter::Layer::~Layer() = default;

void GpkgWriter::Layer::add(std::span<const std::uint8_t> wkb, std::span<const Value> values) {
  if (values.size() != m_spec.fields.size())
    throwUsageError("GeoPackage layer '{}': {} values given for {} fields", m_spec.name, values.size(),
                    m_spec.fields.size());
  OGRFeature& f = *m_feature;
  f.SetFID(OGRNullFID);

  if (wkb.empty()) {
    f.SetGeometryDirectly(nullptr);
  } else {
    if (m_spec.geom == GeomType::None)
      throwUsageError("GeoPackage layer '{}' is an attribute table; it takes no geometry", m_spec.name);
    double x = 0, y = 0;
    OGRGeometry* g = nullptr;
    if (fastPoint(wkb, x, y)) {
      g = new OGRPoint(x, y);
    } else {
      if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || !g)
        throwDataError("GeoPackage layer '{}', feature {}: the geometry is not valid WKB ({} bytes)", m_spec.name,
                       m_count + 1, wkb.size());
      // A polygon in a multipolygon layer: GeoPackage readers expect the declared type.
      if (m_spec.geom == GeomType::MultiPolygon && wkbFlatten(g->getGeometryType()) == wkbPolygon)
        g = OGRGeometryFactory::forceToMultiPolygon(g);
    }
    g->assignSpatialReference(m_writer.m_srs.get());
    f.SetGeometryDirectly(g);
  }
  const OGRGeometry* geom = f.GetGeometryRef();

  for (std::size_t i = 0; i < values.size(); ++i) {
    const int idx = static_cast<int>(i);
    const FieldType type = m_spec.fields[i].type;
    const Value& v = values[i];
    if (std::holds_alternative<std::monostate>(v)) {
      f.SetFieldNull(idx);
    } else if (const auto* n = std::get_if<std::int64_t>(&v)) {
      if (type == FieldType::DateTime) {
        if (*n == kNoTime) {
          f.SetFieldNull(idx);
        } else {
          const std::string iso = isoUtc(*n);
          f.SetField(idx, iso.c_str());
        }
      } else if (type == FieldType::Real) {
        f.SetField(idx, static_cast<double>(*n));
      } else if (type == FieldType::String) {
        f.SetField(idx, std::to_string(*n).c_str());
      } else {
        f.SetField(idx, static_cast<GIntBig>(*n));
      }
    } else if (const auto* d = std::get_if<double>(&v)) {
      if (type == FieldType::String)
        f.SetField(idx, fmt::format("{}", *d).c_str());
      else
        f.SetField(idx, *d);
    } else {
      f.SetField(idx, std::get<std::string>(v).c_str());
    }
  }

  if (m_layer->CreateFeature(&f) != OGRERR_NONE)
    throwDataError("GeoPackage layer '{}', feature {}: cannot write it: {}", m_spec.name, m_count + 1,
                   lastGdalError());
  // The R-tree entry, as GeoPackage's triggers would make it (no NULL or empty geometries).
  if (m_spec.spatial_index && geom && !geom->IsEmpty()) {
    OGREnvelope env;
    geom->getEnvelope(&env);
    m_boxes.push_back({f.GetFID(), outwardBox(env.MinX, env.MaxX, env.MinY, env.MaxY)});
  }
  ++m_count;
  m_writer.featureAdded();
}

// ---------------------------------------------------------------- GpkgWriter

GpkgWriter::GpkgWriter(const fs::path& out, const std::string& crs_wkt)
    : m_out(out), m_srs(std::make_unique<OGRSpatialReference>()) {
  registerGdal();
  if (crs_wkt.empty())
    throwUsageError("GeoPackage '{}': no CRS given; the working CRS is required (for example EPSG:3006)",
                    out.string());
  m_srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  CPLErrorReset();
  if (m_srs->SetFromUserInput(crs_wkt.c_str()) != OGRERR_NONE)
    throwUsageError("GeoPackage '{}': the CRS is not understood by GDAL ({}): {}", out.string(), lastGdalError(),
                    crs_wkt.substr(0, 80));

  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
  if (!drv) throw Error("GDAL was built without the GPKG driver");
  CPLErrorReset();
  m_ds = drv->Create(m_out.tempPath().c_str(), 0, 0, 0, GDT_Unknown, nullptr);
  if (!m_ds)
    throwDataError("cannot create GeoPackage '{}': {}; check that the folder is writable", out.string(),
                   lastGdalError());
}

GpkgWriter::~GpkgWriter() {
  // Without commit(): close, and AtomicOutput's destructor removes the temporary file.
  m_layers.clear();
  if (m_ds) {
    // The file is thrown away: GDAL's complaints about rolled-back deferred
    // tables are noise here.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    if (m_in_transaction) m_ds->RollbackTransaction();
    GDALClose(m_ds);
    CPLPopErrorHandler();
    m_ds = nullptr;
  }
}

void GpkgWriter::beginTransaction() {
  if (m_in_transaction) return;
  if (m_ds->StartTransaction() != OGRERR_NONE)
    throw Error("GeoPackage '" + path().string() + "': cannot start a transaction: " + lastGdalError());
  m_in_transaction = true;
  m_pending = 0;
}

void GpkgWriter::endTransaction() {
  if (!m_in_transaction) return;
  m_in_transaction = false;
  if (m_ds->CommitTransaction() != OGRERR_NONE)
    throwDataError("GeoPackage '{}': cannot commit: {}; check free disk space", path().string(), lastGdalError());
}

void GpkgWriter::featureAdded() {
  if (++m_pending >= kBatch) {
    endTransaction();
    beginTransaction();
  }
}

GpkgWriter::Layer& GpkgWriter::createLayer(const LayerSpec& spec) {
  if (!m_ds) throw Error("GpkgWriter::createLayer after commit");
  if (spec.name.empty()) throwUsageError("GeoPackage '{}': a layer needs a name", path().string());
  if (spec.name == kStylesTable || spec.name == kMetadataTable)
    throwUsageError("GeoPackage '{}': the layer name '{}' is reserved", path().string(), spec.name);
  for (const auto& l : m_layers)
    if (l->spec().name == spec.name)
      throwUsageError("GeoPackage '{}': layer '{}' created twice", path().string(), spec.name);
  std::set<std::string> names;
  for (const auto& fd : spec.fields)
    if (!names.insert(fd.name).second || fd.name == kGeomColumn || fd.name == "fid" || fd.name.empty())
      throwUsageError("GeoPackage layer '{}': field name '{}' is empty, reserved or used twice", spec.name,
                      fd.name);

  // The style must fit the fields it draws (checked before the table exists): category
  // values as QGIS reads them (booleans as true/false), no renderer or label on a
  // missing field.
  LayerSpec adapted = spec;
  adapted.style_qml = adaptStyleToFields(spec.style_qml, spec.fields, spec.geom, spec.name);
  return makeLayer(adapted);
}

GpkgWriter::Layer& GpkgWriter::makeLayer(const LayerSpec& spec) {
  endTransaction();  // create tables outside a feature batch
  CPLStringList opts;
  opts.SetNameValue("FID", "fid");
  if (spec.geom != GeomType::None) {
    opts.SetNameValue("GEOMETRY_NAME", kGeomColumn);
    opts.SetNameValue("SPATIAL_INDEX", "NO");  // bulk-loaded at commit (writeSpatialIndexes)
  }
  opts.SetNameValue("IDENTIFIER", spec.title.empty() ? spec.name.c_str() : spec.title.c_str());
  if (!spec.description.empty()) opts.SetNameValue("DESCRIPTION", spec.description.c_str());
  CPLErrorReset();
  OGRLayer* layer = m_ds->CreateLayer(spec.name.c_str(), spec.geom == GeomType::None ? nullptr : m_srs.get(),
                                      ogrType(spec.geom), opts.List());
  if (!layer)
    throwDataError("GeoPackage '{}': cannot create layer '{}': {}", path().string(), spec.name, lastGdalError());
  for (const auto& fd : spec.fields) {
    OGRFieldDefn defn(fd.name.c_str(), ogrFieldType(fd.type));
    if (fd.type == FieldType::Boolean) defn.SetSubType(OFSTBoolean);
    if (!fd.alias.empty()) defn.SetAlternativeName(fd.alias.c_str());
    if (layer->CreateField(&defn) != OGRERR_NONE)
      throwDataError("GeoPackage layer '{}': cannot create field '{}': {}", spec.name, fd.name, lastGdalError());
  }
  m_layers.push_back(std::unique_ptr<Layer>(new Layer(*this, layer, spec)));
  beginTransaction();
  return *m_layers.back();
}

std::vector<std::string> GpkgWriter::layerNames() const {
  std::vector<std::string> out;
  for (const auto& l : m_layers) out.push_back(l->spec().name);
  return out;
}

void GpkgWriter::dropLayer(const std::string& name) {
  if (!m_ds) throw Error("GpkgWriter::dropLayer after commit");
  endTransaction();
  for (int i = 0; i < m_ds->GetLayerCount(); ++i)
    if (name == m_ds->GetLayer(i)->GetName()) {
      if (m_ds->DeleteLayer(i) != OGRERR_NONE)
        throw Error(fmt::format("GeoPackage '{}': cannot drop layer '{}': {}", path().string(), name, lastGdalError()));
      break;
    }
  std::erase_if(m_layers, [&](const auto& l) { return l->spec().name == name; });
  beginTransaction();
}

std::vector<std::string> GpkgWriter::copyLayersFrom(const fs::path& other, const std::vector<std::string>& names) {
  if (!m_ds) throw Error("GpkgWriter::copyLayersFrom after commit");
  std::vector<std::string> copied;
  if (names.empty()) return copied;
  GDALDataset* src = static_cast<GDALDataset*>(
      GDALOpenEx(other.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!src) return copied;  // no previous output: nothing to keep
  endTransaction();
  for (const auto& name : names) {
    OGRLayer* l = src->GetLayerByName(name.c_str());
    if (!l || m_ds->GetLayerByName(name.c_str())) continue;
    CPLStringList opts;
    opts.SetNameValue("FID", "fid");
    if (l->GetGeomType() != wkbNone) opts.SetNameValue("GEOMETRY_NAME", kGeomColumn);
    CPLErrorReset();
    if (!m_ds->CopyLayer(l, name.c_str(), opts.List())) {
      GDALClose(src);
      throwDataError("GeoPackage '{}': cannot keep layer '{}' of the previous run: {}", path().string(), name,
                     lastGdalError());
    }
    copied.push_back(name);
  }
  GDALClose(src);
  // Their default styles, written with the others at commit.
  sqlite3* db = nullptr;
  if (!copied.empty() && sqlite3_open_v2(other.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db,
                           "SELECT f_table_name, f_geometry_column, styleName, styleQML, description FROM layer_styles "
                           "WHERE f_table_name = ? AND useAsDefault ORDER BY id DESC LIMIT 1",
                           -1, &st, nullptr) == SQLITE_OK) {
      auto col = [&](int i) {
        const auto* t = sqlite3_column_text(st, i);
        return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
      };
      for (const auto& name : copied) {
        sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_ROW) m_copied_styles.push_back({col(0), col(1), col(2), col(3), col(4)});
        sqlite3_reset(st);
      }
    }
    sqlite3_finalize(st);
  }
  if (db) sqlite3_close(db);
  beginTransaction();
  return copied;
}

void GpkgWriter::setMetadata(const std::string& key, const std::string& json_or_text) {
  if (!m_ds) throw Error("GpkgWriter::setMetadata after commit");
  m_metadata[key] = json_or_text;
}

void GpkgWriter::closeDataset() {
  endTransaction();
  for (auto& l : m_layers)
    if (l->m_spec.spatial_index && l->m_spec.geom != GeomType::None)
      m_rtrees.push_back({l->m_spec.name, std::move(l->m_boxes)});
  m_layers.clear();
  CPLErrorReset();
  GDALClose(m_ds);  // writes the deferred spatial indexes
  m_ds = nullptr;
  if (CPLGetLastErrorType() >= CE_Failure)
    throwDataError("GeoPackage '{}': closing failed: {}", path().string(), lastGdalError());
}

// The GeoPackage R-tree extension (spec §F.3) of every indexed layer, as GDAL
// writes it (virtual table, the six triggers, the gpkg_extensions row), with
// the tree bulk-loaded (data/rtree_bulk.hpp): GDAL 3.6 fills it row by row when
// the file is closed, about 20 µs a feature.
void GpkgWriter::writeSpatialIndexes(sqlite3* db) {
  auto exec = [&](const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "";
      sqlite3_free(err);
      throwDataError("GeoPackage '{}': cannot write the spatial index ({}); check free disk space", path().string(),
                     msg);
    }
  };
  if (!m_rtrees.empty())
    exec("CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, "
         "definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, "
         "extension_name))");
  for (auto& [table, boxes] : m_rtrees) {
    const std::string t = table, g = kGeomColumn, r = fmt::format("rtree_{}_{}", t, g);
    const std::string ins = fmt::format(
        "INSERT OR REPLACE INTO \"{0}\" VALUES (NEW.\"fid\",ST_MinX(NEW.\"{1}\"), ST_MaxX(NEW.\"{1}\"),"
        "ST_MinY(NEW.\"{1}\"), ST_MaxY(NEW.\"{1}\"));", r, g);
    exec(fmt::format("CREATE VIRTUAL TABLE \"{}\" USING rtree(id, minx, maxx, miny, maxy)", r));
    sortHilbert(boxes);
    bulkLoadRtree(db, r, boxes);
    std::vector<RtreeEntry>().swap(boxes);
    exec(fmt::format(
        "CREATE TRIGGER \"{0}_insert\" AFTER INSERT ON \"{1}\" WHEN (new.\"{2}\" NOT NULL AND NOT "
        "ST_IsEmpty(NEW.\"{2}\")) BEGIN {3} END;"
        "CREATE TRIGGER \"{0}_update1\" AFTER UPDATE OF \"{2}\" ON \"{1}\" WHEN OLD.\"fid\" = NEW.\"fid\" AND "
        "(NEW.\"{2}\" NOTNULL AND NOT ST_IsEmpty(NEW.\"{2}\")) BEGIN {3} END;"
        "CREATE TRIGGER \"{0}_update2\" AFTER UPDATE OF \"{2}\" ON \"{1}\" WHEN OLD.\"fid\" = NEW.\"fid\" AND "
        "(NEW.\"{2}\" ISNULL OR ST_IsEmpty(NEW.\"{2}\")) BEGIN DELETE FROM \"{0}\" WHERE id = OLD.\"fid\"; END;"
        "CREATE TRIGGER \"{0}_update3\" AFTER UPDATE ON \"{1}\" WHEN OLD.\"fid\" != NEW.\"fid\" AND "
        "(NEW.\"{2}\" NOTNULL AND NOT ST_IsEmpty(NEW.\"{2}\")) BEGIN DELETE FROM \"{0}\" WHERE id = OLD.\"fid\"; {3} END;"
        "CREATE TRIGGER \"{0}_update4\" AFTER UPDATE ON \"{1}\" WHEN OLD.\"fid\" != NEW.\"fid\" AND "
        "(NEW.\"{2}\" ISNULL OR ST_IsEmpty(NEW.\"{2}\")) BEGIN DELETE FROM \"{0}\" WHERE id IN (OLD.\"fid\", "
        "NEW.\"fid\"); END;"
        "CREATE TRIGGER \"{0}_delete\" AFTER DELETE ON \"{1}\" WHEN old.\"{2}\" NOT NULL BEGIN DELETE FROM "
        "\"{0}\" WHERE id = OLD.\"fid\"; END;",
        r, t, g, ins));
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT INTO gpkg_extensions(table_name, column_name, extension_name, definition, scope) "
                       "VALUES (?, ?, 'gpkg_rtree_index', 'http://www.geopackage.org/spec120/#extension_rtree', "
                       "'write-only')",
                       -1, &st, nullptr);
    sqlite3_bind_text(st, 1, t.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, g.c_str(), -1, SQLITE_TRANSIENT);
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
      throwDataError("GeoPackage '{}': cannot register the spatial index of '{}': {}", path().string(), t,
                     sqlite3_errmsg(db));
  }
  m_rtrees.clear();
}

void GpkgWriter::commit() {
  if (!m_ds) throw Error("GpkgWriter::commit called twice");
  if (!m_metadata.empty()) {
    Layer& meta = makeLayer(LayerSpec{.name = kMetadataTable,
                                      .geom = GeomType::None,
                                      .fields = {{"key", FieldType::String}, {"value", FieldType::String}},
                                      .description = "trygg run metadata (key, value)"});
    for (const auto& [k, v] : m_metadata) {
      const Value row[2] = {k, v};
      meta.add({}, row);
    }
  }
  struct StyleRow {
    std::string table, geom_column, name, qml, description;
  };
  std::vector<StyleRow> styles;
  for (const auto& l : m_layers) {
    const LayerSpec& s = l->spec();
    if (s.style_qml.empty()) continue;
    styles.push_back({s.name, s.geom == GeomType::None ? "" : kGeomColumn, s.style_name.empty() ? s.name : s.style_name,
                      withAliases(s.style_qml, s.fields), s.description});
  }
  for (const auto& c : m_copied_styles) styles.push_back({c.table, c.geom_column, c.name, c.qml, c.description});
  closeDataset();

  Sqlite db(m_out.tempPath());
  db.exec("BEGIN");
  writeSpatialIndexes(db.get());
  if (!styles.empty()) {
    db.exec(kCreateStyles);
    db.exec("INSERT INTO gpkg_contents(table_name, data_type, identifier, description) "
            "VALUES ('layer_styles','attributes','layer_styles','QGIS layer styles (QML)')");
    sqlite3_stmt* st = nullptr;
    const char* sql =
        "INSERT INTO layer_styles(f_table_catalog, f_table_schema, f_table_name, f_geometry_column, styleName, "
        "styleQML, styleSLD, useAsDefault, description, owner) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, 'trygg')";
    if (sqlite3_prepare_v2(db.get(), sql, -1, &st, nullptr) != SQLITE_OK)
      throw Error(std::string("GeoPackage styles: ") + sqlite3_errmsg(db.get()));
    for (const auto& r : styles) {
      sqlite3_bind_text(st, 1, r.table.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, r.geom_column.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, r.name.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 4, r.qml.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 5, r.description.c_str(), -1, SQLITE_TRANSIENT);
      const int rc = sqlite3_step(st);
      sqlite3_reset(st);
      if (rc != SQLITE_DONE) {
        const std::string msg = sqlite3_errmsg(db.get());
        sqlite3_finalize(st);
        throwDataError("GeoPackage '{}': cannot store the style of '{}': {}", path().string(), r.table, msg);
      }
    }
    sqlite3_finalize(st);
  }
  db.exec("COMMIT");
  m_out.commit();
}

}  // namespace trygg::data
