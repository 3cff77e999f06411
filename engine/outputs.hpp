#pragma once
// The base layers of every run's GeoPackage: what was loaded (areas, places,
// incidents, observations, perception, measures), the per-area summary, and the
// rejected rows and layer counts — each styled for QGIS.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace trygg::data {
class GpkgWriter;
}

namespace trygg::engine {

struct LoadedProject;

struct OutputOptions {
  bool publish = false;          // no sensitive point layers; counts below min_count suppressed
  int suppress_below = 5;        // publish profile: counts 1..(n-1) are written as NULL
};

// What the base layers suppressed (publish profile), for the run summary.
struct OutputReport {
  std::int64_t suppressed_cells = 0;
  std::vector<std::string> omitted_layers;
};

OutputReport writeBaseLayers(const LoadedProject& lp, data::GpkgWriter& w, const OutputOptions& opt);

// 2D ISO WKB (little endian) of a point.
std::vector<std::uint8_t> pointWkb(Point p);

// "a,b,c" of the ids of the CSR row i.
std::string joinIds(std::span<const std::uint32_t> offsets, std::span<const std::uint32_t> ids, std::size_t i,
                    const std::vector<std::string>& names);

}  // namespace trygg::engine
