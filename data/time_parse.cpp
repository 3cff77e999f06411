#include "data/time_parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstring>

#include <date/tz.h>

#include "core/error.hpp"

namespace trygg::data {

namespace {

constexpr std::int64_t kDay = 86400;

bool isDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly n digits at s[pos]; advances pos.
bool digits(std::string_view s, std::size_t& pos, int n, int& out) {
  if (pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[pos + static_cast<std::size_t>(i)];
    if (!isDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  pos += static_cast<std::size_t>(n);
  out = v;
  return true;
}

// Reads 1..maxn digits.
bool digitsUpTo(std::string_view s, std::size_t& pos, int maxn, int& out) {
  int v = 0, n = 0;
  while (pos < s.size() && n < maxn && isDigit(s[pos])) {
    v = v * 10 + (s[pos] - '0');
    ++pos;
    ++n;
  }
  out = v;
  return n > 0;
}

// Zone designator at s[pos..]: Z, +HH:MM, +HHMM, +HH (also -). Returns offset seconds east of UTC.
bool zoneSuffix(std::string_view s, std::size_t& pos, std::int64_t& offset) {
  if (pos < s.size() && s[pos] == ' ') ++pos;  // "2023-01-13 18:30 +01:00" is common in exports
  if (pos >= s.size()) return false;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
    offset = 0;
    return true;
  }
  if (s[pos] != '+' && s[pos] != '-') return false;
  const int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  int hh = 0, mm = 0;
  if (!digits(s, pos, 2, hh)) return false;
  if (pos < s.size() && s[pos] == ':') ++pos;
  if (pos < s.size() && !digits(s, pos, 2, mm)) return false;
  if (hh > 14 || mm > 59) return false;
  offset = sign * (hh * 3600 + mm * 60);
  return true;
}

constexpr std::array<std::string_view, 12> kMonthsEn = {"jan", "feb", "mar", "apr", "may", "jun",
                                                        "jul", "aug", "sep", "oct", "nov", "dec"};
// Swedish abbreviations differ in maj and okt.
constexpr std::array<std::string_view, 12> kMonthsSv = {"jan", "feb", "mar", "apr", "maj", "jun",
                                                        "jul", "aug", "sep", "okt", "nov", "dec"};

}  // namespace

std::int64_t daysFromCivil(int y, unsigned m, unsigned d) {
  // Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", days_from_civil.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool validDate(int y, unsigned m, unsigned d) {
  if (m < 1 || m > 12 || d < 1) return false;
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  unsigned dim = kDays[m - 1];
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) dim = 29;
  return d <= dim;
}

TimeParser::TimeParser(const std::string& time_zone, const std::string& format)
    : m_zone_name(time_zone.empty() ? "Europe/Stockholm" : time_zone), m_format(format) {
  try {
    m_zone = date::locate_zone(m_zone_name);
  } catch (const std::exception& e) {
    throwUsageError("time_zone '{}' is not a known IANA time zone ({}); use a name such as Europe/Stockholm or UTC",
                    m_zone_name, e.what());
  }
  for (std::size_t i = 0; i < m_format.size(); ++i) {
    if (m_format[i] != '%') continue;
    if (i + 1 >= m_format.size())
      throwUsageError("time_format '{}' ends with a lone '%'; supported: %Y %m %d %H %M %S %y %b %%", m_format);
    const char c = m_format[++i];
    if (std::strchr("YmdHMSyb%", c) == nullptr)
      throwUsageError("time_format '{}': %{} is not supported; supported: %Y %m %d %H %M %S %y %b %%", m_format, c);
  }
}

EpochSeconds TimeParser::localToUtc(int year, unsigned month, unsigned day, int hour, int minute, int second) const {
  const std::int64_t local = daysFromCivil(year, month, day) * kDay + hour * 3600 + minute * 60 + second;
  for (const auto& c : m_cache)
    if (local >= c.lo && local < c.hi) return local - c.offset;

  using namespace std::chrono;
  const date::local_seconds lt{seconds{local}};
  const auto info = m_zone->get_info(lt);
  std::int64_t utc = 0;
  switch (info.result) {
    case date::local_info::unique:
      utc = local - info.first.offset.count();
      // Remember the period, shrunk by a day at each end (never near a transition).
      {
        auto& c = m_cache[m_cache_next];
        m_cache_next = (m_cache_next + 1) % kCacheSize;
        c.offset = info.first.offset.count();
        // sys_info bounds can be +-infinity-like (zones without DST): clamp before adding.
        const auto b = std::max<std::int64_t>(info.first.begin.time_since_epoch().count(), -(std::int64_t{1} << 50));
        const auto e = std::min<std::int64_t>(info.first.end.time_since_epoch().count(), std::int64_t{1} << 50);
        c.lo = b + c.offset + kDay;
        c.hi = e + c.offset - kDay;
      }
      break;
    case date::local_info::ambiguous:
      // The repeated hour at the end of DST: the earlier instant (still DST).
      utc = local - info.first.offset.count();
      break;
    case date::local_info::nonexistent:
      // The skipped hour at the start of DST: shift forward by the gap, i.e. read the
      // wall clock with the offset before the transition (02:30 CET == 03:30 CEST).
      utc = local - info.first.offset.count();
      break;
  }
  return utc;
}

std::optional<TimeParser::Result> TimeParser::parse(std::string_view text, bool end_of_day) const {
  // Trim spaces and quotes left over from sloppy exports.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (!m_format.empty()) {
    if (auto r = parseFormat(text, end_of_day)) return r;
  }
  return parseIso(text, end_of_day);
}

std::optional<TimeParser::Result> TimeParser::parseIso(std::string_view s, bool end_of_day) const {
  std::size_t pos = 0;
  int y = 0, mo = 0, d = 0;
  if (!digits(s, pos, 4, y)) return std::nullopt;
  if (pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return std::nullopt;
  const char sep = s[pos++];
  if (!digits(s, pos, 2, mo)) return std::nullopt;
  if (pos >= s.size() || s[pos] != sep) return std::nullopt;
  ++pos;
  if (!digits(s, pos, 2, d)) return std::nullopt;
  if (!validDate(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) return std::nullopt;
  Result r;
  if (pos == s.size()) {
    r.date_only = true;
    r.t = end_of_day ? localToUtc(y, mo, d, 23, 59, 59) : localToUtc(y, mo, d, 0, 0, 0);
    return r;
  }
  if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
  const bool spaced = s[pos] == ' ';
  ++pos;
  int h = 0, mi = 0, sec = 0;
  // After a space (not strict ISO) the hour may have one digit: exports such as
  // polisen.se's write "2025-03-01 7:05:12 +01:00".
  if (spaced ? !digitsUpTo(s, pos, 2, h) : !digits(s, pos, 2, h)) return std::nullopt;
  if (pos >= s.size() || s[pos] != ':') return std::nullopt;
  ++pos;
  if (!digits(s, pos, 2, mi)) return std::nullopt;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!digits(s, pos, 2, sec)) return std::nullopt;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
      ++pos;
      int frac = 0;
      if (!digitsUpTo(s, pos, 9, frac)) return std::nullopt;
      while (pos < s.size() && isDigit(s[pos])) ++pos;  // truncate longer fractions
    }
  }
  // 24:00 is the end of the day in ISO 8601; 23:59:60 (leap second) is read as :59.
  const bool midnight_end = h == 24 && mi == 0 && sec == 0;
  if ((h > 23 && !midnight_end) || mi > 59 || sec > 60) return std::nullopt;
  if (sec == 60) sec = 59;
  std::int64_t offset = 0;
  const bool has_zone = pos < s.size() && zoneSuffix(s, pos, offset);
  if (pos != s.size()) return std::nullopt;
  if (has_zone) {
    r.t = daysFromCivil(y, mo, d) * kDay + h * 3600 + mi * 60 + sec - offset;
  } else if (midnight_end) {
    r.t = localToUtc(y, mo, d, 0, 0, 0) + kDay;
  } else {
    r.t = localToUtc(y, mo, d, h, mi, sec);
  }
  return r;
}

std::optional<TimeParser::Result> TimeParser::parseFormat(std::string_view s, bool end_of_day) const {
  int y = -1, mo = -1, d = -1, h = -1, mi = 0, sec = 0;
  std::size_t pos = 0;
  const std::string_view f = m_format;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (f[i] == ' ') {  // any run of blanks
      while (pos < s.size() && (s[pos] == ' ' || s[pos] == '\t')) ++pos;
      continue;
    }
    if (f[i] != '%') {
      if (pos >= s.size() || s[pos] != f[i]) return std::nullopt;
      ++pos;
      continue;
    }
    const char c = f[++i];
    int v = 0;
    switch (c) {
      case 'Y':
        if (!digits(s, pos, 4, v)) return std::nullopt;
        y = v;
        break;
      case 'y':
        if (!digits(s, pos, 2, v)) return std::nullopt;
        y = v < 69 ? 2000 + v : 1900 + v;  // POSIX strptime pivot
        break;
      case 'm':
        if (!digitsUpTo(s, pos, 2, v)) return std::nullopt;
        mo = v;
        break;
      case 'd':
        if (!digitsUpTo(s, pos, 2, v)) return std::nullopt;
        d = v;
        break;
      case 'H':
        if (!digitsUpTo(s, pos, 2, v)) return std::nullopt;
        h = v;
        break;
      case 'M':
        if (!digitsUpTo(s, pos, 2, v)) return std::nullopt;
        mi = v;
        break;
      case 'S':
        if (!digitsUpTo(s, pos, 2, v)) return std::nullopt;
        sec = v;
        break;
      case 'b': {
        if (pos + 3 > s.size()) return std::nullopt;
        char m3[3];
        for (int k = 0; k < 3; ++k) m3[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[pos + k])));
        const std::string_view key(m3, 3);
        int found = -1;
        for (int k = 0; k < 12; ++k)
          if (kMonthsEn[k] == key || kMonthsSv[k] == key) found = k + 1;
        if (found < 0) return std::nullopt;
        mo = found;
        pos += 3;
        // Full month names ("January", "mars"): skip the remaining letters.
        while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) ++pos;
        if (pos < s.size() && s[pos] == '.') ++pos;  // "jan."
        break;
      }
      case '%':
        if (pos >= s.size() || s[pos] != '%') return std::nullopt;
        ++pos;
        break;
      default: return std::nullopt;
    }
  }
  if (pos != s.size() || y < 0 || mo < 0 || d < 0) return std::nullopt;
  if (!validDate(y, static_cast<unsigned>(mo), static_cast<unsigned>(d))) return std::nullopt;
  Result r;
  if (h < 0) {
    r.date_only = true;
    r.t = end_of_day ? localToUtc(y, mo, d, 23, 59, 59) : localToUtc(y, mo, d, 0, 0, 0);
    return r;
  }
  if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
  r.t = localToUtc(y, mo, d, h, mi, sec);
  return r;
}

}  // namespace trygg::data
