#include "core/units.hpp"

#include <cctype>
#include <string>

#include "core/error.hpp"
#include "core/text.hpp"

namespace trygg {

double parseLengthMetres(std::string_view text, std::string_view what) {
  const std::string_view t = text::trim(text);
  std::size_t i = 0;
  while (i < t.size() && (std::isdigit(static_cast<unsigned char>(t[i])) || t[i] == '.' || t[i] == ',' ||
                          t[i] == '-' || t[i] == '+' || t[i] == 'e' || t[i] == 'E')) {
    // do not eat the 'e' of a unit name
    if ((t[i] == 'e' || t[i] == 'E') && (i + 1 >= t.size() || !(std::isdigit(static_cast<unsigned char>(t[i + 1])) || t[i + 1] == '-')))
      break;
    ++i;
  }
  const auto value = text::parseDouble(t.substr(0, i));
  const std::string unit = text::foldCase(text::trim(t.substr(i)));
  if (!value)
    throwUsageError("{}: '{}' is not a length; write a number of metres, e.g. 50, or a number and a unit (m, km, ft, us-ft, mi)",
                    what, text);
  double factor = 0;
  if (unit.empty() || unit == "m" || unit == "metre" || unit == "metres" || unit == "meter" || unit == "meters") factor = 1;
  else if (unit == "km") factor = 1000;
  else if (unit == "ft" || unit == "feet" || unit == "foot") factor = kFootMetres;
  else if (unit == "us-ft" || unit == "us_ft" || unit == "ftus" || unit == "us survey foot") factor = kUsSurveyFootMetres;
  else if (unit == "mi" || unit == "mile" || unit == "miles") factor = 1609.344;
  else
    throwUsageError("{}: unknown length unit '{}' in '{}'; use m, km, ft, us-ft or mi", what, unit, text);
  return *value * factor;
}

}  // namespace trygg
