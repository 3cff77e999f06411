#pragma once
// The report's map styles as one Mapnik XML stylesheet (the same colours as the
// QGIS styles in the GeoPackage: data/qml.hpp). Style names used by report.cpp:
//   area_fill, area_focus, area_other  — the delimited areas
//   area_overview, area_names          — every area filled and outlined; [name] (drawn last)
//   places                             — [overall] red / yellow / green / not_assessed
//   place_labels                       — [label]
//   place_dots                         — small dark dots (where the places are, on hotspot maps)
//   kde                                — band 1 of a density raster, ramp to `kde_max`
//   gistar                             — [bin] -3..3 (Gi_Bin)
#include <string>

namespace trygg::report {

struct StyleOptions {
  double kde_max = 1;   // the raster's largest value: the top of the colour ramp
};
std::string mapStylesheet(const StyleOptions& o = {});

// The colour of a traffic-light value ("red", ...; anything else: not assessed),
// the same as the GeoPackage's QGIS styles (data/qml.hpp).
const char* trafficLightColour(const std::string& colour);

}  // namespace trygg::report
