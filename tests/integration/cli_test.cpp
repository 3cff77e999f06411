// The command line as a user meets it: help, exit codes, messages that say
// where and what to fix.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cli_helpers.hpp"

using trygg::testing::runTrygg;

TEST(Cli, HelpListsCommandsAndExitCodes) {
  const auto r = runTrygg("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"validate", "import", "run", "methods", "demo", "Exit codes"})
    EXPECT_NE(r.output.find(c), std::string::npos) << c;
  for (const char* sub : {"validate", "import", "run", "methods", "demo"}) {
    const auto s = runTrygg(std::string(sub) + " --help");
    EXPECT_EQ(s.exit_code, 0) << sub;
  }
}

TEST(Cli, MethodsListsTheRegistry) {
  const auto r = runTrygg("methods");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* id : {"hotspot.kde", "hotspot.getis_ord", "hotspot.local_moran", "hotspot.emerging", "hotspot.near_repeat"})
    EXPECT_NE(r.output.find(id), std::string::npos) << id;
  const auto one = runTrygg("methods hotspot.kde");
  EXPECT_EQ(one.exit_code, 0);
  EXPECT_NE(one.output.find("bandwidth"), std::string::npos);
  EXPECT_EQ(runTrygg("methods no.such.method").exit_code, 2);
}

TEST(Cli, UsageErrorsExitWithTwo) {
  EXPECT_EQ(runTrygg("").exit_code, 2);
  EXPECT_EQ(runTrygg("frobnicate").exit_code, 2);
  EXPECT_EQ(runTrygg("run /no/such/project.yaml").exit_code, 2);
}

TEST(Cli, ProjectFileMistakesNameTheLineAndExitWithOne) {
  trygg::testing::TempDir dir;
  const auto yaml = dir.path() / "p.yaml";
  trygg::testing::writeFile(yaml, "project:\n  name: x\nlayers:\n  areas:\n    source: a.gpkg\n    colums: {id: id}\n");
  const auto r = runTrygg("validate " + yaml.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("p.yaml line 6"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("colums"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("columns"), std::string::npos) << r.output;  // the known keys are listed
}

TEST(Cli, BadAnalysisParameterNamesMethodAndRange) {
  trygg::testing::TempDir dir;
  const auto yaml = dir.path() / "p.yaml";
  trygg::testing::writeFile(dir.path() / "areas.csv", "id,name,wkt\nA,Area,\"POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))\"\n");
  trygg::testing::writeFile(dir.path() / "inc.csv", "id,x,y,time,category\n1,10,10,2024-01-01 10:00,Klotter\n");
  trygg::testing::writeFile(yaml,
                            "project: {crs: EPSG:3006}\n"
                            "layers:\n"
                            "  areas: {source: areas.csv, crs: EPSG:3006, columns: {id: id, name: name, geometry: wkt}}\n"
                            "  incidents: {source: inc.csv, crs: EPSG:3006, columns: {id: id, x: x, y: y, time: time, category: category}}\n"
                            "analyses:\n"
                            "  - method: hotspot.kde\n"
                            "    bandwidth: -5\n");
  const auto r = runTrygg("run " + yaml.string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("bandwidth"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(">= 0"), std::string::npos) << r.output;
}

TEST(Cli, ValidateReportsRejectedRowsWithFileAndRow) {
  trygg::testing::TempDir dir;
  trygg::testing::writeFile(dir.path() / "areas.csv", "id,name,wkt\nA,Area,\"POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))\"\n");
  trygg::testing::writeFile(dir.path() / "inc.csv",
                            "id,x,y,time,category\n1,10,10,2024-01-01 10:00,Klotter\n2,abc,10,2024-01-01,Klotter\n"
                            "3,20,20,2024-13-45,Klotter\n4,30,30,2024-02-01,Klotter\n");
  const auto yaml = dir.path() / "p.yaml";
  trygg::testing::writeFile(yaml,
                            "layers:\n"
                            "  areas: {source: areas.csv, crs: EPSG:3006, columns: {id: id, name: name, geometry: wkt}}\n"
                            "  incidents: {source: inc.csv, crs: EPSG:3006, columns: {id: id, x: x, y: y, time: time, category: category}}\n");
  const auto r = runTrygg("validate " + yaml.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("inc.csv row 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("inc.csv row 3"), std::string::npos) << r.output;
  const auto strict = runTrygg("validate --strict " + yaml.string());
  EXPECT_EQ(strict.exit_code, 1) << strict.output;
}

TEST(Cli, HotspotsOnAPlainPointFile) {
  trygg::testing::TempDir dir;
  // 200 points in two clusters, SWEREF 99 TM.
  std::string csv = "id,x,y,time,category\n";
  for (int i = 0; i < 200; ++i) {
    const double cx = i % 2 ? 545000 : 546000, cy = 6575000;
    csv += fmt::format("{},{},{},2024-03-{:02d} 12:00,Klotter\n", i, cx + (i * 37 % 101) - 50, cy + (i * 53 % 97) - 48,
                       1 + i % 28);
  }
  trygg::testing::writeFile(dir.path() / "pts.csv", csv);
  const auto out = dir.path() / "out";
  const auto r = runTrygg("hotspots kde --input " + (dir.path() / "pts.csv").string() +
                          " --x x --y y --time time --category category --crs EPSG:3006 --bandwidth 150 --cell 10 --out " +
                          out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(out / "pts_kde.tif"));
  EXPECT_TRUE(std::filesystem::exists(out / "pts_kde.qml"));
  EXPECT_TRUE(std::filesystem::exists(out / "pts_summary.json"));
  // A bad parameter on the command line is a usage error.
  const auto bad = runTrygg("hotspots kde --input " + (dir.path() / "pts.csv").string() +
                            " --x x --y y --crs EPSG:3006 --kernel square --out " + out.string());
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_NE(bad.output.find("kernel"), std::string::npos) << bad.output;
}
