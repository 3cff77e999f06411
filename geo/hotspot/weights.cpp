// Spatial weights builders. Sources: R spdep 1.2-7 (dnearneigh, knearneigh,
// poly2nb, cell2nb, include.self, nb2listw); ArcGIS "Modeling spatial
// relationships" (fixed distance band, inclusive). Neighbour search uses a
// uniform grid of buckets so a band or kNN query touches O(k) points.
#include "geo/hotspot/weights.hpp"

#include <algorithm>
#include <cmath>
#include <queue>
#include <unordered_map>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

// Points bucketed by a uniform grid; buckets in row-major order, each bucket's
// points contiguous (coordinates copied so a scan stays in cache).
class BucketGrid {
 public:
  BucketGrid(std::span<const Point> pts, double cell) : m_cell(cell) {
    for (const Point& p : pts) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y))
        throwUsageError("hotspot.weights: a location has a non-finite coordinate ({}, {}); drop or fix it first",
                        p.x, p.y);
      m_box.expand(p);
    }
    m_nx = static_cast<std::int64_t>(std::floor(m_box.width() / cell)) + 1;
    m_ny = static_cast<std::int64_t>(std::floor(m_box.height() / cell)) + 1;
    const std::size_t nb = static_cast<std::size_t>(m_nx * m_ny);
    m_start.assign(nb + 1, 0);
    std::vector<std::uint32_t> key(pts.size());
    for (std::size_t i = 0; i < pts.size(); ++i) {
      key[i] = static_cast<std::uint32_t>(bucketOf(pts[i]));
      ++m_start[key[i] + 1];
    }
    for (std::size_t b = 0; b < nb; ++b) m_start[b + 1] += m_start[b];
    m_ids.resize(pts.size());
    m_pts.resize(pts.size());
    std::vector<std::uint32_t> fill(m_start.begin(), m_start.end() - 1);
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const std::uint32_t at = fill[key[i]]++;
      m_ids[at] = static_cast<std::uint32_t>(i);
      m_pts[at] = pts[i];
    }
  }

  // Cell size that keeps the bucket count near the point count while covering `reach`.
  static double chooseCell(std::span<const Point> pts, double reach) {
    BBox b;
    for (const Point& p : pts) b.expand(p);
    const double area = std::max(b.width(), 1e-300) * std::max(b.height(), 1e-300);
    const double min_cell = std::sqrt(area / (2.0 * static_cast<double>(pts.size()) + 16.0));
    if (!(reach > 0) || !std::isfinite(reach)) return std::max(min_cell, 1e-300);
    return std::max(reach, min_cell);
  }

  std::int64_t cx(double x) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((x - m_box.minx) / m_cell)), 0, m_nx - 1);
  }
  std::int64_t cy(double y) const {
    return std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor((y - m_box.miny) / m_cell)), 0, m_ny - 1);
  }
  std::int64_t bucketOf(const Point& p) const { return cy(p.y) * m_nx + cx(p.x); }

  // Calls f(id, point) for every point in the buckets within `rings` of (bx, by).
  template <typename F>
  void forRing(std::int64_t bx, std::int64_t by, std::int64_t r, F&& f) const {
    // The square ring at Chebyshev distance exactly r (r == 0: the bucket itself).
    const std::int64_t y0 = by - r, y1 = by + r;
    for (std::int64_t y = std::max<std::int64_t>(y0, 0); y <= std::min(y1, m_ny - 1); ++y) {
      const bool edge_row = (y == y0 || y == y1);
      const std::int64_t step = edge_row ? 1 : std::max<std::int64_t>(2 * r, 1);
      for (std::int64_t x = bx - r; x <= bx + r; x += step) {
        if (x < 0 || x >= m_nx) continue;
        const std::size_t b = static_cast<std::size_t>(y * m_nx + x);
        for (std::uint32_t a = m_start[b]; a < m_start[b + 1]; ++a) f(m_ids[a], m_pts[a]);
      }
    }
  }
  template <typename F>
  void forWithin(const Point& p, std::int64_t rings, F&& f) const {
    const std::int64_t bx = cx(p.x), by = cy(p.y);
    for (std::int64_t y = std::max<std::int64_t>(by - rings, 0); y <= std::min(by + rings, m_ny - 1); ++y) {
      const std::int64_t xa = std::max<std::int64_t>(bx - rings, 0), xb = std::min(bx + rings, m_nx - 1);
      const std::size_t b0 = static_cast<std::size_t>(y * m_nx + xa), b1 = static_cast<std::size_t>(y * m_nx + xb);
      // Buckets of one row are contiguous: one linear scan.
      for (std::uint32_t a = m_start[b0]; a < m_start[b1 + 1]; ++a) f(m_ids[a], m_pts[a]);
    }
  }
  double cell() const { return m_cell; }
  std::int64_t maxRings() const { return std::max(m_nx, m_ny); }

 private:
  double m_cell;
  BBox m_box;
  std::int64_t m_nx = 1, m_ny = 1;
  std::vector<std::uint32_t> m_start, m_ids;
  std::vector<Point> m_pts;
};

void checkSize(std::size_t n) {
  if (n >= 0xFFFFFFFFu) throwUsageError("hotspot.weights: {} locations is more than this build supports (2^32 - 1)", n);
}

// Builds CSR weights from per-row neighbour lists produced by `rowFn(i, out)`,
// which fills `out` with neighbour ids (any order); rows are then sorted and
// get weight 1. Two passes (count, fill) keep memory at the final size.
template <typename RowFn>
Weights buildBinary(std::size_t n, RowFn&& rowFn) {
  Weights w;
  w.offsets.assign(n + 1, 0);
  std::vector<std::vector<std::uint32_t>> rows(n);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1024), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      std::vector<std::uint32_t>& out = rows[i];
      rowFn(i, out);
      std::sort(out.begin(), out.end());
    }
  });
  for (std::size_t i = 0; i < n; ++i) w.offsets[i + 1] = w.offsets[i] + static_cast<std::uint32_t>(rows[i].size());
  w.neighbours.resize(w.offsets[n]);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 4096), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) {
      std::copy(rows[i].begin(), rows[i].end(), w.neighbours.begin() + w.offsets[i]);
      std::vector<std::uint32_t>().swap(rows[i]);
    }
  });
  w.weights.assign(w.neighbours.size(), 1.0);
  return w;
}

std::string selfText(bool include_self) { return include_self ? "self included" : "self excluded"; }

}  // namespace

Weights distanceBandWeights(std::span<const Point> centres, double band, bool include_self) {
  if (!(band > 0) || !std::isfinite(band))
    throwUsageError("hotspot.weights: distance band must be a positive finite distance (got {})", band);
  const std::size_t n = centres.size();
  checkSize(n);
  Weights w;
  if (n > 0) {
    const BucketGrid grid(centres, BucketGrid::chooseCell(centres, band));
    const std::int64_t rings = static_cast<std::int64_t>(std::ceil(band / grid.cell()));
    w = buildBinary(n, [&](std::size_t i, std::vector<std::uint32_t>& out) {
      const Point p = centres[i];
      grid.forWithin(p, rings, [&](std::uint32_t j, const Point& q) {
        // sqrt then compare, as spdep's dnearneigh does, so a pair exactly at the
        // band is classified the same way.
        const double dx = q.x - p.x, dy = q.y - p.y;
        if ((j != i || include_self) && std::sqrt(dx * dx + dy * dy) <= band) out.push_back(j);
      });
    });
  }
  w.includes_self = include_self;
  w.kind = fmt::format("distance band {} (binary, inclusive, {})", band, selfText(include_self));
  return w;
}

Weights knnWeights(std::span<const Point> centres, int k, bool include_self) {
  const std::size_t n = centres.size();
  checkSize(n);
  if (k < 1 || static_cast<std::size_t>(k) >= n)
    throwUsageError("hotspot.weights: k nearest neighbours needs 1 <= k < number of locations (k = {}, {} locations)",
                    k, n);
  BBox box;
  for (const Point& p : centres) box.expand(p);
  const double area = std::max(box.width(), 1e-300) * std::max(box.height(), 1e-300);
  const BucketGrid grid(centres, BucketGrid::chooseCell(centres, std::sqrt(area * k / static_cast<double>(n))));
  const auto ku = static_cast<std::size_t>(k);
  Weights w = buildBinary(n, [&](std::size_t i, std::vector<std::uint32_t>& out) {
    using Cand = std::pair<double, std::uint32_t>;  // (squared distance, index): ties by lower index
    std::priority_queue<Cand> best;                   // max-heap of the k best so far
    const Point p = centres[i];
    const std::int64_t bx = grid.cx(p.x), by = grid.cy(p.y);
    for (std::int64_t r = 0; r <= grid.maxRings(); ++r) {
      grid.forRing(bx, by, r, [&](std::uint32_t j, const Point& q) {
        if (j == i) return;
        const double dx = q.x - p.x, dy = q.y - p.y;
        const Cand c{dx * dx + dy * dy, j};
        if (best.size() < ku) {
          best.push(c);
        } else if (c < best.top()) {
          best.pop();
          best.push(c);
        }
      });
      // Any point in ring r+1 or beyond is at least r cells away.
      if (best.size() == ku) {
        const double reach = static_cast<double>(r) * grid.cell();
        if (best.top().first < reach * reach) break;
      }
    }
    while (!best.empty()) {
      out.push_back(best.top().second);
      best.pop();
    }
    if (include_self) out.push_back(static_cast<std::uint32_t>(i));
  });
  w.includes_self = include_self;
  w.kind = fmt::format("{} nearest neighbours (binary, asymmetric, {})", k, selfText(include_self));
  return w;
}

Weights polygonContiguityWeights(std::span<const PolygonRings> polygons, Contiguity contiguity, bool include_self,
                                 double snap) {
  const std::size_t n = polygons.size();
  checkSize(n);
  if (!(snap >= 0) || !std::isfinite(snap))
    throwUsageError("hotspot.weights: contiguity snap distance must be >= 0 (got {})", snap);
  // Distinct vertices per polygon (a closing vertex repeats the first one).
  struct Vtx {
    Point p;
    std::uint32_t poly;
  };
  std::vector<Vtx> vs;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<Point> own;
    for (const Ring& r : polygons[i]) own.insert(own.end(), r.begin(), r.end());
    std::sort(own.begin(), own.end(), [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
    own.erase(std::unique(own.begin(), own.end()), own.end());
    for (const Point& p : own) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y))
        throwUsageError("hotspot.weights: polygon {} has a non-finite vertex", i);
      vs.push_back({p, static_cast<std::uint32_t>(i)});
    }
  }
  // Hash vertices into buckets of size max(snap, tiny); matches lie in adjacent buckets.
  const double cell = std::max(snap, 1e-12);
  auto keyOf = [&](std::int64_t kx, std::int64_t ky) { return (static_cast<std::uint64_t>(kx) * 0x9E3779B97F4A7C15ull) ^ static_cast<std::uint64_t>(ky); };
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> buckets;
  buckets.reserve(vs.size());
  for (std::uint32_t v = 0; v < vs.size(); ++v)
    buckets[keyOf(static_cast<std::int64_t>(std::floor(vs[v].p.x / cell)), static_cast<std::int64_t>(std::floor(vs[v].p.y / cell)))]
        .push_back(v);
  // shared[(a, b)] = number of a's distinct vertices within snap of a vertex of b.
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> shared(n);  // per a: (b, count)
  for (std::uint32_t v = 0; v < vs.size(); ++v) {
    const auto kx = static_cast<std::int64_t>(std::floor(vs[v].p.x / cell));
    const auto ky = static_cast<std::int64_t>(std::floor(vs[v].p.y / cell));
    std::vector<std::uint32_t> hit;
    for (std::int64_t dy = -1; dy <= 1; ++dy)
      for (std::int64_t dx = -1; dx <= 1; ++dx) {
        auto it = buckets.find(keyOf(kx + dx, ky + dy));
        if (it == buckets.end()) continue;
        for (std::uint32_t u : it->second) {
          if (vs[u].poly == vs[v].poly) continue;
          const double ddx = vs[u].p.x - vs[v].p.x, ddy = vs[u].p.y - vs[v].p.y;
          if (std::sqrt(ddx * ddx + ddy * ddy) <= snap) hit.push_back(vs[u].poly);
        }
      }
    std::sort(hit.begin(), hit.end());
    hit.erase(std::unique(hit.begin(), hit.end()), hit.end());
    auto& row = shared[vs[v].poly];
    for (std::uint32_t b : hit) {
      auto it = std::find_if(row.begin(), row.end(), [&](const auto& e) { return e.first == b; });
      if (it == row.end()) row.push_back({b, 1});
      else ++it->second;
    }
  }
  const std::uint32_t need = contiguity == Contiguity::Queen ? 1 : 2;
  Weights w = buildBinary(n, [&](std::size_t i, std::vector<std::uint32_t>& out) {
    for (const auto& [b, c] : shared[i]) {
      // Symmetric by construction for queen; for rook require it both ways.
      std::uint32_t back = 0;
      for (const auto& e : shared[b])
        if (e.first == i) back = e.second;
      if (c >= need && back >= need) out.push_back(b);
    }
    if (include_self) out.push_back(static_cast<std::uint32_t>(i));
  });
  w.includes_self = include_self;
  w.kind = fmt::format("{} contiguity of polygons (binary, {})", contiguity == Contiguity::Queen ? "queen" : "rook",
                       selfText(include_self));
  return w;
}

Weights latticeContiguityWeights(int nrows, int ncols, Contiguity contiguity, bool include_self) {
  if (nrows < 1 || ncols < 1) throwUsageError("hotspot.weights: lattice needs at least one row and column ({} x {})", nrows, ncols);
  const std::size_t n = static_cast<std::size_t>(nrows) * static_cast<std::size_t>(ncols);
  checkSize(n);
  const bool queen = contiguity == Contiguity::Queen;
  Weights w = buildBinary(n, [&](std::size_t i, std::vector<std::uint32_t>& out) {
    const int r = static_cast<int>(i / static_cast<std::size_t>(ncols)), c = static_cast<int>(i % static_cast<std::size_t>(ncols));
    for (int dr = -1; dr <= 1; ++dr)
      for (int dc = -1; dc <= 1; ++dc) {
        if (dr == 0 && dc == 0 && !include_self) continue;
        if (!queen && dr != 0 && dc != 0) continue;
        const int rr = r + dr, cc = c + dc;
        if (rr < 0 || rr >= nrows || cc < 0 || cc >= ncols) continue;
        out.push_back(static_cast<std::uint32_t>(rr * ncols + cc));
      }
  });
  w.includes_self = include_self;
  w.kind = fmt::format("{} contiguity of a {} x {} lattice (binary, {})", queen ? "queen" : "rook", nrows, ncols,
                       selfText(include_self));
  return w;
}

Weights withSelf(const Weights& in, double self_weight) {
  if (in.includes_self) return in;
  const std::size_t n = in.size();
  Weights w;
  w.offsets.assign(n + 1, 0);
  w.neighbours.reserve(in.neighbours.size() + n);
  w.weights.reserve(in.neighbours.size() + n);
  for (std::size_t i = 0; i < n; ++i) {
    bool placed = false;
    const auto row = in.row(i);
    const auto rw = in.rowWeights(i);
    for (std::size_t a = 0; a < row.size(); ++a) {
      if (!placed && row[a] > i) {
        w.neighbours.push_back(static_cast<std::uint32_t>(i));
        w.weights.push_back(self_weight);
        placed = true;
      }
      if (row[a] == i) continue;  // never twice
      w.neighbours.push_back(row[a]);
      w.weights.push_back(rw[a]);
    }
    if (!placed) {
      w.neighbours.push_back(static_cast<std::uint32_t>(i));
      w.weights.push_back(self_weight);
    }
    w.offsets[i + 1] = static_cast<std::uint32_t>(w.neighbours.size());
  }
  w.includes_self = true;
  w.kind = in.kind + fmt::format(", self added (weight {})", self_weight);
  return w;
}

Weights rowStandardised(const Weights& in) {
  Weights w = in;
  for (std::size_t i = 0; i < w.size(); ++i) {
    double s = 0;
    for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) s += w.weights[a];
    if (s == 0) continue;
    for (std::uint32_t a = w.offsets[i]; a < w.offsets[i + 1]; ++a) w.weights[a] /= s;
  }
  w.kind = in.kind + ", row-standardised";
  return w;
}

WeightsSummary summarise(const Weights& w) {
  WeightsSummary s;
  const std::size_t n = w.size();
  if (n == 0) return s;
  s.min_neighbours = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t c = w.count(i);
    s.min_neighbours = std::min(s.min_neighbours, c);
    s.max_neighbours = std::max(s.max_neighbours, c);
    if (c <= (w.includes_self ? 1u : 0u)) ++s.isolated;
  }
  s.mean_neighbours = static_cast<double>(w.neighbours.size()) / static_cast<double>(n);
  return s;
}

}  // namespace trygg::geo::hotspot
