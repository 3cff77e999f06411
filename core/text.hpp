#pragma once
// Text helpers: trimming, case folding that knows Swedish letters (UTF-8),
// splitting, and number parsing that accepts a decimal comma.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trygg::text {

std::string_view trim(std::string_view s);
// Lower-cases ASCII and the UTF-8 letters Å Ä Ö É Ü Æ Ø (enough for Swedish and
// Nordic category words); other bytes are kept.
std::string foldCase(std::string_view s);
std::vector<std::string_view> split(std::string_view s, char sep);
// Parses a decimal number; accepts '.' and, when allow_comma, ',' as the decimal
// separator. Returns nullopt unless the whole (trimmed) text is a number.
std::optional<double> parseDouble(std::string_view s, bool allow_comma = true);
std::optional<long long> parseInt(std::string_view s);
bool isValidUtf8(std::string_view s);
// Converts ISO-8859-1 / Windows-1252 bytes to UTF-8.
std::string latin1ToUtf8(std::string_view s);
std::string jsonEscape(std::string_view s);

}  // namespace trygg::text
