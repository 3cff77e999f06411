#pragma once
// Which incidents an analysis uses: categories, a date window, hours of day and
// days of week. Spans (from..to) count in the date window by their midpoint and
// in hour/weekday filters with aoristic weights (geo/hotspot/aoristic.hpp).
// Stacked coordinates (geocoding fallbacks) are left out and counted.
#include <string>
#include <vector>

#include "core/types.hpp"
#include "geo/hotspot/aoristic.hpp"

namespace trygg::engine {

struct RunContext;
class Method;

struct IncidentSelection {
  std::vector<std::string> categories;  // category ids; empty = all
  std::string from;                     // first day (inclusive), YYYY-MM-DD; empty = open
  std::string to;                       // last day (inclusive), YYYY-MM-DD; empty = open
  std::string hours;                    // local hours "18-06" (from 18:00 to 06:00); empty = all
  std::vector<std::string> weekdays;    // mon tue wed thu fri sat sun; empty = all
  bool include_stacked = false;

  // Declares the selection parameters on a method.
  void declare(Method& m);
};

struct SelectedIncidents {
  std::vector<Point> pts;
  std::vector<double> weights;            // the incident's weight times its aoristic share
  std::vector<std::uint32_t> index;       // into RunContext::incidents
  std::int64_t excluded_stacked = 0;
  std::int64_t excluded_no_time = 0;      // had no time while a time filter was set
  EpochSeconds window_start = kNoTime;    // [start, end) in UTC, or kNoTime when open
  EpochSeconds window_end = kNoTime;
  std::string description;                // for metadata: "violence,robbery 2024-01-01..2024-12-31 18-06"
};

SelectedIncidents selectIncidents(const RunContext& ctx, const IncidentSelection& sel, const std::string& where);

// The offset of local time from UTC in a named zone (IANA, e.g. Europe/Stockholm).
geo::hotspot::UtcOffsetFn zoneOffsetFn(const std::string& zone);
// Local midnight of a YYYY-MM-DD day in the zone, as UTC seconds.
EpochSeconds localDayStart(const std::string& ymd, const std::string& zone, const std::string& where);

}  // namespace trygg::engine
