#pragma once
// Reads the small CSV files under tests/reference/ that R scripts wrote:
// header row, comma-separated, no quoting; "Inf", "-Inf", "NaN", "NA" are numbers.
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace trygg::test {

struct CsvRow {
  std::map<std::string, std::string> cells;
  const std::string& str(const std::string& key) const {
    auto it = cells.find(key);
    if (it == cells.end()) throw std::runtime_error("reference CSV has no column '" + key + "'");
    return it->second;
  }
  double num(const std::string& key) const {
    const std::string& s = str(key);
    if (s == "Inf") return std::numeric_limits<double>::infinity();
    if (s == "-Inf") return -std::numeric_limits<double>::infinity();
    if (s == "NaN" || s == "NA") return std::numeric_limits<double>::quiet_NaN();
    return std::stod(s);
  }
  long long integer(const std::string& key) const { return std::llround(num(key)); }
};

inline std::vector<std::string> splitCsvLine(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  while (std::getline(ss, cell, ',')) out.push_back(cell);
  if (!line.empty() && line.back() == ',') out.emplace_back();
  return out;
}

// The data rows (header skipped), cells by position.
inline std::vector<std::vector<std::string>> readCsvRows(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open reference file " + path);
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::vector<std::string>> rows;
  while (std::getline(in, line))
    if (!line.empty()) rows.push_back(splitCsvLine(line));
  return rows;
}

// The data rows, cells by column name.
inline std::vector<CsvRow> readReferenceCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open reference file " + path);
  const auto split = splitCsvLine;
  std::string line;
  std::getline(in, line);
  const auto header = split(line);
  std::vector<CsvRow> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto cells = split(line);
    CsvRow row;
    for (size_t i = 0; i < header.size() && i < cells.size(); ++i) row.cells[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

// |a − b| <= rel·|b|, with equal infinities and NaN == NaN accepted; values with
// |b| < tiny are compared absolutely against rel.
inline bool nearRel(double a, double b, double rel) {
  if (std::isnan(b)) return std::isnan(a);
  if (std::isinf(b)) return a == b;
  if (std::fabs(b) < 1e-300) return std::fabs(a) <= 1e-300;
  return std::fabs(a - b) <= rel * std::fabs(b);
}

}  // namespace trygg::test
