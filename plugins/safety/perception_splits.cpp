#include "plugins/safety/perception_splits.hpp"

#include <cmath>
#include <map>
#include <tuple>
#include <unordered_map>

#include "geo/index/radius_index.hpp"

namespace trygg::plugins::safety {

std::vector<PerceptionSplit> perceptionSplits(const engine::RunContext& ctx, const std::vector<RoundSpec>& rounds) {
  struct Key {
    std::size_t r, p;
    std::string dim, group;
    bool operator<(const Key& o) const { return std::tie(r, p, dim, group) < std::tie(o.r, o.p, o.dim, o.group); }
  };
  const auto& places = *ctx.places;
  const std::size_t P = places.size(), R = rounds.size();
  std::map<Key, PerceptionSplit> acc;
  std::unordered_map<std::string, std::size_t> by_id;
  for (std::size_t p = 0; p < P; ++p) by_id.emplace(places[p].id, p);
  const auto src = geo::RadiusIndex::sourcesFromPlaces(places);
  const geo::RadiusIndex idx(src);
  std::vector<std::uint32_t> tmp;
  for (const auto& q : *ctx.perception) {
    const std::size_t r = roundIndex(rounds, q.round);
    if (r == R) continue;
    tmp.clear();
    if (q.has_point) idx.covering(q.pt, tmp);
    else if (auto it = by_id.find(q.place_id); it != by_id.end()) tmp.push_back(static_cast<std::uint32_t>(it->second));
    const bool ans = q.kind == model::Perception::Kind::Answer && std::isfinite(q.value);
    for (auto p : tmp)
      for (const auto& [dim, val] : {std::pair<const char*, const std::string*>{"all", nullptr},
                                     {"time_of_day", &q.time_of_day}, {"gender", &q.gender},
                                     {"age_band", &q.age_band}}) {
        if (val && val->empty()) continue;
        const std::string group = val ? *val : std::string("all");
        auto& a = acc[{r, p, dim, group}];
        a.r = r;
        a.p = p;
        a.dimension = dim;
        a.group = group;
        if (ans) {
          ++a.answers;
          a.sum += q.value;
        } else if (q.kind == model::Perception::Kind::Pin) {
          ++a.pins;
        }
      }
  }
  std::vector<PerceptionSplit> out;
  out.reserve(acc.size());
  for (auto& [k, a] : acc) out.push_back(std::move(a));
  return out;
}

}  // namespace trygg::plugins::safety
