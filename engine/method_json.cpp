#include "engine/method_json.hpp"

#include "trygg/version.hpp"

namespace trygg::engine {

namespace {

const char* typeId(ArgType t) {
  switch (t) {
    case ArgType::Double: return "double";
    case ArgType::Int: return "int";
    case ArgType::UInt64: return "uint64";
    case ArgType::String: return "string";
    case ArgType::Bool: return "bool";
    case ArgType::Length: return "length";
    case ArgType::Choice: return "choice";
    case ArgType::StringList: return "string_list";
  }
  return "string";
}

// The default as a typed JSON value (the declaration keeps it as text).
nlohmann::json typedDefault(const ArgDecl& a) {
  const std::string& t = a.defaultText();
  try {
    switch (a.type()) {
      case ArgType::Double:
      case ArgType::Length: return std::stod(t);
      case ArgType::Int: return std::stoll(t);
      case ArgType::UInt64: return std::stoull(t);
      case ArgType::Bool: return t == "true";
      case ArgType::StringList: {
        auto list = nlohmann::json::array();
        std::size_t start = 0;
        while (start <= t.size() && !t.empty()) {
          const auto comma = t.find(',', start);
          list.push_back(t.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
          if (comma == std::string::npos) break;
          start = comma + 1;
        }
        return list;
      }
      case ArgType::String:
      case ArgType::Choice: return t;
    }
  } catch (const std::exception&) {
  }
  return t;
}

}  // namespace

nlohmann::json argJson(const ArgDecl& a) {
  nlohmann::json j;
  j["name"] = a.name();
  j["type"] = typeId(a.type());
  j["type_text"] = a.typeText();
  j["help"] = a.help();
  j["required"] = a.isRequired();
  j["default"] = typedDefault(a);
  j["default_text"] = a.defaultText();
  j["min"] = a.minBound() ? nlohmann::json(*a.minBound()) : nlohmann::json();
  j["min_exclusive"] = a.minBound() && a.minIsExclusive();
  j["max"] = a.maxBound() ? nlohmann::json(*a.maxBound()) : nlohmann::json();
  j["max_exclusive"] = false;
  j["choices"] = a.choiceList();
  j["unit"] = a.unitText();
  j["range_text"] = a.rangeText();
  return j;
}

nlohmann::json methodJson(const Method& m) {
  nlohmann::json j;
  j["id"] = std::string(m.id());
  j["description"] = std::string(m.description());
  j["doc_page"] = m.docPage().empty() ? nlohmann::json() : nlohmann::json("docs/methods/" + std::string(m.docPage()) + ".md");
  // `trygg hotspots <name>` runs the hotspot methods on any point file.
  const std::string id(m.id());
  j["hotspots_command"] = id.rfind("hotspot.", 0) == 0 ? nlohmann::json(id.substr(8)) : nlohmann::json();
  j["parameters"] = nlohmann::json::array();
  for (const auto& a : m.args()) j["parameters"].push_back(argJson(a));
  return j;
}

nlohmann::json methodsJson(const Registry& registry) {
  nlohmann::json j;
  j["schema"] = kMethodsJsonSchema;
  j["trygg_version"] = kVersion;
  j["methods"] = nlohmann::json::array();
  for (const auto& [id, description] : registry.list()) j["methods"].push_back(methodJson(*registry.create(id)));
  return j;
}

}  // namespace trygg::engine
