#pragma once
// Single-band Float32 GeoTIFF output (kernel density surfaces, grids), QGIS-
// ready: explicit NoData, the CRS with its EPSG code in the GeoKeys, DEFLATE
// with the floating-point predictor (3), 256x256 tiles, and the QGIS style in a
// same-name .qml beside it (QGIS loads "<name>.qml" as the default style of
// "<name>.tif"). Both files are written atomically (data/atomic_file.hpp);
// the .qml is put in place first so the new .tif never appears unstyled.
#include <filesystem>
#include <map>
#include <span>
#include <string>

namespace trygg::data {

// rows_top_to_bottom: width*height values, row 0 is the northern (top) row.
// origin_x/origin_y: the raster's left and top edges; cell: square cell size in
// CRS units. crs_wkt: WKT or anything GDAL's SetFromUserInput takes
// ("EPSG:3006"). qml: "" = no style file (a stale one beside the target is
// left alone). metadata: GDAL dataset metadata items (stored in the TIFF).
// band_description: what the values are, with their unit ("Kernel density,
// incidents per km²"): QGIS shows it as the band's name ("Band 1: ...") instead of
// "Band 1 (Gray)"; also stored as the band's UNITTYPE when unit is given.
// Throws UsageError on inconsistent sizes, DataError when the file cannot be written.
void writeGeoTiffFloat32(const std::filesystem::path& path, int width, int height, double origin_x,
                         double origin_y, double cell, std::span<const float> rows_top_to_bottom, float nodata,
                         const std::string& crs_wkt, const std::string& qml,
                         const std::map<std::string, std::string>& metadata,
                         const std::string& band_description = {}, const std::string& unit = {});

// Write a text file atomically (used for .qml sidecars).
void writeTextFileAtomic(const std::filesystem::path& path, const std::string& text);

}  // namespace trygg::data
