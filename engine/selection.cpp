#include "engine/selection.hpp"

#include <chrono>

#include <date/tz.h>
#include <fmt/format.h>

#include "core/category.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "engine/method.hpp"
#include "engine/run_context.hpp"

namespace trygg::engine {

namespace hs = geo::hotspot;

void IncidentSelection::declare(Method& m) {
  m.declareArg("categories", "Incident categories (ids, comma-separated; empty = all)", &categories);
  m.declareArg("from", "First day of the window, YYYY-MM-DD (local time; empty = from the start)", &from);
  m.declareArg("to", "Last day of the window, YYYY-MM-DD, inclusive (empty = to the end)", &to);
  m.declareArg("hours", "Local hours of day, e.g. 18-06 (empty = all)", &hours);
  m.declareArg("weekdays", "Days of week: mon,tue,wed,thu,fri,sat,sun (empty = all)", &weekdays)
      .choices({"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
  m.declareArg("include_stacked", "Keep incidents stacked on one coordinate (geocoding fallbacks)", &include_stacked);
}

hs::UtcOffsetFn zoneOffsetFn(const std::string& zone) {
  const date::time_zone* tz = nullptr;
  try {
    tz = date::locate_zone(zone);
  } catch (const std::exception&) {
    throwUsageError("unknown time zone '{}'; use an IANA name such as Europe/Stockholm", zone);
  }
  // get_info is a lookup in the zone's transitions; cache the current range.
  struct Cache {
    std::int64_t begin = 1, end = 0;
    std::int32_t offset = 0;
  };
  auto cache = std::make_shared<Cache>();
  return [tz, cache](EpochSeconds utc) -> std::int32_t {
    if (utc >= cache->begin && utc < cache->end) return cache->offset;
    const auto info = tz->get_info(date::sys_seconds{std::chrono::seconds{utc}});
    cache->begin = info.begin.time_since_epoch().count();
    cache->end = info.end.time_since_epoch().count();
    cache->offset = static_cast<std::int32_t>(info.offset.count());
    return cache->offset;
  };
}

EpochSeconds localDayStart(const std::string& ymd, const std::string& zone, const std::string& where) {
  int y = 0, mo = 0, d = 0;
  if (std::sscanf(ymd.c_str(), "%d-%d-%d", &y, &mo, &d) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31)
    throwUsageError("{}: '{}' is not a date; write YYYY-MM-DD", where, ymd);
  const auto ymd_d = date::year{y} / mo / d;
  if (!ymd_d.ok()) throwUsageError("{}: '{}' is not a calendar date", where, ymd);
  const auto local = date::local_days{ymd_d};
  const auto* tz = date::locate_zone(zone);
  const auto sys = tz->to_sys(local, date::choose::earliest);
  return std::chrono::duration_cast<std::chrono::seconds>(sys.time_since_epoch()).count();
}

SelectedIncidents selectIncidents(const RunContext& ctx, const IncidentSelection& sel, const std::string& where) {
  SelectedIncidents out;
  const auto& inc = *ctx.incidents;
  std::array<bool, kCategoryCount> cat_on{};
  if (sel.categories.empty()) {
    cat_on.fill(true);
  } else {
    for (const auto& c : sel.categories) {
      const auto cat = parseCategory(c);
      if (!cat) throwUsageError("{}: unknown category '{}'; see docs/categories.md", where, c);
      cat_on[static_cast<std::size_t>(*cat)] = true;
    }
  }
  if (!sel.from.empty()) out.window_start = localDayStart(sel.from, ctx.time_zone, where + ": from");
  if (!sel.to.empty()) out.window_end = localDayStart(sel.to, ctx.time_zone, where + ": to") + 86400;
  if (out.window_start != kNoTime && out.window_end != kNoTime && out.window_end <= out.window_start)
    throwUsageError("{}: 'to' ({}) is before 'from' ({})", where, sel.to, sel.from);

  hs::HourMask hours = hs::allHours();
  bool hour_filter = false;
  if (!sel.hours.empty()) {
    int a = -1, b = -1;
    if (std::sscanf(sel.hours.c_str(), "%d-%d", &a, &b) != 2 || a < 0 || a > 24 || b < 0 || b > 24)
      throwUsageError("{}: hours must be like 18-06 (from hour - to hour, local time), got '{}'", where, sel.hours);
    hours = hs::hourRange(a % 24, b % 24);
    hour_filter = true;
  }
  hs::WeekdayMask days = hs::allWeekdays();
  bool day_filter = false;
  if (!sel.weekdays.empty()) {
    static const char* kNames[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    days.fill(false);
    for (const auto& w : sel.weekdays)
      for (int k = 0; k < 7; ++k)
        if (w == kNames[k]) days[static_cast<std::size_t>(k)] = true;
    day_filter = true;
  }
  const bool time_filter = hour_filter || day_filter || out.window_start != kNoTime || out.window_end != kNoTime;
  const auto tz = (hour_filter || day_filter) ? zoneOffsetFn(ctx.time_zone) : hs::UtcOffsetFn{};

  for (std::size_t i = 0; i < inc.size(); ++i) {
    if (!cat_on[static_cast<std::size_t>(inc.category[i])]) continue;
    if ((inc.flags[i] & model::kFlagStacked) && !sel.include_stacked) {
      ++out.excluded_stacked;
      continue;
    }
    double w = inc.weight[i];
    if (time_filter) {
      if (inc.t_from[i] == kNoTime) {
        ++out.excluded_no_time;
        continue;
      }
      const auto mid = hs::spanMidpoint(inc.t_from[i], inc.t_to[i]);
      if (out.window_start != kNoTime && mid < out.window_start) continue;
      if (out.window_end != kNoTime && mid >= out.window_end) continue;
      if (hour_filter || day_filter) {
        const double share = hs::aoristicWeightInHours(inc.t_from[i], inc.t_to[i], hours, days, tz);
        if (!(share > 0)) continue;
        w *= share;
      }
    }
    out.pts.push_back(inc.pts[i]);
    out.weights.push_back(w);
    out.index.push_back(static_cast<std::uint32_t>(i));
  }
  std::string cats = sel.categories.empty() ? "all" : "";
  for (const auto& c : sel.categories) cats += (cats.empty() ? "" : ",") + c;
  out.description = fmt::format("categories {}; days {}..{}; hours {}; weekdays {}", cats,
                                sel.from.empty() ? "start" : sel.from, sel.to.empty() ? "end" : sel.to,
                                sel.hours.empty() ? "all" : sel.hours, day_filter ? "selected" : "all");
  return out;
}

}  // namespace trygg::engine
