// The machine-readable outputs programs rely on (the QGIS plugin): `methods
// --json` is one JSON document on stdout, and `--progress=json` prints one
// JSON object per line on stderr, in order, each stage framed by 0 and 1,
// while stdout keeps the report lines.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <set>
#include <sstream>

#include "cli_helpers.hpp"

using trygg::testing::runTrygg;

TEST(MachineOutput, MethodsJsonIsOneDocument) {
  const auto r = runTrygg("methods --json");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(r.output);
  ASSERT_TRUE(j["methods"].is_array());
  std::set<std::string> ids;
  for (const auto& m : j["methods"]) ids.insert(m["id"].get<std::string>());
  for (const char* id : {"hotspot.kde", "hotspot.getis_ord", "hotspot.local_moran", "hotspot.emerging", "hotspot.near_repeat"})
    EXPECT_TRUE(ids.count(id)) << id;
  const auto one = runTrygg("methods hotspot.kde --json");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  EXPECT_EQ(nlohmann::json::parse(one.output)["id"], "hotspot.kde");
}

TEST(MachineOutput, ProgressJsonLinesOnStderr) {
  trygg::testing::TempDir dir;
  std::string csv = "id,x,y,time\n";
  for (int i = 0; i < 300; ++i)
    csv += fmt::format("{},{},{},2024-03-{:02d} 12:00\n", i, 545000 + (i * 37 % 211), 6575000 + (i * 53 % 197), 1 + i % 28);
  trygg::testing::writeFile(dir.path() / "pts.csv", csv);
  const auto err = dir.path() / "stderr.txt", out = dir.path() / "stdout.txt";
  const std::string cmd = std::string(TRYGG_BINARY) + " --progress=json hotspots kde --input " + (dir.path() / "pts.csv").string() +
                          " --x x --y y --time time --crs EPSG:3006 --bandwidth 100 --cell 10 --out " +
                          (dir.path() / "out").string() + " >" + out.string() + " 2>" + err.string();
  ASSERT_EQ(std::system(cmd.c_str()), 0) << trygg::testing::readFile(err);
  EXPECT_NE(trygg::testing::readFile(out).find("Results:"), std::string::npos);  // the report stays on stdout
  std::istringstream in(trygg::testing::readFile(err));
  std::vector<nlohmann::json> events;
  for (std::string line; std::getline(in, line);) {
    ASSERT_NO_THROW(events.push_back(nlohmann::json::parse(line))) << line;
  }
  ASSERT_GE(events.size(), 6u);
  std::vector<std::string> stages;
  int last_step = 0;
  double last = -1;
  for (const auto& e : events) {
    const double p = e["progress"].get<double>();
    const int step = e["step"].get<int>();
    ASSERT_GE(p, 0.0);
    ASSERT_LE(p, 1.0);
    if (step != last_step) {
      EXPECT_EQ(step, last_step + 1);
      EXPECT_EQ(p, 0.0) << e.dump();  // a stage starts at 0 ...
      if (last_step) {
        EXPECT_EQ(last, 1.0);  // ... and the previous one ended at 1
      }
      stages.push_back(e["stage"].get<std::string>());
    } else {
      EXPECT_GT(p, last) << e.dump();
    }
    last_step = step;
    last = p;
  }
  EXPECT_EQ(last, 1.0);
  ASSERT_EQ(stages.size(), 3u);
  EXPECT_EQ(stages[0], "Reading areas");
  EXPECT_EQ(stages[1], "Reading incidents");
  EXPECT_EQ(stages[2], "Running kde (hotspot.kde)");

  // --progress=none and a pipe print no progress at all; a bad mode is a usage error.
  const auto quiet = runTrygg("--progress=none methods");
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(runTrygg("--progress=loud methods").exit_code, 2);
}
