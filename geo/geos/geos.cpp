// GEOS C API wrapper (GEOS >= 3.11), reentrant functions only.
#include "geo/geos/geos.hpp"

#include <geos_c.h>

#include <memory>
#include <string>

#include "core/error.hpp"

namespace trygg::geo {
namespace {

// One GEOS context per thread, with its WKB/WKT reader and writers. The
// handlers only record the message: throwing through GEOS's C frames is
// undefined, so the calling function throws once GEOS has returned.
struct ThreadContext {
  GEOSContextHandle_t h = nullptr;
  GEOSWKBReader* wkb_reader = nullptr;
  GEOSWKBWriter* wkb_writer = nullptr;
  GEOSWKTReader* wkt_reader = nullptr;
  GEOSWKTWriter* wkt_writer = nullptr;
  std::string last_error;
  std::string last_notice;

  ThreadContext() {
    h = GEOS_init_r();
    if (h == nullptr) throw Error("geos: could not create a GEOS context (out of memory?)");
    GEOSContext_setErrorMessageHandler_r(
        h, [](const char* msg, void* self) { static_cast<ThreadContext*>(self)->last_error = msg ? msg : ""; },
        this);
    GEOSContext_setNoticeMessageHandler_r(
        h, [](const char* msg, void* self) { static_cast<ThreadContext*>(self)->last_notice = msg ? msg : ""; },
        this);
    wkb_reader = GEOSWKBReader_create_r(h);
    wkb_writer = GEOSWKBWriter_create_r(h);
    GEOSWKBWriter_setOutputDimension_r(h, wkb_writer, 2);
    GEOSWKBWriter_setByteOrder_r(h, wkb_writer, GEOS_WKB_NDR);
    GEOSWKBWriter_setFlavor_r(h, wkb_writer, GEOS_WKB_ISO);
    GEOSWKBWriter_setIncludeSRID_r(h, wkb_writer, 0);
    wkt_reader = GEOSWKTReader_create_r(h);
    wkt_writer = GEOSWKTWriter_create_r(h);
    GEOSWKTWriter_setTrim_r(h, wkt_writer, 1);
    GEOSWKTWriter_setOutputDimension_r(h, wkt_writer, 2);
  }
  ThreadContext(const ThreadContext&) = delete;
  ThreadContext& operator=(const ThreadContext&) = delete;
  ~ThreadContext() {
    GEOSWKBReader_destroy_r(h, wkb_reader);
    GEOSWKBWriter_destroy_r(h, wkb_writer);
    GEOSWKTReader_destroy_r(h, wkt_reader);
    GEOSWKTWriter_destroy_r(h, wkt_writer);
    GEOS_finish_r(h);
  }
};

ThreadContext& tc() {
  thread_local ThreadContext t;
  return t;
}
GEOSContextHandle_t H() { return tc().h; }

[[noreturn]] void fail(std::string_view op) {
  std::string msg = tc().last_error.empty() ? std::string("unknown GEOS error") : tc().last_error;
  tc().last_error.clear();
  throw DataError(fmt::format("geos: {} failed: {}", op, msg));
}

struct GeomDeleter {
  void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(H(), g); }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

GeomPtr read(WkbView wkb, std::string_view op) {
  if (wkb.empty()) throw DataError(fmt::format("geos: {}: no geometry (empty WKB)", op));
  tc().last_error.clear();
  GEOSGeometry* g = GEOSWKBReader_read_r(H(), tc().wkb_reader, wkb.data(), wkb.size());
  if (g == nullptr) fail(fmt::format("{}: reading WKB", op));
  return GeomPtr(g);
}

Wkb write(const GEOSGeometry* g, std::string_view op) {
  std::size_t size = 0;
  unsigned char* buf = GEOSWKBWriter_write_r(H(), tc().wkb_writer, g, &size);
  if (buf == nullptr) fail(fmt::format("{}: writing WKB", op));
  Wkb out(buf, buf + size);
  GEOSFree_r(H(), buf);
  return out;
}

GeomPtr check(GEOSGeometry* g, std::string_view op) {
  if (g == nullptr) fail(op);
  return GeomPtr(g);
}

// Clones of every polygon inside g (Polygon, MultiPolygon, nested collections).
void collectPolygons(const GEOSGeometry* g, std::vector<GEOSGeometry*>& out) {
  const int type = GEOSGeomTypeId_r(H(), g);
  if (type == GEOS_POLYGON) {
    if (!GEOSisEmpty_r(H(), g)) out.push_back(GEOSGeom_clone_r(H(), g));
  } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
    const int n = GEOSGetNumGeometries_r(H(), g);
    for (int i = 0; i < n; ++i) collectPolygons(GEOSGetGeometryN_r(H(), g, i), out);
  }
}

bool isPolygonal(const GEOSGeometry* g) {
  const int type = GEOSGeomTypeId_r(H(), g);
  return type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON;
}

}  // namespace

RepairResult makeValidPolygonal(WkbView wkb) {
  RepairResult r;
  if (wkb.empty()) {
    r.problem = "no geometry";
    return r;
  }
  tc().last_error.clear();
  GEOSGeometry* raw = GEOSWKBReader_read_r(H(), tc().wkb_reader, wkb.data(), wkb.size());
  if (raw == nullptr) {
    r.problem = "unreadable geometry (" + tc().last_error + ")";
    return r;
  }
  GeomPtr g(raw);
  const int type = GEOSGeomTypeId_r(H(), g.get());
  if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON &&
      !(type == GEOS_GEOMETRYCOLLECTION && GEOSGetNumGeometries_r(H(), g.get()) > 0)) {
    char* name = GEOSGeomType_r(H(), g.get());  // caller frees
    r.problem = fmt::format("not a polygon but a {}", name != nullptr ? name : "geometry of unknown type");
    if (name != nullptr) GEOSFree_r(H(), name);
    return r;
  }
  if (GEOSisEmpty_r(H(), g.get())) {
    r.problem = "empty polygon";
    return r;
  }
  const char valid = GEOSisValid_r(H(), g.get());
  if (valid == 1 && isPolygonal(g.get())) {
    r.wkb = write(g.get(), "makeValid");
    r.ok = true;
    return r;
  }
  if (valid != 1) {
    char* reason = GEOSisValidReason_r(H(), g.get());
    r.problem = reason != nullptr ? reason : "invalid geometry";
    if (reason != nullptr) GEOSFree_r(H(), reason);
  } else {
    r.problem = "a geometry collection";
  }
  GEOSGeometry* fixed = valid == 1 ? GEOSGeom_clone_r(H(), g.get()) : GEOSMakeValid_r(H(), g.get());
  if (fixed == nullptr) {
    r.problem += "; MakeValid failed: " + tc().last_error;
    return r;
  }
  GeomPtr f(fixed);
  std::vector<GEOSGeometry*> polys;
  collectPolygons(f.get(), polys);
  if (polys.empty()) {
    r.problem += "; nothing with an area is left after MakeValid (it collapses to lines or points)";
    return r;
  }
  GeomPtr out;
  if (polys.size() == 1) {
    out.reset(polys[0]);
  } else {
    // The collection takes ownership of the parts. Parts from MakeValid do
    // not overlap, so the MultiPolygon is valid.
    out = check(GEOSGeom_createCollection_r(H(), GEOS_MULTIPOLYGON, polys.data(),
                                            static_cast<unsigned>(polys.size())),
                "makeValid: building the MultiPolygon");
  }
  r.wkb = write(out.get(), "makeValid");
  r.repaired = true;
  r.ok = true;
  return r;
}

Wkb buffer(WkbView wkb, double distance, int quadsegs) {
  GeomPtr g = read(wkb, "buffer");
  GeomPtr b = check(GEOSBuffer_r(H(), g.get(), distance, quadsegs), "buffer");
  return write(b.get(), "buffer");
}

Wkb difference(WkbView a, WkbView b) {
  GeomPtr ga = read(a, "difference"), gb = read(b, "difference");
  GeomPtr d = check(GEOSDifference_r(H(), ga.get(), gb.get()), "difference");
  return write(d.get(), "difference");
}

Wkb intersection(WkbView a, WkbView b) {
  GeomPtr ga = read(a, "intersection"), gb = read(b, "intersection");
  GeomPtr d = check(GEOSIntersection_r(H(), ga.get(), gb.get()), "intersection");
  return write(d.get(), "intersection");
}

Wkb unionAll(const std::vector<WkbView>& parts) {
  std::vector<GEOSGeometry*> geoms;
  geoms.reserve(parts.size());
  try {
    for (const WkbView& p : parts) geoms.push_back(read(p, "union").release());
  } catch (...) {
    for (GEOSGeometry* g : geoms) GEOSGeom_destroy_r(H(), g);
    throw;
  }
  GeomPtr coll = check(GEOSGeom_createCollection_r(H(), GEOS_GEOMETRYCOLLECTION, geoms.data(),
                                                   static_cast<unsigned>(geoms.size())),
                       "union: building the collection");
  GeomPtr u = check(GEOSUnaryUnion_r(H(), coll.get()), "union");
  return write(u.get(), "union");
}

double area(WkbView wkb) {
  GeomPtr g = read(wkb, "area");
  double a = 0;
  if (!GEOSArea_r(H(), g.get(), &a)) fail("area");
  return a;
}

double length(WkbView wkb) {
  GeomPtr g = read(wkb, "length");
  double l = 0;
  if (!GEOSLength_r(H(), g.get(), &l)) fail("length");
  return l;
}

namespace {
Point pointOf(const GEOSGeometry* p, std::string_view op) {
  Point pt;
  if (GEOSisEmpty_r(H(), p)) throw DataError(fmt::format("geos: {}: the geometry is empty", op));
  if (!GEOSGeomGetX_r(H(), p, &pt.x) || !GEOSGeomGetY_r(H(), p, &pt.y)) fail(op);
  return pt;
}
}  // namespace

Point pointOnSurface(WkbView wkb) {
  GeomPtr g = read(wkb, "pointOnSurface");
  GeomPtr p = check(GEOSPointOnSurface_r(H(), g.get()), "pointOnSurface");
  return pointOf(p.get(), "pointOnSurface");
}

Point centroid(WkbView wkb) {
  GeomPtr g = read(wkb, "centroid");
  GeomPtr p = check(GEOSGetCentroid_r(H(), g.get()), "centroid");
  return pointOf(p.get(), "centroid");
}

BBox bbox(WkbView wkb) {
  GeomPtr g = read(wkb, "bbox");
  BBox b;
  if (GEOSisEmpty_r(H(), g.get())) return b;
  if (!GEOSGeom_getXMin_r(H(), g.get(), &b.minx) || !GEOSGeom_getYMin_r(H(), g.get(), &b.miny) ||
      !GEOSGeom_getXMax_r(H(), g.get(), &b.maxx) || !GEOSGeom_getYMax_r(H(), g.get(), &b.maxy)) {
    fail("bbox");
  }
  return b;
}

bool isEmpty(WkbView wkb) {
  GeomPtr g = read(wkb, "isEmpty");
  return GEOSisEmpty_r(H(), g.get()) == 1;
}

bool isValid(WkbView wkb) {
  GeomPtr g = read(wkb, "isValid");
  const char v = GEOSisValid_r(H(), g.get());
  if (v == 2) fail("isValid");
  return v == 1;
}

std::string geometryType(WkbView wkb) {
  GeomPtr g = read(wkb, "geometryType");
  char* t = GEOSGeomType_r(H(), g.get());
  if (t == nullptr) fail("geometryType");
  std::string s(t);
  GEOSFree_r(H(), t);
  return s;
}

Wkb fromWkt(std::string_view wkt) {
  const std::string s(wkt);
  tc().last_error.clear();
  GEOSGeometry* g = GEOSWKTReader_read_r(H(), tc().wkt_reader, s.c_str());
  if (g == nullptr) {
    throw DataError(fmt::format("geos: '{}' is not valid WKT ({}); write e.g. POLYGON ((0 0, 1 0, 1 1, 0 0))",
                                s.size() > 80 ? s.substr(0, 77) + "..." : s, tc().last_error));
  }
  GeomPtr p(g);
  return write(p.get(), "fromWkt");
}

std::string toWkt(WkbView wkb) {
  GeomPtr g = read(wkb, "toWkt");
  char* t = GEOSWKTWriter_write_r(H(), tc().wkt_writer, g.get());
  if (t == nullptr) fail("toWkt");
  std::string s(t);
  GEOSFree_r(H(), t);
  return s;
}

Wkb makePoint(double x, double y) {
  GeomPtr p = check(GEOSGeom_createPointFromXY_r(H(), x, y), "makePoint");
  return write(p.get(), "makePoint");
}

Wkb makePolygon(std::span<const Point> ring) {
  if (ring.size() < 3) throw DataError(fmt::format("geos: a polygon needs at least 3 corners (got {})", ring.size()));
  const bool closed = ring.front() == ring.back();
  const unsigned n = static_cast<unsigned>(ring.size() + (closed ? 0 : 1));
  GEOSCoordSequence* seq = GEOSCoordSeq_create_r(H(), n, 2);
  if (seq == nullptr) fail("makePolygon");
  for (unsigned i = 0; i < ring.size(); ++i) GEOSCoordSeq_setXY_r(H(), seq, i, ring[i].x, ring[i].y);
  if (!closed) GEOSCoordSeq_setXY_r(H(), seq, n - 1, ring[0].x, ring[0].y);
  GEOSGeometry* shell = GEOSGeom_createLinearRing_r(H(), seq);  // takes seq
  if (shell == nullptr) fail("makePolygon: ring");
  GeomPtr poly = check(GEOSGeom_createPolygon_r(H(), shell, nullptr, 0), "makePolygon");  // takes shell
  return write(poly.get(), "makePolygon");
}

bool intersects(WkbView a, WkbView b) {
  GeomPtr ga = read(a, "intersects"), gb = read(b, "intersects");
  const char r = GEOSIntersects_r(H(), ga.get(), gb.get());
  if (r == 2) fail("intersects");
  return r == 1;
}

bool contains(WkbView a, WkbView b) {
  GeomPtr ga = read(a, "contains"), gb = read(b, "contains");
  const char r = GEOSContains_r(H(), ga.get(), gb.get());
  if (r == 2) fail("contains");
  return r == 1;
}

bool covers(WkbView a, WkbView b) {
  GeomPtr ga = read(a, "covers"), gb = read(b, "covers");
  const char r = GEOSCovers_r(H(), ga.get(), gb.get());
  if (r == 2) fail("covers");
  return r == 1;
}

double distance(WkbView a, WkbView b) {
  GeomPtr ga = read(a, "distance"), gb = read(b, "distance");
  double d = 0;
  if (!GEOSDistance_r(H(), ga.get(), gb.get(), &d)) fail("distance");
  return d;
}

struct PreparedArea::Impl {
  GeomPtr geom;
  const GEOSPreparedGeometry* prepared = nullptr;
  ~Impl() {
    if (prepared) GEOSPreparedGeom_destroy_r(H(), prepared);
  }
};

PreparedArea::PreparedArea(WkbView area) : m_impl(std::make_unique<Impl>()) {
  m_impl->geom = read(area, "prepare");
  m_impl->prepared = GEOSPrepare_r(H(), m_impl->geom.get());
  if (m_impl->prepared == nullptr) fail("prepare");
}

PreparedArea::~PreparedArea() = default;

bool PreparedArea::covers(WkbView g) const {
  GeomPtr gb = read(g, "prepared covers");
  const char r = GEOSPreparedCovers_r(H(), m_impl->prepared, gb.get());
  if (r == 2) fail("prepared covers");
  return r == 1;
}

bool PreparedArea::intersects(WkbView g) const {
  GeomPtr gb = read(g, "prepared intersects");
  const char r = GEOSPreparedIntersects_r(H(), m_impl->prepared, gb.get());
  if (r == 2) fail("prepared intersects");
  return r == 1;
}

double PreparedArea::intersectionArea(WkbView g) const {
  GeomPtr gb = read(g, "intersection area");
  const char hit = GEOSPreparedIntersects_r(H(), m_impl->prepared, gb.get());
  if (hit == 2) fail("intersection area");
  if (hit == 0) return 0;
  GeomPtr x = check(GEOSIntersection_r(H(), m_impl->geom.get(), gb.get()), "intersection area");
  double a = 0;
  if (!GEOSArea_r(H(), x.get(), &a)) fail("intersection area");
  return a;
}

}  // namespace trygg::geo
