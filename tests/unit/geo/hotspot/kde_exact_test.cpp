// Exact-mode kernel density against an independent brute-force double computation,
// determinism across thread counts, the binned Gaussian's error, the bandwidth and cell
// rules, and the usage errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <tbb/global_control.h>

#include "core/error.hpp"
#include "geo/hotspot/kde.hpp"
#include "geo/hotspot/kde_internal.hpp"

namespace trygg::geo::hotspot {
namespace {

std::vector<Point> clustered(std::size_t n, unsigned seed, double x0 = 560000, double y0 = 6700000) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> nd(0, 1);
  std::uniform_real_distribution<double> ud(0, 1);
  std::vector<Point> p;
  const double cx[3] = {120, 300, 180}, cy[3] = {150, 260, 330}, s[3] = {20, 45, 10};
  for (std::size_t i = 0; i < n; ++i) {
    const double u = ud(rng);
    if (u < 0.25) {
      p.push_back({x0 + 400 * ud(rng), y0 + 400 * ud(rng)});
    } else {
      const int c = u < 0.55 ? 0 : (u < 0.85 ? 1 : 2);
      p.push_back({x0 + cx[c] + s[c] * nd(rng), y0 + cy[c] + s[c] * nd(rng)});
    }
  }
  return p;
}

std::vector<double> someWeights(std::size_t n, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> d(1, 10);
  std::vector<double> w(n);
  for (double& v : w) v = 0.5 * d(rng);
  return w;
}

// The textbook definition, written independently of the engine: for every pixel centre
// and every point, u = d/h, the raw kernel of METHODS.md section 3 (d <= h inclusive),
// times the normalising constant for a density.
std::optional<double> bruteKernel(Kernel k, double d2, const KdeOptions& o) {
  const double h = o.bandwidth;
  if (k == Kernel::Gaussian) {
    const double R = o.gaussian_cutoff_sigmas * h;
    if (d2 > R * R) return std::nullopt;
    return std::exp(-d2 / (2 * h * h));
  }
  if (d2 > h * h) return std::nullopt;  // outside the support: the pixel is not touched
  const double u2 = d2 / (h * h), u = std::sqrt(d2) / h;
  switch (k) {
    case Kernel::Uniform: return 1;
    case Kernel::Quartic: return (1 - u2) * (1 - u2);
    case Kernel::Triweight: return (1 - u2) * (1 - u2) * (1 - u2);
    case Kernel::Epanechnikov: return 1 - u2;
    case Kernel::Triangular: return 1 - (1 - o.triangular_decay) * u;
    default: return 0;
  }
}

double bruteScale(Kernel k, const KdeOptions& o) {
  if (o.output == KdeOutput::Raw) return 1;
  const double h = o.bandwidth, pi = std::numbers::pi;
  switch (k) {
    case Kernel::Uniform: return 1 / (pi * h * h);
    case Kernel::Quartic: return 3 / (pi * h * h);
    case Kernel::Triweight: return 4 / (pi * h * h);
    case Kernel::Epanechnikov: return 2 / (pi * h * h);
    case Kernel::Triangular: return 3 / ((1 + 2 * o.triangular_decay) * pi * h * h);
    case Kernel::Gaussian: return 1 / (2 * pi * h * h);
  }
  return 0;
}

std::vector<double> bruteForce(const RasterGrid64& g, const std::vector<Point>& pts, const std::vector<double>& w,
                               const KdeOptions& o) {
  std::vector<double> out(static_cast<std::size_t>(g.width) * g.height, g.nodata);
  for (int r = 0; r < g.height; ++r)
    for (int c = 0; c < g.width; ++c) {
      const double x = g.origin_x + (c + 0.5) * g.cell, y = g.origin_y - (r + 0.5) * g.cell;
      double s = 0;
      bool touched = false;
      for (std::size_t k = 0; k < pts.size(); ++k) {
        const double dx = x - pts[k].x, dy = y - pts[k].y;
        const auto v = bruteKernel(o.kernel, dx * dx + dy * dy, o);
        if (!v) continue;
        touched = true;
        s += (w.empty() ? 1.0 : w[k]) * *v;
      }
      if (touched) out[g.index(c, r)] = s * bruteScale(o.kernel, o);
    }
  return out;
}

// |a - b| <= 1e-9 |b| + 1e-13 peak: relative 1e-9, with an absolute floor far below any
// visible value for the pixels at the very rim of a kernel (where 1 - u^2 -> 0 and the
// engine's (dx^2 + dy^2) / h^2 and the brute force's d^2 / h^2 differ by an ulp of 1).
void expectClose(const std::vector<double>& got, const std::vector<double>& want, double nodata) {
  double peak = 0;
  for (double v : want)
    if (v != nodata) peak = std::max(peak, std::abs(v));
  ASSERT_GT(peak, 0);
  std::size_t bad = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    if ((want[i] == nodata) != (got[i] == nodata)) {
      if (++bad < 5) ADD_FAILURE() << "pixel " << i << ": NoData mismatch, got " << got[i] << " want " << want[i];
      continue;
    }
    if (want[i] == nodata) continue;
    if (!(std::abs(got[i] - want[i]) <= 1e-9 * std::abs(want[i]) + 1e-13 * peak))
      if (++bad < 5) ADD_FAILURE() << "pixel " << i << ": got " << got[i] << " want " << want[i];
  }
  EXPECT_EQ(bad, 0u);
}

struct Case {
  Kernel kernel;
  KdeOutput output;
  bool weighted;
};

class ExactVsBruteForce : public ::testing::TestWithParam<Case> {};

TEST_P(ExactVsBruteForce, MatchesToOneInABillion) {
  const Case c = GetParam();
  const auto pts = clustered(1500, 7);
  const auto w = c.weighted ? someWeights(pts.size(), 8) : std::vector<double>{};
  KdeOptions o;
  o.kernel = c.kernel;
  o.output = c.output;
  o.bandwidth = c.kernel == Kernel::Gaussian ? 17.3 : 43.7;  // not a whole number of 10 m pixels
  o.triangular_decay = 0.3;
  o.cell = 10;
  const RasterGrid64 got = kernelDensity64(pts, w, o);
  ASSERT_GT(got.width, 40);
  expectClose(got.values, bruteForce(got, pts, w, o), got.nodata);
  // the Float32 raster is the double one rounded
  const RasterGrid f = kernelDensity(pts, w, o);
  ASSERT_EQ(f.values.size(), got.values.size());
  for (std::size_t i = 0; i < f.values.size(); ++i) ASSERT_EQ(f.values[i], static_cast<float>(got.values[i]));
}

INSTANTIATE_TEST_SUITE_P(
    AllKernels, ExactVsBruteForce,
    ::testing::Values(Case{Kernel::Quartic, KdeOutput::Raw, false}, Case{Kernel::Quartic, KdeOutput::Density, false},
                      Case{Kernel::Quartic, KdeOutput::Raw, true}, Case{Kernel::Triangular, KdeOutput::Raw, false},
                      Case{Kernel::Triangular, KdeOutput::Density, true}, Case{Kernel::Uniform, KdeOutput::Raw, false},
                      Case{Kernel::Uniform, KdeOutput::Density, true}, Case{Kernel::Triweight, KdeOutput::Raw, true},
                      Case{Kernel::Triweight, KdeOutput::Density, false},
                      Case{Kernel::Epanechnikov, KdeOutput::Raw, false},
                      Case{Kernel::Epanechnikov, KdeOutput::Density, true}, Case{Kernel::Gaussian, KdeOutput::Raw, false},
                      Case{Kernel::Gaussian, KdeOutput::Density, true}));

TEST(KdeExact, ExplicitExtentOddCellAndOutsidePoints) {
  // points partly outside the extent still count where their kernel reaches into it
  const auto pts = clustered(800, 11);
  KdeOptions o;
  o.bandwidth = 31.9;
  o.cell = 7.3;
  o.extent = BBox{560050, 6700080, 560290, 6700301};
  const RasterGrid64 got = kernelDensity64(pts, {}, o);
  EXPECT_EQ(got.width, 33);   // ceil(240 / 7.3)
  EXPECT_EQ(got.height, 31);  // ceil(221 / 7.3)
  EXPECT_DOUBLE_EQ(got.origin_x, 560050);
  EXPECT_DOUBLE_EQ(got.origin_y, 6700301);
  expectClose(got.values, bruteForce(got, pts, {}, o), got.nodata);
}

TEST(KdeExact, GeometryFollowsQgis) {
  const std::vector<Point> pts = {{100, 200}, {163.2, 251.7}};
  KdeOptions o;
  o.bandwidth = 20;
  o.cell = 5;
  const RasterGrid64 g = kdeGridGeometry(pts, o);
  EXPECT_DOUBLE_EQ(g.origin_x, 80);
  EXPECT_DOUBLE_EQ(g.origin_y, 271.7);
  EXPECT_EQ(g.width, 22);   // ceil(103.2 / 5) + 1
  EXPECT_EQ(g.height, 20);  // ceil(91.7 / 5) + 1
  // ArcGIS's default cell: the points' (unpadded) box, shorter side / 250
  EXPECT_DOUBLE_EQ(kdeGridGeometry(pts, [&] { auto p = o; p.cell = 0; return p; }()).cell, (251.7 - 200) / 250);
}

TEST(KdeExact, SameBytesWithOneOrTwoThreads) {
  const auto pts = clustered(20000, 3);
  const auto w = someWeights(pts.size(), 4);
  for (Kernel k : {Kernel::Quartic, Kernel::Gaussian}) {
    for (PixelMode m : {PixelMode::Exact, PixelMode::Binned, PixelMode::QgisCompat}) {
      if ((m == PixelMode::Binned) != (k == Kernel::Gaussian) && m != PixelMode::Exact) continue;
      KdeOptions o;
      o.kernel = k;
      o.mode = m;
      o.bandwidth = k == Kernel::Gaussian ? 21.5 : 47.5;
      o.cell = 5;
      RasterGrid one, two;
      {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 1);
        one = kernelDensity(pts, w, o);
      }
      {
        tbb::global_control gc(tbb::global_control::max_allowed_parallelism, 2);
        two = kernelDensity(pts, w, o);
      }
      ASSERT_EQ(one.values.size(), two.values.size());
      EXPECT_EQ(0, std::memcmp(one.values.data(), two.values.data(), one.values.size() * sizeof(float)))
          << "mode " << static_cast<int>(m) << " kernel " << static_cast<int>(k);
    }
  }
}

TEST(KdeExact, Avx2AndBaselineBuildsAgreeBitForBit) {
#if defined(__x86_64__) && defined(__GNUC__)
  if (!__builtin_cpu_supports("avx2")) GTEST_SKIP() << "this CPU has no AVX2";
  const auto pts = clustered(5000, 21);
  const auto w = someWeights(pts.size(), 22);
  for (Kernel k : {Kernel::Quartic, Kernel::Triangular, Kernel::Uniform, Kernel::Triweight, Kernel::Epanechnikov,
                   Kernel::Gaussian}) {
    KdeOptions o;
    o.kernel = k;
    o.bandwidth = k == Kernel::Gaussian ? 9.5 : 33.3;
    o.triangular_decay = 0.2;
    o.cell = 4;
    RasterGrid64 a = kdeGridGeometry(pts, o), b = a;
    a.values.assign(static_cast<std::size_t>(a.width) * a.height, a.nodata);
    b.values = a.values;
    detail::exactDensityGeneric(pts, w, o, 1.0, a);
    detail::exactDensityAvx2(pts, w, o, 1.0, b);
    EXPECT_EQ(0, std::memcmp(a.values.data(), b.values.data(), a.values.size() * sizeof(double)))
        << static_cast<int>(k);
  }
#else
  GTEST_SKIP() << "x86-64 only";
#endif
}

TEST(KdeExact, DensityIntegratesToTheWeightedCount) {
  // kernels far from the edges: the sum of density * cell^2 is the total weight (up to
  // the pixel discretisation of each kernel, < 0.1 % at 20 pixels per radius)
  const auto pts = clustered(500, 5);
  const auto w = someWeights(pts.size(), 6);
  double total = 0;
  for (double v : w) total += v;
  for (Kernel k : {Kernel::Quartic, Kernel::Epanechnikov, Kernel::Triweight, Kernel::Uniform, Kernel::Triangular,
                   Kernel::Gaussian}) {
    KdeOptions o;
    o.kernel = k;
    o.output = KdeOutput::Density;
    o.bandwidth = k == Kernel::Gaussian ? 8 : 20;
    o.cell = 1;
    const RasterGrid64 g = kernelDensity64(pts, w, o);
    double s = 0;
    for (double v : g.values)
      if (v != g.nodata) s += v * g.cell * g.cell;
    EXPECT_NEAR(s / total, 1.0, 1e-3) << static_cast<int>(k);
  }
}

TEST(KdeBinned, GaussianErrorAgainstExactIsSmall) {
  // the documented figures (docs/methods/kde.md) come from the benchmark; this pins the
  // order of magnitude: linear binning's error is second order in cell / sigma
  const auto pts = clustered(5000, 9);
  KdeOptions o;
  o.kernel = Kernel::Gaussian;
  o.cell = 10;
  o.bandwidth = 30;  // sigma = 3 pixels
  const RasterGrid64 exact = kernelDensity64(pts, {}, o);
  o.mode = PixelMode::Binned;
  const RasterGrid64 binned = kernelDensity64(pts, {}, o);
  ASSERT_EQ(exact.width, binned.width);
  ASSERT_EQ(exact.height, binned.height);
  double peak = 0, maxErr = 0, sum2 = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i < exact.values.size(); ++i) {
    const double a = exact.values[i] == exact.nodata ? 0 : exact.values[i];
    const double b = binned.values[i] == binned.nodata ? 0 : binned.values[i];
    peak = std::max(peak, a);
    maxErr = std::max(maxErr, std::abs(a - b));
    sum2 += (a - b) * (a - b);
    ++n;
  }
  const double rms = std::sqrt(sum2 / static_cast<double>(n));
  std::printf("  binned vs exact Gaussian, sigma = 3 cells: max %.3g, RMS %.3g of the peak\n", maxErr / peak,
              rms / peak);
  EXPECT_LT(maxErr / peak, 0.02);
  EXPECT_LT(rms / peak, 0.002);
}

TEST(KdeExact, AllPointsOnOneSpot) {
  const std::vector<Point> pts(1000, Point{500, 500});
  KdeOptions o;
  o.bandwidth = 25;
  o.cell = 2;
  o.extent = BBox{400, 400, 600, 600};  // pixel centres at 401, 403, ...: 1 m off in x and y
  const RasterGrid64 g = kernelDensity64(pts, {}, o);
  double peak = 0;
  for (double v : g.values) peak = std::max(peak, v);
  // pixel centres are 1 m from the point: (1 - (1+1)/625)^2 per point
  EXPECT_NEAR(peak, 1000 * std::pow(1 - 2.0 / 625, 2), 1e-9);
}

TEST(KdeBandwidth, SilvermanAsArcGisIndependentlyComputed) {
  // tests/reference/kde/silverman.json: numpy's computation of the same rule
  std::ifstream f(std::string(TRYGG_REFERENCE_DIR) + "/kde/points.csv");
  ASSERT_TRUE(f) << "tests/reference/kde/points.csv missing";
  std::string line;
  std::getline(f, line);
  std::vector<Point> pts;
  std::vector<double> w;
  while (std::getline(f, line)) {
    std::istringstream s(line);
    std::string a, b, c;
    std::getline(s, a, ',');
    std::getline(s, b, ',');
    std::getline(s, c, ',');
    pts.push_back({std::stod(a), std::stod(b)});
    w.push_back(std::stod(c));
  }
  EXPECT_NEAR(silvermanBandwidth(pts, {}), 28.614480964497254, 1e-9);
  EXPECT_NEAR(silvermanBandwidth(pts, w), 23.31872133111251, 1e-9);
}

TEST(KdeCell, ArcGisDefault) {
  EXPECT_DOUBLE_EQ(defaultCellSize(BBox{0, 0, 20000, 15000}), 60);
  EXPECT_DOUBLE_EQ(defaultCellSize(BBox{0, 0, 0, 500}), 2);  // a line of points: the other side
  EXPECT_THROW(defaultCellSize(BBox{5, 5, 5, 5}), UsageError);
  EXPECT_THROW(defaultCellSize(BBox{}), UsageError);
}

TEST(KdeOutputHelpers, PerSquareKilometre) {
  RasterGrid g;
  g.values = {2e-6f, -9999.0f};
  densityToPerSquareKilometre(g);
  EXPECT_FLOAT_EQ(g.values[0], 2.0f);
  EXPECT_EQ(g.values[1], -9999.0f);
}

TEST(KdeErrors, BadParametersSayWhatToDo) {
  const std::vector<Point> pts = {{0, 0}, {100, 50}};
  const auto expectUsage = [&](KdeOptions o, const char* needle, std::span<const double> w = {}) {
    try {
      (void)kernelDensity(pts, w, o);
      ADD_FAILURE() << "no error for " << needle;
    } catch (const UsageError& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
  };
  KdeOptions o;
  o.bandwidth = 10;
  o.cell = 1;
  expectUsage([&] { auto p = o; p.bandwidth = 0; return p; }(), "bandwidth must be > 0");
  expectUsage([&] { auto p = o; p.bandwidth = -5; return p; }(), "bandwidth must be > 0");
  expectUsage([&] { auto p = o; p.cell = -1; return p; }(), "cell must be > 0");
  expectUsage([&] { auto p = o; p.cell = 500; return p; }(), "larger than the raster extent");
  expectUsage([&] { auto p = o; p.kernel = Kernel::Quartic; p.mode = PixelMode::Binned; return p; }(), "binned");
  expectUsage([&] { auto p = o; p.kernel = Kernel::Gaussian; p.mode = PixelMode::QgisCompat; return p; }(),
              "no Gaussian");
  expectUsage([&] { auto p = o; p.mode = PixelMode::QgisCompat; p.extent = BBox{0, 0, 10, 10}; return p; }(),
              "qgis_compat");
  expectUsage(
      [&] { auto p = o; p.kernel = Kernel::Triangular; p.triangular_decay = -0.5; p.output = KdeOutput::Density; return p; }(),
      "triangular_decay >= 0");
  expectUsage([&] { auto p = o; p.cell = 1e-4; return p; }(), "over 2^31 pixels");
  const std::vector<double> oneWeight = {1.0};
  expectUsage(o, "1 weights for 2 points", oneWeight);
  EXPECT_THROW((void)kernelDensity({}, {}, o), UsageError);
  EXPECT_THROW(silvermanBandwidth(std::vector<Point>(5, Point{1, 1}), {}), UsageError);
  const std::vector<Point> nan = {{0, 0}, {std::nan(""), 1}};
  EXPECT_THROW((void)kernelDensity(nan, {}, o), DataError);
}

TEST(KdeErrors, NoPointsWithAnExtentIsAllNoData) {
  KdeOptions o;
  o.bandwidth = 10;
  o.cell = 5;
  o.extent = BBox{0, 0, 100, 50};
  const RasterGrid g = kernelDensity({}, {}, o);
  EXPECT_EQ(g.width, 20);
  EXPECT_EQ(g.height, 10);
  for (float v : g.values) EXPECT_EQ(v, o.nodata);
}

}  // namespace
}  // namespace trygg::geo::hotspot
