#pragma once
// Write-then-rename output files: an interrupted run never leaves a
// half-written file in place of the last good one.
//
// The content is written to a hidden temporary file in the target's own folder
// (same file system, so the final rename is atomic):
//   <dir>/.<name>.tmp-<pid><ext>     e.g.  out/.result.gpkg.tmp-4242.gpkg
// The target's extension is repeated at the end so that format drivers that
// look at extensions (GDAL's GPKG and GTiff) accept the temporary name.
// commit() fsyncs the temporary file, renames it over the target and fsyncs
// the folder. Without commit(), the destructor removes the temporary file (and
// any SQLite -journal/-wal/-shm siblings), leaving the previous target untouched.
#include <filesystem>

namespace trygg::data {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::filesystem::path target);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  AtomicOutput(AtomicOutput&& other) noexcept;
  AtomicOutput& operator=(AtomicOutput&&) = delete;

  const std::filesystem::path& targetPath() const { return m_target; }
  // Where the writer must write. Its folder exists (created if needed).
  const std::filesystem::path& tempPath() const { return m_temp; }
  // fsync + rename over the target. Throws trygg::Error when the file cannot be
  // synced or renamed (the temporary file is then removed).
  void commit();
  // Remove the temporary file now (also done by the destructor).
  void discard() noexcept;
  bool committed() const { return m_committed; }

 private:
  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  bool m_committed = false;
};

}  // namespace trygg::data
