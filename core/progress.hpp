#pragma once
// Progress in GDAL's terminal style: "0...10...20...30...40...50...60...70...80...90...100 - done."
// Printed to stderr only when enabled (a terminal and no --quiet).
#include <cstdio>
#include <mutex>
#include <string>

namespace trygg {

class Progress {
 public:
  // A disabled Progress prints nothing; callers never need to check.
  explicit Progress(bool enabled = false, std::FILE* out = stderr) : m_enabled(enabled), m_out(out) {}
  // Starts a new step: prints the label ("Importing incidents: ").
  void begin(const std::string& label);
  // fraction in [0, 1]; monotone; thread-safe.
  void update(double fraction);
  void done();
  bool enabled() const { return m_enabled; }

 private:
  bool m_enabled;
  std::FILE* m_out;
  int m_last = -1;  // last printed tick (0..40, each 2.5 %)
  std::mutex m_mutex;
};

// True when stderr is a terminal.
bool stderrIsTerminal();

}  // namespace trygg
