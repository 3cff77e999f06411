#pragma once
// Kernel density estimation (heat maps) of weighted points on a raster.
//
// Sources (docs/methods/kde.md has the details and measured differences):
//  - kernels and their constants: QGIS Heatmap (qgskde.cpp; Wand & Jones 1995, p. 175),
//    METHODS.md section 3;
//  - default cell size and the automatic radius: ArcGIS Pro Kernel Density;
//  - Gaussian: spatstat density.ppp (sigma = standard deviation).
// Deliberate differences from QGIS 3.22 (in the default PixelMode::Exact): pixel
// values are taken at the true pixel centres (QGIS mirrors each kernel within its
// pixel) and summed in double (QGIS sums in Float32); scaled quartic uses the correct
// constant 3/(pi h^2) (QGIS 3.22's is 7.25x too large, bug #60616). PixelMode::QgisCompat
// reproduces QGIS 3.22 instead, bug included.
#include <optional>
#include <span>

#include "core/types.hpp"
#include "geo/hotspot/grid.hpp"

namespace trygg::geo::hotspot {

enum class Kernel { Quartic, Triangular, Uniform, Triweight, Epanechnikov, Gaussian };

enum class KdeOutput {
  Raw,      // sum of weight * kernel value (peak 1 per point), QGIS's "raw"
  Density,  // kernels scaled to integrate to 1: events per square map unit; the
            // raster integrates to the (weighted) number of events
};

enum class PixelMode {
  Exact,       // default: every kernel evaluated at the true pixel centres, double sums
  QgisCompat,  // QGIS 3.22 Heatmap's pixel addressing, extent, radius-in-pixels rule,
               // kernel constants and Float32 sums, reproduced to the bit
  Binned,      // Gaussian only: linear binning to pixel centres + separable convolution
};

struct KdeOptions {
  Kernel kernel = Kernel::Quartic;       // DEFAULT: quartic, as QGIS and ArcGIS
  double bandwidth = 0;                  // REQUIRED > 0: radius h (map units); Gaussian: sigma
  double triangular_decay = 0;           // QGIS's decay ratio delta (triangular only)
  KdeOutput output = KdeOutput::Raw;     // DEFAULT: raw, as QGIS
  double cell = 0;                       // pixel size; 0 = defaultCellSize(points' extent)
  PixelMode mode = PixelMode::Exact;
  double gaussian_cutoff_sigmas = 5;     // Gaussian support radius = 5 sigma (mass lost 3.7e-6)
  bool expand_extent_by_radius = true;   // pad the points' extent by the support radius, as QGIS
  std::optional<BBox> extent;            // raster extent exactly as given (no padding); points
                                         // outside it still count where their kernel reaches
  float nodata = -9999.0f;               // pixels no kernel reaches (QGIS's value)
};

// Density of `pts` (weights empty = every weight 1) on a north-up raster.
// Raster geometry: with `extent`, origin (minx, maxy) and ceil(width/cell) x
// ceil(height/cell) pixels. Otherwise QGIS's rule on the points' bounding box padded by
// the support radius: ceil(W/cell)+1 columns, ceil(H/cell)+1 rows, origin (minx, maxy).
// Pixels within the support of no point are `nodata` (as QGIS and ArcGIS).
// Throws UsageError for: bandwidth <= 0 or not finite, cell < 0, a cell larger than the
// raster extent, more than 2^31 pixels, weights of the wrong length, no points without an
// explicit extent (with one: an all-NoData raster), QgisCompat with Gaussian or an
// explicit extent, Binned with a kernel other than Gaussian, Density with triangular
// decay < 0, a Gaussian cutoff < 1 sigma. Throws DataError for a non-finite coordinate
// or weight (naming its index).
// Deterministic: the result does not depend on the number of threads.
RasterGrid kernelDensity(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts);

// The same computation without the final rounding to Float32 (Exact and Binned; in
// QgisCompat the Float32 sums widened). For tests and callers that post-process.
RasterGrid64 kernelDensity64(std::span<const Point> pts, std::span<const double> weights,
                             const KdeOptions& opts);

// The raster kernelDensity() would produce, with empty values (validates options).
RasterGrid64 kdeGridGeometry(std::span<const Point> pts, const KdeOptions& opts);

// ArcGIS's spatial Silverman rule (METHODS.md section 3):
//   h = 0.9 * min(SD, sqrt(1/ln 2) * Dm) * n^-0.2
// SD = standard distance from the (weighted) mean centre, Dm = (weighted) median
// distance to it, n = number of points, or the sum of the weights when given.
// Throws UsageError for fewer than 2 points or when every point coincides (h = 0).
double silvermanBandwidth(std::span<const Point> pts, std::span<const double> weights);

// ArcGIS's default cell size: min(width, height) / 250 (the longer side when the other
// is 0). Throws UsageError for an empty or zero-size box.
double defaultCellSize(const BBox& extent);

// The constant that turns a raw kernel into one integrating to 1 (KdeOutput::Density):
// uniform 1/(pi h^2), quartic 3/(pi h^2), triweight 4/(pi h^2), Epanechnikov 2/(pi h^2),
// triangular 3/((1+2 delta) pi h^2), Gaussian 1/(2 pi sigma^2).
double kernelScale(Kernel kernel, double bandwidth, double triangular_decay = 0);

// Support radius: the bandwidth, or cutoff * sigma for the Gaussian.
double kernelSupportRadius(const KdeOptions& opts);

// Density per square kilometre from a Density raster in a CRS of `metres_per_unit`
// metres per map unit (1 for SWEREF99 TM): multiplies every non-NoData value.
void densityToPerSquareKilometre(RasterGrid& grid, double metres_per_unit = 1.0);

}  // namespace trygg::geo::hotspot
