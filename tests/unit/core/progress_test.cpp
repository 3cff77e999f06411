// Progress in both formats: GDAL's terminal dots and the JSON lines that
// programs (the QGIS plugin) parse — one object per line, monotone, 0 and 1
// framing every stage, labels escaped.
#include "core/progress.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace {

std::string captured(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST(Progress, TerminalLooksLikeGdal) {
  std::FILE* f = std::tmpfile();
  trygg::Progress p(true, f, trygg::ProgressFormat::Terminal);
  p.begin("Reading incidents: ");
  p.update(0.5);
  p.done();
  EXPECT_EQ(captured(f), "Reading incidents: 0...10...20...30...40...50...60...70...80...90...100 - done.\n");
}

TEST(Progress, JsonLinesPerStage) {
  std::FILE* f = std::tmpfile();
  trygg::Progress p(true, f, trygg::ProgressFormat::Json);
  p.begin("Reading incidents: ");
  p.update(0.25);
  p.update(0.25);   // no change, no line
  p.update(0.1);    // backwards, no line
  p.update(0.4205);
  p.done();
  p.begin("Running kde (hotspot.kde): ");
  p.done();
  const auto l = lines(captured(f));
  ASSERT_EQ(l.size(), 6u);
  int step = 0;
  ASSERT_EQ(std::sscanf(l[0].c_str(), "{\"progress\":0.000,\"stage\":\"Reading incidents\",\"step\":%d}", &step), 1) << l[0];
  EXPECT_EQ(l[1], "{\"progress\":0.250,\"stage\":\"Reading incidents\",\"step\":" + std::to_string(step) + "}");
  EXPECT_EQ(l[2], "{\"progress\":0.420,\"stage\":\"Reading incidents\",\"step\":" + std::to_string(step) + "}");
  EXPECT_EQ(l[3], "{\"progress\":1.000,\"stage\":\"Reading incidents\",\"step\":" + std::to_string(step) + "}");
  EXPECT_EQ(l[4], "{\"progress\":0.000,\"stage\":\"Running kde (hotspot.kde)\",\"step\":" + std::to_string(step + 1) + "}");
  EXPECT_EQ(l[5], "{\"progress\":1.000,\"stage\":\"Running kde (hotspot.kde)\",\"step\":" + std::to_string(step + 1) + "}");
}

TEST(Progress, JsonEscapesLabels) {
  EXPECT_EQ(trygg::jsonQuote("a \"b\" \\ c\n\x01 åä"), "\"a \\\"b\\\" \\\\ c\\n\\u0001 åä\"");
  std::FILE* f = std::tmpfile();
  trygg::Progress p(true, f, trygg::ProgressFormat::Json);
  p.begin("Reading \"odd\" name: ");
  p.done();
  EXPECT_NE(captured(f).find("\"stage\":\"Reading \\\"odd\\\" name\""), std::string::npos);
}

TEST(Progress, DisabledPrintsNothingInEitherFormat) {
  for (auto fmt : {trygg::ProgressFormat::Terminal, trygg::ProgressFormat::Json}) {
    std::FILE* f = std::tmpfile();
    trygg::Progress p(false, f, fmt);
    p.begin("x: ");
    p.update(0.5);
    p.done();
    EXPECT_EQ(captured(f), "");
  }
}

TEST(Progress, DefaultFormatIsProcessWide) {
  EXPECT_EQ(trygg::defaultProgressFormat(), trygg::ProgressFormat::Terminal);
  trygg::setDefaultProgressFormat(trygg::ProgressFormat::Json);
  std::FILE* f = std::tmpfile();
  {
    trygg::Progress p(true, f);
    p.begin("x: ");
  }
  trygg::setDefaultProgressFormat(trygg::ProgressFormat::Terminal);
  EXPECT_EQ(captured(f).rfind("{\"progress\":0.000,\"stage\":\"x\"", 0), 0u);
}
