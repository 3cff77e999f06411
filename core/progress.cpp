#include "core/progress.hpp"

#include <unistd.h>

#include <algorithm>

namespace trygg {

void Progress::begin(const std::string& label) {
  std::lock_guard lock(m_mutex);
  m_last = -1;
  if (!m_enabled) return;
  std::fputs(label.c_str(), m_out);
  std::fflush(m_out);
}

void Progress::update(double fraction) {
  if (!m_enabled) return;
  std::lock_guard lock(m_mutex);
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
  std::fputs(" - done.\n", m_out);
  std::fflush(m_out);
  m_last = -1;
}

bool stderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

}  // namespace trygg
