// Aoristic weights and local-time helpers; see aoristic.hpp for the rules and sources.
#include "geo/hotspot/aoristic.hpp"

#include <algorithm>

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kHour = 3600;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

std::int32_t offsetAt(const UtcOffsetFn& tz, EpochSeconds utc) { return tz ? tz(utc) : 0; }

void checkSpan(EpochSeconds from, EpochSeconds to) {
  if (from == kNoTime) throwDataError("aoristic: the time span has no start; every incident needs a time");
  if (to != kNoTime && to < from) {
    throwDataError("aoristic: time span ends ({}) before it starts ({}); swap the from/to columns or fix the record",
                   to, from);
  }
}

}  // namespace

UtcOffsetFn fixedUtcOffset(std::int32_t offset_seconds) {
  return [offset_seconds](EpochSeconds) { return offset_seconds; };
}

UtcOffsetFn utcOffsetTable(std::vector<UtcOffsetChange> changes, std::int32_t offset_before) {
  std::sort(changes.begin(), changes.end(),
            [](const UtcOffsetChange& a, const UtcOffsetChange& b) { return a.from < b.from; });
  return [changes = std::move(changes), offset_before](EpochSeconds utc) {
    auto it = std::upper_bound(changes.begin(), changes.end(), utc,
                               [](EpochSeconds t, const UtcOffsetChange& c) { return t < c.from; });
    return it == changes.begin() ? offset_before : std::prev(it)->offset_seconds;
  };
}

HourMask allHours() {
  HourMask m;
  m.fill(true);
  return m;
}

WeekdayMask allWeekdays() {
  WeekdayMask m;
  m.fill(true);
  return m;
}

HourMask hourRange(int from_hour, int to_hour) {
  if (from_hour < 0 || from_hour > 24 || to_hour < 0 || to_hour > 24) {
    throwUsageError("aoristic: hours must be within 0..24 (got {}–{})", from_hour, to_hour);
  }
  HourMask m{};
  from_hour %= 24;
  to_hour %= 24;
  if (from_hour == to_hour) return allHours();
  for (int h = from_hour; h != to_hour; h = (h + 1) % 24) m[static_cast<std::size_t>(h)] = true;
  return m;
}

int localHour(EpochSeconds utc, const UtcOffsetFn& tz) {
  const std::int64_t local = utc + offsetAt(tz, utc);
  return static_cast<int>(floorDiv(local, kHour) - floorDiv(local, kDay) * 24);
}

int localWeekday(EpochSeconds utc, const UtcOffsetFn& tz) {
  const std::int64_t days = floorDiv(utc + offsetAt(tz, utc), kDay);
  // 1970-01-01 was a Thursday, ISO weekday index 3.
  return static_cast<int>(((days + 3) % 7 + 7) % 7);
}

std::array<double, 168> aoristicWeekHourWeights(EpochSeconds from, EpochSeconds to, const UtcOffsetFn& tz) {
  checkSpan(from, to);
  std::array<double, 168> w{};
  auto blockOf = [&](EpochSeconds t) {
    return static_cast<std::size_t>(localWeekday(t, tz) * 24 + localHour(t, tz));
  };
  if (to == kNoTime || to == from) {
    w[blockOf(from)] = 1.0;
    return w;
  }
  // Walk the span one local hour block at a time. The block of t ends at the
  // next whole local hour under the offset in force at t; a DST change falls on
  // such a boundary (in every zone that uses whole-hour offsets), so the next
  // step picks the new offset up.
  const auto total = static_cast<double>(to - from);
  EpochSeconds t = from;
  while (t < to) {
    const std::int32_t off = offsetAt(tz, t);
    const std::int64_t local = t + off;
    const EpochSeconds block_end_utc = (floorDiv(local, kHour) + 1) * kHour - off;
    const EpochSeconds seg_end = std::min(to, block_end_utc);
    w[blockOf(t)] += static_cast<double>(seg_end - t) / total;
    t = seg_end;
  }
  return w;
}

double aoristicWeightInHours(EpochSeconds from, EpochSeconds to, const HourMask& hours,
                             const WeekdayMask& weekdays, const UtcOffsetFn& tz) {
  const auto w = aoristicWeekHourWeights(from, to, tz);
  double sum = 0;
  for (std::size_t d = 0; d < 7; ++d) {
    if (!weekdays[d]) continue;
    for (std::size_t h = 0; h < 24; ++h) {
      if (hours[h]) sum += w[d * 24 + h];
    }
  }
  return std::clamp(sum, 0.0, 1.0);  // rounding of a sum of fractions may overshoot by 1 ulp
}

EpochSeconds spanMidpoint(EpochSeconds from, EpochSeconds to) {
  checkSpan(from, to);
  if (to == kNoTime) return from;
  return from + (to - from) / 2;
}

bool midpointInWindow(EpochSeconds from, EpochSeconds to, EpochSeconds window_start, EpochSeconds window_end) {
  const EpochSeconds mid = spanMidpoint(from, to);
  return mid >= window_start && mid < window_end;
}

std::int64_t daysFromCivil(CivilDate d) {
  const std::int64_t y = static_cast<std::int64_t>(d.year) - (d.month <= 2 ? 1 : 0);
  const std::int64_t era = floorDiv(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (d.month + 9) % 12;
  const std::int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civilFromDays(std::int64_t z) {
  z += 719468;
  const std::int64_t era = floorDiv(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const auto month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  const auto year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
  return {year, month, day};
}

int daysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

EpochSeconds localToUtc(std::int64_t local_seconds, const UtcOffsetFn& tz) {
  if (!tz) return local_seconds;
  // Fixed-point iteration: guess the offset at local-as-UTC, then refine once
  // or twice; it settles unless the local time is skipped/repeated by DST.
  EpochSeconds u = local_seconds - tz(local_seconds);
  for (int i = 0; i < 3; ++i) {
    const EpochSeconds next = local_seconds - tz(u);
    if (next == u) break;
    u = next;
  }
  return u;
}

}  // namespace trygg::geo::hotspot
