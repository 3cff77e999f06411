// The factor catalogue: the shipped default parses, matches config/factors.yaml
// byte for byte, and bad rule files fail with the file, the line and the fix.
#include "plugins/safety/catalogue.hpp"

#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/error.hpp"

using namespace trygg::plugins::safety;
using ::testing::HasSubstr;

namespace {

std::string expectError(const std::string& yaml) {
  try {
    parseCatalogue(yaml, "my_factors.yaml");
  } catch (const trygg::DataError& e) {
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << yaml;
  return {};
}

const char* kHead = "version: 1\nfactors:\n";

}  // namespace

TEST(Catalogue, DefaultIsTheShippedFile) {
  std::ifstream in(std::string(TRYGG_SOURCE_DIR) + "/config/factors.yaml", std::ios::binary);
  ASSERT_TRUE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  std::string embedded = defaultCatalogueYaml();
  ASSERT_FALSE(embedded.empty());
  if (embedded.front() == '\n') embedded.erase(0, 1);
  EXPECT_EQ(embedded, ss.str()) << "plugins/safety/default_catalogue.cpp is out of date: copy config/factors.yaml into it";
}

TEST(Catalogue, DefaultCoversTheIssue) {
  const auto& c = defaultCatalogue();
  for (const char* id : {"violence_robbery", "vandalism_graffiti", "littering", "drugs", "disorder", "lighting",
                         "vegetation", "sightlines", "overview", "maintenance", "graffiti", "litter", "damage",
                         "wayfinding", "hiding_places", "escape_routes", "lit_share", "vegetation_cover",
                         "survey_unsafe", "unsafe_pins", "function_mix"})
    EXPECT_GE(c.findFactor(id), 0) << id;
  const auto& v = c.factors[static_cast<std::size_t>(c.findFactor("violence_robbery"))];
  EXPECT_EQ(v.group, Group::CrimeDisorder);
  EXPECT_TRUE(v.guard);
  EXPECT_EQ(v.guard_options.min_count, 3);
  EXPECT_DOUBLE_EQ(v.guard_options.alpha, 0.05);
  EXPECT_TRUE(v.higher_is_worse);
  EXPECT_TRUE(v.categories[static_cast<std::size_t>(trygg::Category::Violence)]);
  EXPECT_TRUE(v.categories[static_cast<std::size_t>(trygg::Category::Robbery)]);
  EXPECT_FALSE(v.categories[static_cast<std::size_t>(trygg::Category::Theft)]);
  const auto& l = c.factors[static_cast<std::size_t>(c.findFactor("lighting"))];
  EXPECT_DOUBLE_EQ(l.bands.yellow_from, 20.0 / 3.0);  // "20/3" in the file
  EXPECT_DOUBLE_EQ(l.bands.green_from, 40.0 / 3.0);
  EXPECT_EQ(l.obs_factor, "lighting");
  EXPECT_EQ(l.combine, trygg::geo::scoring::Combine::Worst);
  const auto& veg = c.factors[static_cast<std::size_t>(c.findFactor("vegetation_cover"))];
  EXPECT_TRUE(veg.removes);
  EXPECT_EQ(veg.measure_kind, "vegetation");
}

TEST(Catalogue, UserFactorWithoutRecompiling) {
  const auto c = parseCatalogue(std::string(kHead) +
                                    "  - id: burglary_near\n"
                                    "    group: crime_disorder\n"
                                    "    source: incidents\n"
                                    "    metric: incidents_relative\n"
                                    "    categories: [burglary, theft]\n"
                                    "    radius: 100\n"
                                    "    table: [[0, 20], [2, 7], [4, 0]]\n"
                                    "    bands: { yellow_from: 5, green_from: 15 }\n",
                                "my_factors.yaml");
  ASSERT_EQ(c.factors.size(), 1u);
  EXPECT_EQ(c.factors[0].metric, Metric::IncidentsRelative);
  EXPECT_TRUE(c.factors[0].higher_is_worse);  // from the table
  EXPECT_DOUBLE_EQ(c.factors[0].radius_m, 100);
  EXPECT_DOUBLE_EQ(c.factors[0].bands.green_from, 15);
  EXPECT_EQ(c.factors[0].label_en, "burglary_near");
}

TEST(Catalogue, Errors) {
  using std::string;
  // unknown metric kind, on line 4
  auto e = expectError(string(kHead) + "  - id: x\n    group: crime_disorder\n    metric: heat\n    table: [[0, 0], [1, 20]]\n");
  EXPECT_THAT(e, HasSubstr("my_factors.yaml line 5"));
  EXPECT_THAT(e, HasSubstr("unknown metric 'heat'"));
  EXPECT_THAT(e, HasSubstr("incidents_per_year"));
  // thresholds out of order
  e = expectError(string(kHead) +
                  "  - id: x\n    metric: rating\n    table: [[0, 0], [20, 20]]\n    bands: { yellow_from: 14, green_from: 7 }\n");
  EXPECT_THAT(e, HasSubstr("line 6"));
  EXPECT_THAT(e, HasSubstr("out of order"));
  // table not increasing
  e = expectError(string(kHead) + "  - id: x\n    metric: rating\n    table: [[5, 0], [2, 20]]\n");
  EXPECT_THAT(e, HasSubstr("line 5"));
  EXPECT_THAT(e, HasSubstr("raw values must increase"));
  // direction contradicts the table
  e = expectError(string(kHead) + "  - id: x\n    metric: rating\n    direction: higher_is_worse\n    table: [[0, 0], [20, 20]]\n");
  EXPECT_THAT(e, HasSubstr("line 5"));
  EXPECT_THAT(e, HasSubstr("contradicts the table"));
  // unknown key
  e = expectError(string(kHead) + "  - id: x\n    metric: rating\n    colour_bands: 3\n    table: [[0, 0], [20, 20]]\n");
  EXPECT_THAT(e, HasSubstr("line 5"));
  EXPECT_THAT(e, HasSubstr("unknown key 'colour_bands'"));
  // unknown category
  e = expectError(string(kHead) + "  - id: x\n    metric: incidents_per_year\n    categories: [violence, arson]\n    table: [[0, 20], [5, 0]]\n");
  EXPECT_THAT(e, HasSubstr("line 5"));
  EXPECT_THAT(e, HasSubstr("unknown incident category 'arson'"));
  // source and metric disagree
  e = expectError(string(kHead) + "  - id: x\n    source: incidents\n    metric: rating\n    table: [[0, 0], [20, 20]]\n");
  EXPECT_THAT(e, HasSubstr("line 5"));
  EXPECT_THAT(e, HasSubstr("reads observations"));
  // incidents without categories
  e = expectError(string(kHead) + "  - id: x\n    metric: incidents_per_year\n    table: [[0, 20], [5, 0]]\n");
  EXPECT_THAT(e, HasSubstr("give 'categories'"));
  // duplicate id
  e = expectError(string(kHead) + "  - { id: x, metric: rating, table: [[0, 0], [20, 20]] }\n"
                                  "  - { id: x, metric: rating, table: [[0, 0], [20, 20]] }\n");
  EXPECT_THAT(e, HasSubstr("line 4"));
  EXPECT_THAT(e, HasSubstr("appears twice"));
  // score beyond the scale
  e = expectError(string(kHead) + "  - id: x\n    metric: rating\n    table: [[0, 0], [20, 25]]\n");
  EXPECT_THAT(e, HasSubstr("outside 0..20"));
  // a guard on a rating
  e = expectError(string(kHead) + "  - id: x\n    metric: rating\n    guard: true\n    table: [[0, 0], [20, 20]]\n");
  EXPECT_THAT(e, HasSubstr("count metrics only"));
  // not YAML
  e = expectError("factors: [\n");
  EXPECT_THAT(e, HasSubstr("my_factors.yaml line"));
  EXPECT_THAT(e, HasSubstr("not valid YAML"));
  e = expectError("version: 1\n");
  EXPECT_THAT(e, HasSubstr("'factors:'"));
}
