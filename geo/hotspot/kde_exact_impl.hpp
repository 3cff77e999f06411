// The exact-mode KDE engine. Included (inside a namespace) by kde_exact.cpp and by
// kde_exact_avx2.cpp, which compiles the same code for AVX2; every standard and TBB
// header it needs is included by the includer BEFORE this file (and before any target
// pragma), so only this file's functions are built for the wider instruction set.
//
// Algorithm (the per-point stencil of QGIS's qgskde.cpp, reorganised for speed):
//  1. a stable counting sort of the points by the raster row that holds them (input
//     order kept within a row), into x / y / w arrays;
//  2. the raster is cut into bands of kBandRows rows, computed in parallel (TBB); a band
//     accumulates, in double, every point whose support reaches it, in the sorted order,
//     so each pixel's sum has one fixed order whatever the thread count;
//  3. per point and band: its column profile dx^2 once; per point and row: dy^2 once,
//     the exact column span {i : dx^2 + dy^2 <= R^2} (walked from the previous row's),
//     then a branch-free loop over the span that the compiler vectorises:
//     t = (1 - dy^2/h^2) - dx^2/h^2, acc += w t^2.
// No pixel-snapping: the kernel is evaluated at the true pixel centre, as the brute-force
// sum would (tests/unit/geo/hotspot/kde_exact_test.cpp checks it to 1e-9).
// This header has no include guard on purpose: one copy per instruction set.

constexpr int kBandRows = 32;

struct SortedPoints {
  std::vector<double> x, y, w;
  std::vector<std::size_t> start;  // bucket b holds [start[b], start[b+1]); b = row + 1, rows -1..H
};

// Buckets by raster row (clamped to -1 .. H); points whose support cannot reach the
// raster are dropped. Stable: input order within a bucket.
inline SortedPoints sortByRow(std::span<const Point> pts, std::span<const double> weights,
                              const RasterGrid64& g, double R) {
  const int H = g.height;
  const double left = g.origin_x, right = g.origin_x + g.width * g.cell;
  const double top = g.origin_y, bottom = g.origin_y - H * g.cell;
  const std::size_t n = pts.size();
  std::vector<std::int32_t> bucket(n);
  std::vector<std::size_t> count(static_cast<std::size_t>(H) + 3, 0);
  for (std::size_t k = 0; k < n; ++k) {
    const Point& p = pts[k];
    if (p.x + R < left || p.x - R > right || p.y - R > top || p.y + R < bottom) {
      bucket[k] = -1;
      continue;
    }
    double r = std::floor((top - p.y) / g.cell);
    r = r < -1 ? -1 : (r > H ? H : r);
    bucket[k] = static_cast<std::int32_t>(r) + 1;
    ++count[static_cast<std::size_t>(bucket[k]) + 1];
  }
  SortedPoints s;
  s.start.assign(count.size(), 0);
  for (std::size_t b = 1; b < count.size(); ++b) s.start[b] = s.start[b - 1] + count[b];
  const std::size_t m = s.start.back();
  s.x.resize(m);
  s.y.resize(m);
  s.w.resize(m);
  std::vector<std::size_t> next(s.start.begin(), s.start.end() - 1);
  for (std::size_t k = 0; k < n; ++k) {
    if (bucket[k] < 0) continue;
    const std::size_t at = next[static_cast<std::size_t>(bucket[k])]++;
    s.x[at] = pts[k].x;
    s.y[at] = pts[k].y;
    s.w[at] = weights.empty() ? 1.0 : weights[k];
  }
  return s;
}

// One row span: acc[i] += wt * K for i in [lo, hi]. The point's column profile, computed
// once per point and band: q[i] = dx^2, and gx[i] = dx^2/h^2 for the polynomial kernels
// (then a = 1 - dy^2/h^2) or exp(-dx^2/(2 sigma^2)) for the Gaussian (whose row factor is
// folded into wt); c1 = (1 - delta)/h for the triangular kernel. Two to four flops per
// pixel, vectorised.
template <Kernel K>
inline void rowSpan(double* __restrict acc, [[maybe_unused]] const double* __restrict q,
                    [[maybe_unused]] const double* __restrict gx, int lo, int hi, [[maybe_unused]] double dy2, double wt,
                    [[maybe_unused]] double a, [[maybe_unused]] double c1) {
  [[maybe_unused]] const double* __restrict qn = gx;
  // polynomial kernels: t = 1 - (dx^2 + dy^2)/h^2 = a - qn[i], a = 1 - dy^2/h^2, qn = dx^2/h^2
  if constexpr (K == Kernel::Quartic) {
    for (int i = lo; i <= hi; ++i) {
      const double t = a - qn[i];
      acc[i] += wt * (t * t);
    }
  } else if constexpr (K == Kernel::Triweight) {
    for (int i = lo; i <= hi; ++i) {
      const double t = a - qn[i];
      acc[i] += wt * (t * t * t);
    }
  } else if constexpr (K == Kernel::Epanechnikov) {
    for (int i = lo; i <= hi; ++i) acc[i] += wt * (a - qn[i]);
  } else if constexpr (K == Kernel::Uniform) {
    for (int i = lo; i <= hi; ++i) acc[i] += wt;
  } else if constexpr (K == Kernel::Triangular) {
    for (int i = lo; i <= hi; ++i) acc[i] += wt * (1.0 - std::sqrt(q[i] + dy2) * c1);
  } else {  // Gaussian: exp(-(dx^2+dy^2)/(2 s^2)) = exp(-dy^2 c0) [in wt] * gx[i]
    for (int i = lo; i <= hi; ++i) acc[i] += wt * gx[i];
  }
}

template <Kernel K>
void exactDensityImpl(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                      double scale, RasterGrid64& g) {
  const double R = kernelSupportRadius(opts);
  const double R2 = R * R;
  const double h = opts.bandwidth;
  // c0 multiplies d^2: 1/h^2 for the polynomial kernels, 1/(2 sigma^2) for the Gaussian
  const double c0 = K == Kernel::Gaussian ? 1.0 / (2.0 * h * h) : 1.0 / (h * h);
  const double c1 = (1.0 - opts.triangular_decay) / h;
  const int W = g.width, H = g.height;
  const double cell = g.cell, ox = g.origin_x, oy = g.origin_y, invCell = 1.0 / cell;

  const SortedPoints s = sortByRow(pts, weights, g, R);
  std::vector<double> xc(static_cast<std::size_t>(W)), yc(static_cast<std::size_t>(H));
  for (int i = 0; i < W; ++i) xc[static_cast<std::size_t>(i)] = g.centreX(i);
  for (int j = 0; j < H; ++j) yc[static_cast<std::size_t>(j)] = g.centreY(j);

  struct Scratch {
    std::vector<double> acc;
    std::vector<unsigned char> touched;
    std::vector<double> q, gx;
  };
  tbb::enumerable_thread_specific<Scratch> scratch;
  const int nbands = (H + kBandRows - 1) / kBandRows;
  const auto bucketOf = [&](double y) {
    double r = std::floor((oy - y) / cell);
    r = r < -1 ? -1 : (r > H ? H : r);
    return static_cast<std::size_t>(static_cast<int>(r) + 1);  // r >= -1: never a negative to unsigned
  };

  tbb::parallel_for(
      tbb::blocked_range<int>(0, nbands, 1),
      [&](const tbb::blocked_range<int>& range) {
        Scratch& sc = scratch.local();
        sc.acc.resize(static_cast<std::size_t>(kBandRows) * W);
        sc.touched.resize(static_cast<std::size_t>(kBandRows) * W);
        sc.q.resize(static_cast<std::size_t>(W));
        sc.gx.resize(static_cast<std::size_t>(W));
        for (int band = range.begin(); band != range.end(); ++band) {
          const int j0 = band * kBandRows, j1 = std::min(H, j0 + kBandRows);
          std::fill(sc.acc.begin(), sc.acc.end(), 0.0);
          std::fill(sc.touched.begin(), sc.touched.end(), 0);
          // points with y in [yc(j1-1) - R, yc(j0) + R], by bucket (rounded outwards)
          const std::size_t b0 = bucketOf(yc[static_cast<std::size_t>(j0)] + R + cell);
          const std::size_t b1 = bucketOf(yc[static_cast<std::size_t>(j1 - 1)] - R - cell);
          for (std::size_t k = s.start[b0]; k < s.start[b1 + 1]; ++k) {
            const double x = s.x[k], y = s.y[k];
            int jlo = static_cast<int>(std::ceil((oy - y - R) * invCell - 0.5)) - 1;
            int jhi = static_cast<int>(std::floor((oy - y + R) * invCell - 0.5)) + 1;
            jlo = std::max(jlo, j0);
            jhi = std::min(jhi, j1 - 1);
            if (jlo > jhi) continue;
            const auto incl = [&](int i, double dy2) {
              const double d = xc[static_cast<std::size_t>(i)] - x;
              return d * d + dy2 <= R2;  // the same expression as the walk below: q + dy2 <= R2
            };
            const auto span = [&](double dy2, int& lo, int& hi) {
              const double half = std::sqrt(R2 - dy2);
              lo = std::max(0, static_cast<int>(std::ceil((x - half - ox) * invCell - 0.5)) - 1);
              hi = std::min(W - 1, static_cast<int>(std::floor((x + half - ox) * invCell - 0.5)) + 1);
              while (lo <= hi && !incl(lo, dy2)) ++lo;
              while (hi >= lo && !incl(hi, dy2)) --hi;
            };
            // the column profile once per point and band, over the widest span (dy = 0):
            // q = dx^2, and gx = dx^2 c0 (polynomial kernels) or exp(-dx^2 c0) (Gaussian)
            int glo = 0, ghi = -1;
            span(0.0, glo, ghi);
            if (glo > ghi) continue;
            double* q = sc.q.data();
            int imin = glo;
            for (int i = glo; i <= ghi; ++i) {
              const double d = xc[static_cast<std::size_t>(i)] - x;
              q[i] = d * d;
              if constexpr (K == Kernel::Gaussian)
                sc.gx[static_cast<std::size_t>(i)] = std::exp(-(d * d) * c0);
              else
                sc.gx[static_cast<std::size_t>(i)] = (d * d) * c0;
            }
            while (imin < ghi && q[imin + 1] <= q[imin]) ++imin;  // q is convex: its minimum
            // each row's span {i : dx^2 + dy^2 <= R^2} is an interval around imin; walk it
            // from the previous row's instead of solving for it (a few compares per row)
            int lo = imin, hi = imin - 1;
            for (int j = jlo; j <= jhi; ++j) {
              const double dy = yc[static_cast<std::size_t>(j)] - y;
              const double dy2 = dy * dy;
              if (dy2 > R2) continue;
              const double lim = R2 - dy2;
              if (lo > hi) lo = hi = imin;
              while (lo > glo && q[lo - 1] <= lim) --lo;
              while (hi < ghi && q[hi + 1] <= lim) ++hi;
              while (lo <= hi && q[lo] > lim) ++lo;
              while (hi >= lo && q[hi] > lim) --hi;
              if (lo > hi) continue;
              const std::size_t row = static_cast<std::size_t>(j - j0) * static_cast<std::size_t>(W);
              double wt = s.w[k];
              if constexpr (K == Kernel::Gaussian) wt *= std::exp(-dy2 * c0);
              rowSpan<K>(sc.acc.data() + row, q, sc.gx.data(), lo, hi, dy2, wt, 1.0 - dy2 * c0, c1);
              unsigned char* tc = sc.touched.data() + row;
              for (int i = lo; i <= hi; ++i) tc[i] = 1;
            }
          }
          for (int j = j0; j < j1; ++j) {
            const std::size_t row = static_cast<std::size_t>(j - j0) * static_cast<std::size_t>(W);
            double* out = g.values.data() + static_cast<std::size_t>(j) * static_cast<std::size_t>(W);
            for (int i = 0; i < W; ++i)
              out[i] = sc.touched[row + static_cast<std::size_t>(i)] ? sc.acc[row + static_cast<std::size_t>(i)] * scale
                                                                     : g.nodata;
          }
        }
      },
      tbb::simple_partitioner());
}

inline void exactDensityDispatch(std::span<const Point> pts, std::span<const double> weights,
                                 const KdeOptions& opts, double scale, RasterGrid64& g) {
  switch (opts.kernel) {
    case Kernel::Quartic: return exactDensityImpl<Kernel::Quartic>(pts, weights, opts, scale, g);
    case Kernel::Triangular: return exactDensityImpl<Kernel::Triangular>(pts, weights, opts, scale, g);
    case Kernel::Uniform: return exactDensityImpl<Kernel::Uniform>(pts, weights, opts, scale, g);
    case Kernel::Triweight: return exactDensityImpl<Kernel::Triweight>(pts, weights, opts, scale, g);
    case Kernel::Epanechnikov: return exactDensityImpl<Kernel::Epanechnikov>(pts, weights, opts, scale, g);
    case Kernel::Gaussian: return exactDensityImpl<Kernel::Gaussian>(pts, weights, opts, scale, g);
  }
}
