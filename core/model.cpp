#include "core/model.hpp"

namespace trygg::model {

std::string_view layerKindId(LayerKind k) {
  switch (k) {
    case LayerKind::Areas: return "areas";
    case LayerKind::Places: return "places";
    case LayerKind::Incidents: return "incidents";
    case LayerKind::Observations: return "observations";
    case LayerKind::Perception: return "perception";
    case LayerKind::Measures: return "measures";
  }
  return "unknown";
}

std::optional<LayerKind> parseLayerKind(std::string_view id) {
  for (auto k : kAllLayerKinds)
    if (layerKindId(k) == id) return k;
  return std::nullopt;
}

std::string_view rejectReasonId(RejectReason r) {
  switch (r) {
    case RejectReason::NoGeometry: return "no_geometry";
    case RejectReason::EmptyGeometry: return "empty_geometry";
    case RejectReason::InvalidGeometry: return "invalid_geometry";
    case RejectReason::WrongGeometryType: return "wrong_geometry_type";
    case RejectReason::BadCoordinate: return "bad_coordinate";
    case RejectReason::BadTime: return "bad_time";
    case RejectReason::MissingValue: return "missing_value";
    case RejectReason::BadValue: return "bad_value";
    case RejectReason::UnknownCategory: return "unknown_category";
    case RejectReason::OutsideExtent: return "outside_extent";
    case RejectReason::DuplicateId: return "duplicate_id";
    case RejectReason::BadRow: return "bad_row";
    case RejectReason::Transform: return "transform_failed";
  }
  return "unknown";
}

}  // namespace trygg::model
