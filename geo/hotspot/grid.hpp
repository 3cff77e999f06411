#pragma once
// A north-up raster of values: the result type of kernel density (and of any other
// gridded hotspot output). Pure data, no I/O: data/ writes it as a GeoTIFF.
#include <cstddef>
#include <vector>

namespace trygg::geo::hotspot {

// Pixel (col, row) covers [origin_x + col*cell, origin_x + (col+1)*cell] x
// [origin_y - (row+1)*cell, origin_y - row*cell]; its value is taken at the pixel centre.
// GDAL geotransform: {origin_x, cell, 0, origin_y, 0, -cell}.
template <typename T>
struct BasicRasterGrid {
  double origin_x = 0;  // left edge
  double origin_y = 0;  // top edge
  double cell = 0;      // square pixels
  int width = 0;        // columns
  int height = 0;       // rows
  std::vector<T> values;  // rows top to bottom, width * height
  T nodata = T(-9999);

  double centreX(int col) const { return origin_x + (col + 0.5) * cell; }
  double centreY(int row) const { return origin_y - (row + 0.5) * cell; }
  std::size_t index(int col, int row) const {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col);
  }
  T& at(int col, int row) { return values[index(col, row)]; }
  const T& at(int col, int row) const { return values[index(col, row)]; }
};

using RasterGrid = BasicRasterGrid<float>;     // what is written (Float32 GeoTIFF)
using RasterGrid64 = BasicRasterGrid<double>;  // the same before rounding to Float32

}  // namespace trygg::geo::hotspot
