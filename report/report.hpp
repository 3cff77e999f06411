#pragma once
// The workshop report: one self-contained HTML file (maps as PNG data: URIs,
// charts as inline SVG, CSS inline, no script, no network) written from the
// outputs of the last `trygg run`, and a PDF printed from it by headless
// Chromium. docs/report.md explains each section.
#include <filesystem>
#include <string>

#include "report/text.hpp"

namespace trygg::report {

struct ReportOptions {
  std::filesystem::path output_dir;   // the project's output folder
  std::string output_name = "trygg";  // <output_name>.gpkg, <output_name>_summary.json
  std::string project_name;           // title; default: the summary's project name
  Lang lang = Lang::sv;
  bool publish = false;               // publish profile (also applied when the run itself was published)
  bool pdf = true;                    // print the PDF with headless Chromium
  bool maps = true;                   // draw the maps (Mapnik)
};

struct ReportResult {
  std::filesystem::path html, pdf;
  bool pdf_written = false;
  std::string pdf_note;               // why the PDF was skipped, and how to get it
  int areas = 0;                      // delimited areas in the report
  int maps = 0;                       // map images embedded
};

class RunOutputs;
// The HTML text of the report (for tests and for writeReport).
std::string buildReportHtml(RunOutputs& run, const ReportOptions& opt, ReportResult* stats = nullptr);

// Reads the run's outputs, writes <output_name>_report.html (atomically) and,
// with opt.pdf, <output_name>_report.pdf. Throws DataError when there is no run
// yet ("run `trygg run` first").
ReportResult writeReport(const ReportOptions& opt);

}  // namespace trygg::report
