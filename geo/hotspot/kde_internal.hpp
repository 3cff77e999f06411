#pragma once
// Internal pieces of kde.cpp shared with its per-mode translation units. Not public API.
#include <span>

#include "core/types.hpp"
#include "geo/hotspot/grid.hpp"
#include "geo/hotspot/kde.hpp"

namespace trygg::geo::hotspot::detail {

// Exact mode: sums of weight * raw kernel at the true pixel centres of `grid` (geometry
// set, values sized), in double; untouched pixels get grid.nodata; touched ones are
// multiplied by `scale`. Deterministic for any thread count.
void exactDensity(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                  double scale, RasterGrid64& grid);

// AVX2 build of the same row kernels (kde_exact_avx2.cpp); identical results, since no
// FMA contraction is enabled and every pixel is summed in the same order.
void exactDensityAvx2(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                      double scale, RasterGrid64& grid);

// The baseline build, whatever the CPU (for the test that both builds agree bit for bit).
void exactDensityGeneric(std::span<const Point> pts, std::span<const double> weights, const KdeOptions& opts,
                         double scale, RasterGrid64& grid);

}  // namespace trygg::geo::hotspot::detail
