#pragma once
// Maps of the report, drawn by Mapnik (AGG renderer, PNG). This header is plain
// C++ with no Mapnik type: map_renderer.cpp is the only translation unit that
// includes Mapnik's headers (see docs/architecture.md, "The report's maps").
//
// Coordinates are the run's working CRS; the map and every layer share one
// spatial reference, so Mapnik never reprojects.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "report/run_outputs.hpp"

namespace trygg::report {

struct MapFeature {
  std::string wkb;                                         // ISO WKB, 2D
  std::vector<std::pair<std::string, std::string>> attrs;  // read by the style's filters and labels
};

// A vector layer (features in memory) or, with `raster` set, a GeoTIFF read by
// Mapnik's GDAL input plugin (band 1).
struct MapLayer {
  std::string style;                 // a <Style name> of the stylesheet
  std::vector<MapFeature> features;
  std::filesystem::path raster;
};

struct MapSpec {
  int width = 640, height = 480;     // CSS pixels (the size in the page)
  double scale = 2.0;                // device pixels per CSS pixel: sharp on screens and in print
  BBox2 bbox;                        // what must be visible (the map grows it to the image's aspect)
  std::string stylesheet;            // a Mapnik XML <Map> holding the <Style>s
  std::vector<MapLayer> layers;      // drawn in this order
};

// The PNG bytes of the map. Throws trygg::Error when Mapnik fails (the message
// says which style or file).
std::string renderMapPng(const MapSpec& spec);

// "Mapnik 3.1.0" (the library actually linked).
std::string mapRendererName();

}  // namespace trygg::report
