#pragma once
// The engine's fixed list of incident categories (docs/categories.md).
// Sources' own words (Swedish or English) are mapped onto these by the
// category mapping of each incidents layer in the project file.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trygg {

enum class Category : std::uint8_t {
  Violence = 0,
  Robbery,
  SexualOffence,
  Vandalism,
  Graffiti,
  IllegalPosters,
  Littering,
  Drugs,
  Disorder,
  Burglary,
  Theft,
  VehicleCrime,
  Other,
};
inline constexpr std::size_t kCategoryCount = 13;

struct CategoryInfo {
  Category category;
  std::string_view id;       // snake_case identifier used in files and YAML
  std::string_view label_sv; // Swedish label
  std::string_view label_en; // English label
  std::string_view colour;   // default map colour (#rrggbb)
  bool sensitive;            // never published as points (publish profile)
};

const std::array<CategoryInfo, kCategoryCount>& categoryTable();
const CategoryInfo& categoryInfo(Category c);
std::string_view categoryId(Category c);
// Exact id ("vehicle_crime") or label in either language, case-insensitive.
std::optional<Category> parseCategory(std::string_view text);

}  // namespace trygg
