#include "core/progress.hpp"
#include "core/text.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>

namespace trygg {

namespace {
std::atomic<ProgressFormat> g_format{ProgressFormat::Terminal};
std::atomic<int> g_step{0};  // stages begun in this process (JSON "step")
}  // namespace

void setDefaultProgressFormat(ProgressFormat f) { g_format = f; }
ProgressFormat defaultProgressFormat() { return g_format; }

std::string jsonQuote(const std::string& s) { return "\"" + text::jsonEscape(s) + "\""; }

void Progress::printJson(double fraction) {
  std::fprintf(m_out, "{\"progress\":%.3f,\"stage\":%s,\"step\":%d}\n", fraction, jsonQuote(m_stage).c_str(), g_step.load());
  std::fflush(m_out);
}

void Progress::begin(const std::string& label) {
  std::lock_guard lock(m_mutex);
  m_last = -1;
  if (!m_enabled) return;
  if (m_format == ProgressFormat::Json) {
    // "Reading incidents: " -> "Reading incidents"
    auto end = label.find_last_not_of(": \t");
    m_stage = end == std::string::npos ? std::string() : label.substr(0, end + 1);
    ++g_step;
    m_last = 0;
    printJson(0.0);
    return;
  }
  std::fputs(label.c_str(), m_out);
  std::fflush(m_out);
}

void Progress::update(double fraction) {
  if (!m_enabled) return;
  std::lock_guard lock(m_mutex);
  if (m_format == ProgressFormat::Json) {
    const int tick = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 1000.0 + 1e-9);
    if (tick <= m_last) return;  // one line per 0.1 %, monotone
    m_last = tick;
    printJson(tick / 1000.0);
    return;
  }
  // GDALTermProgress prints a number every 10 % and a dot every 2.5 %.
  const int tick = static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 40.0 + 1e-9);
  while (m_last < tick) {
    ++m_last;
    if (m_last % 4 == 0) std::fprintf(m_out, "%d", m_last / 4 * 10);
    else std::fputc('.', m_out);
  }
  std::fflush(m_out);
}

void Progress::done() {
  if (!m_enabled) return;
  update(1.0);
  std::lock_guard lock(m_mutex);
  m_last = -1;
  if (m_format == ProgressFormat::Json) return;  // update(1.0) printed the closing line
  std::fputs(" - done.\n", m_out);
  std::fflush(m_out);
}

bool stderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace trygg
