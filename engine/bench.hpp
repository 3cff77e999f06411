#pragma once
// `trygg bench`: scores hotspot forecasting methods on real incident data by
// PAI, PEI*, hit rate and RRI (geo/bench/accuracy.hpp, METHODS.md §7) over a
// rolling series of forecast dates, with parameter sweeps, summaries, a
// per-method ranking and paired comparisons (geo/bench/paired.hpp).
// docs/bench.md documents the YAML file, the outputs and every rule.
//
// Time rules (why a forecast never sees its test window): for forecast date d
// (local midnight) and horizon h, a record TRAINS the forecast when its
// occurrence lies in [d − training, d) and it was available at d (its
// reported-at instant, or the end of its reported-at period, is <= d); it is a
// TEST event when its occurrence lies in [d, d + h). Weights (e.g. St. Louis'
// `count` = ±1) are summed per cell; a cell's net sum is clamped at 0.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "engine/bench_methods.hpp"

namespace trygg::engine::bench {

// The incident layer of a bench file (keys as in docs/project-file.md where they exist).
struct IncidentLayer {
  std::string source;                         // resolved path; a .xz file is decompressed once into the output folder
  std::string layer;                          // GDAL layer name (non-CSV)
  std::string crs;                            // source CRS when the file has none
  std::map<std::string, std::string> columns; // x, y | lon, lat, time, category, weight, reported_at
  std::string time_zone = "UTC";
  std::string time_format;                    // strptime-style for the time column
  std::string reported_at_format;             // strptime-style for the reported_at column
  std::string reported_at_period = "instant"; // instant | day | month: a record is available at the END of its period
  std::string filter;                         // CSV: `col = 'v' AND col <> 'w' AND col >= 5`; GDAL: OGR SQL
  char delimiter = 0;
  std::string encoding = "auto";
};

struct AreaLayer {
  std::string source;
  std::string layer;
  std::string crs;
};

struct GridSpec {
  std::string shape = "square";  // square | hexagon
  double cell = 0;               // working-CRS units (hexagon: centre-to-centre distance)
  double rotationDeg = 0;        // counter-clockwise, about the offset point
  double offsetX = 0, offsetY = 0;  // a cell corner (square) / centre (hexagon) lies here, working-CRS units
};

struct Horizon {
  std::string label;  // as written ("1 week", "1 month")
  int days = 0;       // or
  int months = 0;     // calendar months
};

struct BenchConfig {
  std::filesystem::path file;      // the bench YAML (empty when built in code)
  std::string yamlText;            // verbatim, written beside the results
  std::string name = "bench";
  std::string workingCrs;          // default: the incident layer's CRS
  IncidentLayer incidents;
  AreaLayer studyArea;
  std::vector<std::pair<std::string, std::vector<std::string>>> categories;  // output name -> source words
  int trainingDays = 365;
  int trainingMonths = 0;          // when > 0, calendar months instead of days
  std::vector<Horizon> horizons;
  std::vector<std::string> forecastDates;  // YYYY-MM-DD, local midnight in incidents.time_zone
  GridSpec grid;
  bool nijLimits = false;          // cell 62,500–360,000 ft², flagged area 0.25–0.75 mi²
  std::vector<double> coverages;   // fractions of the study area
  std::vector<std::string> coverageLabels;  // as written ("1%", "0.25 mi2")
  std::vector<MethodSetting> settings;      // expanded sweeps
  std::vector<std::string> methodSpecs;     // as written
  struct Compare {
    std::string a, b;              // setting labels (MethodSetting::label) or "best:<method>"
    std::string metric = "pai";    // pai | pei | hit_rate
  };
  std::vector<Compare> compares;   // empty: best setting of the best method vs the best of the runner-up
  std::uint64_t seed = 1;          // recorded; every method here is deterministic
  std::filesystem::path outDir;
  int threads = 0;                 // 0 = TBB default
  bool quiet = false;
};

// Reads and checks a bench file. Lengths (cell, offsets, method lengths) are
// converted from metres (or the unit given) to working-CRS units later, in
// prepareBench, once the CRS is known; here they stay in metres.
BenchConfig loadBenchConfig(const std::filesystem::path& file);

// ---- the prepared data (exposed for tests) ----


// One category's incidents, sorted by occurrence time then source row.
struct CategoryEvents {
  std::string name;
  std::vector<std::int64_t> occur;      // epoch seconds
  std::vector<std::int64_t> available;  // epoch seconds from which the record is known
  std::vector<std::int32_t> cell;       // kept cell index
  std::vector<double> weight;
};

struct Fingerprint {
  std::string source;
  std::uint64_t bytes = 0;
  std::string fnv1a64;             // hash of the input file's bytes (as given)
  std::int64_t rowsRead = 0, rowsFiltered = 0, rowsRejected = 0, rowsNoCategory = 0, rowsOutside = 0;
  std::map<std::string, std::int64_t> rejectedByReason;
  std::map<std::string, std::pair<std::int64_t, double>> perCategory;  // rows, weight sum
  std::string areaSource, areaHash;
  std::int64_t firstOccur = 0, lastOccur = 0, lastAvailable = 0;
};

struct PreparedBench {
  BenchGrid grid;
  std::vector<CategoryEvents> categories;
  std::vector<std::int64_t> dates;  // forecast dates, epoch seconds
  // windows[date][horizon] = test-window end; trainStart[date]
  std::vector<std::vector<std::int64_t>> testEnd;
  std::vector<std::int64_t> trainStart;
  Fingerprint fingerprint;
};

PreparedBench prepareBench(BenchConfig& cfg);

// One results row.
struct ResultRow {
  std::uint32_t setting = 0, category = 0, horizon = 0, date = 0, coverage = 0;
  double flaggedArea = 0;  // working units²
  std::int64_t flaggedCells = 0;
  double n = 0, total = 0, nStar = 0;
  std::optional<double> pai, pei, hitRate, rri;
};

// Every setting × category × horizon × date × coverage, in that nesting order
// (deterministic whatever the number of threads).
std::vector<ResultRow> runForecasts(const BenchConfig& cfg, const PreparedBench& data);

struct BenchReport {
  std::size_t forecasts = 0;       // setting × category × horizon × date
  std::size_t rows = 0;
  double wallSeconds = 0, cpuSeconds = 0, forecastSeconds = 0;
  std::filesystem::path outDir;
};

// Loads, runs, writes results.csv, summary.csv, ranking.csv, paired.csv,
// run.json and bench.yaml into cfg.outDir, prints the summary.
BenchReport runBench(BenchConfig cfg);

}  // namespace trygg::engine::bench
