#include "geo/index/radius_index.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "geo/index/wkb_read.hpp"

namespace trygg::geo {
namespace {

double segmentDistance2(const Edge& s, Point p) {
  const double dx = s.up.x - s.lo.x, dy = s.up.y - s.lo.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - s.lo.x) * dx + (p.y - s.lo.y) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = s.lo.x + t * dx - p.x, ey = s.lo.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

}  // namespace

std::vector<RadiusSource> RadiusIndex::sourcesFromPlaces(std::span<const model::Place> places) {
  std::vector<RadiusSource> out;
  out.reserve(places.size());
  for (const auto& pl : places) {
    RadiusSource s{pl.anchor, pl.radius, {}};
    if (!pl.geom.empty()) {
      const auto t = wkb::geometryType(pl.geom.wkb);
      if (t == wkb::GeomType::Polygon || t == wkb::GeomType::MultiPolygon) s.polygon_wkb = pl.geom.wkb;
    }
    out.push_back(s);
  }
  return out;
}

RadiusIndex::RadiusIndex(std::span<const RadiusSource> sources, Options opt) : m_chunk(opt.chunk) {
  m_places.resize(sources.size());
  std::vector<BBox> boxes(sources.size());
  for (std::size_t k = 0; k < sources.size(); ++k) {
    const RadiusSource& s = sources[k];
    if (!(s.radius >= 0) || !std::isfinite(s.radius))
      throwUsageError("place {}: analysis radius must be a finite number >= 0 (got {})", k, s.radius);
    Place& pl = m_places[k];
    pl.anchor = s.anchor;
    pl.r2 = s.radius * s.radius;
    BBox b;
    if (!s.polygon_wkb.empty()) {
      pl.polygon = true;
      const wkb::Rings rings = wkb::polygonRings(s.polygon_wkb);
      for (std::size_t r = 0; r < rings.ringCount(); ++r) {
        const std::uint32_t rb = rings.starts[r], re = rings.starts[r + 1];
        for (std::uint32_t i = rb; i < re; ++i) {
          const Point a = rings.pts[i];
          const Point c = (i + 1 < re) ? rings.pts[i + 1] : rings.pts[rb];
          b.expand(a);
          const Edge e = a.y < c.y ? Edge{a, c} : Edge{c, a};
          pl.segments.push_back(e);
          if (a.y != c.y) pl.crossing.push_back(e);
        }
      }
    } else if (std::isfinite(s.anchor.x) && std::isfinite(s.anchor.y)) {
      b.expand(s.anchor);
    }
    if (!b.empty()) boxes[k] = b.grown(s.radius);
    m_extent.expand(boxes[k]);
  }
  if (m_extent.empty()) {
    m_cell_start.assign(1, 0);
    return;
  }
  const double w = std::max(m_extent.width(), 1e-9), h = std::max(m_extent.height(), 1e-9);
  const double target = std::clamp(opt.cells_per_place * static_cast<double>(sources.size()), 16.0,
                                    static_cast<double>(std::max<std::size_t>(opt.max_cells, 16)));
  const double side = std::sqrt(w * h / target);
  m_nx = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(w / side)), 1, 1u << 14);
  m_ny = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(h / side)), 1, 1u << 14);
  const double cw = w / static_cast<double>(m_nx), ch = h / static_cast<double>(m_ny);
  m_inv_cw = 1.0 / cw;
  m_inv_ch = 1.0 / ch;
  const double margin = 1e-9 * std::max(w, h);

  struct CellEntry {
    std::uint32_t cell;
    Entry e;
  };
  std::vector<CellEntry> all;
  for (std::uint32_t k = 0; k < m_places.size(); ++k) {
    if (boxes[k].empty()) continue;
    const Place& pl = m_places[k];
    auto idx = [&](double v, double lo, double inv, std::size_t n) {
      return static_cast<std::size_t>(std::clamp(std::floor((v - lo) * inv), 0.0, static_cast<double>(n - 1)));
    };
    const std::size_t c0 = idx(boxes[k].minx - margin, m_extent.minx, m_inv_cw, m_nx);
    const std::size_t c1 = idx(boxes[k].maxx + margin, m_extent.minx, m_inv_cw, m_nx);
    const std::size_t r0 = idx(boxes[k].miny - margin, m_extent.miny, m_inv_ch, m_ny);
    const std::size_t r1 = idx(boxes[k].maxy + margin, m_extent.miny, m_inv_ch, m_ny);
    for (std::size_t j = r0; j <= r1; ++j) {
      for (std::size_t i = c0; i <= c1; ++i) {
        bool full = false;
        if (!pl.polygon) {
          const double x0 = m_extent.minx + static_cast<double>(i) * cw - margin, x1 = x0 + cw + 2 * margin;
          const double y0 = m_extent.miny + static_cast<double>(j) * ch - margin, y1 = y0 + ch + 2 * margin;
          const double lim = pl.r2 * (1 - 1e-9);
          full = true;
          for (const Point c : {Point{x0, y0}, Point{x1, y0}, Point{x0, y1}, Point{x1, y1}}) {
            const double dx = c.x - pl.anchor.x, dy = c.y - pl.anchor.y;
            if (!(dx * dx + dy * dy <= lim)) full = false;
          }
        }
        all.push_back({static_cast<std::uint32_t>(j * m_nx + i), {k, full}});
      }
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const CellEntry& a, const CellEntry& b) { return a.cell < b.cell; });
  m_cell_start.assign(m_nx * m_ny + 1, 0);
  for (const auto& ce : all) ++m_cell_start[ce.cell + 1];
  for (std::size_t c = 0; c < m_nx * m_ny; ++c) m_cell_start[c + 1] += m_cell_start[c];
  m_entries.reserve(all.size());
  for (const auto& ce : all) m_entries.push_back(ce.e);
}

bool RadiusIndex::covers(std::uint32_t k, Point p) const {
  if (k >= m_places.size()) return false;
  const Place& pl = m_places[k];
  if (!pl.polygon) {
    const double dx = p.x - pl.anchor.x, dy = p.y - pl.anchor.y;
    return dx * dx + dy * dy <= pl.r2;
  }
  bool in = false;
  for (const Edge& e : pl.crossing) in ^= crossesRight(e, p);
  if (in) return true;
  for (const Edge& s : pl.segments)
    if (segmentDistance2(s, p) <= pl.r2) return true;
  return false;
}

void RadiusIndex::covering(Point p, std::vector<std::uint32_t>& out) const {
  out.clear();
  if (m_nx == 0) return;
  if (!(p.x >= m_extent.minx && p.x <= m_extent.maxx && p.y >= m_extent.miny && p.y <= m_extent.maxy)) return;
  auto i = static_cast<std::size_t>((p.x - m_extent.minx) * m_inv_cw);
  auto j = static_cast<std::size_t>((p.y - m_extent.miny) * m_inv_ch);
  if (i >= m_nx) i = m_nx - 1;
  if (j >= m_ny) j = m_ny - 1;
  const std::size_t cell = j * m_nx + i;
  for (std::uint32_t q = m_cell_start[cell]; q < m_cell_start[cell + 1]; ++q) {
    const Entry& en = m_entries[q];
    if (en.full || covers(en.place, p)) out.push_back(en.place);
  }
}

void RadiusIndex::assign(std::span<const Point> pts, std::vector<std::uint32_t>& offsets,
                         std::vector<std::uint32_t>& ids) const {
  assignCsr(pts, m_chunk, [this](Point p, std::vector<std::uint32_t>& out) { covering(p, out); }, offsets, ids);
}

}  // namespace trygg::geo
