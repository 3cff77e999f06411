#pragma once
// GeoPackage output through GDAL's GPKG driver, QGIS-ready: every layer can
// carry a QML style that is stored in the `layer_styles` table (schema in
// METHODS.md §10, the one QGIS itself writes), registered in gpkg_contents,
// with one useAsDefault row per styled layer, so QGIS opens each layer styled.
//
// The file is written to a temporary file beside the target and renamed into
// place by commit(); a writer destroyed without commit() leaves the previous
// file untouched (data/atomic_file.hpp).
//
//   GpkgWriter w("out/result.gpkg", crs_wkt);
//   auto& inc = w.createLayer({.name = "incidents", .geom = GeomType::Point,
//                              .fields = {{"category", FieldType::String}},
//                              .style_qml = qmlIncidentCategories(GeomType::Point)});
//   inc.add(wkb, values);
//   w.setMetadata("run", json);
//   w.commit();
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "data/atomic_file.hpp"
#include "data/rtree_bulk.hpp"

class GDALDataset;
class OGRLayer;
class OGRFeature;
class OGRSpatialReference;
struct sqlite3;

namespace trygg::data {

enum class FieldType {
  Integer,
  Integer64,
  Real,
  String,
  DateTime,  // give EpochSeconds (int64; kNoTime = NULL) or an ISO string; stored as ISO 8601 UTC
  Boolean,   // give 0/1 (int64)
};

struct FieldDef {
  std::string name;
  FieldType type = FieldType::String;
  std::string alias = {};  // shown by QGIS instead of the name (stored in the layer's style: GDAL 3.6
                           // writes no gpkg_data_columns); needs a style_qml to travel
};

enum class GeomType {
  None,  // attribute table (gpkg_contents data_type 'attributes')
  Point,
  LineString,
  Polygon,
  MultiPolygon,
  Geometry,  // any type (styles: not supported, see data/qml.hpp)
};

using Value = std::variant<std::monostate /* NULL */, std::int64_t, double, std::string>;

struct LayerSpec {
  std::string name;
  GeomType geom = GeomType::Point;
  std::vector<FieldDef> fields;
  std::string title;        // gpkg_contents.identifier (default: name)
  std::string description;  // gpkg_contents.description
  std::string style_qml;    // "" = no style; adapted to the fields at createLayer (data/qml.hpp
                            // adaptStyleToFields), which throws Error when it does not fit them
  std::string style_name;   // layer_styles.styleName (default: name)
  // The GeoPackage R-tree on the geometry (QGIS draws and selects large layers
  // faster), bulk-loaded at commit (data/rtree_bulk.hpp): 1M points in well
  // under a second, where GDAL 3.6 takes about 20 µs a feature.
  bool spatial_index = true;
};

class GpkgWriter {
 public:
  class Layer {
   public:
    ~Layer();
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;
    // One feature. wkb: ISO/OGC WKB (little or big endian) in the writer's CRS,
    // empty for attribute tables or a NULL geometry. values: one per field, in
    // the order of LayerSpec::fields. Throws UsageError on a count mismatch or
    // a geometry in an attribute table, DataError on bad WKB.
    void add(std::span<const std::uint8_t> wkb, std::span<const Value> values);
    std::int64_t count() const { return m_count; }
    const LayerSpec& spec() const { return m_spec; }

   private:
    friend class GpkgWriter;
    Layer(GpkgWriter& writer, OGRLayer* layer, LayerSpec spec);
    GpkgWriter& m_writer;
    OGRLayer* m_layer;
    LayerSpec m_spec;
    std::unique_ptr<OGRFeature, void (*)(OGRFeature*)> m_feature;
    std::int64_t m_count = 0;
    std::vector<RtreeEntry> m_boxes;  // the spatial index's entries, written at commit
  };

  // crs_wkt: the working CRS as WKT (or anything OGRSpatialReference::SetFromUserInput
  // accepts, such as "EPSG:3006"); kept as is, with GIS (x = easting) axis order.
  GpkgWriter(const std::filesystem::path& out, const std::string& crs_wkt);
  ~GpkgWriter();
  GpkgWriter(const GpkgWriter&) = delete;
  GpkgWriter& operator=(const GpkgWriter&) = delete;

  Layer& createLayer(const LayerSpec& spec);
  // Stored in the `trygg_metadata` attribute table (key, value) at commit; a
  // key set twice keeps the last value.
  void setMetadata(const std::string& key, const std::string& json_or_text);
  // Writes the metadata and layer_styles tables, closes the file and renames it
  // over the target. The writer is unusable afterwards.
  void commit();

  const std::filesystem::path& path() const { return m_out.targetPath(); }
  // Names of the layers created so far, in order.
  std::vector<std::string> layerNames() const;
  // Removes a layer created by this writer (an analysis that failed half-way).
  void dropLayer(const std::string& name);
  // Copies the named layers (features, fields, CRS and their default QGIS style)
  // from another GeoPackage, typically the previous run's output kept by
  // `trygg run --only`. Layers missing there are skipped; returns the copied ones.
  std::vector<std::string> copyLayersFrom(const std::filesystem::path& other, const std::vector<std::string>& names);

  // Features per transaction.
  static constexpr std::int64_t kBatch = 100'000;

 private:
  Layer& makeLayer(const LayerSpec& spec);
  void featureAdded();
  void endTransaction();
  void beginTransaction();
  void closeDataset();
  void writeSpatialIndexes(sqlite3* db);

  AtomicOutput m_out;
  std::unique_ptr<OGRSpatialReference> m_srs;
  GDALDataset* m_ds = nullptr;
  bool m_in_transaction = false;
  std::int64_t m_pending = 0;
  std::vector<std::unique_ptr<Layer>> m_layers;
  std::map<std::string, std::string> m_metadata;
  std::vector<std::pair<std::string, std::vector<RtreeEntry>>> m_rtrees;  // per indexed layer, at close
  struct CopiedStyle {
    std::string table, geom_column, name, qml, description;
  };
  std::vector<CopiedStyle> m_copied_styles;
};

// Convert EpochSeconds to "YYYY-MM-DDTHH:MM:SSZ".
std::string isoUtc(std::int64_t epoch_seconds);

}  // namespace trygg::data
