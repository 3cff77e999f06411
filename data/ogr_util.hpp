#pragma once
// Small RAII helpers around GDAL/OGR and GEOS for the readers: error capture
// (CPLError -> trygg::DataError naming the file), spatial references in
// traditional GIS axis order, coordinate transformation to the working CRS,
// ISO WKB output, and polygon repair with GEOS MakeValid (C API, reentrant).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include "core/model.hpp"
#include "core/types.hpp"

namespace trygg::data {

// Registers GDAL's drivers once (thread-safe).
void ensureGdalRegistered();

// While alive, GDAL errors on this thread are recorded instead of printed.
// GDAL error handlers are per thread, so this is safe with parallel readers.
class CplErrorCapture {
 public:
  CplErrorCapture();
  ~CplErrorCapture();
  CplErrorCapture(const CplErrorCapture&) = delete;
  CplErrorCapture& operator=(const CplErrorCapture&) = delete;

  bool failed() const { return !m_last_failure.empty(); }
  const std::string& lastFailure() const { return m_last_failure; }
  const std::vector<std::string>& warnings() const { return m_warnings; }
  void clear();
  // Throws DataError "<where>: <what>: <GDAL message>; <fix>" when a failure was
  // recorded (or always, when `force`).
  void throwIfFailed(std::string_view where, std::string_view what, std::string_view fix, bool force = false);

 private:
  friend struct CplErrorCaptureAccess;
  std::string m_last_failure;
  std::vector<std::string> m_warnings;
};

struct SrsDeleter {
  void operator()(OGRSpatialReference* s) const;
};
using SrsPtr = std::unique_ptr<OGRSpatialReference, SrsDeleter>;

// A spatial reference from a user string (EPSG:3006, WKT, PROJ string, ...) with
// OAMS_TRADITIONAL_GIS_ORDER. nullopt-like nullptr with `error` set on failure.
SrsPtr srsFromUserInput(const std::string& text, std::string* error = nullptr);
// A clone of a layer's SRS, with OAMS_TRADITIONAL_GIS_ORDER set on the clone.
SrsPtr srsClone(const OGRSpatialReference& srs);
std::string srsAuthId(const OGRSpatialReference& srs);  // "EPSG:3006" or ""
std::string srsWkt(const OGRSpatialReference& srs);

// Transformation from a source SRS to the working SRS; identity when both are the
// same CRS (no PROJ call at all, which keeps the common EPSG:3006 case fast).
class Transformer {
 public:
  Transformer(const OGRSpatialReference& src, const OGRSpatialReference& dst, const std::string& source_name);
  ~Transformer();
  Transformer(const Transformer&) = delete;
  Transformer& operator=(const Transformer&) = delete;
  bool identity() const { return m_ct == nullptr; }
  // In place; false when PROJ could not transform the point (or it is not finite).
  bool point(double& x, double& y) const;
  // In place; false on failure.
  bool geometry(OGRGeometry& g) const;

 private:
  OGRCoordinateTransformation* m_ct = nullptr;
};

// 2D ISO WKB, little endian, and the bbox.
model::Geometry toModelGeometry(const OGRGeometry& g);
model::Geometry pointGeometry(double x, double y);

// GEOS context for polygon validity and repair (one per reader call).
class GeosRepair {
 public:
  GeosRepair();
  ~GeosRepair();
  GeosRepair(const GeosRepair&) = delete;
  GeosRepair& operator=(const GeosRepair&) = delete;

  enum class Status { Valid, Repaired, Failed };
  struct Result {
    Status status = Status::Failed;
    std::unique_ptr<OGRGeometry> geom;  // the repaired polygonal geometry (when Repaired)
    std::string reason;                 // GEOS's validity reason, when invalid
  };
  // Checks a (multi)polygon; when invalid runs GEOSMakeValid and keeps the
  // polygonal parts. Failed when the repair leaves nothing polygonal.
  Result repairPolygonal(const OGRGeometry& g);
  // A point guaranteed to lie on the (multi)polygon's surface (GEOSPointOnSurface).
  std::optional<Point> pointOnSurface(const OGRGeometry& g);

 private:
  void* m_ctx = nullptr;  // GEOSContextHandle_t
  std::string m_last_error;
};

// True for (Multi)Polygon and curve polygons after linearisation.
bool isPolygonal(OGRwkbGeometryType t);
bool isPuntal(OGRwkbGeometryType t);
bool isLineal(OGRwkbGeometryType t);

// "PG:dbname=x password=secret" -> "PG:dbname=x password=***".
std::string redactConnection(const std::string& source);

}  // namespace trygg::data
