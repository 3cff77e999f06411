#pragma once
// Parsing of the time values found in input layers into UTC epoch seconds.
//
// Accepted without configuration (docs/data-formats.md, "Times"):
//   2023-01-13                      date only (midnight local, or end of day for a span's `to`)
//   2023-01-13 18:30  / 2023-01-13T18:30
//   2023-01-13 18:30:05[.123]       fractions are truncated to the second
//   any of the above followed by Z, +01:00, +0100 or +01 (then the zone of the value wins)
// Anything else needs a strptime-style `time_format` on the layer (%Y %m %d %H %M %S
// %y %b, %% and literal characters; a space in the format matches any run of spaces).
//
// Times without a zone are local times in the layer's time zone (default
// Europe/Stockholm), converted with Howard Hinnant's date/tz:
//  - an ambiguous local time (the repeated hour when DST ends) is read as the
//    EARLIER of the two instants (date::choose::earliest), i.e. still summer time;
//  - a nonexistent local time (the skipped hour when DST starts, 02:30 on the last
//    Sunday of March in Sweden) is shifted FORWARD by the size of the gap
//    (02:30 -> 03:30 CEST), which is what a clock that was not moved would mean.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/types.hpp"

namespace date {
class time_zone;
}

namespace trygg::data {

class TimeParser {
 public:
  // Throws UsageError when the time zone is unknown or the format has an
  // unsupported conversion.
  explicit TimeParser(const std::string& time_zone = "Europe/Stockholm", const std::string& format = {});

  struct Result {
    EpochSeconds t = kNoTime;
    bool date_only = false;  // the value carried no time of day
  };
  // nullopt when the text is not a time in any accepted form. `end_of_day` turns
  // a date-only value into the last second of that day (23:59:59 local).
  std::optional<Result> parse(std::string_view text, bool end_of_day = false) const;

  // Converts broken-down local time (in this parser's zone) to UTC by the
  // ambiguity rules above. Fields must be in range (month 1..12, day valid ...).
  EpochSeconds localToUtc(int year, unsigned month, unsigned day, int hour, int minute, int second) const;

  const std::string& zoneName() const { return m_zone_name; }
  const std::string& format() const { return m_format; }

 private:
  std::optional<Result> parseIso(std::string_view s, bool end_of_day) const;
  std::optional<Result> parseFormat(std::string_view s, bool end_of_day) const;

  std::string m_zone_name;
  std::string m_format;
  const date::time_zone* m_zone = nullptr;
  // Cache of recent UTC offset periods: local times in [lo, hi) (local seconds) map
  // uniquely to UTC by subtracting offset. Each range is an offset period shrunk by
  // a day on each side, so it never touches a transition. Several entries, because
  // unsorted incidents jump between summer and winter time of many years.
  // (The cache makes a TimeParser unsafe to share between threads.)
  struct Period {
    std::int64_t lo = 1, hi = 0, offset = 0;
  };
  static constexpr int kCacheSize = 16;
  mutable Period m_cache[kCacheSize];
  mutable int m_cache_next = 0;
};

// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil).
std::int64_t daysFromCivil(int year, unsigned month, unsigned day);
bool validDate(int year, unsigned month, unsigned day);

}  // namespace trygg::data
