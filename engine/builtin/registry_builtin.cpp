// The one explicit list of built-in methods (as DuckDB and GDAL register theirs):
// deterministic, and it survives static linking. Adding a method = a folder
// under plugins/ plus one line here.
#include "engine/method.hpp"
#include "plugins/compare/compare_method.hpp"
#include "plugins/emerging/emerging_method.hpp"
#include "plugins/getis_ord/getis_ord_method.hpp"
#include "plugins/kde/kde_method.hpp"
#include "plugins/local_moran/local_moran_method.hpp"
#include "plugins/near_repeat/near_repeat_method.hpp"
#include "plugins/safety/safety_method.hpp"

namespace trygg::engine {

void registerBuiltinMethods(Registry& r) {
  r.add<plugins::KdeMethod>();
  r.add<plugins::GetisOrdMethod>();
  r.add<plugins::LocalMoranMethod>();
  r.add<plugins::EmergingMethod>();
  r.add<plugins::NearRepeatMethod>();
  r.add<plugins::SafetyMethod>();
  r.add<plugins::CompareMethod>();
}

const Registry& Registry::builtin() {
  static const Registry r = [] {
    Registry x;
    registerBuiltinMethods(x);
    return x;
  }();
  return r;
}

}  // namespace trygg::engine
