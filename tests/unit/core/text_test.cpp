#include "core/text.hpp"
#include "core/category.hpp"
#include "core/units.hpp"
#include "core/error.hpp"

#include <gtest/gtest.h>

using namespace trygg;

TEST(Text, FoldCaseSwedish) {
  EXPECT_EQ(text::foldCase("SKADEGÖRELSE Åby Ärla"), "skadegörelse åby ärla");
}

TEST(Text, ParseDoubleDecimalComma) {
  EXPECT_DOUBLE_EQ(*text::parseDouble("6581234,5"), 6581234.5);
  EXPECT_DOUBLE_EQ(*text::parseDouble(" 12.25 "), 12.25);
  EXPECT_FALSE(text::parseDouble("1.234,5"));
  EXPECT_FALSE(text::parseDouble("12a"));
  EXPECT_FALSE(text::parseDouble(""));
}

TEST(Text, Utf8AndLatin1) {
  EXPECT_TRUE(text::isValidUtf8("Klotter på vägg"));
  EXPECT_FALSE(text::isValidUtf8("Klotter p\xE5 v\xE4gg"));
  EXPECT_EQ(text::latin1ToUtf8("p\xE5 v\xE4g \xF6"), "på väg ö");
}

TEST(Category, ParsesIdsAndLabels) {
  EXPECT_EQ(parseCategory("Skadegörelse"), Category::Vandalism);
  EXPECT_EQ(parseCategory("vehicle_crime"), Category::VehicleCrime);
  EXPECT_EQ(parseCategory("KLOTTER"), Category::Graffiti);
  EXPECT_FALSE(parseCategory("nonsense"));
}

TEST(Units, Lengths) {
  EXPECT_DOUBLE_EQ(parseLengthMetres("50", "r"), 50);
  EXPECT_DOUBLE_EQ(parseLengthMetres("0.5 km", "r"), 500);
  EXPECT_NEAR(parseLengthMetres("100 ft", "r"), 30.48, 1e-12);
  EXPECT_NEAR(parseLengthMetres("100 us-ft", "r"), 30.48006096, 1e-8);
  EXPECT_THROW(parseLengthMetres("fifty", "r"), UsageError);
  EXPECT_THROW(parseLengthMetres("5 parsecs", "r"), UsageError);
}
