#include "engine/bench_methods.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/units.hpp"

namespace trygg::engine::bench {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      out.push_back(trim(s.substr(start, i - start)));
      start = i + 1;
    }
  }
  return out;
}

std::optional<double> number(std::string_view s) {
  double v = 0;
  const auto* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, v);
  if (ec != std::errc() || p != end) return std::nullopt;
  return v;
}

// Values of one parameter: "a|b", "from..to/step", or one value.
std::vector<std::string> expandValues(const std::string& spec, const std::string& key, const std::string& text) {
  if (text.find('|') != std::string::npos) return split(text, '|');
  const auto dots = text.find("..");
  if (dots == std::string::npos) return {text};
  const auto slash = text.find('/', dots);
  const auto from = number(trim(text.substr(0, dots)));
  const auto to = number(trim(text.substr(dots + 2, slash == std::string::npos ? std::string::npos : slash - dots - 2)));
  const auto step = slash == std::string::npos ? std::optional<double>(1.0) : number(trim(text.substr(slash + 1)));
  if (!from || !to || !step || *step <= 0 || *to < *from)
    throwUsageError("method '{}': parameter {}='{}' is not a range from..to/step with numbers, from <= to, step > 0",
                    spec, key, text);
  std::vector<std::string> out;
  const auto count = static_cast<long>(std::floor((*to - *from) / *step + 1e-9)) + 1;
  if (count > 10000) throwUsageError("method '{}': range {}='{}' gives {} values; at most 10000", spec, key, text, count);
  for (long i = 0; i < count; ++i) out.push_back(fmt::format("{:g}", *from + static_cast<double>(i) * *step));
  return out;
}

double lengthValue(const std::string& spec, const std::string& key, const std::string& v) {
  const double m = parseLengthMetres(v, fmt::format("method '{}' parameter {}", spec, key));
  if (!(m > 0)) throwUsageError("method '{}': {} must be > 0 (got '{}')", spec, key, v);
  return m;
}

double daysValue(const std::string& spec, const std::string& key, const std::string& v, bool allowZero) {
  const auto d = number(v);
  if (!d || *d < 0 || (!allowZero && *d == 0))
    throwUsageError("method '{}': {} must be a number of days{} (got '{}')", spec, key, allowZero ? " >= 0" : " > 0", v);
  return *d;
}

double kernelValue(const std::string& kernel, double d, double h) {
  if (kernel == "gaussian") return d <= 4 * h ? std::exp(-0.5 * (d / h) * (d / h)) : 0.0;
  if (d >= h) return 0.0;  // QGIS: u = d/h for d < h, 0 beyond
  const double u = d / h, q = 1 - u * u;
  if (kernel == "quartic") return q * q;
  if (kernel == "epanechnikov") return q;
  if (kernel == "triweight") return q * q * q;
  if (kernel == "uniform") return 1.0;
  return 1 - u;  // triangular (decay 0)
}

}  // namespace

std::vector<MethodSetting> expandMethodSpec(const std::string& specIn) {
  const std::string spec = trim(specIn);
  const auto colon = spec.find(':');
  const std::string method = text::foldCase(trim(spec.substr(0, colon)));
  MethodKind kind;
  std::vector<std::string> known;
  if (method == "counts") kind = MethodKind::Counts, known = {"window"};
  else if (method == "counts_decay") kind = MethodKind::CountsDecay, known = {"half_life"};
  else if (method == "kde") kind = MethodKind::Kde, known = {"kernel", "bandwidth"};
  else if (method == "gistar") kind = MethodKind::GiStar, known = {"band"};
  else if (method == "near_repeat") kind = MethodKind::NearRepeat, known = {"space", "time"};
  else
    throwUsageError("method '{}': unknown method '{}'; bench knows counts, counts_decay, kde, gistar, near_repeat",
                    spec, method);

  // Parameters in the order of `known`, each with its value list.
  std::vector<std::pair<std::string, std::vector<std::string>>> params;
  if (colon != std::string::npos && colon + 1 < spec.size()) {
    for (const auto& kv : split(spec.substr(colon + 1), ',')) {
      const auto eq = kv.find('=');
      if (eq == std::string::npos) throwUsageError("method '{}': parameter '{}' needs key=value", spec, kv);
      const auto key = text::foldCase(trim(kv.substr(0, eq)));
      if (std::find(known.begin(), known.end(), key) == known.end())
        throwUsageError("method '{}': unknown parameter '{}'; {} takes {}", spec, key, method, fmt::join(known, ", "));
      params.emplace_back(key, expandValues(spec, key, trim(kv.substr(eq + 1))));
    }
  }
  // Defaults for missing parameters.
  auto has = [&](const std::string& k) {
    return std::any_of(params.begin(), params.end(), [&](const auto& p) { return p.first == k; });
  };
  if (kind == MethodKind::Kde && !has("kernel")) params.insert(params.begin(), {"kernel", {"quartic"}});
  if (kind == MethodKind::Kde && !has("bandwidth")) throwUsageError("method '{}': kde needs bandwidth=", spec);
  if (kind == MethodKind::GiStar && !has("band")) throwUsageError("method '{}': gistar needs band=", spec);
  if (kind == MethodKind::CountsDecay && !has("half_life")) throwUsageError("method '{}': counts_decay needs half_life=", spec);
  if (kind == MethodKind::NearRepeat && !has("space")) params.emplace_back("space", std::vector<std::string>{"400"});
  if (kind == MethodKind::NearRepeat && !has("time")) params.emplace_back("time", std::vector<std::string>{"56"});

  std::vector<MethodSetting> out;
  std::vector<std::size_t> idx(params.size(), 0);
  while (true) {
    MethodSetting s;
    s.kind = kind;
    s.method = method;
    std::string p;
    for (std::size_t i = 0; i < params.size(); ++i) {
      const auto& key = params[i].first;
      const auto& v = params[i].second[idx[i]];
      std::string shown = v;
      if (key == "kernel") {
        s.kernel = text::foldCase(v);
        static const std::vector<std::string> kernels{"quartic", "epanechnikov", "triweight", "uniform", "triangular",
                                                       "gaussian"};
        if (std::find(kernels.begin(), kernels.end(), s.kernel) == kernels.end())
          throwUsageError("method '{}': unknown kernel '{}'; use {}", spec, v, fmt::join(kernels, ", "));
        shown = s.kernel;
      } else if (key == "bandwidth" || key == "band" || key == "space") {
        s.lengthMetres = lengthValue(spec, key, v);
        shown = fmt::format("{:g}", s.lengthMetres);
      } else {
        s.days = daysValue(spec, key, v, false);
        shown = fmt::format("{:g}", s.days);
      }
      p += fmt::format("{}{}={}", p.empty() ? "" : ",", key, shown);
    }
    s.params = p;
    s.label = p.empty() ? method : method + ":" + p;
    out.push_back(std::move(s));
    std::size_t i = params.size();
    while (i > 0) {
      --i;
      if (++idx[i] < params[i].second.size()) break;
      idx[i] = 0;
      if (i == 0) return out;
    }
    if (params.empty()) return out;
  }
}

MethodScorer::MethodScorer(const BenchGrid& grid, const std::vector<MethodSetting>& settings, double trainingDays)
    : m_grid(grid), m_settings(settings), m_trainingDays(trainingDays) {
  const bool hex = grid.shape == "hexagon";
  const double c = grid.cell;
  const double rowStep = hex ? c * std::sqrt(3.0) / 2 : c;
  for (auto& v : m_stencil) v.resize(settings.size());
  m_giW.resize(settings.size());
  for (std::size_t s = 0; s < settings.size(); ++s) {
    const auto& st = settings[s];
    if (st.kind == MethodKind::Counts || st.kind == MethodKind::CountsDecay) continue;
    const double len = st.lengthMetres / grid.unitMetres;  // working units
    const double reach = st.kind == MethodKind::Kde && st.kernel == "gaussian" ? 4 * len : len;
    const int dr = static_cast<int>(std::ceil(reach / rowStep)) + 1;
    const int dcMax = static_cast<int>(std::ceil(reach / c)) + 2;
    for (int parity = 0; parity < (hex ? 2 : 1); ++parity) {
      auto& taps = m_stencil[parity][s];
      for (int r = -dr; r <= dr; ++r) {
        const int targetParity = ((parity + r) % 2 + 2) % 2;
        for (int q = -dcMax; q <= dcMax; ++q) {
          const double dx = hex ? (q + 0.5 * (targetParity - parity)) * c : q * c;
          const double dy = r * rowStep;
          const double d = std::sqrt(dx * dx + dy * dy);
          double w = 0;
          switch (st.kind) {
            case MethodKind::Kde: w = kernelValue(st.kernel, d, len); break;
            case MethodKind::GiStar: w = d <= len * (1 + 1e-12) ? 1.0 : 0.0; break;
            case MethodKind::NearRepeat: w = d <= len * (1 + 1e-12) ? 1.0 / (1.0 + d / c) : 0.0; break;
            default: break;
          }
          if (w > 0) taps.push_back({q, r, w});
        }
      }
    }
    if (!hex) m_stencil[1][s] = m_stencil[0][s];
    if (st.kind == MethodKind::GiStar) {
      std::vector<double> ones(grid.ncells, 1.0);
      scatter(s, ones, m_giW[s]);
    }
  }
}

std::size_t MethodScorer::stencilSize(std::size_t s) const { return m_stencil[0][s].size(); }

void MethodScorer::scatter(std::size_t s, std::span<const double> src, std::vector<double>& out) const {
  const auto& g = m_grid;
  out.assign(g.ncells, 0.0);
  for (std::size_t j = 0; j < g.ncells; ++j) {
    const double a = src[j];
    if (a == 0) continue;
    const int c0 = g.col[j], r0 = g.row[j];
    for (const auto& t : m_stencil[r0 & 1][s]) {
      const int c = c0 + t.dc, r = r0 + t.dr;
      if (c < 0 || r < 0 || c >= g.ncols || r >= g.nrows) continue;
      const auto k = g.lookup[static_cast<std::size_t>(r) * static_cast<std::size_t>(g.ncols) + static_cast<std::size_t>(c)];
      if (k >= 0) out[static_cast<std::size_t>(k)] += a * t.w;
    }
  }
}

void MethodScorer::score(std::size_t s, const TrainingEvents& ev, std::vector<double>& src,
                         std::vector<double>& out) const {
  const auto& st = m_settings[s];
  src.assign(m_grid.ncells, 0.0);
  const std::size_t n = ev.cell.size();
  switch (st.kind) {
    case MethodKind::Counts: {
      const double window = st.days > 0 ? st.days : m_trainingDays;
      for (std::size_t i = 0; i < n; ++i)
        if (ev.ageDays[i] <= window) src[static_cast<std::size_t>(ev.cell[i])] += ev.weight[i];
      out = src;
      return;
    }
    case MethodKind::CountsDecay: {
      for (std::size_t i = 0; i < n; ++i)
        src[static_cast<std::size_t>(ev.cell[i])] += ev.weight[i] * std::exp2(-ev.ageDays[i] / st.days);
      out = src;
      return;
    }
    case MethodKind::Kde: {
      for (std::size_t i = 0; i < n; ++i) src[static_cast<std::size_t>(ev.cell[i])] += ev.weight[i];
      scatter(s, src, out);
      return;
    }
    case MethodKind::NearRepeat: {
      for (std::size_t i = 0; i < n; ++i) {
        if (ev.ageDays[i] > st.days) continue;
        const double weeks = std::floor(ev.ageDays[i] / 7.0);
        src[static_cast<std::size_t>(ev.cell[i])] += ev.weight[i] / (1.0 + weeks);
      }
      scatter(s, src, out);
      return;
    }
    case MethodKind::GiStar: {
      for (std::size_t i = 0; i < n; ++i) src[static_cast<std::size_t>(ev.cell[i])] += ev.weight[i];
      for (auto& v : src) v = std::max(v, 0.0);
      const double N = static_cast<double>(m_grid.ncells);
      double sum = 0, sum2 = 0;
      for (double v : src) sum += v, sum2 += v * v;
      const double mean = sum / N;
      const double sd = std::sqrt(std::max(0.0, sum2 / N - mean * mean));
      scatter(s, src, out);
      const auto& W = m_giW[s];
      for (std::size_t i = 0; i < m_grid.ncells; ++i) {
        const double den = sd * std::sqrt((N * W[i] - W[i] * W[i]) / (N - 1));
        out[i] = den > 0 ? (out[i] - mean * W[i]) / den : std::nan("");
      }
      return;
    }
  }
}

}  // namespace trygg::engine::bench
