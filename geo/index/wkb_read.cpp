#include "geo/index/wkb_read.hpp"

#include <bit>
#include <cstring>

#include "core/error.hpp"

namespace trygg::geo::wkb {
namespace {

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> b) : m_b(b) {}

  std::uint8_t byte() {
    need(1);
    return m_b[m_pos++];
  }
  std::uint32_t u32(bool little) {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, m_b.data() + m_pos, 4);
    m_pos += 4;
    if (little != (std::endian::native == std::endian::little)) v = __builtin_bswap32(v);
    return v;
  }
  double f64(bool little) {
    need(8);
    std::uint64_t v;
    std::memcpy(&v, m_b.data() + m_pos, 8);
    m_pos += 8;
    if (little != (std::endian::native == std::endian::little)) v = __builtin_bswap64(v);
    return std::bit_cast<double>(v);
  }
  void skip(std::size_t n) {
    need(n);
    m_pos += n;
  }

 private:
  void need(std::size_t n) const {
    if (m_pos + n > m_b.size())
      throwDataError("WKB geometry is truncated ({} bytes, needed {} more at byte {}); re-export the layer",
                     m_b.size(), n, m_pos);
  }
  std::span<const std::uint8_t> m_b;
  std::size_t m_pos = 0;
};

struct Header {
  bool little;
  GeomType type;
  int dims;  // ordinates per point
};

Header header(Reader& r) {
  const std::uint8_t order = r.byte();
  if (order > 1) throwDataError("WKB geometry has an invalid byte-order mark {}; the geometry blob is not WKB", order);
  const bool little = order == 1;
  std::uint32_t t = r.u32(little);
  int dims = 2;
  if (t & 0x80000000u) ++dims;  // EWKB Z
  if (t & 0x40000000u) ++dims;  // EWKB M
  if (t & 0x20000000u) r.u32(little);  // EWKB SRID
  t &= 0x0fffffffu;
  if (t >= 3000) { dims = 4; t -= 3000; }
  else if (t >= 2000) { dims = 3; t -= 2000; }
  else if (t >= 1000) { dims = 3; t -= 1000; }
  if (t < 1 || t > 7) throwDataError("WKB geometry type {} is not supported; expected (Multi)Point/LineString/Polygon", t);
  return {little, static_cast<GeomType>(t), dims};
}

Point readPoint(Reader& r, const Header& h) {
  Point p{r.f64(h.little), r.f64(h.little)};
  r.skip(8 * static_cast<std::size_t>(h.dims - 2));
  return p;
}

void readPolygonBody(Reader& r, const Header& h, Rings& out) {
  const std::uint32_t nrings = r.u32(h.little);
  for (std::uint32_t i = 0; i < nrings; ++i) {
    const std::uint32_t n = r.u32(h.little);
    for (std::uint32_t k = 0; k < n; ++k) out.pts.push_back(readPoint(r, h));
    out.starts.push_back(static_cast<std::uint32_t>(out.pts.size()));
  }
}

void readPolygonal(Reader& r, Rings& out) {
  const Header h = header(r);
  switch (h.type) {
    case GeomType::Polygon:
      readPolygonBody(r, h, out);
      return;
    case GeomType::MultiPolygon:
    case GeomType::GeometryCollection: {
      const std::uint32_t n = r.u32(h.little);
      for (std::uint32_t i = 0; i < n; ++i) readPolygonal(r, out);
      return;
    }
    default:
      throwDataError("WKB geometry of type {} is not polygonal; areas must be polygons or multipolygons",
                     static_cast<std::uint32_t>(h.type));
  }
}

}  // namespace

GeomType geometryType(std::span<const std::uint8_t> wkb) {
  Reader r(wkb);
  return header(r).type;
}

Rings polygonRings(std::span<const std::uint8_t> wkb) {
  Rings out;
  Reader r(wkb);
  readPolygonal(r, out);
  return out;
}

Point point(std::span<const std::uint8_t> wkb) {
  Reader r(wkb);
  const Header h = header(r);
  if (h.type != GeomType::Point) throwDataError("WKB geometry of type {} is not a point", static_cast<std::uint32_t>(h.type));
  return readPoint(r, h);
}

}  // namespace trygg::geo::wkb
