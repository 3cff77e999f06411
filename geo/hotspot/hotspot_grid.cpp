// Analysis grids and the Optimized Hot Spot Analysis scale choices.
// Sources: ArcGIS Pro "How Optimized Hot Spot Analysis works" and "How
// Incremental Spatial Autocorrelation works" as summarised in METHODS.md §4 (the
// cell-size factor there is marked as our reading; see docs/methods/getis-ord.md);
// hexagon geometry: the pointy-top offset layout (odd rows shifted right).
#include "geo/hotspot/hotspot_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "core/error.hpp"
#include "geo/hotspot/local_moran.hpp"

namespace trygg::geo::hotspot {

namespace {
constexpr double kSqrt3 = 1.7320508075688772;
constexpr std::int64_t kMaxCells = 50'000'000;

void checkGridArgs(const BBox& extent, double cell, const char* what) {
  if (!(cell > 0) || !std::isfinite(cell))
    throwUsageError("hotspot.grid: {} cell size must be a positive distance (got {})", what, cell);
  if (extent.empty()) throwUsageError("hotspot.grid: the study area's extent is empty; nothing to grid");
  if (cell > std::max(extent.width(), extent.height()))
    throwUsageError("hotspot.grid: {} cell size {} is larger than the study area ({} x {}); choose a smaller cell",
                    what, cell, extent.width(), extent.height());
}

void finish(Grid& g, const InsidePredicate& inside, const std::function<bool(const Point&)>& keep_default) {
  const std::int64_t total = static_cast<std::int64_t>(g.ncols) * g.nrows;
  if (total > kMaxCells)
    throwUsageError("hotspot.grid: {} x {} = {} cells is more than {}; choose a larger cell", g.ncols, g.nrows, total,
                    kMaxCells);
  g.lookup.assign(static_cast<std::size_t>(total), -1);
  for (int r = 0; r < g.nrows; ++r)
    for (int c = 0; c < g.ncols; ++c) {
      Point p;
      if (g.shape == GridShape::Square) {
        p = {g.origin.x + (c + 0.5) * g.cell, g.origin.y + (r + 0.5) * g.cell};
      } else {
        p = {g.origin.x + (c + 0.5 * (r & 1)) * g.cell, g.origin.y + r * g.cell * kSqrt3 / 2};
      }
      if (inside ? !inside(p) : !keep_default(p)) continue;
      g.lookup[static_cast<std::size_t>(r) * g.ncols + c] = static_cast<std::int64_t>(g.centres.size());
      g.centres.push_back(p);
      g.col.push_back(c);
      g.row.push_back(r);
    }
}

double median(std::vector<double> v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t m = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m), v.end());
  const double hi = v[m];
  if (v.size() % 2) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(m));
  return 0.5 * (lo + hi);
}

// Distance from every point to its k-th nearest other point.
std::vector<double> kthNeighbourDistance(std::span<const Point> pts, int k) {
  const Weights w = knnWeights(pts, k, false);
  std::vector<double> d(pts.size(), 0.0);
  for (std::size_t i = 0; i < pts.size(); ++i)
    for (std::uint32_t j : w.row(i)) d[i] = std::max(d[i], std::hypot(pts[j].x - pts[i].x, pts[j].y - pts[i].y));
  return d;
}
}  // namespace

double Grid::cellArea() const { return shape == GridShape::Square ? cell * cell : kSqrt3 / 2 * cell * cell; }

std::int64_t Grid::cellOf(const Point& p) const {
  if (shape == GridShape::Square) {
    auto c = static_cast<std::int64_t>(std::floor((p.x - origin.x) / cell));
    auto r = static_cast<std::int64_t>(std::floor((p.y - origin.y) / cell));
    // The grid's own outer edge belongs to the last column/row.
    if (c == ncols && p.x == origin.x + ncols * cell) --c;
    if (r == nrows && p.y == origin.y + nrows * cell) --r;
    if (c < 0 || r < 0 || c >= ncols || r >= nrows) return -1;
    return lookup[static_cast<std::size_t>(r * ncols + c)];
  }
  const double rowh = cell * kSqrt3 / 2;
  const auto r0 = static_cast<std::int64_t>(std::llround((p.y - origin.y) / rowh));
  std::int64_t best = -1;
  double bestd = std::numeric_limits<double>::infinity();
  std::int64_t bestflat = std::numeric_limits<std::int64_t>::max();
  for (std::int64_t r = r0 - 1; r <= r0 + 1; ++r) {
    if (r < 0 || r >= nrows) continue;
    const double off = 0.5 * static_cast<double>(r & 1);
    const auto c0 = static_cast<std::int64_t>(std::floor((p.x - origin.x) / cell - off));
    for (std::int64_t c = c0; c <= c0 + 1; ++c) {
      if (c < 0 || c >= ncols) continue;
      const double cx = origin.x + (static_cast<double>(c) + off) * cell, cy = origin.y + static_cast<double>(r) * rowh;
      const double d = (p.x - cx) * (p.x - cx) + (p.y - cy) * (p.y - cy);
      const std::int64_t flat = r * ncols + c;
      if (d < bestd || (d == bestd && flat < bestflat)) {
        bestd = d;
        bestflat = flat;
      }
    }
  }
  if (bestflat != std::numeric_limits<std::int64_t>::max()) best = lookup[static_cast<std::size_t>(bestflat)];
  return best;
}

Ring Grid::polygon(std::size_t k) const {
  const Point c = centres.at(k);
  Ring ring;
  if (shape == GridShape::Square) {
    const double h = cell / 2;
    ring = {{c.x - h, c.y - h}, {c.x + h, c.y - h}, {c.x + h, c.y + h}, {c.x - h, c.y + h}, {c.x - h, c.y - h}};
  } else {
    const double R = cell / kSqrt3;  // circumradius; pointy-top: vertices at 30 + 60 k degrees
    for (int v = 0; v < 6; ++v) {
      const double a = (30.0 + 60.0 * v) * 3.14159265358979323846 / 180.0;
      ring.push_back({c.x + R * std::cos(a), c.y + R * std::sin(a)});
    }
    ring.push_back(ring.front());
  }
  return ring;
}

Grid squareGrid(const BBox& extent, double cell, const InsidePredicate& inside) {
  checkGridArgs(extent, cell, "square");
  Grid g;
  g.shape = GridShape::Square;
  g.cell = cell;
  g.origin = {extent.minx, extent.miny};
  g.ncols = std::max(1, static_cast<int>(std::ceil(extent.width() / cell)));
  g.nrows = std::max(1, static_cast<int>(std::ceil(extent.height() / cell)));
  finish(g, inside, [](const Point&) { return true; });
  return g;
}

Grid hexGrid(const BBox& extent, double cell, const InsidePredicate& inside) {
  checkGridArgs(extent, cell, "hexagon");
  Grid g;
  g.shape = GridShape::Hexagon;
  g.cell = cell;
  g.origin = {extent.minx, extent.miny};
  const double rowh = cell * kSqrt3 / 2, R = cell / kSqrt3;
  g.ncols = static_cast<int>(std::ceil(extent.width() / cell)) + 1;
  g.nrows = static_cast<int>(std::ceil(extent.height() / rowh)) + 1;
  // A point of the extent lies in a hexagon whose centre is within cell/2 in x and R in y.
  const BBox keep{extent.minx - cell / 2, extent.miny - R, extent.maxx + cell / 2, extent.maxy + R};
  finish(g, inside, [keep](const Point& p) { return keep.contains(p.x, p.y); });
  return g;
}

std::vector<double> countPoints(const Grid& grid, std::span<const Point> points, std::span<const double> weights,
                                std::size_t* outside) {
  if (!weights.empty() && weights.size() != points.size())
    throwUsageError("hotspot.grid: {} points but {} weights", points.size(), weights.size());
  std::vector<double> counts(grid.size(), 0.0);
  std::size_t out = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::int64_t k = grid.cellOf(points[i]);
    if (k < 0) {
      ++out;
      continue;
    }
    counts[static_cast<std::size_t>(k)] += weights.empty() ? 1.0 : weights[i];
  }
  if (outside) *outside = out;
  return counts;
}

Weights gridContiguityWeights(const Grid& grid, Contiguity contiguity, bool include_self) {
  const std::size_t n = grid.size();
  Weights w;
  w.offsets.assign(n + 1, 0);
  std::vector<std::uint32_t> row;
  auto at = [&](int r, int c) -> std::int64_t {
    if (r < 0 || c < 0 || r >= grid.nrows || c >= grid.ncols) return -1;
    return grid.lookup[static_cast<std::size_t>(r) * grid.ncols + c];
  };
  for (std::size_t i = 0; i < n; ++i) {
    row.clear();
    const int r = grid.row[i], c = grid.col[i];
    if (grid.shape == GridShape::Square) {
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) {
          if (dr == 0 && dc == 0 && !include_self) continue;
          if (contiguity == Contiguity::Rook && dr != 0 && dc != 0) continue;
          if (const auto k = at(r + dr, c + dc); k >= 0) row.push_back(static_cast<std::uint32_t>(k));
        }
    } else {
      // Odd rows are shifted right: their upper/lower neighbours are columns c, c+1;
      // even rows': c-1, c.
      const int lo = (r & 1) ? 0 : -1;
      const int cand[7][2] = {{0, -1}, {0, 1}, {-1, lo}, {-1, lo + 1}, {1, lo}, {1, lo + 1}, {0, 0}};
      for (const auto& d : cand) {
        if (d[0] == 0 && d[1] == 0 && !include_self) continue;
        if (const auto k = at(r + d[0], c + d[1]); k >= 0) row.push_back(static_cast<std::uint32_t>(k));
      }
    }
    std::sort(row.begin(), row.end());
    w.neighbours.insert(w.neighbours.end(), row.begin(), row.end());
    w.offsets[i + 1] = static_cast<std::uint32_t>(w.neighbours.size());
  }
  w.weights.assign(w.neighbours.size(), 1.0);
  w.includes_self = include_self;
  w.kind = fmt::format("{} contiguity of {} grid cells (binary, {})",
                       grid.shape == GridShape::Hexagon ? "edge" : (contiguity == Contiguity::Queen ? "queen" : "rook"),
                       grid.shape == GridShape::Hexagon ? "hexagonal" : "square",
                       include_self ? "self included" : "self excluded");
  return w;
}

CellSizeChoice optimizedCellSize(std::span<const Point> incidents) {
  std::vector<Point> u(incidents.begin(), incidents.end());
  std::sort(u.begin(), u.end(), [](const Point& a, const Point& b) { return a.x < b.x || (a.x == b.x && a.y < b.y); });
  u.erase(std::unique(u.begin(), u.end()), u.end());
  if (u.size() < kOptimizedMinFeatures)
    throwUsageError("hotspot.optimized: choosing the cell size automatically needs at least {} incidents at distinct "
                    "locations (got {}); give a cell size or use more data", kOptimizedMinFeatures, u.size());
  const std::vector<double> nn = kthNeighbourDistance(u, 1);
  CellSizeChoice c;
  c.unique_locations = u.size();
  double s = 0;
  for (double d : nn) s += d;
  c.mean_nn = s / static_cast<double>(nn.size());
  c.median_nn = median(nn);
  const double hi = std::max(c.mean_nn, c.median_nn), lo = std::min(c.mean_nn, c.median_nn);
  const double factor = std::max(2.0, lo > 0 ? hi / lo : 2.0);
  c.cell = hi * factor;
  c.note = fmt::format("cell {} = max(mean NN {}, median NN {}) x max(2, ratio {}) over {} distinct locations "
                       "(ArcGIS Optimized Hot Spot Analysis, METHODS.md §4)",
                       c.cell, c.mean_nn, c.median_nn, lo > 0 ? hi / lo : 0.0, c.unique_locations);
  return c;
}

DistanceBandChoice optimizedDistanceBand(std::span<const Point> centres, std::span<const double> values,
                                         const DistanceBandOptions& o) {
  const std::size_t n = centres.size();
  if (values.size() != n) throwUsageError("hotspot.optimized: {} locations but {} values", n, values.size());
  if (n < kOptimizedMinFeatures)
    throwUsageError("hotspot.optimized: choosing the distance band automatically needs at least {} features (got {})",
                    kOptimizedMinFeatures, n);
  if (o.bands < 1) throwUsageError("hotspot.optimized: bands must be >= 1 (got {})", o.bands);
  {
    const auto [mn, mx] = std::minmax_element(values.begin(), values.end());
    if (*mn == *mx)
      throwUsageError("hotspot.optimized: all {} values are equal ({}), so the variance is zero and no hot spot "
                      "analysis is possible; choose another area, period or cell size", n, *mn);
  }
  const std::vector<double> nn = kthNeighbourDistance(centres, 1);
  double sum = 0, mx = 0;
  for (double d : nn) {
    sum += d;
    mx = std::max(mx, d);
  }
  DistanceBandChoice ch;
  ch.increment = sum / static_cast<double>(n);
  ch.start = mx;
  for (int b = 0; b < o.bands; ++b) {
    const double dist = ch.start + b * ch.increment;
    const Weights w = distanceBandWeights(centres, dist, false);
    if (b > 0 && summarise(w).mean_neighbours > o.max_mean_neighbours) break;
    const GlobalMoran g = globalMoran(values, w);
    ch.distances.push_back(dist);
    ch.moran_i.push_back(g.I);
    ch.moran_z.push_back(g.z);
  }
  const std::size_t m = ch.distances.size();
  for (std::size_t b = 1; b + 1 < m; ++b) {
    if (ch.moran_z[b] > ch.moran_z[b - 1] && ch.moran_z[b] > ch.moran_z[b + 1] && ch.moran_z[b] > o.significant_z) {
      ch.band = ch.distances[b];
      ch.method = ScaleMethod::FirstPeak;
      ch.note = fmt::format("distance band {} = first peak of global Moran's I z ({:.3f}) over {} distances from {} "
                            "by {}", ch.band, ch.moran_z[b], m, ch.start, ch.increment);
      return ch;
    }
  }
  const auto best = std::max_element(ch.moran_z.begin(), ch.moran_z.end());
  if (best != ch.moran_z.end() && *best > o.significant_z) {
    ch.band = ch.distances[static_cast<std::size_t>(best - ch.moran_z.begin())];
    ch.method = ScaleMethod::MaxPeak;
    ch.note = fmt::format("distance band {} = maximum global Moran's I z ({:.3f}; no interior peak) over {} distances "
                          "from {} by {}", ch.band, *best, m, ch.start, ch.increment);
    return ch;
  }
  ch.k = static_cast<int>(std::clamp<long>(std::lround(0.05 * static_cast<double>(n)), 3, 30));
  const std::vector<double> dk = kthNeighbourDistance(centres, ch.k);
  double s = 0;
  for (double d : dk) s += d;
  ch.band = s / static_cast<double>(n);
  ch.method = ScaleMethod::KNearestMean;
  ch.note = fmt::format("distance band {} = mean distance to the {}-th nearest neighbour (no significant peak of "
                        "global Moran's I over {} distances)", ch.band, ch.k, m);
  return ch;
}

}  // namespace trygg::geo::hotspot
