#pragma once
// hotspot.kde: kernel density of selected incidents as a Float32 GeoTIFF with a
// QGIS heat-map style beside it. The maths is geo/hotspot/kde.hpp; this class
// only declares the parameters and maps them (docs/methods/kde.md).
#include "engine/method.hpp"
#include "engine/selection.hpp"

namespace trygg::plugins {

class KdeMethod final : public engine::Method {
 public:
  static constexpr std::string_view kId = "hotspot.kde";
  static constexpr std::string_view kDescription = "Kernel density of incidents (GeoTIFF + QGIS style)";
  KdeMethod();
  std::string_view id() const override { return kId; }
  std::string_view description() const override { return kDescription; }
  std::string_view docPage() const override { return "kde"; }
  double reachMetres() const override;
  void run(engine::RunContext& ctx) override;

 private:
  engine::IncidentSelection m_sel;
  std::string m_kernel = "quartic";
  double m_bandwidth = 0;  // metres; 0 = automatic (spatial Silverman rule, as ArcGIS)
  double m_cell = 0;       // metres; 0 = min(width, height)/250, as ArcGIS
  std::string m_output = "raw";
  std::string m_mode = "exact";
  double m_decay = 0;
};

}  // namespace trygg::plugins
