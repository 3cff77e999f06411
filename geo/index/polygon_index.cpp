#include "geo/index/polygon_index.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "geo/index/wkb_read.hpp"

namespace trygg::geo {
namespace {

// Edges of all rings (even-odd rule); horizontal and zero-length edges dropped.
// A ring that is not explicitly closed is closed implicitly.
// Horizontal edges go to *horizontal: they never cross a ray but they do make
// the cells they pass through boundary cells.
std::vector<Edge> ringEdges(const wkb::Rings& rings, std::vector<Edge>* horizontal) {
  std::vector<Edge> edges;
  edges.reserve(rings.pts.size());
  for (std::size_t r = 0; r < rings.ringCount(); ++r) {
    const std::uint32_t b = rings.starts[r], e = rings.starts[r + 1];
    if (e - b < 2) continue;
    for (std::uint32_t i = b; i < e; ++i) {
      const Point a = rings.pts[i];
      const Point c = (i + 1 < e) ? rings.pts[i + 1] : rings.pts[b];
      if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(c.x) || !std::isfinite(c.y))
        throwDataError("polygon has a non-finite coordinate; repair or drop the area");
      if (a.y == c.y) {  // horizontal (or a repeated vertex): never crossed
        if (a.x != c.x) horizontal->push_back(a.x < c.x ? Edge{a, c} : Edge{c, a});
        continue;
      }
      edges.push_back(a.y < c.y ? Edge{a, c} : Edge{c, a});
    }
  }
  return edges;
}

// Conservative: may the segment touch the axis-aligned box? (separating axes:
// the box's axes via the caller's bbox loop, the segment's normal here.)
bool segmentMayTouchBox(const Edge& e, double x0, double y0, double x1, double y1) {
  const double dx = e.up.x - e.lo.x, dy = e.up.y - e.lo.y;
  auto side = [&](double x, double y) { return dx * (y - e.lo.y) - dy * (x - e.lo.x); };
  const double s0 = side(x0, y0), s1 = side(x1, y0), s2 = side(x0, y1), s3 = side(x1, y1);
  // Tolerance: a few ulps of the magnitudes involved, so rounding never hides a touch.
  const double mag = (std::fabs(dx) + std::fabs(dy)) *
                     (std::fabs(x1 - e.lo.x) + std::fabs(x0 - e.lo.x) + std::fabs(y1 - e.lo.y) + std::fabs(y0 - e.lo.y));
  const double tol = 1e-12 * mag;
  const bool allPos = s0 > tol && s1 > tol && s2 > tol && s3 > tol;
  const bool allNeg = s0 < -tol && s1 < -tol && s2 < -tol && s3 < -tol;
  return !(allPos || allNeg);
}

}  // namespace

PolygonIndex::PolygonIndex(const std::vector<std::span<const std::uint8_t>>& polygons_wkb, Options opt)
    : m_chunk(opt.chunk) {
  m_polys.resize(polygons_wkb.size());
  std::vector<std::vector<Edge>> horizontals(polygons_wkb.size());
  std::size_t total_edges = 0;
  for (std::size_t k = 0; k < polygons_wkb.size(); ++k) {
    if (polygons_wkb[k].empty()) continue;
    const wkb::Rings rings = wkb::polygonRings(polygons_wkb[k]);
    m_polys[k].edges = ringEdges(rings, &horizontals[k]);
    for (const Edge& e : horizontals[k]) {
      m_polys[k].bbox.expand(e.lo);
      m_polys[k].bbox.expand(e.up);
    }
    for (const Edge& e : m_polys[k].edges) {
      m_polys[k].bbox.expand(e.lo);
      m_polys[k].bbox.expand(e.up);
    }
    m_extent.expand(m_polys[k].bbox);
    total_edges += m_polys[k].edges.size();
  }
  if (m_extent.empty()) {
    m_nx = m_ny = 0;
    m_cell_start.assign(1, 0);
    return;
  }

  // Grid shape: about cells_per_edge cells per edge, square-ish cells.
  const double w = std::max(m_extent.width(), 1e-9), h = std::max(m_extent.height(), 1e-9);
  const double per_edge = opt.cells_per_edge > 0 ? opt.cells_per_edge : 2.0;
  double target = std::clamp(per_edge * static_cast<double>(total_edges), 16.0,
                             static_cast<double>(std::max<std::size_t>(opt.max_cells, 16)));
  const double side = std::sqrt(w * h / target);
  m_nx = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(w / side)), 1, 1u << 14);
  m_ny = std::clamp<std::size_t>(static_cast<std::size_t>(std::ceil(h / side)), 1, 1u << 14);
  m_cw = w / static_cast<double>(m_nx);
  m_ch = h / static_cast<double>(m_ny);
  m_inv_cw = 1.0 / m_cw;
  m_inv_ch = 1.0 / m_ch;
  // Cells are treated as grown by this margin, so that a point that rounding puts
  // into a neighbouring cell is still covered by that cell's classification.
  const double margin = 1e-9 * std::max(w, h);

  auto cellX0 = [&](std::size_t i) { return m_extent.minx + static_cast<double>(i) * m_cw - margin; };
  auto cellX1 = [&](std::size_t i) { return m_extent.minx + static_cast<double>(i + 1) * m_cw + margin; };
  auto cellY0 = [&](std::size_t j) { return m_extent.miny + static_cast<double>(j) * m_ch - margin; };
  auto cellY1 = [&](std::size_t j) { return m_extent.miny + static_cast<double>(j + 1) * m_ch + margin; };
  auto colRange = [&](double x0, double x1, std::size_t& a, std::size_t& b) {
    const double fa = std::floor((x0 - margin - m_extent.minx) * m_inv_cw);
    const double fb = std::floor((x1 + margin - m_extent.minx) * m_inv_cw);
    a = static_cast<std::size_t>(std::clamp(fa, 0.0, static_cast<double>(m_nx - 1)));
    b = static_cast<std::size_t>(std::clamp(fb, 0.0, static_cast<double>(m_nx - 1)));
  };
  auto rowRange = [&](double y0, double y1, std::size_t& a, std::size_t& b) {
    const double fa = std::floor((y0 - margin - m_extent.miny) * m_inv_ch);
    const double fb = std::floor((y1 + margin - m_extent.miny) * m_inv_ch);
    a = static_cast<std::size_t>(std::clamp(fa, 0.0, static_cast<double>(m_ny - 1)));
    b = static_cast<std::size_t>(std::clamp(fb, 0.0, static_cast<double>(m_ny - 1)));
  };

  struct CellEntry {
    std::uint32_t cell;
    Entry e;
  };
  std::vector<CellEntry> all;
  std::vector<std::uint32_t> rowStart, rowEdges;  // per polygon scratch
  std::vector<std::uint8_t> touched;              // per polygon bbox scratch

  for (std::uint32_t k = 0; k < m_polys.size(); ++k) {
    const Poly& poly = m_polys[k];
    if (poly.edges.empty()) continue;  // no crossing edge: encloses nothing
    std::size_t c0, c1, r0, r1;
    colRange(poly.bbox.minx, poly.bbox.maxx, c0, c1);
    rowRange(poly.bbox.miny, poly.bbox.maxy, r0, r1);
    const std::size_t bw = c1 - c0 + 1, bh = r1 - r0 + 1;

    // Edges per grid row (an edge goes to every row band its y-range overlaps).
    std::vector<std::vector<std::uint32_t>> byRow(bh);
    touched.assign(bw * bh, 0);
    const std::size_t nCross = poly.edges.size();
    for (std::uint32_t ei = 0; ei < nCross + horizontals[k].size(); ++ei) {
      const Edge& e = ei < nCross ? poly.edges[ei] : horizontals[k][ei - nCross];
      std::size_t ra, rb, ca, cb;
      rowRange(e.lo.y, e.up.y, ra, rb);
      colRange(std::min(e.lo.x, e.up.x), std::max(e.lo.x, e.up.x), ca, cb);
      for (std::size_t j = ra; j <= rb; ++j) {
        if (ei < nCross) byRow[j - r0].push_back(ei);
        for (std::size_t i = ca; i <= cb; ++i) {
          if (segmentMayTouchBox(e, cellX0(i), cellY0(j), cellX1(i), cellY1(j))) touched[(j - r0) * bw + (i - c0)] = 1;
        }
      }
    }

    for (std::size_t j = r0; j <= r1; ++j) {
      auto& ev = byRow[j - r0];
      // Sorted by the edge's right end, descending: a cell needs only the prefix
      // of edges reaching at least its left side.
      std::sort(ev.begin(), ev.end(), [&](std::uint32_t a, std::uint32_t b) {
        const double xa = std::max(poly.edges[a].lo.x, poly.edges[a].up.x);
        const double xb = std::max(poly.edges[b].lo.x, poly.edges[b].up.x);
        return xa != xb ? xa > xb : a < b;
      });
      const auto rowBegin = static_cast<std::uint32_t>(m_row_edges.size());
      for (std::uint32_t ei : ev) m_row_edges.push_back(poly.edges[ei]);
      auto reaching = [&](double x) {
        std::uint32_t n = 0;
        while (n < ev.size() && std::max(poly.edges[ev[n]].lo.x, poly.edges[ev[n]].up.x) >= x) ++n;
        return n;
      };
      // Walk the row: boundary cells get their edge prefix; each run of
      // untouched cells has one status (no edge comes near it), found with
      // one exact ray test from the run's first cell centre.
      int runStatus = -1;  // -1 unknown, 0 outside, 1 inside
      for (std::size_t i = c0; i <= c1; ++i) {
        const auto cell = static_cast<std::uint32_t>(j * m_nx + i);
        if (touched[(j - r0) * bw + (i - c0)]) {
          runStatus = -1;
          all.push_back({cell, {k, rowBegin, reaching(cellX0(i))}});
          continue;
        }
        if (runStatus < 0) {
          const Point c{m_extent.minx + (static_cast<double>(i) + 0.5) * m_cw,
                        m_extent.miny + (static_cast<double>(j) + 0.5) * m_ch};
          bool in = false;
          for (std::uint32_t ei : ev) in ^= crossesRight(poly.edges[ei], c);
          runStatus = in ? 1 : 0;
        }
        if (runStatus == 1) all.push_back({cell, {k, 0, kFull}});
      }
    }
  }

  // CSR by cell; entries of one cell stay in ascending polygon order (stable sort).
  std::stable_sort(all.begin(), all.end(), [](const CellEntry& a, const CellEntry& b) { return a.cell < b.cell; });
  m_cell_start.assign(m_nx * m_ny + 1, 0);
  for (const auto& ce : all) ++m_cell_start[ce.cell + 1];
  for (std::size_t c = 0; c < m_nx * m_ny; ++c) m_cell_start[c + 1] += m_cell_start[c];
  m_entries.reserve(all.size());
  for (const auto& ce : all) m_entries.push_back(ce.e);
}

std::size_t PolygonIndex::boundaryEntryCount() const {
  return static_cast<std::size_t>(
      std::count_if(m_entries.begin(), m_entries.end(), [](const Entry& e) { return e.count != kFull; }));
}

bool PolygonIndex::cellOf(Point p, std::size_t& cell) const {
  if (!(p.x >= m_extent.minx && p.x <= m_extent.maxx && p.y >= m_extent.miny && p.y <= m_extent.maxy)) return false;
  auto i = static_cast<std::size_t>((p.x - m_extent.minx) * m_inv_cw);
  auto j = static_cast<std::size_t>((p.y - m_extent.miny) * m_inv_ch);
  if (i >= m_nx) i = m_nx - 1;
  if (j >= m_ny) j = m_ny - 1;
  cell = j * m_nx + i;
  return true;
}

template <typename Emit>
void PolygonIndex::visit(Point p, Emit&& emit) const {
  std::size_t cell;
  if (m_nx == 0 || !cellOf(p, cell)) return;
  for (std::uint32_t q = m_cell_start[cell]; q < m_cell_start[cell + 1]; ++q) {
    const Entry& en = m_entries[q];
    if (en.count == kFull) {
      emit(en.poly);
      continue;
    }
    bool in = false;
    const Edge* e = m_row_edges.data() + en.begin;
    for (std::uint32_t t = 0; t < en.count; ++t) in ^= crossesRight(e[t], p);
    if (in) emit(en.poly);
  }
}

void PolygonIndex::containing(Point p, std::vector<std::uint32_t>& out) const {
  out.clear();
  visit(p, [&](std::uint32_t k) { out.push_back(k); });
}

bool PolygonIndex::contains(std::uint32_t k, Point p) const {
  if (k >= m_polys.size()) return false;
  bool in = false;
  for (const Edge& e : m_polys[k].edges) in ^= crossesRight(e, p);
  return in;
}

void PolygonIndex::assign(std::span<const Point> pts, std::vector<std::uint32_t>& offsets,
                          std::vector<std::uint32_t>& ids) const {
  assignCsr(pts, m_chunk, [this](Point p, std::vector<std::uint32_t>& out) { containing(p, out); }, offsets, ids);
}

}  // namespace trygg::geo
