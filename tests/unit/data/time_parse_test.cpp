// Expected epoch values were computed independently with Python:
//   datetime.fromisoformat('<UTC time>').replace(tzinfo=timezone.utc).timestamp()
// Stockholm is CET (+01) in winter and CEST (+02) in summer.
#include "data/time_parse.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"

namespace trygg::data {
namespace {

EpochSeconds parseOrDie(const TimeParser& p, std::string_view s, bool end_of_day = false) {
  auto r = p.parse(s, end_of_day);
  EXPECT_TRUE(r.has_value()) << s;
  return r ? r->t : kNoTime;
}

TEST(TimeParse, IsoLocalInStockholm) {
  TimeParser p;  // Europe/Stockholm
  EXPECT_EQ(parseOrDie(p, "2023-01-13 18:30"), 1673631000);     // 17:30Z (CET)
  EXPECT_EQ(parseOrDie(p, "2023-01-13T18:30"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-01-13T18:30:00"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-01-13 18:30:00.987"), 1673631000);  // fraction truncated
  EXPECT_EQ(parseOrDie(p, "2023-07-01 12:00"), 1688205600);     // 10:00Z (CEST)
  EXPECT_EQ(parseOrDie(p, "2023/01/13 18:30"), 1673631000);     // OGR's own string form
}

TEST(TimeParse, IsoWithZoneIgnoresLayerZone) {
  TimeParser p;
  EXPECT_EQ(parseOrDie(p, "2023-01-13T18:30:00Z"), 1673634600);
  EXPECT_EQ(parseOrDie(p, "2023-01-13T18:30:05z"), 1673634605);
  EXPECT_EQ(parseOrDie(p, "2023-01-13T18:30:00+01:00"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-01-13T18:30+0100"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-01-13 18:30 +01"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-01-13T19:30:00-01:00"), 1673634600 + 7200);  // 20:30Z
}

// polisen.se's export writes the hour without a leading zero after a space.
TEST(TimeParse, OneDigitHourAfterASpace) {
  TimeParser p;
  EXPECT_EQ(parseOrDie(p, "2025-03-01 7:05:12 +01:00"), 1740809112);  // 06:05:12Z
  EXPECT_EQ(parseOrDie(p, "2023-01-13 7:30"), 1673591400);            // 06:30Z (CET)
  EXPECT_FALSE(p.parse("2023-01-13T7:30").has_value());               // strict after 'T'
}

TEST(TimeParse, DateOnlyAndEndOfDay) {
  TimeParser p;
  auto r = p.parse("2023-01-13");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->date_only);
  EXPECT_EQ(r->t, 1673564400);                              // 2023-01-12T23:00Z
  EXPECT_EQ(parseOrDie(p, "2023-01-13", true), 1673650799);  // 2023-01-13T22:59:59Z
  EXPECT_FALSE(p.parse("2023-01-13 18:30")->date_only);
}

TEST(TimeParse, DstFallBackTakesEarliest) {
  TimeParser p;
  // 02:30 happens twice on 2023-10-29; the first (CEST) is 00:30Z.
  EXPECT_EQ(parseOrDie(p, "2023-10-29 02:30"), 1698539400);
  EXPECT_EQ(parseOrDie(p, "2023-10-29 03:30"), 1698543000 + 3600);  // 02:30Z (CET, unambiguous)
}

TEST(TimeParse, DstSpringForwardShiftsForward) {
  TimeParser p;
  // 02:30 does not exist on 2023-03-26; read as 03:30 CEST = 01:30Z.
  EXPECT_EQ(parseOrDie(p, "2023-03-26 02:30"), 1679794200);
  EXPECT_EQ(parseOrDie(p, "2023-03-26 03:30"), 1679794200);
}

TEST(TimeParse, CacheDoesNotLeakAcrossTransitions) {
  TimeParser p;
  // Warm the cache in winter, then ask for summer and back.
  EXPECT_EQ(parseOrDie(p, "2023-01-13 18:30"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-07-01 12:00"), 1688205600);
  EXPECT_EQ(parseOrDie(p, "2023-01-13 18:30"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-10-29 02:30"), 1698539400);
}

TEST(TimeParse, OtherZone) {
  TimeParser utc("UTC");
  EXPECT_EQ(parseOrDie(utc, "2023-01-13 18:30"), 1673634600);
  EXPECT_THROW(TimeParser("Mars/Olympus_Mons"), UsageError);
}

TEST(TimeParse, Rejects) {
  TimeParser p;
  for (const char* s : {"2023-13-01", "2023-02-30", "abc", "2023-01-13 25:00", "2023-01-13 18:61", "13/01/2023",
                        "2023-1-13", "2023-01-13T18", "2023-01-13 18:30 CET", ""}) {
    EXPECT_FALSE(p.parse(s).has_value()) << s;
  }
  EXPECT_TRUE(p.parse("2024-02-29").has_value());  // leap year
  EXPECT_FALSE(p.parse("2023-02-29").has_value());
}

TEST(TimeParse, CustomFormat) {
  TimeParser p("Europe/Stockholm", "%d/%m/%Y %H.%M");
  EXPECT_EQ(parseOrDie(p, "13/01/2023 18.30"), 1673631000);
  EXPECT_EQ(parseOrDie(p, "2023-01-13 18:30"), 1673631000);  // ISO still accepted
  EXPECT_FALSE(p.parse("13/13/2023 18.30").has_value());

  TimeParser months("UTC", "%d %b %Y");
  EXPECT_EQ(parseOrDie(months, "13 Oct 2023"), 1697155200);
  EXPECT_EQ(parseOrDie(months, "13 okt 2023"), 1697155200);
  EXPECT_EQ(parseOrDie(months, "13 oktober 2023"), 1697155200);

  TimeParser two("UTC", "%y%m%d %H:%M:%S");
  EXPECT_EQ(parseOrDie(two, "230113 18:30:05"), 1673634605);

  EXPECT_THROW(TimeParser("UTC", "%Y-%j"), UsageError);
  EXPECT_THROW(TimeParser("UTC", "%Y-%"), UsageError);
}

TEST(TimeParse, DaysFromCivil) {
  EXPECT_EQ(daysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(daysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(daysFromCivil(1969, 12, 31), -1);
}

}  // namespace
}  // namespace trygg::data
