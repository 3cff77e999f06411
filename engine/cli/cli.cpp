// The command line: thin, mapping onto the project runner and the method
// registry (after GDAL's `gdal` command and PDAL's kernels).
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "data/reader.hpp"
#include "engine/bench.hpp"
#include "engine/cli/hotspots_command.hpp"
#include "engine/demo_town.hpp"
#include "engine/method.hpp"
#include "engine/method_json.hpp"
#include "engine/runner.hpp"
#include "report/report.hpp"
#include "trygg/version.hpp"

namespace trygg::engine {

namespace {

constexpr const char* kExitCodes =
    "Exit codes: 0 success; 1 the data or project file must be fixed (the message says where and how);\n"
    "2 bad command line or parameter; 3 internal error (please report it).";

void printMethod(const Method& m, bool markdown) {
  if (markdown) {
    fmt::print("## `{}`\n\n{}\n\n| parameter | type | default | valid | description |\n|---|---|---|---|---|\n", m.id(),
               m.description());
    for (const auto& a : m.args())
      fmt::print("| `{}` | {} | {} | {} | {} |\n", a.name(), a.typeText(), a.defaultText().empty() ? "" : "`" + a.defaultText() + "`",
                 a.isRequired() ? "required" : a.rangeText(), a.help());
    fmt::print("\n");
    return;
  }
  fmt::print("{}: {}\n", m.id(), m.description());
  for (const auto& a : m.args()) {
    fmt::print("  {:<22} {}", a.name(), a.help());
    if (!a.rangeText().empty()) fmt::print(" [{}]", a.rangeText());
    if (!a.defaultText().empty()) fmt::print(" (default {})", a.defaultText());
    if (a.isRequired()) fmt::print(" (required)");
    fmt::print("\n");
  }
}

// `trygg report` and the report at the end of `trygg run`: the HTML (and PDF)
// from the run's outputs in the project's output folder.
void writeProjectReport(const Project& project, bool publish, bool pdf, bool quiet) {
  report::ReportOptions ro;
  ro.output_dir = project.output_dir;
  ro.output_name = project.output_name;
  ro.project_name = project.name;
  ro.lang = report::parseLang(project.language);
  ro.publish = publish;
  ro.pdf = pdf;
  const auto r = report::writeReport(ro);
  if (quiet) return;
  fmt::print("Report ({} areas, {} maps):\n  {}\n", r.areas, r.maps, r.html.string());
  if (r.pdf_written) fmt::print("  {}\n", r.pdf.string());
  else if (pdf) fmt::print("  {}\n", r.pdf_note);
}

}  // namespace

int runCli(int argc, char** argv) {
  CLI::App app{fmt::format("trygg {} — geospatial analysis for safer places (Trygga Platser)", kVersion), "trygg"};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.fallthrough();  // global flags (--quiet) also after the command
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "No progress and no report lines (errors still go to stderr)");
  app.set_version_flag("--version", std::string("trygg ") + kVersion);
  std::string progress_mode = "auto";
  app.add_option("--progress", progress_mode,
                 "Progress on stderr: auto (GDAL-style on a terminal), terminal, json (one JSON line per step, for "
                 "programs; docs/cli.md), none")
      ->check(CLI::IsMember({"auto", "terminal", "json", "none"}))
      ->capture_default_str();
  bool allow_network = false;
  app.add_flag("--allow-network", allow_network,
               "Let GDAL/PROJ open network sources (URLs, /vsicurl/, WFS:, PG:); trygg is offline by default");

  std::string project_file;
  auto addProjectArg = [&](CLI::App* sub) {
    sub->add_option("project", project_file, "The project file (YAML), see docs/project-file.md")->required()->check(CLI::ExistingFile);
  };

  auto* validate = app.add_subcommand("validate", "Read every layer and report rows read, loaded, repaired and rejected by reason");
  addProjectArg(validate);
  bool strict = false;
  validate->add_flag("--strict", strict, "Exit with code 1 when any row is rejected");
  validate->footer(kExitCodes);

  auto* import = app.add_subcommand("import", "Load every layer into the project's SpatiaLite store (one transaction)");
  addProjectArg(import);
  import->footer(kExitCodes);

  auto* run = app.add_subcommand("run", "Import, run every analysis and write the styled GeoPackage, rasters and run summary");
  addProjectArg(run);
  std::vector<std::string> only;
  run->add_option("--only", only, "Run only these analyses (names or method ids)")->delimiter(',');
  bool publish = false;
  run->add_flag("--publish", publish, "Publish profile: no sensitive point layers, small counts suppressed");
  bool no_report = false;
  run->add_flag("--no-report", no_report, "Do not write the workshop report (<name>_report.html and .pdf)");
  run->footer(kExitCodes);

  auto* report_cmd = app.add_subcommand(
      "report", "Write the workshop report (<name>_report.html and .pdf) from the last run's outputs (docs/report.md)");
  addProjectArg(report_cmd);
  bool report_publish = false, no_pdf = false;
  report_cmd->add_flag("--publish", report_publish, "Publish profile: no small counts, no incident points");
  report_cmd->add_flag("--no-pdf", no_pdf, "Write the HTML only (no headless Chromium)");
  report_cmd->footer(kExitCodes);

  auto* methods = app.add_subcommand("methods", "List the analysis methods, or show one method's parameters");
  std::string method_id;
  methods->add_option("id", method_id, "A method id to describe");
  bool markdown = false;
  methods->add_flag("--markdown", markdown, "Print the parameter tables as Markdown (docs/methods/parameters.md)");
  bool methods_json = false;
  methods->add_flag("--json", methods_json, "Print the methods and their parameters as JSON (read by the QGIS plugin)");

  auto* demo = app.add_subcommand("demo", "Write the bundled demo town's input files (deterministic)");
  std::string demo_dir = "demo/data";
  demo->add_option("dir", demo_dir, "Folder for the generated files")->capture_default_str();
  DemoTownOptions demo_opt;
  demo->add_option("--seed", demo_opt.seed, "Random seed")->capture_default_str();
  demo->add_option("--incidents", demo_opt.incidents, "Number of incidents")->capture_default_str()->check(CLI::PositiveNumber);

  // trygg bench (engine/bench.hpp, docs/bench.md)
  auto* bench = app.add_subcommand("bench", "Score hotspot forecasting methods by PAI, PEI*, hit rate and RRI over rolling forecast dates");
  std::string bench_file, bench_out;
  int bench_threads = 0;
  bench->add_option("config", bench_file, "The bench file (YAML), see docs/bench.md")->required()->check(CLI::ExistingFile);
  bench->add_option("--threads", bench_threads, "Worker threads (0 = all cores); results do not depend on it")->check(CLI::NonNegativeNumber);
  bench->add_option("--out", bench_out, "Output folder (overrides `output:` in the file)");

  HotspotsCommand hotspots(app, Registry::builtin());

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : static_cast<int>(ExitCode::UsageError);
  }

  data::setNetworkAccess(allow_network);  // offline by default (docs/project-file.md)
  try {
    RunOptions opt;
    opt.allow_network = allow_network;
    opt.quiet = quiet;
    if (progress_mode == "json") setDefaultProgressFormat(ProgressFormat::Json);
    opt.progress = !quiet && progress_mode != "none" && (progress_mode != "auto" || stderrIsTerminal());
    if (*methods) {
      const auto& reg = Registry::builtin();
      if (methods_json) {
        fmt::print("{}\n", (method_id.empty() ? methodsJson(reg) : methodJson(*reg.create(method_id))).dump(2));
      } else if (!method_id.empty()) {
        printMethod(*reg.create(method_id), markdown);
      } else if (markdown) {
        for (const auto& [id, d] : reg.list()) printMethod(*reg.create(id), true);
      } else {
        for (const auto& [id, d] : reg.list()) fmt::print("{:<28} {}\n", id, d);
      }
      return 0;
    }
    if (*bench) {
      auto bcfg = bench::loadBenchConfig(bench_file);
      if (!bench_out.empty()) bcfg.outDir = bench_out;
      bcfg.threads = bench_threads;
      bcfg.quiet = quiet;
      bench::runBench(std::move(bcfg));
      return 0;
    }
    if (hotspots.selected()) {
      hotspots.run(quiet, opt.progress);
      return 0;
    }
    if (*demo) {
      const auto files = generateDemoTown(demo_dir, demo_opt);
      (void)files;
      if (!quiet) fmt::print("demo town written to {}\n", std::filesystem::absolute(demo_dir).lexically_normal().string());
      return 0;
    }
    Project project = loadProject(project_file);
    if (*validate) {
      Runner r(std::move(project), opt, Registry::builtin());
      const auto rejected = r.validate();
      return strict && rejected > 0 ? static_cast<int>(ExitCode::DataError) : 0;
    }
    if (*import) {
      Runner r(std::move(project), opt, Registry::builtin());
      r.import();
      return 0;
    }
    if (*run) {
      opt.only = only;
      opt.publish = publish;
      Runner r(std::move(project), opt, Registry::builtin());
      r.run();
      if (!no_report) writeProjectReport(r.project(), publish, true, quiet);
      return 0;
    }
    if (*report_cmd) {
      writeProjectReport(project, report_publish, !no_pdf, quiet);
      return 0;
    }
  } catch (const Error& e) {
    std::fflush(stdout);
    fmt::print(stderr, "\ntrygg: error: {}\n", e.what());
    return static_cast<int>(e.exitCode());
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the user gave cannot be used (a file where a folder belongs, a name
    // too long, a full disk): exit 1 with the path, not "internal error".
    std::fflush(stdout);
    fmt::print(stderr, "\ntrygg: error: {}: {}; check this path, its permissions and free disk space\n",
               e.path1().string(), e.code().message());
    return static_cast<int>(ExitCode::DataError);
  } catch (const std::exception& e) {
    std::fflush(stdout);
    fmt::print(stderr, "\ntrygg: internal error: {}\n", e.what());
    return static_cast<int>(ExitCode::InternalError);
  }
  return 0;
}

}  // namespace trygg::engine
