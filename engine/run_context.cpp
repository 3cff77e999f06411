#include "engine/run_context.hpp"

namespace trygg::engine {

void IncidentColumns::reserve(std::size_t n) {
  pts.reserve(n);
  t_from.reserve(n);
  t_to.reserve(n);
  category.reserve(n);
  weight.reserve(n);
  flags.reserve(n);
  fid.reserve(n);
  area_offsets.reserve(n + 1);
}

void IncidentColumns::clear() {
  *this = IncidentColumns{};
}

}  // namespace trygg::engine
