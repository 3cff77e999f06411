#include "plugins/safety/writer.hpp"

#include <cmath>

#include <fmt/format.h>

#include "engine/outputs.hpp"

namespace trygg::plugins::safety {

data::Value str(std::string s) { return data::Value{std::move(s)}; }
data::Value i64(std::int64_t v) { return data::Value{v}; }
data::Value real(double v) { return std::isfinite(v) ? data::Value{v} : data::Value{}; }
data::Value boolean(bool b) { return data::Value{static_cast<std::int64_t>(b)}; }
data::Value colourValue(geo::scoring::Colour c) { return str(std::string(geo::scoring::colourId(c))); }

bool isCountSource(const Factor& f) {
  const auto s = sourceOf(f.metric);
  return s == Source::Incidents || s == Source::Perception;
}

data::Value Suppressor::count(std::int64_t n, const std::string& what) {
  if (small(n)) {
    ++cells[what];
    return data::Value{};
  }
  return data::Value{n};
}

LayerWriter::LayerWriter(engine::RunContext& ctx, const SafetyResults& res, WriterOptions o)
    : m_ctx(ctx), m_res(res), m_o(std::move(o)), m_sup{ctx.publish, m_o.suppress_below, {}}, m_meta(*ctx.metadata) {
  for (const auto& p : *ctx.places) m_anchor.push_back(engine::pointWkb(p.anchor));
}

std::string LayerWriter::areaIdOf(std::size_t p) const {
  const int a = m_res.A.place_area[p];
  return a >= 0 ? (*m_ctx.areas)[static_cast<std::size_t>(a)].id : std::string();
}

void LayerWriter::suppressionSummary() {
  if (!m_ctx.publish) return;
  nlohmann::json s = nlohmann::json::object();
  for (const auto& [k, n] : m_sup.cells) s[k] = n;
  m_meta["suppressed"] = {{"threshold", m_o.suppress_below}, {"cells", s},
                          {"rule", fmt::format("counts 1..{} and survey groups with fewer than {} answers are written "
                                               "as NULL; no incident points are written by this analysis",
                                               m_o.suppress_below - 1, m_o.suppress_below)}};
}

}  // namespace trygg::plugins::safety
