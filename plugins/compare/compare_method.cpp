#include "plugins/compare/compare_method.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/compare.hpp"
#include "geo/hotspot/getis_ord.hpp"
#include "geo/hotspot/hotspot_grid.hpp"
#include "geo/index/wkb_read.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;
using data::FieldType;
using data::Value;

CompareMethod::CompareMethod() {
  addArg("before", "Name of the earlier hotspot.getis_ord analysis of this run (map A); or use split_date",
         &m_before);
  addArg("after", "Name of the later hotspot.getis_ord analysis of this run (map B), on the same cells", &m_after);
  addArg("split_date",
         "YYYY-MM-DD: instead of before/after, run Gi* on the selected incidents before this day and from it, on one grid",
         &m_split_date);
  addArg("neighbours", "Nearest cells in each cell's fuzzy neighbourhood (0 = cell by cell)", &m_neighbours).min(0);
  addLengthArg("halving", "Distance at which a neighbour counts half (0 = the distance to the nearest cell)",
               &m_halving)
      .min(0);
  addChoiceArg("category_weights",
               "Category weights: fuzzy (hot 99 % vs hot 95 % counts 2/3, vs 90 % 1/3) or crisp (identical bins only)",
               &m_weights, {"fuzzy", "crisp"});
  addArg("permutations", "Random pairings for the expected similarity (0 = exact expectation only)", &m_permutations)
      .min(0);
  addArg("seed", "Random seed (same seed, same expectation, whatever the number of threads)", &m_seed);
  addArg("exclude_not_significant", "Leave out cells not significant in both maps (conditional similarity)",
         &m_exclude);
  addArg("intensity", "Split persisted hot/cold spots into intensified, persisted and weakened", &m_intensity);
  m_sel.declare(*this);
  m_units.declare(*this);
  addArg("gi_permutations", "split_date: Gi* conditional permutations (0 = analytic p, as ArcGIS's bins)",
         &m_gi_permutations)
      .min(0);
  addArg("fdr", "split_date: Benjamini–Hochberg false discovery rate on the Gi* bins", &m_fdr);
}

namespace {

// Area centroid of a polygon's first (outer) ring; the vertex mean if degenerate.
Point centroid(const std::vector<std::uint8_t>& wkb) {
  const auto rings = geo::wkb::polygonRings(wkb);
  const std::uint32_t b = rings.starts[0], e = rings.ringCount() > 0 ? rings.starts[1] : b;
  double a2 = 0, cx = 0, cy = 0, mx = 0, my = 0;
  for (std::uint32_t k = b; k < e; ++k) {
    const Point& p = rings.pts[k];
    const Point& q = rings.pts[k + 1 < e ? k + 1 : b];
    const double c = p.x * q.y - q.x * p.y;
    a2 += c;
    cx += (p.x + q.x) * c;
    cy += (p.y + q.y) * c;
    mx += p.x;
    my += p.y;
  }
  if (std::fabs(a2) > 0) return {cx / (3 * a2), cy / (3 * a2)};
  const double n = std::max<double>(1, e - b);
  return {mx / n, my / n};
}

// The day before a YYYY-MM-DD day, same format; throws UsageError on a bad day.
std::string dayBefore(const std::string& day, const std::string& where) {
  int y = 0;
  unsigned mo = 0, d = 0;
  char tail = 0;
  if (std::sscanf(day.c_str(), "%d-%u-%u%c", &y, &mo, &d, &tail) != 3)
    throwUsageError("{}: split_date '{}' is not a day YYYY-MM-DD", where, day);
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}};
  if (!ymd.ok()) throwUsageError("{}: split_date '{}' is not a valid day", where, day);
  const std::chrono::year_month_day prev{std::chrono::sys_days{ymd} - std::chrono::days{1}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(prev.year()), static_cast<unsigned>(prev.month()),
                     static_cast<unsigned>(prev.day()));
}

std::vector<data::QmlCategory> changeCategories() {
  using C = hs::HotspotChange;
  const std::pair<C, const char*> colours[] = {
      {C::HotAppeared, "#d7191c"},     {C::HotIntensified, "#a50026"}, {C::HotPersisted, "#f46d43"},
      {C::HotWeakened, "#fdae61"},     {C::HotDisappeared, "#1a9641"}, {C::HotToCold, "#006837"},
      {C::ColdAppeared, "#2c7bb6"},    {C::ColdIntensified, "#313695"}, {C::ColdPersisted, "#74add1"},
      {C::ColdWeakened, "#abd9e9"},    {C::ColdDisappeared, "#dfc27d"}, {C::ColdToHot, "#7b3294"},
      {C::NotSignificant, "#f0f0f0"},
  };
  std::vector<data::QmlCategory> cats;
  for (const auto& [c, colour] : colours)
    cats.push_back({std::string(hs::hotspotChangeId(c)), std::string(hs::hotspotChangeLabel(c)), colour});
  return cats;
}

}  // namespace

void CompareMethod::run(engine::RunContext& ctx) {
  const std::string where = fmt::format("{} ({})", ctx.analysis_name, kId);
  // Two maps of Gi* bins on the same cells, from the run or computed here.
  engine::HotspotCells split_before, split_after;
  std::vector<double> counts_before, counts_after;
  nlohmann::json split_meta;
  const engine::HotspotCells* pa = nullptr;
  const engine::HotspotCells* pb = nullptr;
  if (!m_split_date.empty()) {
    if (!m_before.empty() || !m_after.empty())
      throwUsageError("{}: give either split_date or before and after, not both", where);
    const std::string last_before = dayBefore(m_split_date, where);
    if (!m_sel.from.empty() && m_sel.from > last_before)
      throwUsageError("{}: split_date {} is not after from {}", where, m_split_date, m_sel.from);
    if (!m_sel.to.empty() && m_sel.to < m_split_date)
      throwUsageError("{}: split_date {} is after to {}", where, m_split_date, m_sel.to);
    const auto all = engine::selectIncidents(ctx, m_sel, where);
    auto units = engine::buildUnits(ctx, all, m_units, where);  // the grid (and the cell size) from all incidents
    units.band = ctx.toCrsUnits(m_units.band);
    const auto w = engine::buildWeights(units, m_units, true, where);  // band chosen on all incidents when 0
    auto sb = m_sel, sa = m_sel;
    sb.to = last_before;
    sa.from = m_split_date;
    const auto selb = engine::selectIncidents(ctx, sb, where);
    const auto sela = engine::selectIncidents(ctx, sa, where);
    auto countsOf = [&](const engine::SelectedIncidents& s) {
      if (units.is_grid) return hs::countPoints(units.grid, s.pts, s.weights);
      return engine::buildUnits(ctx, s, m_units, where).counts;  // areas do not depend on the incidents
    };
    counts_before = countsOf(selb);
    counts_after = countsOf(sela);
    hs::GiStarOptions go;
    go.permutations = m_gi_permutations;
    go.seed = m_seed;
    go.fdr = m_fdr;
    auto gi = [&](const std::vector<double>& x, const char* period) {
      try {
        return hs::getisOrdGiStar(x, w, go);
      } catch (const UsageError& e) {
        throwUsageError("{}: Gi* on the incidents {} {}: {}", where, period, m_split_date, e.what());
      }
    };
    const auto rb = gi(counts_before, "before");
    const auto ra = gi(counts_after, "from");
    split_before = {ctx.analysis_name + " before " + m_split_date, units.wkb, rb.bin};
    split_after = {ctx.analysis_name + " from " + m_split_date, units.wkb, ra.bin};
    pa = &split_before;
    pb = &split_after;
    split_meta["split_date"] = m_split_date;
    split_meta["incidents_before"] = selb.pts.size();
    split_meta["incidents_after"] = sela.pts.size();
    split_meta["selection_before"] = selb.description;
    split_meta["selection_after"] = sela.description;
    split_meta["units"] = units.is_grid ? fmt::format("{} grid, cell {} ({})", m_units.shape,
                                                      units.cell * ctx.unit_metres,
                                                      units.cell_note.empty() ? "given" : units.cell_note)
                                        : std::string("areas");
    split_meta["weights"] = w.kind;
    if (units.band > 0) split_meta["band_crs_units"] = units.band;
    if (!units.band_note.empty()) split_meta["band_note"] = units.band_note;
    split_meta["bins"] = rb.bin_source_note;
  } else {
    if (m_before.empty() || m_after.empty())
      throwUsageError("{}: give before and after (names of hotspot.getis_ord analyses of this run), or split_date",
                      where);
    auto find = [&](const std::string& name, const char* param) -> const engine::HotspotCells& {
      for (const auto& h : ctx.hotspot_cells)
        if (h.analysis == name) return h;
      std::string known;
      for (const auto& h : ctx.hotspot_cells) known += (known.empty() ? "" : ", ") + h.analysis;
      throwUsageError("{}: {}: no hotspot.getis_ord analysis named '{}' ran before this one in the run (ran: {}); "
                      "list the Gi* analyses before the comparison in the project file",
                      where, param, name, known.empty() ? "none" : known);
    };
    pa = &find(m_before, "before");
    pb = &find(m_after, "after");
  }
  const auto& A = *pa;
  const auto& B = *pb;
  if (A.cells.size() != B.cells.size())
    throwUsageError("{}: '{}' has {} cells and '{}' has {}: compare analyses on the same grid (same units, cell "
                    "and study extent)",
                    where, A.analysis, A.cells.size(), B.analysis, B.cells.size());
  for (std::size_t i = 0; i < A.cells.size(); ++i)
    if (A.cells[i] != B.cells[i])
      throwUsageError("{}: cell {} differs between '{}' and '{}': compare analyses on the same grid (same units, "
                      "cell and study extent)",
                      where, i, A.analysis, B.analysis);

  const std::size_t n = A.cells.size();
  std::vector<Point> centres(n);
  for (std::size_t i = 0; i < n; ++i) centres[i] = centroid(A.cells[i]);
  std::vector<int> a(n), b(n);
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = hs::giBinCode(A.bin[i]);
    b[i] = hs::giBinCode(B.bin[i]);
  }
  const auto nb = hs::decayNeighbourhood(centres, m_neighbours, ctx.toCrsUnits(m_halving));
  hs::CompareOptions o;
  o.scheme = hs::giBinScheme(m_weights == "fuzzy");
  o.permutations = m_permutations;
  o.seed = m_seed;
  o.exclude_both_not_significant = m_exclude;
  const auto r = hs::compareCategorical(a, b, nb, o);

  auto& L = ctx.gpkg->createLayer(
      {.name = ctx.analysis_name,
       .geom = data::GeomType::Polygon,
       .fields = {{"cell", FieldType::Integer},
                  {"bin_before", FieldType::Integer},
                  {"bin_after", FieldType::Integer},
                  {"change", FieldType::String},
                  {"count_before", FieldType::Real},
                  {"count_after", FieldType::Real},
                  {"similarity", FieldType::Real},
                  {"expected", FieldType::Real},
                  {"kappa", FieldType::Real}},
       .title = fmt::format("Hot-spot change {} → {} ({})", A.analysis, B.analysis, ctx.analysis_name),
       .description = fmt::format("Gi* bins of '{}' (before) and '{}' (after); change class per cell; local fuzzy "
                                  "similarity and kappa ({})",
                                  A.analysis, B.analysis, nb.description),
       .style_qml = data::qmlCategorized(data::GeomType::Polygon, "change", changeCategories())});
  auto real = [](double v) { return std::isfinite(v) ? Value{v} : Value{}; };
  std::map<std::string, std::int64_t> counts;
  for (int k = 0; k < hs::kHotspotChangeCount; ++k)
    counts[std::string(hs::hotspotChangeId(static_cast<hs::HotspotChange>(k)))] = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto change = hs::hotspotChange(A.bin[i], B.bin[i], m_intensity);
    const std::string id(hs::hotspotChangeId(change));
    ++counts[id];
    const Value v[] = {Value{static_cast<std::int64_t>(i)}, Value{static_cast<std::int64_t>(A.bin[i])},
                       Value{static_cast<std::int64_t>(B.bin[i])}, Value{id},
                       counts_before.empty() ? Value{} : Value{counts_before[i]},
                       counts_after.empty() ? Value{} : Value{counts_after[i]}, real(r.local_similarity[i]),
                       real(r.local_expected[i]), real(r.local_kappa[i])};
    L.add(A.cells[i], v);
  }

  auto& m = *ctx.metadata;
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  m["before"] = A.analysis;
  m["after"] = B.analysis;
  if (split_meta.is_object())
    for (auto& [k, v] : split_meta.items()) m[k] = v;
  m["cells"] = n;
  m["cells_compared"] = r.n_compared;
  m["neighbourhood"] = nb.description;
  m["category_weights"] = m_weights;
  m["agreement"] = num(r.agreement);
  m["weighted_agreement"] = num(r.weighted_agreement);
  m["similarity"] = num(r.similarity);
  m["expected_similarity"] = num(r.expected);
  m["expected_similarity_sd"] = num(r.expected_sd);
  m["kappa"] = num(r.kappa);
  m["expected_similarity_exact"] = num(r.expected_exact);
  m["kappa_exact"] = num(r.kappa_exact);
  m["permutations"] = r.permutations;
  m["seed"] = m_seed;
  nlohmann::json ct = nlohmann::json::object();
  for (int x = -3; x <= 3; ++x) {
    nlohmann::json row = nlohmann::json::object();
    for (int y = -3; y <= 3; ++y)
      row[std::to_string(y)] = r.crosstab[static_cast<std::size_t>((x + 3) * 7 + (y + 3))];
    ct[std::to_string(x)] = row;
  }
  m["crosstab"] = ct;
  m["crosstab_note"] = "crosstab[bin before][bin after] = number of cells";
  m["changes"] = counts;
}

}  // namespace trygg::plugins
