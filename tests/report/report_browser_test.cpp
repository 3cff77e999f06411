// The workshop report of the demo town, opened in a real browser (headless
// Chromium, offline) and printed to PDF, checked as a reader would see it:
// every image loads, no request leaves the file, the page is not blank, the
// PDF has a page per area and none is blank. Also `trygg report` without a
// run, without Chromium, and in English.
#include <gdal.h>
#include <gdal_priv.h>

#include <gtest/gtest.h>

#include <cmath>
#include <regex>
#include <iostream>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "../integration/cli_helpers.hpp"
#include "report/browser.hpp"

namespace fs = std::filesystem;
using trygg::testing::readFile;
using trygg::testing::runTrygg;

namespace {

constexpr int kDemoAreas = 4;

// Pixel variance of a picture over its bands (0 = one flat colour).
double pixelVariance(const fs::path& png, int* width = nullptr, int* height = nullptr) {
  GDALDataset* ds = static_cast<GDALDataset*>(GDALOpen(png.string().c_str(), GA_ReadOnly));
  if (!ds) return -1;
  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  if (width) *width = w;
  if (height) *height = h;
  double sum = 0, sum2 = 0;
  std::size_t n = 0;
  std::vector<float> row(static_cast<std::size_t>(w));
  for (int b = 1; b <= std::min(3, ds->GetRasterCount()); ++b)
    for (int y = 0; y < h; ++y) {
      if (ds->GetRasterBand(b)->RasterIO(GF_Read, 0, y, w, 1, row.data(), w, 1, GDT_Float32, 0, 0) != CE_None) break;
      for (float v : row) {
        sum += v;
        sum2 += double(v) * v;
        ++n;
      }
    }
  GDALClose(ds);
  if (n == 0) return -1;
  const double m = sum / double(n);
  return sum2 / double(n) - m * m;
}

fs::path chromiumOrSkip() {
  const auto c = trygg::report::findChromium();
  if (!c) {
    if (std::getenv("CI")) ADD_FAILURE() << "CI must have Chromium (scripts/setup.sh installs Debian's chromium)";
    return {};
  }
  return *c;
}

class DemoReport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    GDALAllRegister();
    s_dir = new trygg::testing::TempDir();
    const auto gen = runTrygg("--quiet demo " + (s_dir->path() / "data").string());
    ASSERT_EQ(gen.exit_code, 0) << gen.output;
    fs::copy_file(fs::path(TRYGG_SOURCE_DIR) / "demo" / "project.yaml", s_dir->path() / "project.yaml");
    s_run = new trygg::testing::CliResult(runTrygg("run " + (s_dir->path() / "project.yaml").string()));
  }
  static void TearDownTestSuite() {
    delete s_run;
    delete s_dir;
  }
  static fs::path out(const std::string& name) { return s_dir->path() / "output" / name; }
  static fs::path html() { return out("angsby_report.html"); }
  static fs::path pdf() { return out("angsby_report.pdf"); }
  static trygg::testing::TempDir* s_dir;
  static trygg::testing::CliResult* s_run;
};
trygg::testing::TempDir* DemoReport::s_dir = nullptr;
trygg::testing::CliResult* DemoReport::s_run = nullptr;

}  // namespace

TEST_F(DemoReport, RunWritesOneSelfContainedHtmlFileWithMapsAndChartsPerArea) {
  ASSERT_EQ(s_run->exit_code, 0) << s_run->output;
  ASSERT_TRUE(fs::exists(html())) << s_run->output;
  EXPECT_NE(s_run->output.find("angsby_report.html"), std::string::npos) << s_run->output;
  const std::string h = readFile(html());
  // No script, no stylesheet or image from elsewhere: every src is a data: URI.
  EXPECT_EQ(h.find("<script"), std::string::npos);
  EXPECT_EQ(h.find("<link"), std::string::npos);
  EXPECT_EQ(h.find("http://"), std::string::npos);
  EXPECT_EQ(h.find("https://"), std::string::npos);
  const std::regex src("src=\"([^\"]{0,14})");
  int images = 0;
  for (auto it = std::sregex_iterator(h.begin(), h.end(), src); it != std::sregex_iterator(); ++it, ++images)
    EXPECT_EQ((*it)[1].str().rfind("data:image/png", 0), 0u) << (*it)[1].str();
  // Per area: two place maps, two density maps and a Gi* map; the charts as SVG.
  EXPECT_GE(images, kDemoAreas * 5);
  int sections = 0, svgs = 0;
  for (auto p = h.find("<section class=\"area\""); p != std::string::npos; p = h.find("<section class=\"area\"", p + 1)) ++sections;
  for (auto p = h.find("<svg"); p != std::string::npos; p = h.find("<svg", p + 1)) ++svgs;
  EXPECT_EQ(sections, kDemoAreas);
  EXPECT_GE(svgs, kDemoAreas * 3);
  // The demo project has no language key: Swedish.
  EXPECT_NE(h.find("<html lang=\"sv\">"), std::string::npos);
  EXPECT_NE(h.find("Målet"), std::string::npos);
  EXPECT_NE(h.find("95&nbsp;% KI"), std::string::npos);
  EXPECT_NE(h.find("Datakvalitet"), std::string::npos);
  // Nothing beside it: the output folder holds no image or style files.
  for (const auto& e : fs::directory_iterator(s_dir->path() / "output")) {
    const auto ext = e.path().extension().string();
    EXPECT_TRUE(ext != ".png" && ext != ".css" && ext != ".svg") << e.path();
  }
}

TEST_F(DemoReport, EveryImageLoadsInChromium) {
  ASSERT_EQ(s_run->exit_code, 0) << s_run->output;
  const auto chromium = chromiumOrSkip();
  if (chromium.empty()) GTEST_SKIP() << "no Chromium";
  // A copy of the report with a probe that records, after load, how many
  // images there are and how many failed to decode.
  std::string h = readFile(html());
  const std::string probe =
      "<script>window.addEventListener('load',function(){var im=Array.from(document.images);"
      "var bad=im.filter(function(i){return !(i.complete&&i.naturalWidth>0&&i.naturalHeight>0);});"
      "document.body.setAttribute('data-images',im.length);document.body.setAttribute('data-broken',bad.length);"
      "document.body.setAttribute('data-svgs',document.querySelectorAll('svg').length);"
      "var res=performance.getEntriesByType('resource').filter(function(e){return e.name.indexOf('data:')!==0;});"
      "document.body.setAttribute('data-requests',res.length);});</script>";
  h.replace(h.rfind("</body>"), 7, probe + "</body>");
  const auto probed = s_dir->path() / "probe.html";
  trygg::testing::writeFile(probed, h);
  const auto profile = s_dir->path() / "profile-dom";
  auto args = trygg::report::offlineChromiumFlags(profile);
  args.insert(args.end(), {"--virtual-time-budget=10000", "--dump-dom", trygg::report::fileUrl(probed)});
  const auto r = trygg::report::runProcess(chromium, args, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.output, m, std::regex("data-images=\"(\\d+)\" data-broken=\"(\\d+)\" data-svgs=\"(\\d+)\" data-requests=\"(\\d+)\"")))
      << r.output.substr(0, 2000);
  EXPECT_GE(std::stoi(m[1]), kDemoAreas * 5);
  EXPECT_EQ(std::stoi(m[2]), 0) << "images that did not load";
  EXPECT_GE(std::stoi(m[3]), kDemoAreas * 3);
  EXPECT_EQ(std::stoi(m[4]), 0) << "resources the page fetched (Resource Timing)";
}

TEST_F(DemoReport, NoRequestLeavesTheFileAndTheScreenshotIsNotBlank) {
  ASSERT_EQ(s_run->exit_code, 0) << s_run->output;
  const auto chromium = chromiumOrSkip();
  if (chromium.empty()) GTEST_SKIP() << "no Chromium";
  const auto netlog = s_dir->path() / "netlog.json";
  const auto shot = s_dir->path() / "screenshot.png";
  auto args = trygg::report::offlineChromiumFlags(s_dir->path() / "profile-shot");
  args.insert(args.end(), {"--log-net-log=" + netlog.string(), "--window-size=1200,1800", "--virtual-time-budget=10000",
                           "--screenshot=" + shot.string(), trygg::report::fileUrl(html())});
  const auto r = trygg::report::runProcess(chromium, args, std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  ASSERT_TRUE(fs::exists(netlog));
  ASSERT_TRUE(fs::exists(shot));
  // Chromium's network log: the page itself asked for nothing (every request
  // is the browser's own, initiator "not an origin"), and nothing reached the
  // network (every host name resolution and every TCP connection failed: the
  // host resolver maps every name to nothing).
  const auto log = nlohmann::json::parse(readFile(netlog));
  std::map<int, std::string> type;
  for (const auto& [k, v] : log["constants"]["logEventTypes"].items()) type[v.get<int>()] = k;
  int requests = 0;
  for (const auto& e : log["events"]) {
    const std::string t = type[e["type"].get<int>()];
    const auto& p = e.contains("params") ? e["params"] : nlohmann::json::object();
    if (t == "URL_REQUEST_START_JOB" && p.contains("url")) {
      ++requests;
      EXPECT_EQ(p.value("initiator", ""), "not an origin") << "the page requested " << p.value("url", "");
      EXPECT_EQ(p.value("url", "").find(fs::path(html()).filename().string()), std::string::npos);
    }
    if ((t == "HOST_RESOLVER_MANAGER_REQUEST" || t == "TCP_CONNECT_JOB_CONNECT") && e.value("phase", 0) == 2)
      EXPECT_TRUE(p.contains("net_error")) << t << " succeeded: " << p.dump();
    if (t == "TCP_CONNECT" && p.contains("address")) ADD_FAILURE() << "TCP connection to " << p["address"];
  }
  std::cout << "browser-internal requests (all unresolved): " << requests << "\n";
  int w = 0, hgt = 0;
  const double var = pixelVariance(shot, &w, &hgt);
  EXPECT_EQ(w, 1200);
  EXPECT_GT(var, 100.0) << "the screenshot looks blank";
}

TEST_F(DemoReport, PdfHasAPagePerAreaAndNoBlankPage) {
  ASSERT_EQ(s_run->exit_code, 0) << s_run->output;
  const auto chromium = chromiumOrSkip();
  if (chromium.empty()) GTEST_SKIP() << "no Chromium";
  ASSERT_TRUE(fs::exists(pdf())) << s_run->output;
  const auto pages = s_dir->path() / "pages";
  fs::create_directories(pages);
  const auto r = trygg::report::runProcess("/usr/bin/pdftoppm", {"-r", "30", "-png", pdf().string(), (pages / "p").string()},
                                           std::chrono::seconds(120));
  ASSERT_EQ(r.exit_code, 0) << "pdftoppm (poppler-utils) " << r.output;
  int n = 0;
  for (const auto& e : fs::directory_iterator(pages)) {
    ++n;
    int w = 0, h = 0;
    const double var = pixelVariance(e.path(), &w, &h);
    EXPECT_GT(var, 5.0) << e.path() << " looks blank";
    EXPECT_NEAR(double(h) / w, 297.0 / 210.0, 0.02) << "A4 portrait";
  }
  EXPECT_GE(n, kDemoAreas + 1);  // the overview and at least one page per area
}

TEST(ReportCommand, WithoutARunSaysToRunFirst) {
  trygg::testing::TempDir dir;
  fs::copy_file(fs::path(TRYGG_SOURCE_DIR) / "demo" / "project.yaml", dir.path() / "project.yaml");
  const auto r = runTrygg("report " + (dir.path() / "project.yaml").string());
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("trygg run"), std::string::npos) << r.output;
}

TEST(ReportCommand, EnglishWithoutChromiumWritesTheHtmlAndSaysHowToGetThePdf) {
  trygg::testing::TempDir dir;
  ASSERT_EQ(runTrygg("--quiet demo " + (dir.path() / "data").string()).exit_code, 0);
  std::string yaml = readFile(fs::path(TRYGG_SOURCE_DIR) / "demo" / "project.yaml");
  yaml.replace(yaml.find("  time_zone:"), 0, "  language: en\n");
  trygg::testing::writeFile(dir.path() / "project.yaml", yaml);
  const auto run = runTrygg("run --no-report " + (dir.path() / "project.yaml").string());
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_FALSE(fs::exists(dir.path() / "output" / "angsby_report.html"));
  const std::string cmd = "TRYGG_CHROMIUM=/no/such/chromium " + std::string(TRYGG_BINARY) + " report --publish " +
                          (dir.path() / "project.yaml").string() + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[4096];
  std::size_t k;
  while ((k = std::fread(buf, 1, sizeof buf, p)) > 0) output.append(buf, k);
  const int status = ::pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("PDF skipped"), std::string::npos) << output;
  EXPECT_NE(output.find("chromium"), std::string::npos) << output;
  const std::string h = readFile(dir.path() / "output" / "angsby_report.html");
  EXPECT_NE(h.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_NE(h.find("Data quality"), std::string::npos);
  EXPECT_NE(h.find("95&nbsp;% CI"), std::string::npos);
  EXPECT_NE(h.find("Publish profile"), std::string::npos);
}
