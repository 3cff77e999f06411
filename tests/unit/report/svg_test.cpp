// The report's SVG charts: well-formed (parsed by GDAL's XML parser), no
// script or external reference, the numbers shown, text escaped.
#include <gtest/gtest.h>

#include <cpl_minixml.h>

#include "report/svg.hpp"

using namespace trygg::report;

namespace {

void expectWellFormedSvg(const std::string& svg) {
  CPLXMLNode* root = CPLParseXMLString(svg.c_str());
  ASSERT_NE(root, nullptr) << svg;
  EXPECT_STREQ(root->pszValue, "svg");
  EXPECT_NE(CPLGetXMLValue(root, "viewBox", nullptr), nullptr);
  EXPECT_STREQ(CPLGetXMLValue(root, "role", ""), "img");
  EXPECT_NE(CPLGetXMLNode(root, "title"), nullptr);
  CPLDestroyXMLNode(root);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("href"), std::string::npos);
  EXPECT_EQ(svg.find("url("), std::string::npos);
}

int countOf(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST(SvgCharts, EscapesText) {
  EXPECT_EQ(xmlEscape("a<b & \"c\" 'd'>"), "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
}

TEST(SvgCharts, TransitionMatrixShowsEveryCountTintedByDirection) {
  std::array<std::array<std::int64_t, 3>, 3> m{{{11, 12, 13}, {21, 22, 23}, {31, 32, 33}}};
  const auto svg = transitionMatrixSvg(m, {"Colour <before> & after", "before", "after", {"röd", "gul", "grön"}});
  expectWellFormedSvg(svg);
  for (int i = 1; i <= 3; ++i)
    for (int j = 1; j <= 3; ++j) EXPECT_NE(svg.find(">" + std::to_string(10 * i + j) + "<"), std::string::npos) << i << j;
  EXPECT_NE(svg.find("&lt;before&gt; &amp; after"), std::string::npos);
  EXPECT_NE(svg.find("grön"), std::string::npos);
  // Three improved cells (above the diagonal), three worse, three unchanged.
  EXPECT_EQ(countOf(svg, "#d9f0d3"), 3);
  EXPECT_EQ(countOf(svg, "#fbd5d0"), 3);
  EXPECT_EQ(countOf(svg, "#eeeeee"), 3);
}

TEST(SvgCharts, GaugeFillsToTheShareAndMarksTheGoal) {
  const auto met = shareGaugeSvg(0.5, 0.25, {"share", "50 %", "goal 25 %"});
  expectWellFormedSvg(met);
  EXPECT_NE(met.find("width=\"150.0\""), std::string::npos) << met;   // half of the 300 px bar
  EXPECT_NE(met.find("x1=\"85.0\""), std::string::npos) << met;       // goal at 10 + 0.25 * 300
  EXPECT_NE(met.find("#1a9641"), std::string::npos);                  // green when met
  const auto missed = shareGaugeSvg(0.1, 0.25, {"share", "10 %", "goal 25 %"});
  EXPECT_NE(missed.find("#fdae61"), std::string::npos);
  EXPECT_EQ(missed.find("#1a9641"), std::string::npos);
  const auto over = shareGaugeSvg(1.7, 0.25, {"share", "170 %", "goal"});
  EXPECT_NE(over.find("width=\"300.0\""), std::string::npos);          // clamped
  expectWellFormedSvg(shareGaugeSvg(NAN, 0.25, {"share", "–", "goal"}));
}

TEST(SvgCharts, StackedBarsScaleToTheLargestRowWithALegend) {
  const auto svg = stackedBarsSvg({{"baseline", {{"red", "#d7191c", 6}, {"green", "#1a9641", 2}}},
                                   {"follow-up", {{"red", "#d7191c", 2}, {"green", "#1a9641", 2}}}},
                                  "Places");
  expectWellFormedSvg(svg);
  EXPECT_NE(svg.find("width=\"195.0\""), std::string::npos) << svg;  // 6 of 8 of 260 px
  EXPECT_NE(svg.find(">baseline<"), std::string::npos);
  EXPECT_EQ(countOf(svg, "<rect x=\"4.0\""), 1);                     // one legend swatch per name...
  EXPECT_EQ(countOf(svg, "height=\"10\""), 2);                       // ...red and green
  expectWellFormedSvg(stackedBarsSvg({}, "empty"));
}
