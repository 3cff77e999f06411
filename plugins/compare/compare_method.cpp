#include "plugins/compare/compare_method.hpp"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "core/error.hpp"
#include "data/gpkg_writer.hpp"
#include "data/qml.hpp"
#include "engine/run_context.hpp"
#include "geo/hotspot/compare.hpp"
#include "geo/index/wkb_read.hpp"

namespace trygg::plugins {

namespace hs = geo::hotspot;
using data::FieldType;
using data::Value;

CompareMethod::CompareMethod() {
  addArg("before", "Name of the earlier hotspot.getis_ord analysis of this run (map A)", &m_before).required();
  addArg("after", "Name of the later hotspot.getis_ord analysis of this run (map B), on the same cells", &m_after)
      .required();
  addArg("neighbours", "Nearest cells in each cell's fuzzy neighbourhood (0 = cell by cell)", &m_neighbours).min(0);
  addLengthArg("halving", "Distance at which a neighbour counts half (0 = the distance to the nearest cell)",
               &m_halving)
      .min(0);
  addChoiceArg("weights",
               "Category weights: fuzzy (hot 99 % vs hot 95 % counts 2/3, vs 90 % 1/3) or crisp (identical bins only)",
               &m_weights, {"fuzzy", "crisp"});
  addArg("permutations", "Random pairings for the expected similarity (0 = exact expectation only)", &m_permutations)
      .min(0);
  addArg("seed", "Random seed (same seed, same expectation, whatever the number of threads)", &m_seed);
  addArg("exclude_not_significant", "Leave out cells not significant in both maps (conditional similarity)",
         &m_exclude);
  addArg("intensity", "Split persisted hot/cold spots into intensified, persisted and weakened", &m_intensity);
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
  auto find = [&](const std::string& name, const char* param) -> const engine::HotspotCells& {
    for (const auto& h : ctx.hotspot_cells)
      if (h.analysis == name) return h;
    std::string known;
    for (const auto& h : ctx.hotspot_cells) known += (known.empty() ? "" : ", ") + h.analysis;
    throwUsageError("{}: {}: no hotspot.getis_ord analysis named '{}' ran before this one in the run (ran: {}); "
                    "list the Gi* analyses before the comparison in the project file",
                    where, param, name, known.empty() ? "none" : known);
  };
  const auto& A = find(m_before, "before");
  const auto& B = find(m_after, "after");
  if (A.cells.size() != B.cells.size())
    throwUsageError("{}: '{}' has {} cells and '{}' has {}: compare analyses on the same grid (same units, cell "
                    "and study extent)",
                    where, m_before, A.cells.size(), m_after, B.cells.size());
  for (std::size_t i = 0; i < A.cells.size(); ++i)
    if (A.cells[i] != B.cells[i])
      throwUsageError("{}: cell {} differs between '{}' and '{}': compare analyses on the same grid (same units, "
                      "cell and study extent)",
                      where, i, m_before, m_after);

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
                  {"similarity", FieldType::Real},
                  {"expected", FieldType::Real},
                  {"kappa", FieldType::Real}},
       .title = fmt::format("Hot-spot change {} → {} ({})", m_before, m_after, ctx.analysis_name),
       .description = fmt::format("Gi* bins of '{}' (before) and '{}' (after); change class per cell; local fuzzy "
                                  "similarity and kappa ({})",
                                  m_before, m_after, nb.description),
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
                       Value{static_cast<std::int64_t>(B.bin[i])}, Value{id}, real(r.local_similarity[i]),
                       real(r.local_expected[i]), real(r.local_kappa[i])};
    L.add(A.cells[i], v);
  }

  auto& m = *ctx.metadata;
  auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); };
  m["before"] = m_before;
  m["after"] = m_after;
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
