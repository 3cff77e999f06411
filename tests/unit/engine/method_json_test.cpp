// `trygg methods --json`: every declared parameter reaches the JSON with its
// type, typed default, range, choices and unit (the QGIS plugin builds its
// algorithms from it).
#include "engine/method_json.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "engine/method.hpp"

using trygg::engine::Registry;
using nlohmann::json;

namespace {

const json& method(const json& all, const std::string& id) {
  for (const auto& m : all["methods"])
    if (m["id"] == id) return m;
  throw std::runtime_error("no method " + id);
}

const json& param(const json& m, const std::string& name) {
  for (const auto& p : m["parameters"])
    if (p["name"] == name) return p;
  throw std::runtime_error("no parameter " + name);
}

}  // namespace

TEST(MethodsJson, ListsEveryRegisteredMethodWithEveryParameter) {
  const auto& reg = Registry::builtin();
  const auto j = trygg::engine::methodsJson(reg);
  EXPECT_EQ(j["schema"], trygg::engine::kMethodsJsonSchema);
  EXPECT_FALSE(j["trygg_version"].get<std::string>().empty());
  ASSERT_EQ(j["methods"].size(), reg.list().size());
  for (const auto& [id, description] : reg.list()) {
    const auto& m = method(j, id);
    EXPECT_EQ(m["description"], description);
    const auto decl = reg.create(id);
    ASSERT_EQ(m["parameters"].size(), decl->args().size()) << id;
    for (std::size_t i = 0; i < decl->args().size(); ++i) {
      const auto& a = decl->args()[i];
      const auto& p = m["parameters"][i];
      EXPECT_EQ(p["name"], a.name());
      EXPECT_EQ(p["help"], a.help());
      EXPECT_EQ(p["default_text"], a.defaultText());
      EXPECT_EQ(p["range_text"], a.rangeText());
      EXPECT_EQ(p["required"], a.isRequired());
      for (const char* key : {"type", "default", "min", "min_exclusive", "max", "max_exclusive", "choices", "unit"})
        EXPECT_TRUE(p.contains(key)) << id << " " << a.name() << " " << key;
    }
    // Hotspot methods name their `trygg hotspots` subcommand; others have none.
    if (id.rfind("hotspot.", 0) == 0) EXPECT_EQ(m["hotspots_command"], id.substr(8));
    else EXPECT_TRUE(m["hotspots_command"].is_null());
  }
}

TEST(MethodsJson, TypesDefaultsRangesChoicesUnits) {
  const auto j = trygg::engine::methodsJson(Registry::builtin());
  const auto& kde = method(j, "hotspot.kde");
  EXPECT_EQ(kde["hotspots_command"], "kde");
  EXPECT_EQ(kde["doc_page"], "docs/methods/kde.md");

  const auto& bw = param(kde, "bandwidth");
  EXPECT_EQ(bw["type"], "length");
  EXPECT_EQ(bw["unit"], "m");
  EXPECT_TRUE(bw["default"].is_number());
  EXPECT_EQ(bw["default"].get<double>(), 0.0);
  EXPECT_EQ(bw["min"].get<double>(), 0.0);
  EXPECT_FALSE(bw["min_exclusive"].get<bool>());
  EXPECT_TRUE(bw["max"].is_null());

  const auto& kernel = param(kde, "kernel");
  EXPECT_EQ(kernel["type"], "choice");
  EXPECT_EQ(kernel["default"], "quartic");
  const auto choices = kernel["choices"].get<std::set<std::string>>();
  EXPECT_TRUE(choices.count("quartic") && choices.count("gaussian"));

  const auto& stacked = param(kde, "include_stacked");
  EXPECT_EQ(stacked["type"], "bool");
  EXPECT_EQ(stacked["default"], false);

  const auto& gi = method(j, "hotspot.getis_ord");
  const auto& alpha = param(gi, "alpha");
  EXPECT_EQ(alpha["type"], "double");
  EXPECT_DOUBLE_EQ(alpha["default"].get<double>(), 0.05);
  EXPECT_TRUE(alpha["min_exclusive"].get<bool>());
  EXPECT_EQ(alpha["min"].get<double>(), 0.0);
  EXPECT_EQ(alpha["max"].get<double>(), 0.5);
  EXPECT_EQ(param(gi, "permutations")["type"], "int");
  EXPECT_EQ(param(gi, "permutations")["default"], 999);
  EXPECT_EQ(param(gi, "seed")["type"], "uint64");

  const auto& nr = method(j, "hotspot.near_repeat");
  const auto& bands = param(nr, "spatial_bands");
  EXPECT_EQ(bands["type"], "string_list");
  ASSERT_TRUE(bands["default"].is_array());
  EXPECT_EQ(bands["default"].front(), "0");
  const auto& weekdays = param(nr, "weekdays");
  EXPECT_EQ(weekdays["type"], "string_list");
  EXPECT_EQ(weekdays["default"], json::array());
  EXPECT_EQ(weekdays["choices"].size(), 7u);
}
