// Kernel density: options, raster geometry, bandwidth and cell rules, and the
// QgisCompat and Binned modes. The Exact mode's engine is kde_exact_impl.hpp.
// Sources: QGIS 3.22 src/analysis/raster/qgskde.cpp (kernels, constants, extent, pixel
// addressing), ArcGIS Pro "How Kernel Density works" (cell size, search radius),
// spatstat density.ppp (Gaussian sigma), Wand & Jones (1995) "Kernel Smoothing",
// appendix D (linear binning). docs/methods/kde.md states every difference.
#include "geo/hotspot/kde.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <numeric>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "geo/hotspot/kde_internal.hpp"

namespace trygg::geo::hotspot {
namespace {

constexpr double kPi = std::numbers::pi;

const char* kernelName(Kernel k) {
  switch (k) {
    case Kernel::Quartic: return "quartic";
    case Kernel::Triangular: return "triangular";
    case Kernel::Uniform: return "uniform";
    case Kernel::Triweight: return "triweight";
    case Kernel::Epanechnikov: return "epanechnikov";
    case Kernel::Gaussian: return "gaussian";
  }
  return "?";
}

void validateOptions(const KdeOptions& o) {
  if (!(std::isfinite(o.bandwidth) && o.bandwidth > 0))
    throwUsageError(
        "hotspot.kde: bandwidth must be > 0 (got {}); give the kernel radius in map units (sigma for the "
        "Gaussian), or compute one with silvermanBandwidth()",
        o.bandwidth);
  if (!(std::isfinite(o.cell) && o.cell >= 0))
    throwUsageError("hotspot.kde: cell must be > 0, or 0 for the default (got {})", o.cell);
  if (!std::isfinite(o.triangular_decay))
    throwUsageError("hotspot.kde: triangular_decay must be a finite number (got {})", o.triangular_decay);
  if (o.kernel == Kernel::Triangular && o.output == KdeOutput::Density && o.triangular_decay < 0)
    throwUsageError(
        "hotspot.kde: a density needs triangular_decay >= 0 (got {}): with a negative decay the kernel "
        "goes below zero; use output raw or a decay >= 0",
        o.triangular_decay);
  if (o.kernel == Kernel::Gaussian && !(std::isfinite(o.gaussian_cutoff_sigmas) && o.gaussian_cutoff_sigmas >= 1))
    throwUsageError("hotspot.kde: gaussian_cutoff_sigmas must be >= 1 (got {}); the default is 5",
                    o.gaussian_cutoff_sigmas);
  if (o.mode == PixelMode::QgisCompat && o.kernel == Kernel::Gaussian)
    throwUsageError("hotspot.kde: QGIS's Heatmap has no Gaussian kernel; use mode exact or binned with it");
  if (o.mode == PixelMode::QgisCompat && (o.extent || !o.expand_extent_by_radius))
    throwUsageError(
        "hotspot.kde: mode qgis_compat reproduces QGIS's own extent (the points' box padded by the radius); "
        "drop the extent and keep expand_extent_by_radius, or use mode exact");
  if (o.mode == PixelMode::Binned && o.kernel != Kernel::Gaussian)
    throwUsageError("hotspot.kde: mode binned is for the Gaussian kernel only (got {}); use mode exact",
                    kernelName(o.kernel));
}

void validateData(std::span<const Point> pts, std::span<const double> weights) {
  if (!weights.empty() && weights.size() != pts.size())
    throwUsageError("hotspot.kde: {} weights for {} points; give one weight per point or none", weights.size(),
                    pts.size());
  for (std::size_t i = 0; i < pts.size(); ++i)
    if (!std::isfinite(pts[i].x) || !std::isfinite(pts[i].y))
      throwDataError("hotspot.kde: point {} has a non-finite coordinate ({}, {}); drop it or fix the input", i,
                     pts[i].x, pts[i].y);
  for (std::size_t i = 0; i < weights.size(); ++i)
    if (!std::isfinite(weights[i]))
      throwDataError("hotspot.kde: weight {} is not a finite number ({}); fix the weight column", i, weights[i]);
}

BBox boundsOf(std::span<const Point> pts) {
  BBox b;
  for (const Point& p : pts) b.expand(p);
  return b;
}

// QGIS 3.22 QgsKernelDensityEstimation::radiusSizeInPixels: note the 0.5 is in map units,
// not pixels (kept: it decides the stencil size).
int qgisRadiusInPixels(double radius, double pixel) {
  int buffer = static_cast<int>(radius / pixel);
  if (radius - (pixel * buffer) > 0.5) ++buffer;
  return buffer;
}

// QGIS 3.22 QgsKernelDensityEstimation::calculateKernelValue, expression for expression
// (the same operations in the same order give the same doubles), including the scaled
// quartic constant of bug #60616 (116/(5 pi h^2) * 15/16 = 7.25 * 3/(pi h^2)).
double qgisKernelValue(double distance, double bandwidth, Kernel shape, KdeOutput out, double decay) {
  const bool scaled = out == KdeOutput::Density;
  switch (shape) {
    case Kernel::Triangular:
      if (scaled && decay >= 0) {
        const double k = 3. / ((1. + 2. * decay) * kPi * std::pow(bandwidth, 2));
        return k * (1. - (1. - decay) * (distance / bandwidth));
      }
      return (1. - (1. - decay) * (distance / bandwidth));
    case Kernel::Uniform:
      if (scaled) {
        const double k = 2. / (kPi * bandwidth);
        return k * (0.5 / bandwidth);
      }
      return 1.0;
    case Kernel::Quartic:
      if (scaled) {
        const double k = 116. / (5. * kPi * std::pow(bandwidth, 2));
        return k * (15. / 16.) * std::pow(1. - std::pow(distance / bandwidth, 2), 2);
      }
      return std::pow(1. - std::pow(distance / bandwidth, 2), 2);
    case Kernel::Triweight:
      if (scaled) {
        const double k = 128. / (35. * kPi * std::pow(bandwidth, 2));
        return k * (35. / 32.) * std::pow(1. - std::pow(distance / bandwidth, 2), 3);
      }
      return std::pow(1. - std::pow(distance / bandwidth, 2), 3);
    case Kernel::Epanechnikov:
      if (scaled) {
        const double k = 8. / (3. * kPi * std::pow(bandwidth, 2));
        return k * (3. / 4.) * (1. - std::pow(distance / bandwidth, 2));
      }
      return (1. - std::pow(distance / bandwidth, 2));
    case Kernel::Gaussian: break;
  }
  return 0.0;
}

// QGIS 3.22 Heatmap (QgsKernelDensityEstimation::prepare/addFeature), reproduced:
//  - bounds = the points' box padded by the radius; rows = max(ceil(H/ps)+1, 1), same for
//    columns; geotransform origin (xmin, ymax);
//  - per point a (2b+1)^2 block, b = radiusSizeInPixels; block column
//    xPos = (unsigned)((x - xmin)/ps - b), row yPosIO = (unsigned)((ymax - y)/ps - b) from
//    the top, but the kernel is evaluated at pixel centre y = (yPos + yp + 0.5)*ps + ymin
//    with yPos = (unsigned)((y - ymin)/ps - b) counted from the BOTTOM: the value for block
//    row yp lands in the mirrored row, i.e. each kernel is mirrored within its pixel;
//  - pixels with d^2 > r^2 are skipped; a pixel still NoData becomes 0 before the first
//    addition; sums are Float32, in the input order of the points;
//  - a block reaching outside the raster makes GDALRasterIO fail and QGIS drops that point
//    (it reports "Error adding feature"); so do we.
void qgisCompatDensity(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& o,
                       RasterGrid64& g) {
  const double r = o.bandwidth, ps = g.cell;
  const BBox b = boundsOf(pts).grown(r);
  const int buffer = qgisRadiusInPixels(r, ps);
  const int bs = 2 * buffer + 1;
  const int W = g.width, H = g.height;
  struct Block {
    long long xPos, yPos, yPosIO;
  };
  std::vector<Block> blocks(pts.size());
  const auto toUnsigned = [](double v) {
    // QGIS assigns to unsigned int: truncation toward zero ((-1, 0) -> 0)
    return static_cast<long long>(v < 0 ? std::ceil(v) : std::floor(v));
  };
  for (std::size_t k = 0; k < pts.size(); ++k) {
    const Point& p = pts[k];
    Block& bl = blocks[k];
    bl.xPos = toUnsigned(((p.x - b.minx) / ps) - buffer);
    bl.yPos = toUnsigned(((p.y - b.miny) / ps) - buffer);
    bl.yPosIO = toUnsigned(((b.maxy - p.y) / ps) - buffer);
    if (bl.xPos < 0 || bl.yPosIO < 0 || bl.xPos + bs > W || bl.yPosIO + bs > H) bl.xPos = -1;  // dropped
  }
  const double r2 = std::pow(r, 2);
  constexpr int kQgisBand = 32;
  const int nbands = (H + kQgisBand - 1) / kQgisBand;
  const float nodata = static_cast<float>(g.nodata);
  tbb::parallel_for(
      tbb::blocked_range<int>(0, nbands, 1),
      [&](const tbb::blocked_range<int>& range) {
        std::vector<float> band;
        for (int bi = range.begin(); bi != range.end(); ++bi) {
          const int j0 = bi * kQgisBand, j1 = std::min(H, j0 + kQgisBand);
          band.assign(static_cast<std::size_t>(j1 - j0) * W, nodata);
          for (std::size_t k = 0; k < pts.size(); ++k) {  // input order: Float32 sums depend on it
            const Block& bl = blocks[k];
            if (bl.xPos < 0 || bl.yPosIO + bs <= j0 || bl.yPosIO >= j1) continue;
            const double x = pts[k].x, y = pts[k].y;
            const double weight = weights.empty() ? 1.0 : weights[k];
            const int yp0 = static_cast<int>(std::max<long long>(0, j0 - bl.yPosIO));
            const int yp1 = static_cast<int>(std::min<long long>(bs, j1 - bl.yPosIO));
            for (int xp = 0; xp < bs; ++xp) {
              const double cx = (static_cast<double>(bl.xPos + xp) + 0.5) * ps + b.minx;
              for (int yp = yp0; yp < yp1; ++yp) {
                const double cy = (static_cast<double>(bl.yPos + yp) + 0.5) * ps + b.miny;
                const double d2 = std::pow(cx - x, 2.0) + std::pow(cy - y, 2.0);
                if (d2 > r2) continue;
                const double v = weight * qgisKernelValue(std::sqrt(d2), r, o.kernel, o.output, o.triangular_decay);
                float& f = band[static_cast<std::size_t>(bl.yPosIO + yp - j0) * W +
                                static_cast<std::size_t>(bl.xPos + xp)];
                if (f == nodata) f = 0;
                f = static_cast<float>(f + v);
              }
            }
          }
          std::copy(band.begin(), band.end(), g.values.begin() + static_cast<std::ptrdiff_t>(j0) * W);
        }
      },
      tbb::simple_partitioner());
}

// Binned Gaussian: linear binning of the points to pixel centres (each weight shared by
// the 4 surrounding centres, Wand & Jones 1995 app. D; keeps mass and centre of mass),
// then the separable convolution with exp(-(k cell)^2 / (2 sigma^2)), |k| cell <= cutoff
// sigma. The support is a square of half-side K = floor(cutoff sigma / cell) pixels
// (Exact: a disc of radius cutoff sigma); NoData = no binned weight share within it.
void binnedGaussianDensity(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& o,
                           double scale, RasterGrid64& g) {
  const double sigma = o.bandwidth, cell = g.cell;
  const int K = static_cast<int>(std::floor(o.gaussian_cutoff_sigmas * sigma / cell));
  const int W = g.width, H = g.height;
  const int pad = K + 1;
  const std::size_t Wp = static_cast<std::size_t>(W) + 2 * pad, Hp = static_cast<std::size_t>(H) + 2 * pad;
  std::vector<double> bins(Wp * Hp, 0.0);
  std::vector<unsigned char> mark(Wp * Hp, 0);
  // sequential: a fixed summation order per bin (deterministic); memory-bound, cheap
  for (std::size_t k = 0; k < pts.size(); ++k) {
    const double fx = (pts[k].x - g.origin_x) / cell - 0.5 + pad;
    const double fy = (g.origin_y - pts[k].y) / cell - 0.5 + pad;
    if (!(fx >= 0 && fy >= 0 && fx < static_cast<double>(Wp - 1) && fy < static_cast<double>(Hp - 1))) continue;
    const std::size_t i0 = static_cast<std::size_t>(fx), j0 = static_cast<std::size_t>(fy);
    const double a = fx - static_cast<double>(i0), c = fy - static_cast<double>(j0);
    const double w = weights.empty() ? 1.0 : weights[k];
    const double s[4] = {(1 - a) * (1 - c), a * (1 - c), (1 - a) * c, a * c};
    const std::size_t at[4] = {j0 * Wp + i0, j0 * Wp + i0 + 1, (j0 + 1) * Wp + i0, (j0 + 1) * Wp + i0 + 1};
    for (int q = 0; q < 4; ++q) {
      if (s[q] == 0) continue;
      bins[at[q]] += w * s[q];
      mark[at[q]] = 1;
    }
  }
  std::vector<double> taps(static_cast<std::size_t>(2 * K + 1));
  for (int k = -K; k <= K; ++k) {
    const double d = k * cell;
    taps[static_cast<std::size_t>(k + K)] = std::exp(-(d * d) / (2 * sigma * sigma));
  }
  // horizontal pass: padded rows x output columns; rows without any mark stay empty
  std::vector<double> tmp(Hp * static_cast<std::size_t>(W), 0.0);
  std::vector<unsigned char> rowUsed(Hp, 0);
  std::vector<std::int32_t> anyH(Hp * static_cast<std::size_t>(W), 0);  // marks within +-K columns
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, Hp, 8), [&](const tbb::blocked_range<std::size_t>& rr) {
    std::vector<std::int32_t> prefix(Wp + 1);
    for (std::size_t jp = rr.begin(); jp != rr.end(); ++jp) {
      const unsigned char* mk = mark.data() + jp * Wp;
      if (std::find(mk, mk + Wp, 1) == mk + Wp) continue;
      rowUsed[jp] = 1;
      const double* in = bins.data() + jp * Wp;
      double* out = tmp.data() + jp * static_cast<std::size_t>(W);
      for (int k = 0; k <= 2 * K; ++k) {
        const double t = taps[static_cast<std::size_t>(k)];
        const double* src = in + 1 + k;  // output column i reads bins i+1 .. i+1+2K
        for (int i = 0; i < W; ++i) out[i] += t * src[i];
      }
      prefix[0] = 0;
      for (std::size_t i = 0; i < Wp; ++i) prefix[i + 1] = prefix[i] + mk[i];
      std::int32_t* ah = anyH.data() + jp * static_cast<std::size_t>(W);
      for (int i = 0; i < W; ++i)
        ah[i] = prefix[static_cast<std::size_t>(i) + 2 * K + 2] - prefix[static_cast<std::size_t>(i) + 1];
    }
  });
  // column prefix sums of anyH (sequential over rows, vectorised over columns)
  std::vector<std::int32_t> colPrefix((Hp + 1) * static_cast<std::size_t>(W), 0);
  for (std::size_t jp = 0; jp < Hp; ++jp) {
    const std::int32_t* prev = colPrefix.data() + jp * W;
    std::int32_t* cur = colPrefix.data() + (jp + 1) * W;
    const std::int32_t* ah = anyH.data() + jp * W;
    for (int i = 0; i < W; ++i) cur[i] = prev[i] + ah[i];
  }
  // vertical pass: output row j reads padded rows j+1 .. j+1+2K
  tbb::parallel_for(tbb::blocked_range<int>(0, H, 4), [&](const tbb::blocked_range<int>& rr) {
    std::vector<double> acc(static_cast<std::size_t>(W));
    for (int j = rr.begin(); j != rr.end(); ++j) {
      std::fill(acc.begin(), acc.end(), 0.0);
      for (int k = 0; k <= 2 * K; ++k) {
        const std::size_t jp = static_cast<std::size_t>(j + 1 + k);
        if (!rowUsed[jp]) continue;
        const double t = taps[static_cast<std::size_t>(k)];
        const double* src = tmp.data() + jp * W;
        for (int i = 0; i < W; ++i) acc[static_cast<std::size_t>(i)] += t * src[i];
      }
      const std::int32_t* lo = colPrefix.data() + static_cast<std::size_t>(j + 1) * W;
      const std::int32_t* hi = colPrefix.data() + static_cast<std::size_t>(j + 2 * K + 2) * W;
      double* out = g.values.data() + static_cast<std::size_t>(j) * W;
      for (int i = 0; i < W; ++i) out[i] = hi[i] - lo[i] > 0 ? acc[static_cast<std::size_t>(i)] * scale : g.nodata;
    }
  });
}

}  // namespace

double kernelSupportRadius(const KdeOptions& o) {
  return o.kernel == Kernel::Gaussian ? o.gaussian_cutoff_sigmas * o.bandwidth : o.bandwidth;
}

double kernelScale(Kernel kernel, double h, double decay) {
  switch (kernel) {
    case Kernel::Uniform: return 1.0 / (kPi * h * h);
    case Kernel::Quartic: return 3.0 / (kPi * h * h);
    case Kernel::Triweight: return 4.0 / (kPi * h * h);
    case Kernel::Epanechnikov: return 2.0 / (kPi * h * h);
    case Kernel::Triangular: return 3.0 / ((1.0 + 2.0 * decay) * kPi * h * h);
    case Kernel::Gaussian: return 1.0 / (2.0 * kPi * h * h);
  }
  return 0;
}

double defaultCellSize(const BBox& e) {
  if (e.empty()) throwUsageError("hotspot.kde: no extent to derive a cell size from; set cell explicitly");
  double m = std::min(e.width(), e.height());
  if (m <= 0) m = std::max(e.width(), e.height());
  if (!(m > 0))
    throwUsageError("hotspot.kde: the points' extent has zero width and height (all points coincide); set cell "
                    "explicitly");
  return m / 250.0;  // ArcGIS Pro Kernel Density: shorter side of the extent / 250
}

double silvermanBandwidth(std::span<const Point> pts, std::span<const double> weights) {
  validateData(pts, weights);
  if (pts.size() < 2)
    throwUsageError("hotspot.kde: the automatic bandwidth needs at least 2 points (got {}); set bandwidth",
                    pts.size());
  const std::size_t n = pts.size();
  const auto w = [&](std::size_t i) { return weights.empty() ? 1.0 : weights[i]; };
  double sw = 0, mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (w(i) < 0)
      throwUsageError("hotspot.kde: the automatic bandwidth needs weights >= 0 (weight {} is {}); set bandwidth",
                      i, w(i));
    sw += w(i);
    mx += w(i) * pts[i].x;
    my += w(i) * pts[i].y;
  }
  if (!(sw > 0)) throwUsageError("hotspot.kde: the weights sum to 0; no automatic bandwidth; set bandwidth");
  mx /= sw;
  my /= sw;
  std::vector<double> d(n);
  double ss = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double dx = pts[i].x - mx, dy = pts[i].y - my, d2 = dx * dx + dy * dy;
    ss += w(i) * d2;
    d[i] = std::sqrt(d2);
  }
  const double sd = std::sqrt(ss / sw);  // standard distance
  // (weighted) median distance: the first distance whose cumulative weight reaches half;
  // an exact tie at half averages it with the next (the usual median for equal weights)
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return d[a] < d[b]; });
  double cum = 0, dm = 0;
  for (std::size_t k = 0; k < n; ++k) {
    cum += w(order[k]);
    if (cum >= 0.5 * sw) {
      dm = (cum == 0.5 * sw && k + 1 < n) ? 0.5 * (d[order[k]] + d[order[k + 1]]) : d[order[k]];
      break;
    }
  }
  const double h = 0.9 * std::min(sd, std::sqrt(1.0 / std::log(2.0)) * dm) * std::pow(sw, -0.2);
  if (!(h > 0))
    throwUsageError("hotspot.kde: the automatic bandwidth is 0 (more than half of the points coincide); set "
                    "bandwidth");
  return h;
}

RasterGrid64 kdeGridGeometry(std::span<const Point> pts, const KdeOptions& o) {
  validateOptions(o);
  BBox base;
  if (o.extent) {
    base = *o.extent;
    if (base.empty() || !(base.width() > 0 && base.height() > 0) || !std::isfinite(base.width()) ||
        !std::isfinite(base.height()))
      throwUsageError("hotspot.kde: the extent must have a positive width and height (got {} x {})", base.width(),
                      base.height());
  } else {
    if (pts.empty())
      throwUsageError("hotspot.kde: no points to estimate a density from; widen the selection, or give an "
                      "extent to get an all-NoData raster");
    base = boundsOf(pts);
    if (!std::isfinite(base.width()) || !std::isfinite(base.height()))
      throwDataError("hotspot.kde: a point has a non-finite coordinate; drop it or fix the input");
  }
  const double cell = o.cell > 0 ? o.cell : defaultCellSize(base);
  const double R = kernelSupportRadius(o);
  const BBox b = o.extent ? base : (o.expand_extent_by_radius ? base.grown(R) : base);
  if (cell > b.width() || cell > b.height())
    throwUsageError("hotspot.kde: cell {} is larger than the raster extent ({} x {}); use a cell smaller than {}",
                    cell, b.width(), b.height(), std::min(b.width(), b.height()));
  double cols, rows;
  if (o.extent) {  // exactly the extent (a whole number of cells within 1e-9 of a cell)
    cols = std::max(1.0, std::ceil(b.width() / cell - 1e-9));
    rows = std::max(1.0, std::ceil(b.height() / cell - 1e-9));
  } else {  // QGIS 3.22: std::max(std::ceil(W / ps) + 1, 1.0)
    cols = std::max(std::ceil(b.width() / cell) + 1, 1.0);
    rows = std::max(std::ceil(b.height() / cell) + 1, 1.0);
  }
  if (cols * rows > static_cast<double>(std::numeric_limits<std::int32_t>::max()))
    throwUsageError("hotspot.kde: cell {} gives a {} x {} raster (over 2^31 pixels); use a larger cell", cell,
                    cols, rows);
  RasterGrid64 g;
  g.origin_x = b.minx;
  g.origin_y = b.maxy;
  g.cell = cell;
  g.width = static_cast<int>(cols);
  g.height = static_cast<int>(rows);
  g.nodata = o.nodata;
  return g;
}

RasterGrid64 kernelDensity64(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& o) {
  RasterGrid64 g = kdeGridGeometry(pts, o);
  validateData(pts, weights);
  g.values.assign(static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height), g.nodata);
  if (pts.empty()) return g;  // explicit extent, no points: all NoData (documented)
  const double scale = o.output == KdeOutput::Density ? kernelScale(o.kernel, o.bandwidth, o.triangular_decay) : 1.0;
  switch (o.mode) {
    case PixelMode::Exact: detail::exactDensity(pts, weights, o, scale, g); break;
    case PixelMode::QgisCompat: qgisCompatDensity(pts, weights, o, g); break;
    case PixelMode::Binned: binnedGaussianDensity(pts, weights, o, scale, g); break;
  }
  return g;
}

RasterGrid kernelDensity(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& o) {
  RasterGrid64 g = kernelDensity64(pts, weights, o);
  RasterGrid f;
  f.origin_x = g.origin_x;
  f.origin_y = g.origin_y;
  f.cell = g.cell;
  f.width = g.width;
  f.height = g.height;
  f.nodata = o.nodata;
  f.values.resize(g.values.size());
  std::transform(g.values.begin(), g.values.end(), f.values.begin(),
                 [](double v) { return static_cast<float>(v); });
  return f;
}

void densityToPerSquareKilometre(RasterGrid& grid, double metres_per_unit) {
  if (!(std::isfinite(metres_per_unit) && metres_per_unit > 0))
    throwUsageError("hotspot.kde: metres_per_unit must be > 0 (got {})", metres_per_unit);
  // density per square map unit -> per km^2: times (1000 / metres_per_unit)^2
  const double f = (1000.0 / metres_per_unit) * (1000.0 / metres_per_unit);
  for (float& v : grid.values)
    if (v != grid.nodata) v = static_cast<float>(v * f);
}

}  // namespace trygg::geo::hotspot
