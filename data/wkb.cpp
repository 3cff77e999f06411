#include "data/wkb.hpp"

#include <bit>
#include <cstring>

namespace trygg::data::wkb {
namespace {

static_assert(std::endian::native == std::endian::little, "the blob writers assume a little-endian host");

void put32(std::uint8_t* p, std::uint32_t v) { std::memcpy(p, &v, 4); }
void putD(std::uint8_t* p, double v) { std::memcpy(p, &v, 8); }
void push32(std::vector<std::uint8_t>& b, std::uint32_t v) {
  b.resize(b.size() + 4);
  put32(b.data() + b.size() - 4, v);
}
void pushD(std::vector<std::uint8_t>& b, double v) {
  b.resize(b.size() + 8);
  putD(b.data() + b.size() - 8, v);
}

}  // namespace

void spatialitePoint(Point p, std::int32_t srid, std::uint8_t* out) {
  out[0] = 0x00;
  out[1] = 0x01;
  put32(out + 2, static_cast<std::uint32_t>(srid));
  putD(out + 6, p.x);
  putD(out + 14, p.y);
  putD(out + 22, p.x);
  putD(out + 30, p.y);
  out[38] = 0x7C;
  put32(out + 39, 1);
  putD(out + 43, p.x);
  putD(out + 51, p.y);
  out[59] = 0xFE;
}

std::vector<std::uint8_t> spatialitePoint(Point p, std::int32_t srid) {
  std::vector<std::uint8_t> b(kSpatialitePointSize);
  spatialitePoint(p, srid, b.data());
  return b;
}

std::optional<Point> readSpatialitePoint(std::span<const std::uint8_t> b) {
  if (b.size() != kSpatialitePointSize || b[0] != 0x00 || b[38] != 0x7C || b[59] != 0xFE || b[1] > 1) return std::nullopt;
  const bool swap = b[1] == 0;  // 0 = big endian
  auto u32 = [&](std::size_t o) {
    std::uint32_t v;
    std::memcpy(&v, b.data() + o, 4);
    return swap ? __builtin_bswap32(v) : v;
  };
  auto d = [&](std::size_t o) {
    std::uint64_t v;
    std::memcpy(&v, b.data() + o, 8);
    return std::bit_cast<double>(swap ? __builtin_bswap64(v) : v);
  };
  if (u32(39) != 1) return std::nullopt;
  return Point{d(43), d(51)};
}

std::vector<std::uint8_t> pointWkb(Point p) {
  std::vector<std::uint8_t> b{1};
  push32(b, 1);
  pushD(b, p.x);
  pushD(b, p.y);
  return b;
}

std::vector<std::uint8_t> polygonWkb(const std::vector<std::vector<Point>>& rings) {
  std::vector<std::uint8_t> b{1};
  push32(b, 3);
  push32(b, static_cast<std::uint32_t>(rings.size()));
  for (const auto& r : rings) {
    const bool closed = !r.empty() && r.front() == r.back();
    push32(b, static_cast<std::uint32_t>(r.size() + (closed || r.empty() ? 0 : 1)));
    for (const Point& p : r) {
      pushD(b, p.x);
      pushD(b, p.y);
    }
    if (!closed && !r.empty()) {
      pushD(b, r.front().x);
      pushD(b, r.front().y);
    }
  }
  return b;
}

}  // namespace trygg::data::wkb
