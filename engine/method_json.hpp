#pragma once
// The method registry as JSON (`trygg methods --json`): every method's id,
// description and declared parameters with type, default, range, choices, unit
// and help — the same declaration that feeds the YAML keys, the CLI flags and
// docs/methods/parameters.md, read by the QGIS plugin (docs/qgis.md) to build
// its algorithms.
#include <nlohmann/json.hpp>

#include "engine/method.hpp"

namespace trygg::engine {

// Bumped when a field changes meaning or goes away (adding fields does not).
inline constexpr int kMethodsJsonSchema = 1;

nlohmann::json argJson(const ArgDecl& a);
nlohmann::json methodJson(const Method& m);
// {"schema": 1, "trygg_version": "...", "methods": [...]} in the registry's (sorted) order.
nlohmann::json methodsJson(const Registry& registry);

}  // namespace trygg::engine
