#include "report/svg.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace trygg::report {

namespace {

constexpr const char* kFont = "font-family=\"DejaVu Sans, Verdana, sans-serif\"";
constexpr std::array<const char*, 3> kSwatch = {"#d7191c", "#fdae61", "#1a9641"};

std::string fmtNum(double v) { return fmt::format("{:.1f}", v); }

}  // namespace

std::string xmlEscape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string transitionMatrixSvg(const std::array<std::array<std::int64_t, 3>, 3>& counts, const MatrixLabels& L) {
  // Layout: left caption column (before), header row (after), 3×3 cells.
  const double cell = 54, left = 96, top = 44, w = left + 3 * cell + 8, h = top + 3 * cell + 8;
  std::string s = fmt::format(
      "<svg class=\"chart matrix\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" {}><title>{}</title>",
      fmtNum(w), fmtNum(h), fmtNum(w), fmtNum(h), kFont, xmlEscape(L.title));
  s += fmt::format("<text x=\"{}\" y=\"12\" font-size=\"11\" text-anchor=\"middle\" fill=\"#333\">{} \u2192</text>",
                   fmtNum(left + 1.5 * cell), xmlEscape(L.after));
  s += fmt::format("<text x=\"4\" y=\"{}\" font-size=\"11\" fill=\"#333\">{} \u2193</text>", fmtNum(top - 6),
                   xmlEscape(L.before));
  for (int j = 0; j < 3; ++j) {
    const double x = left + j * cell;
    s += fmt::format("<rect x=\"{}\" y=\"20\" width=\"{}\" height=\"8\" fill=\"{}\"/>", fmtNum(x + 4), fmtNum(cell - 8), kSwatch[j]);
    s += fmt::format("<text x=\"{}\" y=\"40\" font-size=\"10\" text-anchor=\"middle\" fill=\"#333\">{}</text>",
                     fmtNum(x + cell / 2), xmlEscape(L.colours[j]));
  }
  for (int i = 0; i < 3; ++i) {
    const double y = top + i * cell;
    s += fmt::format("<rect x=\"4\" y=\"{}\" width=\"8\" height=\"{}\" fill=\"{}\"/>", fmtNum(y + 4), fmtNum(cell - 8), kSwatch[i]);
    s += fmt::format("<text x=\"16\" y=\"{}\" font-size=\"10\" fill=\"#333\">{}</text>", fmtNum(y + cell / 2 + 4),
                     xmlEscape(L.colours[i]));
    for (int j = 0; j < 3; ++j) {
      const double x = left + j * cell;
      // Colour index: 0 red (worst) .. 2 green (best): improved when after > before.
      const char* tint = j > i ? "#d9f0d3" : (j < i ? "#fbd5d0" : "#eeeeee");
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"2\"/>",
                       fmtNum(x), fmtNum(y), fmtNum(cell), fmtNum(cell), tint);
      s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"16\" text-anchor=\"middle\" fill=\"#222\">{}</text>",
                       fmtNum(x + cell / 2), fmtNum(y + cell / 2 + 6), counts[i][j]);
    }
  }
  return s + "</svg>";
}

std::string shareGaugeSvg(double share, double goal, const GaugeLabels& L) {
  const double w = 320, h = 58, x0 = 10, bw = 300, y0 = 18, bh = 18;
  const double v = std::isfinite(share) ? std::clamp(share, 0.0, 1.0) : 0.0;
  const double g = std::clamp(goal, 0.0, 1.0);
  const bool met = std::isfinite(share) && share + 1e-12 >= goal;
  std::string s = fmt::format(
      "<svg class=\"chart gauge\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" {}><title>{}</title>",
      fmtNum(w), fmtNum(h), fmtNum(w), fmtNum(h), kFont, xmlEscape(L.title));
  s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"#eeeeee\" stroke=\"#999\"/>", fmtNum(x0),
                   fmtNum(y0), fmtNum(bw), fmtNum(bh));
  if (std::isfinite(share))
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>", fmtNum(x0), fmtNum(y0),
                     fmtNum(bw * v), fmtNum(bh), met ? "#1a9641" : "#fdae61");
  const double gx = x0 + bw * g;
  s += fmt::format("<line x1=\"{0}\" x2=\"{0}\" y1=\"{1}\" y2=\"{2}\" stroke=\"#222\" stroke-width=\"2\"/>", fmtNum(gx),
                   fmtNum(y0 - 5), fmtNum(y0 + bh + 5));
  s += fmt::format("<text x=\"{}\" y=\"12\" font-size=\"11\" fill=\"#222\">{}</text>", fmtNum(x0), xmlEscape(L.value_text));
  s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#222\">{}</text>", fmtNum(gx),
                   fmtNum(y0 + bh + 16), xmlEscape(L.goal_text));
  s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"9\" fill=\"#666\">0 %</text>", fmtNum(x0), fmtNum(y0 + bh + 16));
  s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"9\" text-anchor=\"end\" fill=\"#666\">100 %</text>",
                   fmtNum(x0 + bw), fmtNum(y0 + bh + 16));
  return s + "</svg>";
}

std::string stackedBarsSvg(const std::vector<BarRow>& rows, const std::string& title) {
  const double left = 110, bw = 260, bh = 20, gap = 8, top = 6;
  double maxTotal = 0;
  std::vector<std::pair<std::string, std::string>> legend;  // name, colour (first seen order)
  for (const auto& r : rows) {
    double t = 0;
    for (const auto& sg : r.segments) {
      t += std::max(0.0, sg.value);
      if (std::none_of(legend.begin(), legend.end(), [&](const auto& x) { return x.first == sg.name; }))
        legend.emplace_back(sg.name, sg.colour);
    }
    maxTotal = std::max(maxTotal, t);
  }
  const double legendY = top + rows.size() * (bh + gap) + 6;
  const double h = legendY + 18;
  const double w = left + bw + 50;
  std::string s = fmt::format(
      "<svg class=\"chart bars\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" {}><title>{}</title>",
      fmtNum(w), fmtNum(h), fmtNum(w), fmtNum(h), kFont, xmlEscape(title));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double y = top + i * (bh + gap);
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\" fill=\"#222\">{}</text>",
                     fmtNum(left - 6), fmtNum(y + bh / 2 + 4), xmlEscape(rows[i].label));
    double x = left, total = 0;
    for (const auto& sg : rows[i].segments) {
      const double v = std::max(0.0, sg.value);
      total += v;
      const double sw = maxTotal > 0 ? bw * v / maxTotal : 0;
      if (sw <= 0) continue;
      s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {}</title></rect>",
                       fmtNum(x), fmtNum(y), fmtNum(sw), fmtNum(bh), sg.colour, xmlEscape(sg.name), v);
      if (sw >= 18)
        s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" text-anchor=\"middle\" fill=\"#111\">{}</text>",
                         fmtNum(x + sw / 2), fmtNum(y + bh / 2 + 4), v);
      x += sw;
    }
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#444\">{}</text>", fmtNum(x + 4),
                     fmtNum(y + bh / 2 + 4), total);
  }
  double lx = 4;
  for (const auto& [name, colour] : legend) {
    s += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"10\" height=\"10\" fill=\"{}\"/>", fmtNum(lx), fmtNum(legendY), colour);
    s += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"#333\">{}</text>", fmtNum(lx + 13),
                     fmtNum(legendY + 9), xmlEscape(name));
    lx += 13 + 6.2 * static_cast<double>(name.size()) + 12;
  }
  return s + "</svg>";
}

}  // namespace trygg::report
