// Aoristic weights and local-time helpers, against hand computations.
#include "geo/hotspot/aoristic.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "core/error.hpp"

namespace trygg::geo::hotspot {
namespace {

constexpr EpochSeconds kH = 3600;
// 2024-01-15 00:00:00Z, a Monday (2024-01-01T00:00:00Z = 1704067200).
constexpr EpochSeconds kMon = 1704067200 + 14 * 86400;

TEST(Aoristic, CivilCalendar) {
  EXPECT_EQ(daysFromCivil({1970, 1, 1}), 0);
  EXPECT_EQ(daysFromCivil({2024, 1, 1}) * 86400, 1704067200);
  EXPECT_EQ(daysFromCivil({1969, 12, 31}), -1);
  for (std::int64_t d = -800000; d < 800000; d += 997) {
    const auto c = civilFromDays(d);
    ASSERT_EQ(daysFromCivil(c), d);
  }
  EXPECT_EQ(daysInMonth(2024, 2), 29);
  EXPECT_EQ(daysInMonth(2023, 2), 28);
  EXPECT_EQ(daysInMonth(1900, 2), 28);
  EXPECT_EQ(daysInMonth(2000, 2), 29);
  EXPECT_EQ(daysInMonth(2024, 4), 30);
}

TEST(Aoristic, LocalHourAndWeekday) {
  EXPECT_EQ(localWeekday(0, {}), 3);  // 1970-01-01, Thursday
  EXPECT_EQ(localWeekday(kMon, {}), 0);
  EXPECT_EQ(localWeekday(kMon - 1, {}), 6);  // Sunday 23:59:59
  EXPECT_EQ(localHour(kMon - 1, {}), 23);
  EXPECT_EQ(localWeekday(kMon - 1, fixedUtcOffset(3600)), 0);  // already Monday 00:59 in UTC+1
  EXPECT_EQ(localHour(kMon - 1, fixedUtcOffset(3600)), 0);
  EXPECT_EQ(localHour(-1, {}), 23);  // before the epoch: floor, not truncation
  EXPECT_EQ(localWeekday(-1, {}), 2);
}

TEST(Aoristic, HourRangeWrapsMidnight) {
  const auto night = hourRange(18, 6);
  int count = 0;
  for (int h = 0; h < 24; ++h) count += night[h];
  EXPECT_EQ(count, 12);
  EXPECT_TRUE(night[18]);
  EXPECT_TRUE(night[23]);
  EXPECT_TRUE(night[0]);
  EXPECT_TRUE(night[5]);
  EXPECT_FALSE(night[6]);
  EXPECT_FALSE(night[17]);
  EXPECT_EQ(hourRange(7, 7), allHours());
  EXPECT_EQ(hourRange(0, 24), allHours());
  EXPECT_THROW(hourRange(-1, 5), UsageError);
  EXPECT_THROW(hourRange(3, 25), UsageError);
}

TEST(Aoristic, BriefExamplesSpanOverNightFilters) {
  const EpochSeconds from = kMon + 22 * kH;  // Monday 22:00
  const EpochSeconds to = kMon + 26 * kH;    // Tuesday 02:00
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(18, 6), allWeekdays()), 1.0);
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(0, 6), allWeekdays()), 0.5);
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(6, 18), allWeekdays()), 0.0);
  WeekdayMask tuesday{};
  tuesday[1] = true;
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, allHours(), tuesday), 0.5);
  // Both filters at once: Tuesday 00–06 = the last 2 of 4 hours.
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(0, 6), tuesday), 0.5);
  // Tuesday 01–06 only: the last hour.
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(1, 6), tuesday), 0.25);
}

TEST(Aoristic, SameSpanInAFixedOffsetZone) {
  // 21:00Z–01:00Z is 22:00–02:00 in UTC+1.
  const auto cet = fixedUtcOffset(3600);
  const EpochSeconds from = kMon + 21 * kH;
  const EpochSeconds to = kMon + 25 * kH;
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(18, 6), allWeekdays(), cet), 1.0);
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(0, 6), allWeekdays(), cet), 0.5);
  // In UTC the same instants are 21:00–01:00: 00–06 holds one hour of four.
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(0, 6), allWeekdays()), 0.25);
}

TEST(Aoristic, PartialHoursWeighBySeconds) {
  // 22:45–01:15: 15 of 150 minutes in hour 22, 60 in 23, 60 in 00, 15 in 01.
  const EpochSeconds from = kMon + 22 * kH + 45 * 60;
  const EpochSeconds to = kMon + 25 * kH + 15 * 60;
  const auto w = aoristicWeekHourWeights(from, to);
  EXPECT_DOUBLE_EQ(w[0 * 24 + 22], 0.1);
  EXPECT_DOUBLE_EQ(w[0 * 24 + 23], 0.4);
  EXPECT_DOUBLE_EQ(w[1 * 24 + 0], 0.4);
  EXPECT_DOUBLE_EQ(w[1 * 24 + 1], 0.1);
  EXPECT_NEAR(std::accumulate(w.begin(), w.end(), 0.0), 1.0, 1e-15);
}

TEST(Aoristic, WholeWeekSpreadsEvenly) {
  const auto w = aoristicWeekHourWeights(kMon, kMon + 7 * 86400);
  for (double v : w) EXPECT_NEAR(v, 1.0 / 168, 1e-15);
  EXPECT_NEAR(aoristicWeightInHours(kMon, kMon + 7 * 86400, hourRange(18, 6), allWeekdays()), 0.5, 1e-12);
  WeekdayMask weekend{};
  weekend[5] = weekend[6] = true;
  EXPECT_NEAR(aoristicWeightInHours(kMon, kMon + 7 * 86400, allHours(), weekend), 2.0 / 7.0, 1e-12);
}

TEST(Aoristic, InstantsWeighZeroOrOne) {
  const EpochSeconds t = kMon + 23 * kH + 30 * 60;
  EXPECT_EQ(aoristicWeightInHours(t, t, hourRange(18, 6), allWeekdays()), 1.0);
  EXPECT_EQ(aoristicWeightInHours(t, kNoTime, hourRange(18, 6), allWeekdays()), 1.0);
  EXPECT_EQ(aoristicWeightInHours(t, t, hourRange(6, 18), allWeekdays()), 0.0);
  WeekdayMask sunday{};
  sunday[6] = true;
  EXPECT_EQ(aoristicWeightInHours(t, t, allHours(), sunday), 0.0);
}

TEST(Aoristic, DaylightSavingChangeFromATable) {
  // Europe/Stockholm, 2024-03-31 01:00Z: CET (+1) -> CEST (+2). Local 02:00–02:59 does not exist.
  const EpochSeconds change = daysFromCivil({2024, 3, 31}) * 86400 + 1 * kH;
  const auto stockholm = utcOffsetTable({{change, 7200}}, 3600);
  EXPECT_EQ(stockholm(change - 1), 3600);
  EXPECT_EQ(stockholm(change), 7200);
  // 00:00Z–02:00Z = local 01:00–02:00 CET then 03:00–04:00 CEST.
  const EpochSeconds from = change - kH;
  const EpochSeconds to = change + kH;
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(1, 2), allWeekdays(), stockholm), 0.5);
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(2, 3), allWeekdays(), stockholm), 0.0);
  EXPECT_DOUBLE_EQ(aoristicWeightInHours(from, to, hourRange(3, 4), allWeekdays(), stockholm), 0.5);
  // Local 2024-03-31 04:00 (CEST) is 02:00Z.
  EXPECT_EQ(localToUtc(daysFromCivil({2024, 3, 31}) * 86400 + 4 * kH, stockholm), change + kH);
  // Local 2024-03-31 00:30 (CET) is 23:30Z the day before.
  EXPECT_EQ(localToUtc(daysFromCivil({2024, 3, 31}) * 86400 + 30 * 60, stockholm), change - kH - kH / 2);
}

TEST(Aoristic, MidpointCountsInDateWindows) {
  EXPECT_EQ(spanMidpoint(100, 200), 150);
  EXPECT_EQ(spanMidpoint(100, 111), 105);
  EXPECT_EQ(spanMidpoint(100, kNoTime), 100);
  // A span from 20:00 on the last day of a window to 06:00 the next day has its
  // midpoint (01:00) after the window's end: it counts in the next window.
  const EpochSeconds window_end = kMon;
  EXPECT_FALSE(midpointInWindow(kMon - 4 * kH, kMon + 6 * kH, kMon - 7 * 86400, window_end));
  EXPECT_TRUE(midpointInWindow(kMon - 4 * kH, kMon + 6 * kH, window_end, window_end + 7 * 86400));
  // Half-open: a midpoint exactly on the end is out, on the start is in.
  EXPECT_FALSE(midpointInWindow(window_end, window_end, 0, window_end));
  EXPECT_TRUE(midpointInWindow(window_end, window_end, window_end, window_end + 1));
}

TEST(Aoristic, RefusesBackwardSpans) {
  EXPECT_THROW(aoristicWeightInHours(200, 100, allHours(), allWeekdays()), DataError);
  EXPECT_THROW(spanMidpoint(200, 100), DataError);
  EXPECT_THROW(spanMidpoint(kNoTime, 100), DataError);
}

}  // namespace
}  // namespace trygg::geo::hotspot
