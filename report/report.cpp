#include "report/report.hpp"

#include <gdal.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <fstream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/atomic_file.hpp"
#include "data/qml.hpp"
#include "report/browser.hpp"
#include "report/map_renderer.hpp"
#include "report/map_styles.hpp"
#include "report/run_outputs.hpp"
#include "report/svg.hpp"
#include "report/text.hpp"
#include "trygg/version.hpp"

namespace trygg::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// ---------------------------------------------------------------- words

struct Words {
  const char* subtitle;
  const char* contents;
  const char* overview;
  const char* overview_intro;
  const char* area;
  const char* share_improved;
  const char* goal;
  const char* measures;
  const char* met;
  const char* not_met;
  const char* not_assessed;
  const char* h_goal;
  const char* h_places;
  const char* h_action;
  const char* h_hotspots;
  const char* h_incidents;
  const char* h_perception;
  const char* h_methods;
  const char* h_params;
  const char* h_quality;
  const char* h_software;
  const char* before;
  const char* after;
  const char* improved;
  const char* unchanged;
  const char* worse;
  const char* not_comparable;
  const char* matrix_title;
  const char* counts_title;
  const char* places_title;
  const char* legend_red;
  const char* legend_yellow;
  const char* legend_green;
  const char* legend_na;
  const char* kde_caption;
  const char* kde_legend;
  const char* gi_caption;
  const char* gi_legend_hot;
  const char* gi_legend_cold;
  const char* no_action;
  const char* measures_at;
  const char* more_items;
  const char* no_tests;
  const char* incidents_area;
  const char* incidents_place;
  const char* no_perception;
  const char* perception_places;
  const char* perception_none;
  const char* publish_note;
  const char* no_safety;
  const char* layer;
  const char* kind;
  const char* read;
  const char* loaded;
  const char* repaired;
  const char* rejected;
  const char* reasons;
  const char* warnings;
  const char* analysis;
  const char* method;
  const char* parameters;
  const char* version;
  const char* maps_by;
  const char* crs;
  const char* results;
  const char* stacked;
  const char* place_overall;
  const char* map_missing;
  const char* overview_map;
  const char* areas_map;
  const char* n_measures;
};

const Words kSv{
    "Trygghetsanalys – underlag för workshop",
    "Innehåll",
    "Översikt",
    "Varje avgränsat område följs upp mot Trygga Platsers mål: minst {goal} av faktorernas färgkoder ska bli bättre, "
    "och minst {mgoal} av åtgärderna ska vara påbörjade eller klara.",
    "Område",
    "Förbättrade färgkoder",
    "mål",
    "Åtgärder påbörjade eller klara",
    "nått",
    "inte nått",
    "kan inte bedömas",
    "Målet: bättre färgkoder",
    "Platserna vid nulägesanalys och uppföljning",
    "Åtgärdsplanen: de mest angelägna platserna",
    "Var händelserna samlas (hotspots)",
    "Anmälda händelser före och efter",
    "Upplevd trygghet",
    "Metoder",
    "Parametrar",
    "Datakvalitet",
    "Programvara",
    "före",
    "efter",
    "bättre",
    "oförändrad",
    "sämre",
    "ej jämförbar",
    "Färgkod före och efter, antal faktorer × platser",
    "Faktorer × platser: bättre, oförändrade, sämre",
    "Platsernas samlade färg per omgång",
    "röd: behöver åtgärdas",
    "gul: bevaka",
    "grön: bra",
    "ej bedömd",
    "Kärnskattning (täthet) av händelser: {}",
    "låg → hög täthet",
    "Getis-Ord Gi*: {}",
    "hot spot (90/95/99 %)",
    "cold spot (90/95/99 %)",
    "Inga röda eller gula faktorer i området vid den senaste omgången.",
    "Åtgärder vid platsen",
    "och {} faktorer till",
    "Inga tester av händelser före och efter (ingen period med datum för båda omgångarna).",
    "Händelser i området",
    "Händelser vid {}",
    "Inga enkätsvar eller markeringar i området.",
    "Upplevd trygghet förbättrades signifikant vid: {}.",
    "Ingen enskild plats i området visade en signifikant förbättring i enkäten.",
    "Publiceringsprofil: antal under {} visas inte och inga händelsepunkter ritas.",
    "Körningen innehåller ingen trygghetsanalys (safety.analysis); rapporten visar bara hotspots och datakvalitet.",
    "Lager",
    "Slag",
    "Lästa",
    "Inlästa",
    "Lagade",
    "Avvisade",
    "Avvisade per orsak",
    "Varningar",
    "Analys",
    "Metod",
    "Parametrar",
    "Version",
    "Kartorna ritas av",
    "Koordinatsystem",
    "Resultatfiler",
    "Händelser på samma koordinat (utelämnade)",
    "samlad färg",
    "kartan kunde inte ritas",
    "Områdena och platsernas samlade färg vid",
    "De avgränsade områdena",
    "{} st.",
};

const Words kEn{
    "Safety analysis – workshop report",
    "Contents",
    "Overview",
    "Each delimited area is followed up against the Trygga Platser goals: at least {goal} of the factors' colour codes "
    "improve, and at least {mgoal} of the measures are started or done.",
    "Area",
    "Colour codes improved",
    "goal",
    "Measures started or done",
    "met",
    "not met",
    "not assessed",
    "The goal: better colour codes",
    "The places at baseline and follow-up",
    "The action plan: the most urgent places",
    "Where incidents concentrate (hotspots)",
    "Reported incidents before and after",
    "Perceived safety",
    "Methods",
    "Parameters",
    "Data quality",
    "Software",
    "before",
    "after",
    "improved",
    "unchanged",
    "worse",
    "not comparable",
    "Colour before and after, count of factors × places",
    "Factors × places: improved, unchanged, worse",
    "The places' overall colour per round",
    "red: must be fixed",
    "yellow: watch",
    "green: good",
    "not assessed",
    "Kernel density of incidents: {}",
    "low → high density",
    "Getis-Ord Gi*: {}",
    "hot spot (90/95/99 %)",
    "cold spot (90/95/99 %)",
    "No red or yellow factor in the area at the last round.",
    "Measures at the place",
    "and {} more factors",
    "No before/after tests of incidents (both rounds need a date for their incident periods).",
    "Incidents in the area",
    "Incidents at {}",
    "No survey answers or pins in the area.",
    "Perceived safety improved significantly at: {}.",
    "No single place in the area showed a significant improvement in the survey.",
    "Publish profile: counts below {} are not shown and no incident points are drawn.",
    "The run has no safety analysis (safety.analysis); the report shows hotspots and data quality only.",
    "Layer",
    "Kind",
    "Read",
    "Loaded",
    "Repaired",
    "Rejected",
    "Rejected by reason",
    "Warnings",
    "Analysis",
    "Method",
    "Parameters",
    "Version",
    "Maps drawn by",
    "Coordinate system",
    "Result files",
    "Incidents stacked on one coordinate (left out)",
    "overall colour",
    "the map could not be drawn",
    "The areas and the places' overall colour at",
    "The delimited areas",
    "{} in all",
};

const Words& W(Lang l) { return l == Lang::sv ? kSv : kEn; }

std::string esc(std::string_view s) {
  std::string e = xmlEscape(s);
  // Keep "34 %" together on one line.
  std::string out;
  for (std::size_t i = 0; i < e.size(); ++i) {
    if (e[i] == ' ' && i + 1 < e.size() && e[i + 1] == '%') out += "&nbsp;";
    else out += e[i];
  }
  return out;
}

std::string replaceAll(std::string s, const std::string& what, const std::string& with) {
  for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + with.size())) s.replace(p, what.size(), with);
  return s;
}

std::string base64(const std::string& in) {
  static constexpr char k[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += k[v & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += k[(v >> 18) & 63];
    out += k[(v >> 12) & 63];
    out += k[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string anchor(const std::string& id) {
  std::string a = "area-";
  for (unsigned char c : id) a += std::isalnum(c) ? static_cast<char>(c) : '-';
  return a;
}

double numOr(const std::optional<double>& v, double d) { return v ? *v : d; }

// ---------------------------------------------------------------- the run

struct Round {
  std::string name, date;
};

struct SafetyRun {
  std::string prefix;  // the analysis name, layer prefix
  std::vector<Round> rounds;
  double goal = 0.25, measures_goal = 0.5, alpha = 0.05;
  int suppress_below = 5;
  std::vector<std::string> test_categories;
};

std::optional<SafetyRun> findSafety(const json& summary) {
  if (!summary.contains("analyses")) return std::nullopt;
  for (const auto& a : summary["analyses"]) {
    if (a.value("method", "") != "safety.analysis") continue;
    SafetyRun s;
    s.prefix = a.value("name", "safety");
    const auto& p = a.contains("parameters") ? a["parameters"] : json::object();
    const auto num = [&](const char* k, double d) {
      if (p.contains(k) && p[k].is_number()) return p[k].get<double>();
      return d;
    };
    s.goal = num("min_improved_share", 0.25);
    s.measures_goal = num("min_measures_share", 0.5);
    s.alpha = num("alpha", 0.05);
    s.suppress_below = static_cast<int>(num("suppress_below", 5));
    if (p.contains("test_categories") && p["test_categories"].is_array())
      for (const auto& c : p["test_categories"])
        if (c.is_string()) s.test_categories.push_back(c.get<std::string>());
    if (a.contains("rounds"))
      for (const auto& r : a["rounds"]) s.rounds.push_back({r.value("name", ""), r.value("date", "")});
    if (s.rounds.empty() && p.contains("rounds") && p["rounds"].is_array())
      for (const auto& r : p["rounds"]) s.rounds.push_back({r.get<std::string>(), ""});
    return s;
  }
  return std::nullopt;
}

struct Area {
  std::string id, name, wkb;
  BBox2 box;
};

std::vector<Area> readAreas(RunOutputs& run, const std::optional<SafetyRun>& safety) {
  std::vector<Area> out;
  const Table* t = nullptr;
  if (safety && run.hasLayer(safety->prefix + "_area_change")) t = &run.table(safety->prefix + "_area_change");
  else if (run.hasLayer("areas")) t = &run.table("areas");
  if (!t) return out;
  for (const auto& r : t->rows) {
    Area a{r.str("area_id"), r.str("name"), r.wkb, wkbEnvelope(r.wkb)};
    if (a.name.empty()) a.name = a.id;
    out.push_back(std::move(a));
  }
  return out;
}

// The raster files and grid layers of the hotspot analyses.
struct Hotspots {
  struct Kde {
    std::string name;
    fs::path file;
    double max = 0;
  };
  std::vector<Kde> kde;
  std::vector<std::string> gistar;  // layer names
};

double rasterMax(const fs::path& f) {
  GDALDatasetH ds = GDALOpen(f.string().c_str(), GA_ReadOnly);
  if (!ds) return 0;
  double mm[2] = {0, 0};
  if (GDALRasterBandH b = GDALGetRasterBand(ds, 1)) {
    CPLPushErrorHandler(CPLQuietErrorHandler);
    if (GDALComputeRasterMinMax(b, FALSE, mm) != CE_None) mm[1] = 0;
    CPLPopErrorHandler();
  }
  GDALClose(ds);
  return std::isfinite(mm[1]) ? mm[1] : 0;
}

Hotspots findHotspots(RunOutputs& run) {
  Hotspots h;
  const auto& s = run.summary();
  if (!s.contains("analyses")) return h;
  for (const auto& a : s["analyses"]) {
    const std::string m = a.value("method", ""), name = a.value("name", "");
    if (m == "hotspot.kde" && a.contains("files")) {
      for (const auto& f : a["files"]) {
        const auto p = run.outputFile(f.get<std::string>());
        if (p.extension() == ".tif" && fs::exists(p)) h.kde.push_back({name, p, rasterMax(p)});
      }
    } else if (m == "hotspot.getis_ord" && run.hasLayer(name)) {
      h.gistar.push_back(name);
    }
  }
  return h;
}

// ---------------------------------------------------------------- maps

BBox2 mapBox(const BBox2& b) {
  BBox2 r = b;
  const double w = std::max(r.maxx - r.minx, 300.0), h = std::max(r.maxy - r.miny, 300.0);
  const double cx = (r.minx + r.maxx) / 2, cy = (r.miny + r.maxy) / 2;
  r = {cx - 0.6 * w, cy - 0.6 * h, cx + 0.6 * w, cy + 0.6 * h};
  return r;
}

class Maps {
 public:
  Maps(RunOutputs& run, const std::vector<Area>& areas, bool enabled) : m_run(run), m_areas(areas), m_enabled(enabled) {}

  // A figure (<figure><img src="data:..."><figcaption>) or a note when drawing failed.
  std::string figure(const MapSpec& spec, const std::string& alt, const std::string& caption, Lang l, int* count) {
    if (!m_enabled) return "";
    std::string img;
    try {
      img = "<img src=\"data:image/png;base64," + base64(renderMapPng(spec)) + "\" alt=\"" + esc(alt) + "\" width=\"" +
            std::to_string(spec.width) + "\" height=\"" + std::to_string(spec.height) + "\">";  // shown at CSS size
      if (count) ++*count;
    } catch (const Error& e) {
      img = "<p class=\"note\">" + esc(W(l).map_missing) + ": " + esc(e.what()) + "</p>";
    }
    return "<figure class=\"map\">" + img + "<figcaption>" + caption + "</figcaption></figure>";
  }

  // Base layers: the focused area filled, then the outlines.
  void addAreas(MapSpec& s, const Area& focus, bool fill) const {
    if (fill) s.layers.push_back({"area_fill", {{focus.wkb, {}}}, {}});
  }
  void addOutlines(MapSpec& s, const Area& focus) const {
    MapLayer other{"area_other", {}, {}};
    for (const auto& a : m_areas)
      if (a.id != focus.id) other.features.push_back({a.wkb, {{"name", a.name}}});
    s.layers.push_back(std::move(other));
    s.layers.push_back({"area_focus", {{focus.wkb, {}}}, {}});
  }

 private:
  RunOutputs& m_run;
  const std::vector<Area>& m_areas;
  bool m_enabled;
};

std::string legendHtml(Lang l) {
  const auto& w = W(l);
  return fmt::format(
      "<p class=\"legend\"><span class=\"dot\" style=\"background:{}\"></span>{} <span class=\"dot\" "
      "style=\"background:{}\"></span>{} <span class=\"dot\" style=\"background:{}\"></span>{} <span class=\"dot\" "
      "style=\"background:{}\"></span>{}</p>",
      trafficLightColour("red"), esc(w.legend_red), trafficLightColour("yellow"), esc(w.legend_yellow),
      trafficLightColour("green"), esc(w.legend_green), trafficLightColour(""), esc(w.legend_na));
}

// ---------------------------------------------------------------- report

class Builder {
 public:
  Builder(RunOutputs& run, const ReportOptions& opt)
      : m_run(run), m_opt(opt), m_l(opt.lang), m_w(W(opt.lang)), m_safety(findSafety(run.summary())) {
    m_publish = opt.publish || run.summary().value("publish", false);
    m_small = m_publish ? (m_safety ? m_safety->suppress_below : 5) : 0;
    m_areas = readAreas(run, m_safety);
    m_hot = findHotspots(run);
    if (m_safety) {
      // Factor labels in the report's language, from the long place × factor table.
      const auto& pf = run.table(m_safety->prefix + "_place_factors");
      for (const auto& r : pf.rows) {
        const std::string f = r.str("factor");
        if (!f.empty() && !m_label.count(f)) {
          std::string lab = r.str(m_l == Lang::sv ? "label_sv" : "label_en");
          m_label[f] = lab.empty() ? f : lab;
        }
      }
    }
  }

  std::string build(ReportResult* stats) {
    std::string title = m_opt.project_name;
    if (title.empty() && m_run.summary().contains("project")) title = m_run.summary()["project"].value("name", "");
    if (title.empty()) title = "trygg";
    std::string body;
    body += "<header><h1>" + esc(title) + "</h1><p class=\"subtitle\">" + esc(m_w.subtitle) + "</p>";
    if (m_publish) body += "<p class=\"note\">" + esc(fmt::format(fmt::runtime(m_w.publish_note), m_small)) + "</p>";
    body += "</header>";
    body += contents();
    Maps maps(m_run, m_areas, m_opt.maps);
    body += overview(maps);
    for (const auto& a : m_areas) body += areaSection(a, maps);
    body += methods();
    body += parameters();
    body += quality();
    body += software();
    if (stats) {
      stats->areas = static_cast<int>(m_areas.size());
      stats->maps = m_maps;
    }
    return "<!DOCTYPE html>\n<html lang=\"" + std::string(langId(m_l)) + "\">\n<head>\n<meta charset=\"utf-8\">\n" +
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
           "<meta name=\"generator\" content=\"trygg " + kVersion + "\">\n<title>" + esc(title) + " – " +
           esc(m_w.subtitle) + "</title>\n<style>\n" + css() + "</style>\n</head>\n<body>\n" + body +
           "\n</body>\n</html>\n";
  }

 private:
  static std::string css() {
    return R"CSS(
:root { --red: #d7191c; --yellow: #fdae61; --green: #1a9641; --grey: #bababa; }
html { background: #f6f6f3; }
body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; font-size: 15px; line-height: 1.45; color: #222;
       max-width: 1040px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 22px; border-bottom: 3px solid #222; padding-bottom: 4px; margin-top: 40px; }
h2 small { font-weight: normal; color: #666; font-size: 15px; }
h3 { font-size: 17px; margin: 22px 0 8px; break-after: avoid; page-break-after: avoid; }
.subtitle { color: #555; margin: 0 0 12px; font-size: 17px; }
.note { color: #6b4e00; background: #fff6dd; padding: 6px 10px; border-radius: 4px; }
nav ol { columns: 2; margin: 6px 0 0; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid #ddd; vertical-align: top; }
th { background: #f0f0ec; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.verdict { padding: 8px 14px; border-left: 8px solid var(--grey); background: #f4f4f4; margin: 10px 0; }
.verdict.met { border-color: var(--green); background: #edf6ea; }
.verdict.missed { border-color: var(--yellow); background: #fff3e6; }
.verdict p { margin: 4px 0; }
.verdict .big { font-size: 18px; font-weight: bold; }
.charts { display: flex; flex-wrap: wrap; gap: 18px; align-items: flex-start; margin: 8px 0; }
.charts svg { max-width: 100%; height: auto; }
.maps { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
figure { margin: 0; break-inside: avoid; page-break-inside: avoid; }
figure img { width: 100%; height: auto; border: 1px solid #ccc; display: block; }
figcaption { font-size: 13px; color: #444; margin-top: 3px; }
.legend { font-size: 13px; margin: 6px 0; }
.overview-map { margin-top: 14px; }
.measures { font-size: 13px; color: #444; }
.dot { display: inline-block; width: 11px; height: 11px; border-radius: 50%; border: 1px solid #333; margin: 0 4px 0 10px; vertical-align: -1px; }
.sq { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 10px; vertical-align: -1px; }
.ramp { display: inline-block; width: 120px; height: 10px; vertical-align: -1px; margin: 0 6px;
        background: linear-gradient(to right, rgba(255,237,160,0.6), #feb24c, #f03b20, #bd0026); border: 1px solid #999; }
ol.plan > li { margin-bottom: 8px; }
ol.plan ul { margin: 2px 0; padding-left: 20px; }
ul.tests li { margin-bottom: 4px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; font-size: 12px; color: #fff; vertical-align: 1px; }
.tag.red { background: var(--red); } .tag.yellow { background: var(--yellow); color: #222; }
.tag.green { background: var(--green); } .tag.na { background: var(--grey); color: #222; }
section.area { border-top: 1px solid transparent; }
@page { size: A4; margin: 14mm 12mm 14mm 12mm; }
@media print {
  html { background: #fff; }
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { margin-top: 0; }
  section.area, section.appendix { break-before: page; page-break-before: always; }
  .maps { gap: 8px; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
}
)CSS";
  }

  std::string contents() const {
    std::string s = "<nav><strong>" + esc(m_w.contents) + "</strong><ol>";
    s += "<li><a href=\"#overview\">" + esc(m_w.overview) + "</a></li>";
    for (const auto& a : m_areas) s += "<li><a href=\"#" + anchor(a.id) + "\">" + esc(a.name) + "</a></li>";
    s += "<li><a href=\"#methods\">" + esc(m_w.h_methods) + "</a></li>";
    s += "<li><a href=\"#quality\">" + esc(m_w.h_quality) + "</a></li></ol></nav>";
    return s;
  }

  const Record* areaChange(const std::string& id) {
    if (!m_safety) return nullptr;
    for (const auto& r : m_run.table(m_safety->prefix + "_area_change").rows)
      if (r.str("area_id") == id) return &r;
    return nullptr;
  }

  GoalVerdict goalOf(const Record& r) const {
    GoalVerdict g;
    g.pairs = r.integer("pairs").value_or(0);
    g.improved = r.integer("improved").value_or(0);
    g.share_improved = numOr(r.real("share_improved"), NAN);
    g.goal = numOr(r.real("min_improved_share"), m_safety ? m_safety->goal : 0.25);
    if (const auto a = r.flag("assessed"); a && !*a) g.pairs = 0;
    return g;
  }
  MeasuresVerdict measuresOf(const Record& r) const {
    MeasuresVerdict m;
    m.measures = r.integer("measures").value_or(0);
    m.started_done = r.integer("measures_started_done").value_or(0);
    m.goal = m_safety ? m_safety->measures_goal : 0.5;
    return m;
  }

  std::string overviewMap(Maps& maps) {
    if (m_areas.empty()) return "";
    BBox2 all = m_areas.front().box;
    for (const auto& a : m_areas) {
      if (a.box.empty()) continue;
      all = {std::min(all.minx, a.box.minx), std::min(all.miny, a.box.miny), std::max(all.maxx, a.box.maxx),
             std::max(all.maxy, a.box.maxy)};
    }
    MapSpec spec;
    spec.width = 900;
    spec.height = 560;
    spec.bbox = mapBox(all);
    spec.stylesheet = mapStylesheet();
    MapLayer areas{"area_overview", {}, {}}, names{"area_names", {}, {}};
    for (const auto& a : m_areas) {
      areas.features.push_back({a.wkb, {}});
      names.features.push_back({a.wkb, {{"name", a.name}}});
    }
    spec.layers.push_back(std::move(areas));
    std::string caption;
    if (m_safety && !m_safety->rounds.empty()) {
      const auto& last = m_safety->rounds.back();
      const std::string layer = m_safety->prefix + "_places_" + last.name;
      if (m_run.hasLayer(layer)) {
        MapLayer pl{"places", {}, {}};
        for (const auto& r : m_run.table(layer).rows) pl.features.push_back({r.wkb, {{"overall", r.str("overall")}}});
        spec.layers.push_back(std::move(pl));
        caption = fmt::format("{} {}", m_w.overview_map, roundCaption(last));
      }
    }
    spec.layers.push_back(std::move(names));
    if (caption.empty()) caption = m_w.areas_map;
    std::string s = "<div class=\"overview-map\">" + maps.figure(spec, caption, esc(caption), m_l, &m_maps) + "</div>";
    if (m_safety) s += legendHtml(m_l);
    return s;
  }

  std::string overview(Maps& maps) {
    std::string s = "<section id=\"overview\"><h2>" + esc(m_w.overview) + "</h2>";
    if (!m_safety) return s + "<p>" + esc(m_w.no_safety) + "</p>" + overviewMap(maps) + "</section>";
    s += "<p>" +
         esc(replaceAll(replaceAll(m_w.overview_intro, "{goal}", percent(m_safety->goal, m_l)), "{mgoal}",
                        percent(m_safety->measures_goal, m_l))) +
         "</p>";
    s += fmt::format("<table><tr><th>{}</th><th class=\"num\">{}</th><th>{} {}</th><th class=\"num\">{}</th><th>{} {}</th></tr>",
                     esc(m_w.area), esc(m_w.share_improved), esc(m_w.goal), esc(percent(m_safety->goal, m_l)),
                     esc(m_w.measures), esc(m_w.goal), esc(percent(m_safety->measures_goal, m_l)));
    for (const auto& a : m_areas) {
      const Record* r = areaChange(a.id);
      std::string share = "–", verdict = m_w.not_assessed, mshare = "–", mverdict = m_w.not_assessed;
      if (r) {
        const auto g = goalOf(*r);
        if (g.pairs > 0 && std::isfinite(g.share_improved)) {
          share = fmt::format("{} ({}/{})", percent(g.share_improved, m_l), g.improved, g.pairs);
          verdict = g.share_improved + 1e-12 >= g.goal ? m_w.met : m_w.not_met;
        }
        const auto m = measuresOf(*r);
        if (m.measures > 0) {
          const double sh = static_cast<double>(m.started_done) / static_cast<double>(m.measures);
          mshare = fmt::format("{} ({}/{})", percent(sh, m_l), m.started_done, m.measures);
          mverdict = sh + 1e-12 >= m.goal ? m_w.met : m_w.not_met;
        }
      }
      s += fmt::format("<tr><td><a href=\"#{}\">{}</a></td><td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                       anchor(a.id), esc(a.name), esc(share), esc(verdict), esc(mshare), esc(mverdict));
    }
    return s + "</table>" + overviewMap(maps) + "</section>";
  }

  // -------------------------------------------------------------- one area

  std::string roundCaption(const Round& r) const {
    return r.date.empty() ? r.name : fmt::format("{} ({})", r.name, r.date);
  }

  std::vector<const Record*> placesIn(const std::string& layer, const std::string& area_id) {
    std::vector<const Record*> out;
    for (const auto& r : m_run.table(layer).rows)
      if (r.str("area_id") == area_id) out.push_back(&r);
    return out;
  }

  // The place's name (the layers' `label` field adds English counts).
  static std::string labelOf(const Record& r) {
    std::string l = r.str("name");
    if (l.empty()) l = r.str("place_name");
    if (l.empty()) l = r.str("label");
    return l;
  }

  std::string areaSection(const Area& a, Maps& maps) {
    std::string s = "<section class=\"area\" id=\"" + anchor(a.id) + "\"><h2>" + esc(a.name) + " <small>(" + esc(a.id) +
                    ")</small></h2>";
    if (m_safety) {
      s += goalBlock(a);
      s += placesBlock(a, maps);
      s += actionPlanBlock(a);
    }
    s += hotspotBlock(a, maps);
    if (m_safety) {
      s += incidentBlock(a);
      s += perceptionBlock(a);
    }
    return s + "</section>";
  }

  std::string goalBlock(const Area& a) {
    const Record* r = areaChange(a.id);
    std::string s = "<h3>" + esc(m_w.h_goal) + "</h3>";
    if (!r) return s + "<div class=\"verdict\"><p class=\"big\">" + esc(goalSentence({}, m_l)) + "</p></div>";
    const auto g = goalOf(*r);
    const auto m = measuresOf(*r);
    const bool assessed = g.pairs > 0 && std::isfinite(g.share_improved);
    const bool met = assessed && g.share_improved + 1e-12 >= g.goal;
    s += fmt::format("<div class=\"verdict {}\"><p class=\"big\">{}</p><p>{}</p></div>", assessed ? (met ? "met" : "missed") : "",
                     esc(goalSentence(g, m_l)), esc(measuresSentence(m, m_l)));
    s += "<div class=\"charts\">";
    if (assessed) {
      s += shareGaugeSvg(g.share_improved, g.goal,
                         {m_w.share_improved, fmt::format("{}: {}", m_w.share_improved, percent(g.share_improved, m_l)),
                          fmt::format("{} {}", m_w.goal, percent(g.goal, m_l))});
      if (m.measures > 0)
        s += shareGaugeSvg(static_cast<double>(m.started_done) / static_cast<double>(m.measures), m.goal,
                           {m_w.measures,
                            fmt::format("{}: {}", m_w.measures,
                                        percent(static_cast<double>(m.started_done) / static_cast<double>(m.measures), m_l)),
                            fmt::format("{} {}", m_w.goal, percent(m.goal, m_l))});
      std::array<std::array<std::int64_t, 3>, 3> mx{};
      const char* cn[3] = {"red", "yellow", "green"};
      for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) mx[i][j] = r->integer(fmt::format("{}_{}", cn[i], cn[j])).value_or(0);
      s += transitionMatrixSvg(mx, {m_w.matrix_title, m_w.before, m_w.after,
                                    {colourWord("red", m_l), colourWord("yellow", m_l), colourWord("green", m_l)}});
      s += stackedBarsSvg({{m_w.area, {{m_w.improved, trafficLightColour("green"), numOr(r->real("improved"), 0)},
                                       {m_w.unchanged, "#cfcfcf", numOr(r->real("unchanged"), 0)},
                                       {m_w.worse, trafficLightColour("red"), numOr(r->real("worse"), 0)},
                                       {m_w.not_comparable, "#eeeeee", numOr(r->real("not_comparable"), 0)}}}},
                          m_w.counts_title);
    }
    return s + "</div>";
  }

  std::string placesBlock(const Area& a, Maps& maps) {
    std::string s = "<h3>" + esc(m_w.h_places) + "</h3>";
    const auto& rounds = m_safety->rounds;
    if (rounds.empty()) return s;
    std::vector<Round> show{rounds.front()};
    if (rounds.size() > 1) show.push_back(rounds.back());
    std::vector<BarRow> bars;
    std::string figs;
    for (const auto& rd : show) {
      const std::string layer = m_safety->prefix + "_places_" + rd.name;
      if (!m_run.hasLayer(layer)) continue;
      std::map<std::string, int> n;
      for (const Record* p : placesIn(layer, a.id)) ++n[p->str("overall")];
      bars.push_back({rd.name, {{colourWord("red", m_l), trafficLightColour("red"), double(n["red"])},
                                {colourWord("yellow", m_l), trafficLightColour("yellow"), double(n["yellow"])},
                                {colourWord("green", m_l), trafficLightColour("green"), double(n["green"])},
                                {colourWord("not_assessed", m_l), trafficLightColour(""), double(n["not_assessed"] + n[""])}}});
      MapSpec spec;
      spec.bbox = mapBox(a.box);
      spec.stylesheet = mapStylesheet();
      maps.addAreas(spec, a, true);
      maps.addOutlines(spec, a);
      MapLayer pl{"places", {}, {}}, lab{"place_labels", {}, {}};
      for (const auto& r : m_run.table(layer).rows) {
        pl.features.push_back({r.wkb, {{"overall", r.str("overall")}}});
        lab.features.push_back({r.wkb, {{"label", labelOf(r)}}});
      }
      spec.layers.push_back(std::move(pl));
      spec.layers.push_back(std::move(lab));
      const std::string cap = fmt::format("{}: {} {} · {} {} · {} {}", roundCaption(rd), n["red"], colourWord("red", m_l),
                                          n["yellow"], colourWord("yellow", m_l), n["green"], colourWord("green", m_l));
      figs += maps.figure(spec, fmt::format("{} – {}", a.name, rd.name), esc(cap), m_l, &m_maps);
    }
    if (!figs.empty()) s += "<div class=\"maps\">" + figs + "</div>" + legendHtml(m_l);
    if (!bars.empty()) s += "<div class=\"charts\">" + stackedBarsSvg(bars, m_w.places_title) + "</div>";
    return s;
  }

  std::string actionPlanBlock(const Area& a) {
    std::string s = "<h3>" + esc(m_w.h_action) + "</h3>";
    const std::string P = m_safety->prefix;
    // The long rows (one per place × factor): P_action_plan_items, or the
    // older long P_action_plan.
    const Table* items = nullptr;
    if (m_run.hasLayer(P + "_action_plan_items")) items = &m_run.table(P + "_action_plan_items");
    else if (m_run.hasLayer(P + "_action_plan") &&
             std::count(m_run.table(P + "_action_plan").fields.begin(), m_run.table(P + "_action_plan").fields.end(), "factor"))
      items = &m_run.table(P + "_action_plan");
    if (!items) return s + "<p>" + esc(m_w.no_action) + "</p>";
    const std::string last = m_safety->rounds.empty() ? "" : m_safety->rounds.back().name;
    // Details of each factor at the last round.
    std::map<std::pair<std::string, std::string>, const Record*> pf;
    for (const auto& r : m_run.table(P + "_place_factors").rows)
      if (last.empty() || r.str("round") == last) pf[{r.str("place_id"), r.str("factor")}] = &r;
    std::map<std::string, std::string> overall;
    if (!last.empty())
      for (const auto& r : m_run.table(P + "_places_" + last).rows) overall[r.str("place_id")] = r.str("overall");
    // Places of the area in rank order, each with its items.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Record*>> by_place;
    std::vector<const Record*> rows;
    for (const auto& r : items->rows)
      if (r.str("area_id") == a.id) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const Record* x, const Record* y) {
      return x->integer("rank").value_or(0) < y->integer("rank").value_or(0);
    });
    for (const Record* r : rows) {
      const auto id = r->str("place_id");
      if (!by_place.count(id)) order.push_back(id);
      by_place[id].push_back(r);
    }
    if (order.empty()) return s + "<p>" + esc(m_w.no_action) + "</p>";
    constexpr std::size_t kPlaces = 5, kItems = 3;
    s += "<ol class=\"plan\">";
    for (std::size_t i = 0; i < order.size() && i < kPlaces; ++i) {
      const auto& its = by_place[order[i]];
      const std::string ov = overall.count(order[i]) ? overall[order[i]] : "";
      s += fmt::format("<li><strong>{}</strong>", esc(its.front()->str("place_name")));
      if (!ov.empty())
        s += fmt::format(" <span class=\"tag {}\">{}: {}</span>", ov == "not_assessed" ? "na" : ov, esc(m_w.place_overall),
                         esc(colourWord(ov, m_l)));
      s += "<ul>";
      for (std::size_t k = 0; k < its.size() && k < kItems; ++k) {
        const Record& it = *its[k];
        FactorEvidence e;
        const std::string f = it.str("factor");
        e.label = m_label.count(f) ? m_label[f] : f;
        e.colour = it.str("colour");
        e.score = it.real("score");
        e.value = it.real("value");
        e.evidence = it.integer("evidence");
        e.suppress_below = m_small;
        if (const auto d = pf.find({order[i], f}); d != pf.end()) {
          const Record& x = *d->second;
          e.metric = x.str("metric");
          e.expected = x.real("expected");
          e.p_value = x.real("p_value");
          e.guarded = x.flag("guarded").value_or(false);
          if (!e.value) e.value = x.real("value");
          if (!e.evidence) e.evidence = x.integer("evidence");
        }
        s += "<li>" + esc(evidenceSentence(e, m_l)) + "</li>";
      }
      if (its.size() > kItems) s += "<li>" + esc(fmt::format(fmt::runtime(m_w.more_items), its.size() - kItems)) + "</li>";
      s += "</ul>";
      const std::string meas = its.front()->str("measures");
      if (!meas.empty()) {
        std::vector<std::string> ids;
        for (std::size_t b = 0, e; b <= meas.size(); b = e + 1) {
          e = meas.find(',', b);
          if (e == std::string::npos) e = meas.size();
          if (e > b) ids.push_back(meas.substr(b, e - b));
        }
        std::string list;
        for (std::size_t k = 0; k < ids.size() && k < 6; ++k) list += (k ? ", " : "") + ids[k];
        if (ids.size() > 6) list += ", …";
        s += "<div class=\"measures\">" + esc(m_w.measures_at) + ": " +
             esc(fmt::format(fmt::runtime(m_w.n_measures), ids.size())) + " (" + esc(list) + ")</div>";
      }
      s += "</li>";
    }
    return s + "</ol>";
  }

  // Where the places are, for orientation on the hotspot maps.
  void addPlaceDots(MapSpec& spec) {
    if (!m_safety || m_safety->rounds.empty()) return;
    const std::string layer = m_safety->prefix + "_places_" + m_safety->rounds.back().name;
    if (!m_run.hasLayer(layer)) return;
    MapLayer dots{"place_dots", {}, {}}, lab{"place_labels", {}, {}};
    for (const auto& r : m_run.table(layer).rows) {
      dots.features.push_back({r.wkb, {}});
      lab.features.push_back({r.wkb, {{"label", labelOf(r)}}});
    }
    spec.layers.push_back(std::move(dots));
    spec.layers.push_back(std::move(lab));
  }

  std::string hotspotBlock(const Area& a, Maps& maps) {
    if (m_hot.kde.empty() && m_hot.gistar.empty()) return "";
    std::string s = "<h3>" + esc(m_w.h_hotspots) + "</h3>", figs;
    for (const auto& k : m_hot.kde) {
      StyleOptions so;
      so.kde_max = k.max;
      MapSpec spec;
      spec.bbox = mapBox(a.box);
      spec.stylesheet = mapStylesheet(so);
      maps.addAreas(spec, a, true);
      spec.layers.push_back({"kde", {}, k.file});
      maps.addOutlines(spec, a);
      addPlaceDots(spec);
      figs += maps.figure(spec, fmt::format(fmt::runtime(m_w.kde_caption), k.name),
                          esc(fmt::format(fmt::runtime(m_w.kde_caption), k.name)) + " <span class=\"ramp\"></span>" +
                              esc(m_w.kde_legend),
                          m_l, &m_maps);
    }
    for (const auto& g : m_hot.gistar) {
      MapSpec spec;
      spec.bbox = mapBox(a.box);
      spec.stylesheet = mapStylesheet();
      maps.addAreas(spec, a, true);
      MapLayer cells{"gistar", {}, {}};
      for (const auto& r : m_run.table(g).rows) {
        std::string bin = r.str("Gi_Bin");
        if (bin.empty()) bin = r.str("gi_bin");
        if (!bin.empty() && bin != "0") cells.features.push_back({r.wkb, {{"bin", bin}}});
      }
      spec.layers.push_back(std::move(cells));
      maps.addOutlines(spec, a);
      addPlaceDots(spec);
      const auto cats = data::giBinCategories();
      figs += maps.figure(spec, fmt::format(fmt::runtime(m_w.gi_caption), g),
                          esc(fmt::format(fmt::runtime(m_w.gi_caption), g)) +
                              fmt::format(" <span class=\"sq\" style=\"background:{}\"></span>{} <span class=\"sq\" "
                                          "style=\"background:{}\"></span>{}",
                                          cats[6].colour, esc(m_w.gi_legend_hot), cats[0].colour, esc(m_w.gi_legend_cold)),
                          m_l, &m_maps);
    }
    if (!figs.empty()) s += "<div class=\"maps\">" + figs + "</div>";
    return s;
  }

  std::string subjectText(const std::string& base) const {
    if (m_safety->test_categories.empty()) return base;
    std::string c;
    for (const auto& x : m_safety->test_categories) c += (c.empty() ? "" : ", ") + x;
    return base + " (" + c + ")";
  }

  IncidentTest testOf(const Record& r, const std::string& subject) const {
    IncidentTest t;
    t.subject = subject;
    t.before = r.integer("before");
    t.after = r.integer("after");
    t.rate_ratio = numOr(r.real("rate_ratio"), NAN);
    t.rr_low = numOr(r.real("rr_low"), NAN);
    t.rr_high = numOr(r.real("rr_high"), NAN);
    t.p_value = numOr(r.real("p_value"), NAN);
    t.alpha = m_safety->alpha;
    t.wdq = numOr(r.real("wdq"), NAN);
    t.wdq_verdict = r.str("wdq_verdict");
    t.suppress_below = m_small;
    // Counts 0 before and > 0 after: no finite ratio.
    if (t.before && *t.before == 0 && t.after && *t.after > 0) t.rate_ratio = INFINITY;
    return t;
  }

  std::string incidentBlock(const Area& a) {
    const std::string layer = m_safety->prefix + "_incident_tests";
    std::string s = "<h3>" + esc(m_w.h_incidents) + "</h3>";
    if (!m_run.hasLayer(layer)) return s + "<p>" + esc(m_w.no_tests) + "</p>";
    std::set<std::string> places_here;
    if (!m_safety->rounds.empty())
      for (const Record* p : placesIn(m_safety->prefix + "_places_" + m_safety->rounds.back().name, a.id))
        places_here.insert(p->str("place_id"));
    std::string items;
    for (const auto& r : m_run.table(layer).rows) {
      const std::string type = r.str("unit_type"), id = r.str("unit_id");
      if (type == "area" && id == a.id)
        items = "<li>" + esc(incidentChangeSentence(testOf(r, subjectText(m_w.incidents_area)), m_l)) + "</li>" + items;
      else if (type == "place" && places_here.count(id))
        items += "<li>" +
                 esc(incidentChangeSentence(testOf(r, subjectText(fmt::format(fmt::runtime(m_w.incidents_place), r.str("name")))),
                                            m_l)) +
                 "</li>";
    }
    if (items.empty()) return s + "<p>" + esc(m_w.no_tests) + "</p>";
    return s + "<ul class=\"tests\">" + items + "</ul>";
  }

  std::string perceptionBlock(const Area& a) {
    std::string s = "<h3>" + esc(m_w.h_perception) + "</h3>";
    const Record* r = areaChange(a.id);
    if (!r) return s + "<p>" + esc(m_w.no_perception) + "</p>";
    PerceptionChange c;
    c.n_before = r->integer("survey_n_before");
    c.n_after = r->integer("survey_n_after");
    c.mean_before = r->real("survey_mean_before");
    c.mean_after = r->real("survey_mean_after");
    c.p = r->real("survey_p");
    c.pins_before = r->integer("pins_before");
    c.pins_after = r->integer("pins_after");
    c.pins_p = r->real("pins_p");
    c.alpha = m_safety->alpha;
    c.suppress_below = m_small;
    s += "<p>" + esc(surveySentence(c, m_l)) + "</p><p>" + esc(pinsSentence(c, m_l)) + "</p>";
    const std::string layer = m_safety->prefix + "_perception_change";
    if (m_run.hasLayer(layer) && !m_safety->rounds.empty()) {
      std::set<std::string> here;
      for (const Record* p : placesIn(m_safety->prefix + "_places_" + m_safety->rounds.back().name, a.id))
        here.insert(p->str("place_id"));
      std::string names;
      for (const auto& p : m_run.table(layer).rows)
        if (here.count(p.str("place_id")) && p.flag("improved").value_or(false))
          names += (names.empty() ? "" : ", ") + p.str("place_name");
      s += "<p>" + esc(names.empty() ? std::string(m_w.perception_none) : fmt::format(fmt::runtime(m_w.perception_places), names)) +
           "</p>";
    }
    return s;
  }

  // -------------------------------------------------------------- appendix

  std::string methods() const {
    std::string s = "<section class=\"appendix\" id=\"methods\"><h2>" + esc(m_w.h_methods) + "</h2>";
    if (m_l == Lang::sv) {
      s += "<p><strong>Färgkoder.</strong> Varje plats bedöms på varje faktor i faktorkatalogen (docs/factors.md) på "
           "besiktningsskalan 0 (larmande) till 20 (god nivå): röd under 6,67, gul till 13,33, grön däröver. Händelser "
           "räknas inom platsens radie under tolv månader före omgångens datum; en plats blir röd av få händelser bara om "
           "antalet är signifikant högre än väntat (småtalsskyddet). Saknas underlag är faktorn ej bedömd, aldrig grön. "
           "Platsens samlade färg följer regeln i docs/factors.md.</p>"
           "<p><strong>Målet.</strong> En faktor vid en plats räknas som förbättrad när dess färgkod blev bättre mellan "
           "första och sista omgången; andelen förbättrade räknas bland faktorer med färg i båda omgångarna och jämförs "
           "med målet. Åtgärder räknas i området, påbörjade eller klara mot alla (utom sådana som var klara före "
           "nulägesanalysen).</p>"
           "<p><strong>Händelser före och efter.</strong> Kvoten mellan händelser per dag efter och före med exakt "
           "95 %-konfidensintervall och tvåsidigt p (Poissontest). Förflyttning bedöms med WDQ (Bowers &amp; Johnson 2003): "
           "buffertzonen runt området jämförs med ett kontrollområde, bara när området förbättrats relativt kontrollen.</p>"
           "<p><strong>Upplevd trygghet.</strong> Enkätsvar före och efter jämförs med ett ensidigt Wilcoxon "
           "rangsummetest; otrygghetsmarkeringar med ett exakt Poissontest.</p>"
           "<p><strong>Hotspots.</strong> Kärnskattning visar tätheten av händelser; Getis-Ord Gi* markerar rutor med "
           "signifikant fler (hot spot) eller färre (cold spot) händelser än omgivningen, med permutationstest.</p>";
    } else {
      s += "<p><strong>Colour codes.</strong> Every place is scored on every factor of the factor catalogue "
           "(docs/factors.md) on the inspection scale 0 (alarming) to 20 (good level): red below 6.67, yellow to 13.33, "
           "green above. Incidents are counted within the place's radius in the twelve months before the round's date; "
           "a few incidents make a place red only when the count is significantly above the expected (the small-count "
           "guard). A factor without data is not assessed, never green. The place's overall colour follows the rule in "
           "docs/factors.md.</p>"
           "<p><strong>The goal.</strong> A factor at a place has improved when its colour is better at the last round "
           "than at the first; the share improved is counted among the factors coloured in both rounds and compared "
           "with the goal. Measures are counted in the area, started or done against all (except those done before the "
           "baseline).</p>"
           "<p><strong>Incidents before and after.</strong> The ratio of incidents per day after to before, with its "
           "exact 95 % confidence interval and two-sided p (Poisson test). Displacement is judged by the WDQ (Bowers "
           "&amp; Johnson 2003): the buffer around the area against a control area, only when the area improved relative "
           "to the control.</p>"
           "<p><strong>Perceived safety.</strong> Survey answers before and after are compared by a one-sided Wilcoxon "
           "rank-sum test; unsafe-place pins by an exact Poisson test.</p>"
           "<p><strong>Hotspots.</strong> Kernel density shows where incidents are dense; Getis-Ord Gi* marks cells "
           "with significantly more (hot spot) or fewer (cold spot) incidents than their surroundings, by permutation "
           "test.</p>";
    }
    return s + "</section>";
  }

  std::string parameters() const {
    const auto& sm = m_run.summary();
    std::string s = "<section id=\"parameters\"><h2>" + esc(m_w.h_params) + "</h2>";
    if (!sm.contains("analyses")) return s + "</section>";
    s += fmt::format("<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>", esc(m_w.analysis), esc(m_w.method),
                     esc(m_w.parameters));
    for (const auto& a : sm["analyses"]) {
      std::string ps;
      if (a.contains("parameters"))
        for (const auto& [k, v] : a["parameters"].items()) {
          std::string val = v.is_string() ? v.get<std::string>() : v.dump();
          if (val.empty() || val == "[]" || val == "\"\"") continue;
          ps += (ps.empty() ? "" : "; ") + k + " = " + val;
        }
      s += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td></tr>", esc(a.value("name", "")), esc(a.value("method", "")),
                       esc(ps));
    }
    return s + "</table></section>";
  }

  std::string quality() const {
    const auto& sm = m_run.summary();
    std::string s = "<section id=\"quality\"><h2>" + esc(m_w.h_quality) + "</h2>";
    if (!sm.contains("inputs")) return s + "</section>";
    s += fmt::format(
        "<table><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th>"
        "<th class=\"num\">{}</th><th>{}</th></tr>",
        esc(m_w.layer), esc(m_w.kind), esc(m_w.read), esc(m_w.loaded), esc(m_w.repaired), esc(m_w.rejected),
        esc(m_w.reasons));
    const auto cnt = [&](const json& j, const char* k) {
      return j.contains(k) && j[k].is_number() ? count(j[k].get<std::int64_t>(), m_l) : std::string("–");
    };
    std::string warnings;
    for (const auto& in : sm["inputs"]) {
      std::string reasons;
      if (in.contains("rejected_by_reason")) {
        const auto& rb = in["rejected_by_reason"];
        if (rb.is_object())
          for (const auto& [k, v] : rb.items())
            reasons += (reasons.empty() ? "" : "; ") + k + ": " + (v.is_number() ? count(v.get<std::int64_t>(), m_l) : v.dump());
        else if (rb.is_array())
          for (const auto& v : rb) reasons += (reasons.empty() ? "" : "; ") + (v.is_string() ? v.get<std::string>() : v.dump());
      }
      s += fmt::format("<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>"
                       "<td class=\"num\">{}</td><td>{}</td></tr>",
                       esc(in.value("layer", "")), esc(in.value("kind", "")), esc(cnt(in, "read")), esc(cnt(in, "loaded")),
                       esc(cnt(in, "repaired")), esc(cnt(in, "rejected")), esc(reasons));
      if (in.contains("warnings")) {
        const auto& ws = in["warnings"];
        if (ws.is_object())  // {"unmapped_category:Olaga hot": 296}
          for (const auto& [k, v] : ws.items())
            warnings += "<li>" + esc(in.value("layer", "")) + ": " + esc(k) +
                        (v.is_number() ? " (" + esc(count(v.get<std::int64_t>(), m_l)) + ")" : std::string()) + "</li>";
        else if (ws.is_array())
          for (const auto& w : ws)
            warnings += "<li>" + esc(in.value("layer", "")) + ": " + esc(w.is_string() ? w.get<std::string>() : w.dump()) + "</li>";
      }
    }
    s += "</table>";
    if (sm.contains("stacked_incidents") && sm["stacked_incidents"].is_number())
      s += "<p>" + esc(m_w.stacked) + ": " + esc(count(sm["stacked_incidents"].get<std::int64_t>(), m_l)) + "</p>";
    if (!warnings.empty()) s += "<h3>" + esc(m_w.warnings) + "</h3><ul>" + warnings + "</ul>";
    return s + "</section>";
  }

  std::string software() const {
    const auto& sm = m_run.summary();
    std::string version = kVersion;
    if (sm.contains("software")) version = sm["software"].value("version", version);
    std::string s = "<section id=\"software\"><h2>" + esc(m_w.h_software) + "</h2><table>";
    s += "<tr><th>trygg</th><td>" + esc(version) + "</td></tr>";
    if (m_opt.maps) s += "<tr><th>" + esc(m_w.maps_by) + "</th><td>" + esc(mapRendererName()) + "</td></tr>";
    if (sm.contains("crs"))
      s += "<tr><th>" + esc(m_w.crs) + "</th><td>" + esc(sm["crs"].value("authid", "")) + " " + esc(sm["crs"].value("name", "")) +
           "</td></tr>";
    s += "<tr><th>" + esc(m_w.results) + "</th><td>" + esc(m_run.gpkgPath().filename().string()) + "</td></tr>";
    return s + "</table></section>";
  }

  RunOutputs& m_run;
  const ReportOptions& m_opt;
  Lang m_l;
  const Words& m_w;
  std::optional<SafetyRun> m_safety;
  bool m_publish = false;
  int m_small = 0;
  std::vector<Area> m_areas;
  Hotspots m_hot;
  std::map<std::string, std::string> m_label;
  int m_maps = 0;
};

}  // namespace

std::string buildReportHtml(RunOutputs& run, const ReportOptions& opt, ReportResult* stats) {
  Builder b(run, opt);
  return b.build(stats);
}

ReportResult writeReport(const ReportOptions& opt) {
  RunOutputs run(opt.output_dir, opt.output_name);
  ReportResult res;
  const std::string html = buildReportHtml(run, opt, &res);
  res.html = opt.output_dir / (opt.output_name + "_report.html");
  res.pdf = opt.output_dir / (opt.output_name + "_report.pdf");
  {
    data::AtomicOutput out(res.html);
    std::ofstream f(out.tempPath(), std::ios::binary);
    f << html;
    f.close();
    if (!f) throwDataError("{}: cannot write the report", res.html.string());
    out.commit();
  }
  if (opt.pdf) {
    const auto pr = printPdf(res.html, res.pdf);
    res.pdf_written = pr.written;
    res.pdf_note = pr.note;
  } else {
    res.pdf_note = "PDF not requested";
  }
  return res;
}

}  // namespace trygg::report
