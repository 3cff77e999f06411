#pragma once
// One error style for the whole engine: exceptions of one hierarchy.
// C libraries' errors (GDAL CPLError, GEOS, PROJ, SQLite) are converted into
// these once, in geo/ and data/; nothing above sees a C library's error type.
// Messages say where (file, row, key), what was wrong, and what to do:
//   "incidents.csv row 17: time '2023-13-01' is not a date; use ISO 8601 (2023-01-13) or set time_format"
#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace trygg {

// Process exit codes (documented in docs/cli.md).
enum class ExitCode : int {
  Ok = 0,
  DataError = 1,   // the input data or project file must be fixed by the user
  UsageError = 2,  // bad command line or parameter
  InternalError = 3,
};

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
  virtual ExitCode exitCode() const { return ExitCode::InternalError; }
};

// Something in the user's data or project/rule file is wrong.
class DataError : public Error {
 public:
  using Error::Error;
  ExitCode exitCode() const override { return ExitCode::DataError; }
};

// A bad command line, option or parameter value.
class UsageError : public Error {
 public:
  using Error::Error;
  ExitCode exitCode() const override { return ExitCode::UsageError; }
};

template <typename... Args>
[[noreturn]] void throwDataError(fmt::format_string<Args...> f, Args&&... args) {
  throw DataError(fmt::format(f, std::forward<Args>(args)...));
}
template <typename... Args>
[[noreturn]] void throwUsageError(fmt::format_string<Args...> f, Args&&... args) {
  throw UsageError(fmt::format(f, std::forward<Args>(args)...));
}

}  // namespace trygg
