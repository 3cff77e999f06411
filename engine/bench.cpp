// The bench loop and its outputs. See engine/bench.hpp and docs/bench.md.
#include "engine/bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iostream>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "core/error.hpp"
#include "trygg/version.hpp"
#include "geo/bench/accuracy.hpp"
#include "geo/bench/paired.hpp"

namespace trygg::engine::bench {

namespace fs = std::filesystem;

std::int64_t benchShiftDate(const std::string& zone, std::int64_t t, int days, int months);

namespace {

std::string fmtNum(double v) { return fmt::format("{:.10g}", v); }
std::string fmtOpt(const std::optional<double>& v) { return v ? fmtNum(*v) : "NA"; }

std::string dateText(std::int64_t t, const std::string& zone) {
  const auto* z = date::locate_zone(zone);
  const auto local = z->to_local(date::sys_seconds{std::chrono::seconds{t}});
  return date::format("%Y-%m-%d", date::floor<date::days>(local));
}

struct Stats {
  std::size_t count = 0, na = 0;
  double mean = NAN, median = NAN, sd = NAN, min = NAN, max = NAN;
};

Stats stats(std::vector<double> v, std::size_t na) {
  Stats s;
  s.na = na;
  s.count = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  double sum = 0;
  for (double x : v) sum += x;
  s.mean = sum / static_cast<double>(v.size());
  const auto n = v.size();
  s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  s.min = v.front();
  s.max = v.back();
  if (n > 1) {
    double ss = 0;
    for (double x : v) ss += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(ss / static_cast<double>(n - 1));
  }
  return s;
}

std::string fmtStat(double v) { return std::isnan(v) ? "NA" : fmtNum(v); }

void writeFile(const fs::path& p, const std::string& text) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  if (!f) throwDataError("{}: cannot write; check the output folder", p.string());
  f << text;
  if (!f) throwDataError("{}: write failed (disk full?)", p.string());
}

}  // namespace

std::vector<ResultRow> runForecasts(const BenchConfig& cfg, const PreparedBench& data) {
  const std::size_t S = cfg.settings.size(), C = data.categories.size(), H = cfg.horizons.size(),
                    D = data.dates.size(), K = cfg.coverages.size();
  std::vector<ResultRow> rows(S * C * H * D * K);
  const double trainingDaysApprox =
      cfg.trainingMonths > 0 ? cfg.trainingMonths * 30.436875 : static_cast<double>(cfg.trainingDays);
  const MethodScorer scorer(data.grid, cfg.settings, trainingDaysApprox);
  const auto& grid = data.grid;
  geo::bench::AccuracyOptions aopt;
  aopt.studyArea = grid.studyArea;

  // One task per (category, date): the training set and test counts are built
  // once and shared by every setting and horizon. Each task writes its own rows.
  tbb::parallel_for(std::size_t{0}, C * D, [&](std::size_t task) {
    const std::size_t c = task / D, t = task % D;
    const auto& ev = data.categories[c];
    const std::int64_t d = data.dates[t], from = data.trainStart[t];
    const auto lo = static_cast<std::size_t>(std::lower_bound(ev.occur.begin(), ev.occur.end(), from) - ev.occur.begin());
    const auto mid = static_cast<std::size_t>(std::lower_bound(ev.occur.begin(), ev.occur.end(), d) - ev.occur.begin());
    std::vector<std::int32_t> cell;
    std::vector<double> age, weight;
    std::vector<double> train(grid.ncells, 0.0);
    for (std::size_t i = lo; i < mid; ++i) {
      if (ev.available[i] > d) continue;  // not yet reported at the forecast date
      cell.push_back(ev.cell[i]);
      age.push_back(static_cast<double>(d - ev.occur[i]) / 86400.0);
      weight.push_back(ev.weight[i]);
      train[static_cast<std::size_t>(ev.cell[i])] += ev.weight[i];
    }
    for (auto& v : train) v = std::max(v, 0.0);  // cancellations of records outside the window
    std::vector<std::vector<double>> test(H, std::vector<double>(grid.ncells, 0.0));
    for (std::size_t h = 0; h < H; ++h) {
      const auto end = data.testEnd[t][h];
      for (std::size_t i = mid; i < ev.occur.size() && ev.occur[i] < end; ++i)
        test[h][static_cast<std::size_t>(ev.cell[i])] += ev.weight[i];
      for (auto& v : test[h]) v = std::max(v, 0.0);
    }
    const TrainingEvents tev{cell, age, weight};
    std::vector<double> scratch, scores;
    for (std::size_t s = 0; s < S; ++s) {
      scorer.score(s, tev, scratch, scores);
      for (std::size_t h = 0; h < H; ++h) {
        geo::bench::CellInputs in{scores, test[h], grid.areas, train, grid.ids};
        const auto acc = geo::bench::evaluateHotspots(in, cfg.coverages, aopt);
        for (std::size_t k = 0; k < K; ++k) {
          auto& r = rows[(((s * C + c) * H + h) * D + t) * K + k];
          const auto& a = acc[k];
          r.setting = static_cast<std::uint32_t>(s);
          r.category = static_cast<std::uint32_t>(c);
          r.horizon = static_cast<std::uint32_t>(h);
          r.date = static_cast<std::uint32_t>(t);
          r.coverage = static_cast<std::uint32_t>(k);
          r.flaggedArea = a.flaggedArea;
          r.flaggedCells = a.flaggedCells;
          r.n = a.n;
          r.total = a.total;
          r.nStar = a.nStar;
          r.pai = a.pai;
          r.pei = a.pei;
          r.hitRate = a.hitRate;
          r.rri = a.rri;
        }
      }
    }
  });
  return rows;
}

BenchReport runBench(BenchConfig cfg) {
  const auto wall0 = std::chrono::steady_clock::now();
  const std::clock_t cpu0 = std::clock();
  std::unique_ptr<tbb::global_control> gc;
  if (cfg.threads > 0)
    gc = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                               static_cast<std::size_t>(cfg.threads));
  auto say = [&](const std::string& s) {
    if (!cfg.quiet) std::cout << s << std::flush;
  };
  fs::create_directories(cfg.outDir);
  say(fmt::format("trygg bench {}: reading {}\n", cfg.name, cfg.incidents.source));
  auto data = prepareBench(cfg);
  const auto& grid = data.grid;
  const double u2 = grid.unitMetres * grid.unitMetres;
  const auto& fp = data.fingerprint;
  say(fmt::format("  {} rows read, {} filtered out, {} rejected, {} not in a bench category, {} outside the study area\n",
                  fp.rowsRead, fp.rowsFiltered, fp.rowsRejected, fp.rowsNoCategory, fp.rowsOutside));
  say(fmt::format("  grid: {} {} cells of {:.0f} m ({:.4f} km² each), study area {:.3f} km²\n", grid.ncells,
                  grid.shape, grid.cell * grid.unitMetres,
                  (grid.shape == "square" ? grid.cell * grid.cell : grid.cell * grid.cell * std::sqrt(3.0) / 2) * u2 / 1e6,
                  grid.studyArea * u2 / 1e6));
  const auto prepSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();

  const auto t0 = std::chrono::steady_clock::now();
  const auto rows = runForecasts(cfg, data);
  const auto forecastSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  const std::size_t S = cfg.settings.size(), C = data.categories.size(), H = cfg.horizons.size(),
                    D = data.dates.size(), K = cfg.coverages.size();
  const auto& zone = cfg.incidents.time_zone;
  std::vector<std::string> dates;
  for (auto d : data.dates) dates.push_back(dateText(d, zone));

  // ---- results.csv ----
  std::string csv =
      "method,params,category,horizon,forecast_date,coverage,flagged_cells,flagged_area_km2,flagged_area_mi2,n,N,"
      "n_star,pai,pei,hit_rate,rri\n";
  csv.reserve(rows.size() * 120);
  constexpr double kMi2 = 1609.344 * 1609.344;
  for (const auto& r : rows) {
    const auto& st = cfg.settings[r.setting];
    fmt::format_to(std::back_inserter(csv), "{},\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", st.method,
                   st.params, data.categories[r.category].name, cfg.horizons[r.horizon].label, dates[r.date],
                   fmtNum(cfg.coverages[r.coverage]), r.flaggedCells, fmtNum(r.flaggedArea * u2 / 1e6),
                   fmtNum(r.flaggedArea * u2 / kMi2), fmtNum(r.n), fmtNum(r.total), fmtNum(r.nStar), fmtOpt(r.pai),
                   fmtOpt(r.pei), fmtOpt(r.hitRate), fmtOpt(r.rri));
  }
  writeFile(cfg.outDir / "results.csv", csv);

  // ---- summary.csv: over forecast dates ----
  auto at = [&](std::size_t s, std::size_t c, std::size_t h, std::size_t t, std::size_t k) -> const ResultRow& {
    return rows[(((s * C + c) * H + h) * D + t) * K + k];
  };
  auto metricOf = [](const ResultRow& r, const std::string& m) -> std::optional<double> {
    return m == "pai" ? r.pai : m == "pei" ? r.pei : m == "hit_rate" ? r.hitRate : r.rri;
  };
  auto series = [&](std::size_t s, std::size_t c, std::size_t h, std::size_t k, const std::string& m) {
    std::vector<double> v;
    for (std::size_t t = 0; t < D; ++t) {
      const auto x = metricOf(at(s, c, h, t, k), m);
      v.push_back(x ? *x : NAN);
    }
    return v;
  };
  auto statOf = [&](std::size_t s, std::size_t c, std::size_t h, std::size_t k, const std::string& m) {
    std::vector<double> v;
    std::size_t na = 0;
    for (double x : series(s, c, h, k, m)) std::isnan(x) ? ++na : (v.push_back(x), 0);
    return stats(std::move(v), na);
  };
  std::string sum =
      "method,params,category,horizon,coverage,dates,pai_mean,pai_median,pai_sd,pai_min,pai_max,pai_na,pei_mean,"
      "pei_median,pei_sd,hit_rate_mean,hit_rate_median,hit_rate_sd,rri_mean,rri_median,rri_na\n";
  std::vector<double> meanPai(S * C * H * K, NAN), medianPai(S * C * H * K, NAN), meanPei(S * C * H * K, NAN),
      meanHit(S * C * H * K, NAN);
  for (std::size_t s = 0; s < S; ++s)
    for (std::size_t c = 0; c < C; ++c)
      for (std::size_t h = 0; h < H; ++h)
        for (std::size_t k = 0; k < K; ++k) {
          const auto p = statOf(s, c, h, k, "pai"), e = statOf(s, c, h, k, "pei"), hr = statOf(s, c, h, k, "hit_rate"),
                     rr = statOf(s, c, h, k, "rri");
          const auto idx = ((s * C + c) * H + h) * K + k;
          meanPai[idx] = p.mean;
          medianPai[idx] = p.median;
          meanPei[idx] = e.mean;
          meanHit[idx] = hr.mean;
          fmt::format_to(std::back_inserter(sum), "{},\"{}\",{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                         cfg.settings[s].method, cfg.settings[s].params, data.categories[c].name,
                         cfg.horizons[h].label, fmtNum(cfg.coverages[k]), D, fmtStat(p.mean), fmtStat(p.median),
                         fmtStat(p.sd), fmtStat(p.min), fmtStat(p.max), p.na, fmtStat(e.mean), fmtStat(e.median),
                         fmtStat(e.sd), fmtStat(hr.mean), fmtStat(hr.median), fmtStat(hr.sd), fmtStat(rr.mean),
                         fmtStat(rr.median), rr.na);
        }
  writeFile(cfg.outDir / "summary.csv", sum);

  // ---- ranking.csv: each method's best setting by mean PAI (ties: the earlier setting) ----
  std::vector<std::string> methods;
  for (const auto& s : cfg.settings)
    if (std::find(methods.begin(), methods.end(), s.method) == methods.end()) methods.push_back(s.method);
  std::string rank = "category,horizon,coverage,rank,method,best_params,pai_mean,pai_median,pei_mean,hit_rate_mean\n";
  std::string printed;
  // best[c][h][k] = ranked list of (setting index)
  std::vector<std::vector<std::size_t>> ranked(C * H * K);
  for (std::size_t c = 0; c < C; ++c)
    for (std::size_t h = 0; h < H; ++h)
      for (std::size_t k = 0; k < K; ++k) {
        std::vector<std::size_t> best;
        for (const auto& m : methods) {
          std::size_t b = S;
          for (std::size_t s = 0; s < S; ++s) {
            if (cfg.settings[s].method != m) continue;
            const double v = meanPai[((s * C + c) * H + h) * K + k];
            if (b == S || (!std::isnan(v) && (std::isnan(meanPai[((b * C + c) * H + h) * K + k]) ||
                                              v > meanPai[((b * C + c) * H + h) * K + k])))
              b = s;
          }
          best.push_back(b);
        }
        std::stable_sort(best.begin(), best.end(), [&](std::size_t a, std::size_t b) {
          const double va = meanPai[((a * C + c) * H + h) * K + k], vb = meanPai[((b * C + c) * H + h) * K + k];
          if (std::isnan(vb)) return !std::isnan(va);
          return !std::isnan(va) && va > vb;
        });
        ranked[(c * H + h) * K + k] = best;
        printed += fmt::format("\n{} · horizon {} · coverage {} ({:.3f} km², {} forecast dates)\n",
                               data.categories[c].name, cfg.horizons[h].label, cfg.coverageLabels[k],
                               cfg.coverages[k] * grid.studyArea * u2 / 1e6, D);
        printed += fmt::format("  {:<4} {:<13} {:<32} {:>9} {:>9} {:>9} {:>9} {:>9}\n", "rank", "method",
                               "best parameters", "PAI mean", "PAI med", "PAI sd", "PEI* mean", "hit mean");
        for (std::size_t i = 0; i < best.size(); ++i) {
          const auto s = best[i];
          const auto idx = ((s * C + c) * H + h) * K + k;
          const auto p = statOf(s, c, h, k, "pai");
          fmt::format_to(std::back_inserter(rank), "{},{},{},{},{},\"{}\",{},{},{},{}\n", data.categories[c].name,
                         cfg.horizons[h].label, fmtNum(cfg.coverages[k]), i + 1, cfg.settings[s].method,
                         cfg.settings[s].params, fmtStat(meanPai[idx]), fmtStat(medianPai[idx]), fmtStat(meanPei[idx]),
                         fmtStat(meanHit[idx]));
          printed += fmt::format("  {:<4} {:<13} {:<32} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f} {:>9.3f}\n", i + 1,
                                 cfg.settings[s].method, cfg.settings[s].params.empty() ? "-" : cfg.settings[s].params,
                                 meanPai[idx], medianPai[idx], p.sd, meanPei[idx], meanHit[idx]);
        }
      }
  writeFile(cfg.outDir / "ranking.csv", rank);

  // ---- paired.csv ----
  auto findSetting = [&](const std::string& spec) -> std::size_t {
    std::string label = spec;
    try {
      const auto ex = expandMethodSpec(spec);
      if (ex.size() == 1) label = ex[0].label;
    } catch (const UsageError&) {
    }
    for (std::size_t s = 0; s < S; ++s)
      if (cfg.settings[s].label == label) return s;
    throwUsageError("{}: compare: '{}' is not one of the swept settings (e.g. '{}')", cfg.file.string(), spec,
                    cfg.settings.front().label);
  };
  std::string pair =
      "category,horizon,coverage,metric,a,b,dates,a_median,b_median,a_better,b_better,ties,sign_test_p,"
      "wilcoxon_V,wilcoxon_n,wilcoxon_p,wilcoxon_method\n";
  printed += "\nPaired comparisons over forecast dates (two-sided; Wilcoxon signed-rank test as R's "
             "wilcox.test(paired = TRUE), sign test as binom.test):\n";
  for (std::size_t c = 0; c < C; ++c)
    for (std::size_t h = 0; h < H; ++h)
      for (std::size_t k = 0; k < K; ++k) {
        std::vector<std::tuple<std::size_t, std::size_t, std::string>> jobs;
        if (cfg.compares.empty()) {
          const auto& r = ranked[(c * H + h) * K + k];
          if (r.size() >= 2) jobs.emplace_back(r[0], r[1], "pai");
        } else {
          for (const auto& cp : cfg.compares) jobs.emplace_back(findSetting(cp.a), findSetting(cp.b), cp.metric);
        }
        for (const auto& [a, b, m] : jobs) {
          const auto x = series(a, c, h, k, m), y = series(b, c, h, k, m);
          const auto w = geo::bench::wilcoxonSignedRank(x, y);
          const auto sg = geo::bench::signTest(x, y);
          std::vector<double> xs, ys;
          for (std::size_t i = 0; i < x.size(); ++i)
            if (!std::isnan(x[i]) && !std::isnan(y[i])) xs.push_back(x[i]), ys.push_back(y[i]);
          const auto sx = stats(xs, 0), sy = stats(ys, 0);
          fmt::format_to(std::back_inserter(pair), "{},{},{},{},\"{}\",\"{}\",{},{},{},{},{},{},{},{},{},{},\"{}\"\n",
                         data.categories[c].name, cfg.horizons[h].label, fmtNum(cfg.coverages[k]), m,
                         cfg.settings[a].label, cfg.settings[b].label, xs.size(), fmtStat(sx.median),
                         fmtStat(sy.median), sg.positive, sg.negative, sg.ties, fmtStat(sg.pValue),
                         fmtNum(w.statistic), w.n, fmtStat(w.pValue), w.method);
          printed += fmt::format("  {} · {} · {}: {} vs {} on {}: A better on {}, B on {}, ties {}; sign test p = "
                                 "{:.4g}; Wilcoxon V = {:g}, p = {:.4g}{}\n",
                                 data.categories[c].name, cfg.horizons[h].label, cfg.coverageLabels[k],
                                 cfg.settings[a].label, cfg.settings[b].label, m, sg.positive, sg.negative, sg.ties,
                                 sg.pValue, w.statistic, w.pValue, w.exact ? " (exact)" : " (normal approx.)");
        }
      }
  writeFile(cfg.outDir / "paired.csv", pair);

  // ---- run.json and the configuration ----
  const auto wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const double cpuSeconds = static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  nlohmann::ordered_json j;
  j["tool"] = "trygg bench";
  j["version"] = kVersion;
  j["name"] = cfg.name;
  j["seed"] = cfg.seed;
  j["seed_note"] = "every bench method is deterministic; the seed is recorded for methods that draw random numbers";
  j["config_file"] = cfg.file.string();
  j["config_yaml"] = cfg.yamlText;
  auto& r = j["resolved"];
  r["working_crs"] = cfg.workingCrs;
  r["unit_metres"] = grid.unitMetres;
  r["grid"] = {{"shape", grid.shape}, {"cell_working_units", grid.cell}, {"cells", grid.ncells},
               {"rotation_deg", cfg.grid.rotationDeg}, {"study_area_km2", grid.studyArea * u2 / 1e6}};
  r["coverages"] = cfg.coverages;
  r["forecast_dates"] = dates;
  r["training"] = cfg.trainingMonths > 0 ? fmt::format("{} months", cfg.trainingMonths)
                                         : fmt::format("{} days", cfg.trainingDays);
  std::vector<std::string> labels;
  for (const auto& s : cfg.settings) labels.push_back(s.label);
  r["settings"] = labels;
  auto& f = j["fingerprint"];
  f["incidents"] = {{"source", fp.source}, {"bytes", fp.bytes}, {"fnv1a64", fp.fnv1a64}, {"rows_read", fp.rowsRead},
                    {"rows_filtered", fp.rowsFiltered}, {"rows_rejected", fp.rowsRejected},
                    {"rejected_by_reason", fp.rejectedByReason}, {"rows_not_in_a_category", fp.rowsNoCategory},
                    {"rows_outside_study_area", fp.rowsOutside}};
  for (const auto& [name, v] : fp.perCategory) f["categories"][name] = {{"rows", v.first}, {"weight_sum", v.second}};
  f["study_area"] = {{"source", fp.areaSource}, {"fnv1a64", fp.areaHash}};
  f["occurrence_first"] = dateText(fp.firstOccur, zone);
  f["occurrence_last"] = dateText(fp.lastOccur, zone);
  const std::size_t forecasts = S * C * H * D;
  j["timing"] = {{"threads", cfg.threads}, {"prepare_s", prepSeconds}, {"forecasts_s", forecastSeconds},
                 {"wall_s", wallSeconds}, {"cpu_s", cpuSeconds}, {"forecasts", forecasts},
                 {"ms_per_forecast", forecasts ? 1000 * forecastSeconds / static_cast<double>(forecasts) : 0.0}};
  writeFile(cfg.outDir / "run.json", j.dump(2) + "\n");
  writeFile(cfg.outDir / "bench.yaml", cfg.yamlText);

  say(printed);
  say(fmt::format("\n{} forecasts ({} settings × {} categories × {} horizons × {} dates), {} result rows; "
                  "prepare {:.1f} s, forecasts {:.1f} s ({:.2f} ms each), wall {:.1f} s, CPU {:.1f} s\n"
                  "results in {}\n",
                  forecasts, S, C, H, D, rows.size(), prepSeconds, forecastSeconds,
                  forecasts ? 1000 * forecastSeconds / static_cast<double>(forecasts) : 0.0, wallSeconds, cpuSeconds,
                  cfg.outDir.string()));
  BenchReport rep;
  rep.forecasts = forecasts;
  rep.rows = rows.size();
  rep.wallSeconds = wallSeconds;
  rep.cpuSeconds = cpuSeconds;
  rep.forecastSeconds = forecastSeconds;
  rep.outDir = cfg.outDir;
  return rep;
}

}  // namespace trygg::engine::bench
