#include "data/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

#include "core/error.hpp"

namespace trygg::data {
namespace fs = std::filesystem;

namespace {

// fsync a file or folder by path; returns errno or 0.
int syncPath(const fs::path& p, bool directory) {
  const int fd = ::open(p.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return errno;
  const int rc = ::fsync(fd);
  const int err = rc == 0 ? 0 : errno;
  ::close(fd);
  return err;
}

void removeQuietly(const fs::path& p) noexcept {
  std::error_code ec;
  fs::remove(p, ec);
}

}  // namespace

AtomicOutput::AtomicOutput(fs::path target) : m_target(std::move(target)) {
  if (m_target.filename().empty())
    throwUsageError("output path '{}' names a folder, not a file; give a file name", m_target.string());
  fs::path dir = m_target.parent_path();
  if (dir.empty()) dir = ".";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throwDataError("cannot create output folder '{}': {}; check the path and its permissions", dir.string(),
                   ec.message());
  const std::string name = m_target.filename().string();
  m_temp = dir / ("." + name + ".tmp-" + std::to_string(::getpid()) + m_target.extension().string());
  // A leftover from an earlier process that had the same pid: never append to it.
  removeQuietly(m_temp);
}

AtomicOutput::AtomicOutput(AtomicOutput&& other) noexcept
    : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)), m_committed(other.m_committed) {
  other.m_committed = true;  // the moved-from object owns nothing any more
  other.m_temp.clear();
}

AtomicOutput::~AtomicOutput() {
  if (!m_committed) discard();
}

void AtomicOutput::discard() noexcept {
  if (m_temp.empty()) return;
  removeQuietly(m_temp);
  // SQLite may leave these beside a database that was open when a writer failed.
  for (const char* suffix : {"-journal", "-wal", "-shm"}) removeQuietly(fs::path(m_temp.string() + suffix));
}

void AtomicOutput::commit() {
  if (m_committed) throw Error("AtomicOutput::commit called twice for " + m_target.string());
  if (!fs::exists(m_temp)) throw Error("nothing was written to " + m_temp.string() + " for " + m_target.string());
  if (const int err = syncPath(m_temp, false); err != 0) {
    discard();
    throwDataError("cannot sync '{}': {}; check free disk space", m_temp.string(), std::strerror(err));
  }
  if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
    const int err = errno;
    discard();
    throwDataError("cannot replace '{}': {}; check that the folder is writable and the file not locked",
                   m_target.string(), std::strerror(err));
  }
  m_committed = true;
  fs::path dir = m_target.parent_path();
  if (dir.empty()) dir = ".";
  // The rename is durable only once the folder entry is; a failure here does
  // not undo the (already visible) new file, so it is not an error.
  (void)syncPath(dir, true);
}

}  // namespace trygg::data
