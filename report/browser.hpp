#pragma once
// Headless Chromium, kept offline: the PDF of the report is printed from its
// HTML by the browser (the same layout a reader sees, with the print CSS), and
// the browser test drives the same program.
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace trygg::report {

// The browser program: $TRYGG_CHROMIUM, else the first of chromium,
// chromium-browser, google-chrome-stable, google-chrome on PATH.
std::optional<std::filesystem::path> findChromium();

// The flags that keep the browser offline and quiet: no background
// networking, no component updates, every host name resolves to nothing, a
// throw-away profile (`profile_dir`).
std::vector<std::string> offlineChromiumFlags(const std::filesystem::path& profile_dir);

struct ProcessResult {
  int exit_code = -1;       // -1: did not start or was killed after the timeout
  bool timed_out = false;
  std::string output;       // stdout and stderr together
};
// Runs the program with the arguments (no shell), waiting at most `timeout`.
ProcessResult runProcess(const std::filesystem::path& program, const std::vector<std::string>& args,
                         std::chrono::seconds timeout);

struct PdfResult {
  bool written = false;
  std::string note;          // why not, and how to get it
};
// Prints `html` to `pdf` (A4, no header or footer) with headless Chromium,
// through a temporary file renamed over `pdf` when complete.
PdfResult printPdf(const std::filesystem::path& html, const std::filesystem::path& pdf);

// file:///abs/path (percent-encoded).
std::string fileUrl(const std::filesystem::path& p);

}  // namespace trygg::report
