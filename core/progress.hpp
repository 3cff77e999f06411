#pragma once
// Progress on stderr, in one of two formats:
// - terminal, GDAL's style: "Reading incidents: 0...10...20...30...40...50...60...70...80...90...100 - done."
// - JSON lines (`--progress=json`, for programs such as the QGIS plugin), one object per step and change:
//     {"progress":0.425,"stage":"Reading incidents"}
//   `progress` is the fraction of the current stage in [0, 1]; each stage starts with 0 and ends with 1,
//   and `step` counts the stages of the process (1, 2, ...).
// Printed only when enabled (the CLI enables it on a terminal, or always with --progress=json, never with --quiet).
#include <cstdio>
#include <mutex>
#include <string>

namespace trygg {

enum class ProgressFormat { Terminal, Json };

// The process-wide format that new Progress objects use (set once by the CLI's --progress).
void setDefaultProgressFormat(ProgressFormat f);
ProgressFormat defaultProgressFormat();

class Progress {
 public:
  // A disabled Progress prints nothing; callers never need to check.
  explicit Progress(bool enabled = false, std::FILE* out = stderr, ProgressFormat format = defaultProgressFormat())
      : m_enabled(enabled), m_out(out), m_format(format) {}
  // Starts a new step: prints the label ("Importing incidents: ").
  void begin(const std::string& label);
  // fraction in [0, 1]; monotone; thread-safe.
  void update(double fraction);
  void done();
  bool enabled() const { return m_enabled; }

 private:
  void printJson(double fraction);  // with m_mutex held
  bool m_enabled;
  std::FILE* m_out;
  ProgressFormat m_format;
  int m_last = -1;  // last printed tick (terminal: 0..40, each 2.5 %; JSON: 0..1000, each 0.1 %)
  std::string m_stage;
  std::mutex m_mutex;
};

// True when stderr is a terminal.
bool stderrIsTerminal();

// The JSON string literal of `s` (quotes and escapes included).
std::string jsonQuote(const std::string& s);

}  // namespace trygg
