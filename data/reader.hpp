#pragma once
// Readers of the input layers: every source row becomes a model record or a
// model::Rejected with a reason and a message that names file, row, problem and
// fix — never lost. counts.read == counts.loaded + counts.rejected, always.
//
// Sources: anything GDAL/OGR opens (GeoPackage, Shapefile, GeoJSON, FlatGeobuf,
// PostGIS "PG:" connections, ...) and CSV files (own streaming parser; x/y, lon/lat
// or WKT columns). docs/data-formats.md documents columns, times, encodings and
// every rejection reason.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "core/progress.hpp"
#include "core/types.hpp"
#include "data/layer_config.hpp"

namespace trygg::data {

struct ReadOptions {
  std::string working_crs;            // user CRS string ("EPSG:3006") or WKT; the target of every transform
  std::optional<BBox> extent;         // in the working CRS; features wholly outside -> Rejected(OutsideExtent)
  Progress* progress = nullptr;       // may be null; the reader only calls update() (the caller begins/ends the step)
  std::size_t batch_size = 65536;     // incidents per on_batch call
};

struct LayerInfo {
  std::string crs_wkt;
  std::string crs_authid;
  bool crs_projected = false;
  bool has_crs = false;
  BBox bbox;                          // in the source CRS; empty for CSV (not known without a full read)
  std::int64_t feature_count = -1;    // -1 when not known cheaply (CSV)
  std::string geometry_type;          // OGR's name ("Polygon", "Point", ...); CSV: "Point" or "Unknown" (WKT)
};

// Network access (docs/project-file.md, `network`): trygg is offline by
// default. setNetworkAccess(false) turns GDAL's and PROJ's network access off
// for the whole process: CPLHTTPFetch answers every request with an error, the
// /vsicurl/ family (also /vsis3/, /vsigs/, ...) sees no remote file, PROJ does
// not download grids; and the readers refuse network sources with a message
// saying how to allow them. setNetworkAccess(true) undoes it.
void setNetworkAccess(bool allow);
bool networkAccessAllowed();
// Whether a layer source reaches the network when opened: URLs (http://,
// https://, ftp://, s3://, ...), GDAL's network file systems (/vsicurl/,
// /vsis3/, /vsigs/, /vsiaz/, /vsiadls/, /vsioss/, /vsiswift/, /vsiwebhdfs/,
// /vsihdfs/) and database or service connections (PG:, MySQL:, OCI:, MSSQL:,
// ODBC:, WFS:, OAPIF:, WMS:, ...).
bool sourceUsesNetwork(std::string_view source);
// Throws UsageError naming the layer when its source uses the network and
// network access is off.
void refuseNetworkSourceWhenOffline(const LayerConfig& cfg);

// Cheap: opens the dataset, no full read. The CRS is cfg.crs when set, else the
// layer's own (CSV: EPSG:4326 for lon/lat columns). Throws DataError when the
// source cannot be opened or the layer does not exist.
LayerInfo probeLayer(const LayerConfig& cfg);

template <class T>
struct ReadResult {
  std::vector<T> rows;
  std::vector<model::Rejected> rejected;
  model::LayerCounts counts;
};

// Places: radius = a `radius` column (metres) when filled, else cfg.radius (already
// in working-CRS units, converted by the engine), else 50 m; both metre values are
// converted to working-CRS units here. Measures likewise, without a default (NaN).
ReadResult<model::Area> readAreas(const LayerConfig& cfg, const ReadOptions& opts);
ReadResult<model::Place> readPlaces(const LayerConfig& cfg, const ReadOptions& opts);
ReadResult<model::Observation> readObservations(const LayerConfig& cfg, const ReadOptions& opts);
ReadResult<model::Perception> readPerception(const LayerConfig& cfg, const ReadOptions& opts);
ReadResult<model::Measure> readMeasures(const LayerConfig& cfg, const ReadOptions& opts);

// Incidents stream: on_batch receives up to opts.batch_size incidents at a time
// (it may move them out; the vector is cleared afterwards), on_rejected every
// rejected row as it is found. Memory stays bounded by the batch size plus an
// 12-byte-per-row duplicate-id table when an id column is mapped.
model::LayerCounts readIncidents(const LayerConfig& cfg, const ReadOptions& opts,
                                 const std::function<void(std::vector<model::Incident>&)>& on_batch,
                                 const std::function<void(model::Rejected&&)>& on_rejected);

// Observation ratings onto 0..20 (0 alarming, 20 good) by cfg.rating_scale;
// nullopt when the text is not a rating on that scale. Exposed for tests and
// for the rule engine's documentation.
std::optional<double> mapRating(std::string_view text, const std::string& scale, bool higher_is_better);

}  // namespace trygg::data
