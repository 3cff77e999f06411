#pragma once
// A method is one class with declared parameters (after PDAL's stages and GDAL's
// `gdal` algorithms). The declaration feeds the YAML keys, the CLI flags,
// `--help` and the generated parameter table in docs — declared once.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace trygg::engine {

class RunContext;

enum class ArgType { Double, Int, UInt64, String, Bool, Length, Choice, StringList };

// One declared parameter. Fluent setters refine it; the target's initial value
// is the default.
class ArgDecl {
 public:
  using Target = std::variant<double*, int*, std::uint64_t*, std::string*, bool*, std::vector<std::string>*>;
  ArgDecl(std::string name, std::string help, ArgType type, Target target);

  ArgDecl& min(double v);            // inclusive
  ArgDecl& minExclusive(double v);
  ArgDecl& max(double v);            // inclusive
  ArgDecl& choices(std::vector<std::string> c);
  ArgDecl& required();
  ArgDecl& unit(std::string u);      // shown in help ("m", "days")

  const std::string& name() const { return m_name; }
  const std::string& help() const { return m_help; }
  ArgType type() const { return m_type; }
  const std::string& defaultText() const { return m_default; }
  const std::vector<std::string>& choiceList() const { return m_choices; }
  const std::optional<double>& minBound() const { return m_min; }
  const std::optional<double>& maxBound() const { return m_max; }  // always inclusive
  bool minIsExclusive() const { return m_min_exclusive; }
  const std::string& unitText() const { return m_unit; }
  bool isRequired() const { return m_required; }
  bool isSet() const { return m_set; }
  std::string rangeText() const;     // "> 0", "0..1", "one of a, b"
  std::string typeText() const;

  // Parses and validates text; throws UsageError prefixed with `where`.
  void set(const std::string& text, const std::string& where);
  void setList(const std::vector<std::string>& items, const std::string& where);
  std::string valueText() const;

 private:
  void check(double v, const std::string& where) const;
  std::string m_name, m_help, m_unit;
  ArgType m_type;
  Target m_target;
  std::string m_default;
  std::optional<double> m_min, m_max;
  bool m_min_exclusive = false;
  std::vector<std::string> m_choices;
  bool m_required = false;
  bool m_set = false;
};

class Method {
 public:
  virtual ~Method() = default;
  virtual std::string_view id() const = 0;
  virtual std::string_view description() const = 0;
  virtual std::string_view docPage() const { return {}; }  // docs/methods/<page>.md

  const std::vector<ArgDecl>& args() const { return m_args; }
  std::vector<ArgDecl>& args() { return m_args; }
  ArgDecl* findArg(std::string_view name);

  // Applies a YAML mapping of parameters (from the project file); unknown keys
  // and bad values throw DataError naming the file, line and the fix.
  void configure(const YAML::Node& params, const std::string& where);
  // Checks required parameters; throws UsageError.
  void checkRequired(const std::string& where) const;
  // The parameters and their values, for metadata.
  std::vector<std::pair<std::string, std::string>> parameterValues() const;

  virtual void run(RunContext& ctx) = 0;

  // The largest distance (metres) the method reaches beyond a point: kernels,
  // bands, buffers. The default study extent grows the areas' bbox by it.
  virtual double reachMetres() const { return 0; }

  // For shared parameter groups (engine/selection.hpp) declared on many methods.
  template <class T>
  ArgDecl& declareArg(std::string name, std::string help, T* target) {
    return addArg(std::move(name), std::move(help), target);
  }
  ArgDecl& declareLengthArg(std::string name, std::string help, double* target) {
    return addLengthArg(std::move(name), std::move(help), target);
  }
  ArgDecl& declareChoiceArg(std::string name, std::string help, std::string* target, std::vector<std::string> choices) {
    return addChoiceArg(std::move(name), std::move(help), target, std::move(choices));
  }

 protected:
  ArgDecl& addArg(std::string name, std::string help, double* t) { return add(std::move(name), std::move(help), ArgType::Double, t); }
  ArgDecl& addArg(std::string name, std::string help, int* t) { return add(std::move(name), std::move(help), ArgType::Int, t); }
  ArgDecl& addArg(std::string name, std::string help, std::uint64_t* t) { return add(std::move(name), std::move(help), ArgType::UInt64, t); }
  ArgDecl& addArg(std::string name, std::string help, std::string* t) { return add(std::move(name), std::move(help), ArgType::String, t); }
  ArgDecl& addArg(std::string name, std::string help, bool* t) { return add(std::move(name), std::move(help), ArgType::Bool, t); }
  ArgDecl& addArg(std::string name, std::string help, std::vector<std::string>* t) { return add(std::move(name), std::move(help), ArgType::StringList, t); }
  // A length: typed in metres unless a unit is given; stored in metres.
  ArgDecl& addLengthArg(std::string name, std::string help, double* t) { return add(std::move(name), std::move(help), ArgType::Length, t).unit("m"); }
  ArgDecl& addChoiceArg(std::string name, std::string help, std::string* t, std::vector<std::string> choices) {
    return add(std::move(name), std::move(help), ArgType::Choice, t).choices(std::move(choices));
  }

 private:
  ArgDecl& add(std::string name, std::string help, ArgType type, ArgDecl::Target t);
  std::vector<ArgDecl> m_args;
};

// The registry of methods: built-ins are added in one explicit list
// (engine/registry_builtin.cpp), deterministic and safe under static linking.
class Registry {
 public:
  using Factory = std::function<std::unique_ptr<Method>()>;
  template <class M>
  void add() {
    addFactory(std::string(M::kId), std::string(M::kDescription), [] { return std::make_unique<M>(); });
  }
  void addFactory(std::string id, std::string description, Factory f);  // refuses a duplicate id
  std::unique_ptr<Method> create(std::string_view id) const;            // UsageError listing ids if unknown
  bool has(std::string_view id) const;
  std::vector<std::pair<std::string, std::string>> list() const;        // id, description (sorted)

  static const Registry& builtin();

 private:
  struct Entry {
    std::string id, description;
    Factory factory;
  };
  std::vector<Entry> m_entries;
};

// Defined in registry_builtin.cpp: adds every built-in method.
void registerBuiltinMethods(Registry& r);

}  // namespace trygg::engine
