#include "engine/method.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"

namespace trygg::engine {

namespace {
std::string formatNumber(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}
}  // namespace

ArgDecl::ArgDecl(std::string name, std::string help, ArgType type, Target target)
    : m_name(std::move(name)), m_help(std::move(help)), m_type(type), m_target(target) {
  m_default = valueText();
}

ArgDecl& ArgDecl::min(double v) { m_min = v; m_min_exclusive = false; return *this; }
ArgDecl& ArgDecl::minExclusive(double v) { m_min = v; m_min_exclusive = true; return *this; }
ArgDecl& ArgDecl::max(double v) { m_max = v; return *this; }
ArgDecl& ArgDecl::choices(std::vector<std::string> c) { m_choices = std::move(c); return *this; }
ArgDecl& ArgDecl::required() { m_required = true; return *this; }
ArgDecl& ArgDecl::unit(std::string u) { m_unit = std::move(u); return *this; }

std::string ArgDecl::typeText() const {
  switch (m_type) {
    case ArgType::Double: return "number";
    case ArgType::Int: return "integer";
    case ArgType::UInt64: return "integer";
    case ArgType::String: return "text";
    case ArgType::Bool: return "true/false";
    case ArgType::Length: return "length";
    case ArgType::Choice: return "choice";
    case ArgType::StringList: return "list";
  }
  return "";
}

std::string ArgDecl::rangeText() const {
  if (!m_choices.empty()) {
    std::string s = "one of ";
    for (std::size_t i = 0; i < m_choices.size(); ++i) s += (i ? ", " : "") + m_choices[i];
    return s;
  }
  if (m_min && m_max) return fmt::format("{}{} and <= {}", m_min_exclusive ? "> " : ">= ", formatNumber(*m_min), formatNumber(*m_max));
  if (m_min) return fmt::format("{}{}", m_min_exclusive ? "> " : ">= ", formatNumber(*m_min));
  if (m_max) return fmt::format("<= {}", formatNumber(*m_max));
  return "";
}

void ArgDecl::check(double v, const std::string& where) const {
  const bool low = m_min && (m_min_exclusive ? !(v > *m_min) : !(v >= *m_min));
  const bool high = m_max && !(v <= *m_max);
  if (!std::isfinite(v) || low || high)
    throwUsageError("{}: {} must be {} (got {})", where, m_name, rangeText().empty() ? "a finite number" : rangeText(),
                    formatNumber(v));
}

void ArgDecl::set(const std::string& raw, const std::string& where) {
  const std::string t(text::trim(raw));
  switch (m_type) {
    case ArgType::Double: {
      const auto v = text::parseDouble(t, false);
      if (!v) throwUsageError("{}: {} must be a number (got '{}')", where, m_name, t);
      check(*v, where);
      *std::get<double*>(m_target) = *v;
      break;
    }
    case ArgType::Length: {
      const double v = parseLengthMetres(t, fmt::format("{}: {}", where, m_name));
      check(v, where);
      *std::get<double*>(m_target) = v;
      break;
    }
    case ArgType::Int: {
      const auto v = text::parseInt(t);
      if (!v) throwUsageError("{}: {} must be a whole number (got '{}')", where, m_name, t);
      check(static_cast<double>(*v), where);
      *std::get<int*>(m_target) = static_cast<int>(*v);
      break;
    }
    case ArgType::UInt64: {
      const auto v = text::parseInt(t);
      if (!v || *v < 0) throwUsageError("{}: {} must be a whole number >= 0 (got '{}')", where, m_name, t);
      *std::get<std::uint64_t*>(m_target) = static_cast<std::uint64_t>(*v);
      break;
    }
    case ArgType::Bool: {
      const auto f = text::foldCase(t);
      bool b;
      if (f == "true" || f == "yes" || f == "on" || f == "1") b = true;
      else if (f == "false" || f == "no" || f == "off" || f == "0") b = false;
      else throwUsageError("{}: {} must be true or false (got '{}')", where, m_name, t);
      *std::get<bool*>(m_target) = b;
      break;
    }
    case ArgType::String:
      *std::get<std::string*>(m_target) = t;
      break;
    case ArgType::Choice:
      if (std::find(m_choices.begin(), m_choices.end(), t) == m_choices.end())
        throwUsageError("{}: {} must be {} (got '{}')", where, m_name, rangeText(), t);
      *std::get<std::string*>(m_target) = t;
      break;
    case ArgType::StringList: {
      std::vector<std::string> items;
      for (auto part : text::split(t, ','))
        if (!text::trim(part).empty()) items.emplace_back(text::trim(part));
      setList(items, where);
      return;
    }
  }
  m_set = true;
}

void ArgDecl::setList(const std::vector<std::string>& items, const std::string& where) {
  if (m_type != ArgType::StringList) {
    if (items.size() != 1) throwUsageError("{}: {} takes one value, not a list", where, m_name);
    set(items[0], where);
    return;
  }
  if (!m_choices.empty())
    for (const auto& i : items)
      if (std::find(m_choices.begin(), m_choices.end(), i) == m_choices.end())
        throwUsageError("{}: {} items must be {} (got '{}')", where, m_name, rangeText(), i);
  *std::get<std::vector<std::string>*>(m_target) = items;
  m_set = true;
}

std::string ArgDecl::valueText() const {
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::remove_pointer_t<decltype(p)>;
        if constexpr (std::is_same_v<T, double>) return formatNumber(*p);
        else if constexpr (std::is_same_v<T, bool>) return *p ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return *p;
        else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string s;
          for (std::size_t i = 0; i < p->size(); ++i) s += (i ? "," : "") + (*p)[i];
          return s;
        } else return fmt::format("{}", *p);
      },
      m_target);
}

ArgDecl& Method::add(std::string name, std::string help, ArgType type, ArgDecl::Target t) {
  for (const auto& a : m_args)
    if (a.name() == name) throw Error(fmt::format("{}: parameter '{}' declared twice", id(), name));
  m_args.emplace_back(std::move(name), std::move(help), type, t);
  return m_args.back();
}

ArgDecl* Method::findArg(std::string_view name) {
  for (auto& a : m_args)
    if (a.name() == name) return &a;
  return nullptr;
}

void Method::configure(const YAML::Node& params, const std::string& where) {
  if (!params) return;
  if (!params.IsMap()) throwDataError("{}: {} parameters must be a mapping", where, id());
  for (const auto& kv : params) {
    if (!kv.first.IsScalar()) throwDataError("{}: a parameter name must be a plain word, not a list or a mapping", where);
    const auto key = kv.first.Scalar();
    const std::string at = fmt::format("{} ({})", where, id());
    auto* a = findArg(key);
    if (!a) {
      std::string known;
      for (const auto& x : m_args) known += (known.empty() ? "" : ", ") + x.name();
      throwDataError("{}: unknown parameter '{}'; {} takes: {} (see `trygg methods {}`)", at, key, id(), known, id());
    }
    try {
      if (kv.second.IsSequence()) {
        std::vector<std::string> items;
        for (const auto& i : kv.second) {
          if (!i.IsScalar())
            throwDataError("{} line {}: parameter '{}' must be a list of plain values, not of lists or mappings", at,
                           i.Mark().line + 1, key);
          items.push_back(i.Scalar());
        }
        a->setList(items, at);
      } else if (kv.second.IsScalar()) {
        a->set(kv.second.Scalar(), at);
      } else {
        throwDataError("{} line {}: parameter '{}' must be a value or a list, not {}", at, kv.second.Mark().line + 1, key,
                       kv.second.IsMap() ? "a mapping" : "empty");
      }
    } catch (const UsageError& e) {
      throw DataError(e.what());  // in a project file it is the file the user fixes
    }
  }
}

void Method::checkRequired(const std::string& where) const {
  for (const auto& a : m_args)
    if (a.isRequired() && !a.isSet())
      throwUsageError("{}: {} needs '{}' ({})", where, id(), a.name(), a.help());
}

std::vector<std::pair<std::string, std::string>> Method::parameterValues() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& a : m_args) out.emplace_back(a.name(), a.valueText());
  return out;
}

void Registry::addFactory(std::string id, std::string description, Factory f) {
  if (has(id)) throw Error(fmt::format("registry: method id '{}' registered twice", id));
  m_entries.push_back({std::move(id), std::move(description), std::move(f)});
}

bool Registry::has(std::string_view id) const {
  return std::any_of(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.id == id; });
}

std::unique_ptr<Method> Registry::create(std::string_view id) const {
  for (const auto& e : m_entries)
    if (e.id == id) return e.factory();
  std::string known;
  for (const auto& [i, d] : list()) known += (known.empty() ? "" : ", ") + i;
  throwUsageError("unknown method '{}'; available: {}", id, known.empty() ? "(none)" : known);
}

std::vector<std::pair<std::string, std::string>> Registry::list() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : m_entries) out.emplace_back(e.id, e.description);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace trygg::engine
