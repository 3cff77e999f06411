#pragma once
// Lengths typed by users are metres unless a unit is given ("150 ft", "0.2 km",
// "500 us-ft"). The engine converts them to the working CRS's linear unit.
#include <string_view>

namespace trygg {

// Parses "50", "50 m", "0.5km", "150 ft", "150 us-ft", "1 mi". Returns metres.
// Throws UsageError naming `what` (e.g. "places.radius") on bad text.
double parseLengthMetres(std::string_view text, std::string_view what);

inline constexpr double kFootMetres = 0.3048;
inline constexpr double kUsSurveyFootMetres = 1200.0 / 3937.0;

}  // namespace trygg
