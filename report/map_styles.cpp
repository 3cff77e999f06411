#include "report/map_styles.hpp"

#include <fmt/format.h>

#include "data/qml.hpp"
#include "report/svg.hpp"

namespace trygg::report {

const char* trafficLightColour(const std::string& c) {
  if (c == "red") return data::kColourRed;
  if (c == "yellow") return data::kColourYellow;
  if (c == "green") return data::kColourGreen;
  return data::kColourNotAssessed;
}

std::string mapStylesheet(const StyleOptions& o) {
  std::string x = R"XML(<?xml version="1.0" encoding="utf-8"?>
<Map background-color="#ffffff">
  <Style name="area_fill">
    <Rule><PolygonSymbolizer fill="#f3f1ea"/></Rule>
  </Style>
  <Style name="area_other">
    <Rule><LineSymbolizer stroke="#8c8c8c" stroke-width="1.2" stroke-dasharray="5,3"/></Rule>
    <Rule><TextSymbolizer face-name="DejaVu Sans Oblique" size="11" fill="#666666" halo-fill="#ffffff" halo-radius="1.5" placement="interior">[name]</TextSymbolizer></Rule>
  </Style>
  <Style name="area_overview">
    <Rule><PolygonSymbolizer fill="#f3f1ea"/><LineSymbolizer stroke="#222222" stroke-width="1.6"/></Rule>
  </Style>
  <Style name="area_names">
    <Rule><TextSymbolizer face-name="DejaVu Sans Bold" size="13" fill="#333333" halo-fill="#ffffff" halo-radius="2" placement="interior">[name]</TextSymbolizer></Rule>
  </Style>
  <Style name="area_focus">
    <Rule><LineSymbolizer stroke="#222222" stroke-width="2.4"/></Rule>
  </Style>
  <Style name="places">
)XML";
  for (const char* c : {"red", "yellow", "green"})
    x += fmt::format(
        "    <Rule><Filter>[overall] = '{}'</Filter><MarkersSymbolizer fill=\"{}\" width=\"15\" height=\"15\" "
        "stroke=\"#222222\" stroke-width=\"0.8\" allow-overlap=\"true\" ignore-placement=\"true\"/></Rule>\n",
        c, trafficLightColour(c));
  x += fmt::format(
      "    <Rule><ElseFilter/><MarkersSymbolizer fill=\"{}\" width=\"11\" height=\"11\" stroke=\"#555555\" "
      "stroke-width=\"0.8\" allow-overlap=\"true\" ignore-placement=\"true\"/></Rule>\n  </Style>\n",
      data::kColourNotAssessed);
  x += R"XML(  <Style name="place_dots">
    <Rule><MarkersSymbolizer fill="#333333" width="6" height="6" stroke="#ffffff" stroke-width="1" allow-overlap="true" ignore-placement="true"/></Rule>
  </Style>
  <Style name="place_labels">
    <Rule><TextSymbolizer face-name="DejaVu Sans Book" size="13" fill="#111111" halo-fill="#ffffff" halo-radius="1.8" dy="11" placement-type="simple" placements="S,N,E,W,NE,SE,NW,SW" allow-overlap="false" avoid-edges="true">[label]</TextSymbolizer></Rule>
  </Style>
  <Style name="gistar">
)XML";
  for (const auto& c : data::giBinCategories())
    if (c.value != "0")
      x += fmt::format("    <Rule><Filter>[bin] = '{}'</Filter><PolygonSymbolizer fill=\"{}\" fill-opacity=\"0.85\"/></Rule>\n",
                       c.value, c.colour);
  x += "  </Style>\n";
  const double m = o.kde_max > 0 ? o.kde_max : 1;
  x += fmt::format(R"XML(  <Style name="kde">
    <Rule><RasterSymbolizer opacity="0.9" scaling="bilinear"><RasterColorizer default-mode="linear" default-color="rgba(0,0,0,0)" epsilon="0">
      <stop value="0" color="rgba(255,255,204,0)"/>
      <stop value="{}" color="rgba(255,237,160,0.6)"/>
      <stop value="{}" color="#feb24c"/>
      <stop value="{}" color="#f03b20"/>
      <stop value="{}" color="#bd0026"/>
    </RasterColorizer></RasterSymbolizer></Rule>
  </Style>
</Map>
)XML",
                   0.1 * m, 0.35 * m, 0.7 * m, m);
  return x;
}

}  // namespace trygg::report
