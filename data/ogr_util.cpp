#include "data/ogr_util.hpp"

#include <cmath>
#include <cstring>
#include <mutex>
#include <regex>

#include <cpl_error.h>
#include <gdal.h>
#include <geos_c.h>
#include <ogr_api.h>

#include "core/error.hpp"

namespace trygg::data {

void ensureGdalRegistered() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

struct CplErrorCaptureAccess {
  static void CPL_STDCALL handler(CPLErr err_class, CPLErrorNum /*err_no*/, const char* msg) {
    auto* self = static_cast<CplErrorCapture*>(CPLGetErrorHandlerUserData());
    if (self == nullptr) return;
    if (err_class == CE_Failure || err_class == CE_Fatal) self->m_last_failure = msg ? msg : "unknown GDAL error";
    else if (err_class == CE_Warning && self->m_warnings.size() < 100) self->m_warnings.emplace_back(msg ? msg : "");
  }
};

CplErrorCapture::CplErrorCapture() {
  CPLErrorReset();
  CPLPushErrorHandlerEx(&CplErrorCaptureAccess::handler, this);
}

CplErrorCapture::~CplErrorCapture() { CPLPopErrorHandler(); }

void CplErrorCapture::clear() {
  m_last_failure.clear();
  CPLErrorReset();
}

void CplErrorCapture::throwIfFailed(std::string_view where, std::string_view what, std::string_view fix, bool force) {
  if (!failed() && !force) return;
  const std::string msg = failed() ? m_last_failure : std::string("no further detail from GDAL");
  throwDataError("{}: {}: {}; {}", where, what, msg, fix);
}

void SrsDeleter::operator()(OGRSpatialReference* s) const {
  if (s != nullptr) s->Release();
}

SrsPtr srsFromUserInput(const std::string& text, std::string* error) {
  ensureGdalRegistered();
  CplErrorCapture capture;
  SrsPtr srs(new OGRSpatialReference());
  // Traditional GIS order: x = easting/longitude, y = northing/latitude, whatever
  // the EPSG database says about the CRS's axes. Never swap by code.
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  if (srs->SetFromUserInput(text.c_str()) != OGRERR_NONE) {
    if (error != nullptr) *error = capture.failed() ? capture.lastFailure() : "not a CRS GDAL/PROJ knows";
    return nullptr;
  }
  srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

SrsPtr srsClone(const OGRSpatialReference& srs) {
  SrsPtr c(srs.Clone());
  c->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  return c;
}

std::string srsAuthId(const OGRSpatialReference& srs) {
  const char* name = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (name != nullptr && code != nullptr) return std::string(name) + ":" + code;
  // ESRI .prj files often lack an authority; ask PROJ to identify it.
  OGRSpatialReference copy(srs);
  if (copy.AutoIdentifyEPSG() == OGRERR_NONE) {
    name = copy.GetAuthorityName(nullptr);
    code = copy.GetAuthorityCode(nullptr);
    if (name != nullptr && code != nullptr) return std::string(name) + ":" + code;
  }
  return {};
}

std::string srsWkt(const OGRSpatialReference& srs) {
  char* wkt = nullptr;
  const char* opts[] = {"FORMAT=WKT2_2019", nullptr};
  srs.exportToWkt(&wkt, opts);
  std::string out = wkt ? wkt : "";
  CPLFree(wkt);
  return out;
}

Transformer::Transformer(const OGRSpatialReference& src, const OGRSpatialReference& dst, const std::string& source_name) {
  if (src.IsSame(&dst)) return;
  CplErrorCapture capture;
  m_ct = OGRCreateCoordinateTransformation(&src, &dst);
  if (m_ct == nullptr)
    capture.throwIfFailed(source_name, "cannot transform from the layer's CRS to the working CRS",
                          "check the layer's crs (or the file's .prj) and the project's working CRS", true);
}

Transformer::~Transformer() { delete m_ct; }

bool Transformer::point(double& x, double& y) const {
  if (m_ct != nullptr) {
    int ok = 0;
    if (!m_ct->Transform(1, &x, &y, nullptr, &ok) || !ok) return false;
  }
  return std::isfinite(x) && std::isfinite(y);
}

bool Transformer::geometry(OGRGeometry& g) const {
  if (m_ct == nullptr) return true;
  return g.transform(m_ct) == OGRERR_NONE;
}

model::Geometry toModelGeometry(const OGRGeometry& g) {
  model::Geometry out;
  std::unique_ptr<OGRGeometry> flat;
  const OGRGeometry* src = &g;
  if (g.Is3D() || g.IsMeasured()) {
    flat.reset(g.clone());
    flat->flattenTo2D();
    src = flat.get();
  }
  out.wkb.resize(static_cast<std::size_t>(src->WkbSize()));
  src->exportToWkb(wkbNDR, out.wkb.data(), wkbVariantIso);
  OGREnvelope env;
  src->getEnvelope(&env);
  if (!src->IsEmpty()) {
    out.bbox.expand(env.MinX, env.MinY);
    out.bbox.expand(env.MaxX, env.MaxY);
  }
  return out;
}

model::Geometry pointGeometry(double x, double y) {
  model::Geometry out;
  out.wkb.resize(21);
  out.wkb[0] = 1;  // little endian
  const std::uint32_t type = 1;
  std::memcpy(out.wkb.data() + 1, &type, 4);  // host is little endian (x86-64, arm64)
  std::memcpy(out.wkb.data() + 5, &x, 8);
  std::memcpy(out.wkb.data() + 13, &y, 8);
  out.bbox.expand(x, y);
  return out;
}

namespace {

void geosMessage(const char* msg, void* user) {
  if (user != nullptr && msg != nullptr) *static_cast<std::string*>(user) = msg;
}

}  // namespace

GeosRepair::GeosRepair() {
  auto ctx = GEOS_init_r();
  GEOSContext_setErrorMessageHandler_r(ctx, &geosMessage, &m_last_error);
  GEOSContext_setNoticeMessageHandler_r(ctx, nullptr, nullptr);
  m_ctx = ctx;
}

GeosRepair::~GeosRepair() { GEOS_finish_r(static_cast<GEOSContextHandle_t>(m_ctx)); }

namespace {

struct GeosGeomDeleter {
  GEOSContextHandle_t ctx;
  void operator()(GEOSGeometry* g) const {
    if (g != nullptr) GEOSGeom_destroy_r(ctx, g);
  }
};
using GeosPtr = std::unique_ptr<GEOSGeometry, GeosGeomDeleter>;

GeosPtr toGeos(GEOSContextHandle_t ctx, const OGRGeometry& g) {
  std::vector<unsigned char> wkb(static_cast<std::size_t>(g.WkbSize()));
  g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
  return GeosPtr(GEOSGeomFromWKB_buf_r(ctx, wkb.data(), wkb.size()), GeosGeomDeleter{ctx});
}

std::unique_ptr<OGRGeometry> fromGeos(GEOSContextHandle_t ctx, const GEOSGeometry* g) {
  GEOSWKBWriter* w = GEOSWKBWriter_create_r(ctx);
  GEOSWKBWriter_setOutputDimension_r(ctx, w, 2);
  GEOSWKBWriter_setByteOrder_r(ctx, w, GEOS_WKB_NDR);
  GEOSWKBWriter_setFlavor_r(ctx, w, GEOS_WKB_ISO);
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(ctx, w, g, &size);
  GEOSWKBWriter_destroy_r(ctx, w);
  if (buf == nullptr) return nullptr;
  OGRGeometry* out = nullptr;
  OGRGeometryFactory::createFromWkb(buf, nullptr, &out, size, wkbVariantIso);
  GEOSFree_r(ctx, buf);
  return std::unique_ptr<OGRGeometry>(out);
}

void collectPolygons(const OGRGeometry* g, OGRMultiPolygon& out) {
  const auto t = wkbFlatten(g->getGeometryType());
  if (t == wkbPolygon) {
    if (!g->IsEmpty()) out.addGeometry(g);
  } else if (t == wkbMultiPolygon || t == wkbGeometryCollection) {
    const auto* c = g->toGeometryCollection();
    for (int i = 0; i < c->getNumGeometries(); ++i) collectPolygons(c->getGeometryRef(i), out);
  }
}

}  // namespace

GeosRepair::Result GeosRepair::repairPolygonal(const OGRGeometry& g) {
  auto ctx = static_cast<GEOSContextHandle_t>(m_ctx);
  Result r;
  m_last_error.clear();
  GeosPtr geom = toGeos(ctx, g);
  if (!geom) {
    r.reason = m_last_error.empty() ? "GEOS could not read the geometry" : m_last_error;
    return r;
  }
  const char valid = GEOSisValid_r(ctx, geom.get());
  if (valid == 1) {
    r.status = Status::Valid;
    return r;
  }
  if (char* why = GEOSisValidReason_r(ctx, geom.get())) {
    r.reason = why;
    GEOSFree_r(ctx, why);
  }
  GeosPtr fixed(GEOSMakeValid_r(ctx, geom.get()), GeosGeomDeleter{ctx});
  if (!fixed) return r;
  auto ogr = fromGeos(ctx, fixed.get());
  if (!ogr) return r;
  OGRMultiPolygon polys;
  collectPolygons(ogr.get(), polys);
  if (polys.IsEmpty() || polys.getNumGeometries() == 0) return r;
  if (polys.getNumGeometries() == 1) r.geom.reset(polys.getGeometryRef(0)->clone());
  else r.geom.reset(polys.clone());
  r.status = Status::Repaired;
  return r;
}

std::optional<Point> GeosRepair::pointOnSurface(const OGRGeometry& g) {
  auto ctx = static_cast<GEOSContextHandle_t>(m_ctx);
  GeosPtr geom = toGeos(ctx, g);
  if (!geom) return std::nullopt;
  GeosPtr pt(GEOSPointOnSurface_r(ctx, geom.get()), GeosGeomDeleter{ctx});
  if (!pt || GEOSisEmpty_r(ctx, pt.get()) != 0) return std::nullopt;
  Point p;
  if (GEOSGeomGetX_r(ctx, pt.get(), &p.x) != 1 || GEOSGeomGetY_r(ctx, pt.get(), &p.y) != 1) return std::nullopt;
  return p;
}

bool isPolygonal(OGRwkbGeometryType t) {
  const auto f = wkbFlatten(t);
  return f == wkbPolygon || f == wkbMultiPolygon || f == wkbCurvePolygon || f == wkbMultiSurface ||
         f == wkbPolyhedralSurface || f == wkbTIN || f == wkbTriangle;
}
bool isPuntal(OGRwkbGeometryType t) {
  const auto f = wkbFlatten(t);
  return f == wkbPoint || f == wkbMultiPoint;
}
bool isLineal(OGRwkbGeometryType t) {
  const auto f = wkbFlatten(t);
  return f == wkbLineString || f == wkbMultiLineString || f == wkbCircularString || f == wkbCompoundCurve ||
         f == wkbMultiCurve;
}

std::string redactConnection(const std::string& source) {
  static const std::regex kPassword(R"((password\s*=\s*)('[^']*'|\S+))", std::regex::icase);
  return std::regex_replace(source, kPassword, "$1***");
}

}  // namespace trygg::data
