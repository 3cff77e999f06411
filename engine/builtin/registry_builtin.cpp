// The one explicit list of built-in methods (as DuckDB and GDAL register theirs):
// deterministic, and it survives static linking. Adding a method = a folder
// under plugins/ plus one line here.
#include "engine/method.hpp"

namespace trygg::engine {

void registerBuiltinMethods(Registry& /*r*/) {
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
