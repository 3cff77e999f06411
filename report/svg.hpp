#pragma once
// Charts of the report as inline SVG (no scripts, no external references):
// the 3×3 colour transition matrix, the share improved against the goal, and
// stacked bars of counts. Each function returns one <svg> element with a
// viewBox, a role="img" and a <title>, so it scales with the page and prints.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::report {

// &, <, >, " and ' escaped for XML/HTML text and attribute values.
std::string xmlEscape(std::string_view s);

// counts[before][after], index 0 red, 1 yellow, 2 green. Cells where the colour
// improved are tinted green, worse red, unchanged grey.
struct MatrixLabels {
  std::string title;               // accessible title
  std::string before, after;       // axis captions
  std::array<std::string, 3> colours;  // "red", "yellow", "green" in the report's language
};
std::string transitionMatrixSvg(const std::array<std::array<std::int64_t, 3>, 3>& counts, const MatrixLabels& labels);

// A bar from 0 to 100 % filled to `share`, with a mark at `goal`.
struct GaugeLabels {
  std::string title;
  std::string value_text;          // "31 %"
  std::string goal_text;           // "goal 25 %"
};
std::string shareGaugeSvg(double share, double goal, const GaugeLabels& labels);

// Horizontal stacked bars: one row per label, segments in order.
struct Segment {
  std::string name;                // legend text
  std::string colour;              // CSS colour
  double value = 0;
};
struct BarRow {
  std::string label;
  std::vector<Segment> segments;
};
std::string stackedBarsSvg(const std::vector<BarRow>& rows, const std::string& title);

}  // namespace trygg::report
