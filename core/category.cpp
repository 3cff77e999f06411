#include "core/category.hpp"

#include "core/text.hpp"

namespace trygg {

const std::array<CategoryInfo, kCategoryCount>& categoryTable() {
  static const std::array<CategoryInfo, kCategoryCount> table{{
      {Category::Violence, "violence", "Våld", "Violence", "#b2182b", true},
      {Category::Robbery, "robbery", "Rån", "Robbery", "#d6604d", true},
      {Category::SexualOffence, "sexual_offence", "Sexualbrott", "Sexual offence", "#762a83", true},
      {Category::Vandalism, "vandalism", "Skadegörelse", "Vandalism", "#e08214", false},
      {Category::Graffiti, "graffiti", "Klotter", "Graffiti", "#fdb863", false},
      {Category::IllegalPosters, "illegal_posters", "Olaga affischering", "Illegal posters", "#fee0b6", false},
      {Category::Littering, "littering", "Nedskräpning", "Littering", "#8c510a", false},
      {Category::Drugs, "drugs", "Narkotika", "Drugs", "#4d9221", false},
      {Category::Disorder, "disorder", "Ordningsstörning", "Public disorder", "#c51b7d", false},
      {Category::Burglary, "burglary", "Inbrott", "Burglary", "#2166ac", false},
      {Category::Theft, "theft", "Stöld", "Theft", "#4393c3", false},
      {Category::VehicleCrime, "vehicle_crime", "Fordonsbrott", "Vehicle crime", "#35978f", false},
      {Category::Other, "other", "Övrigt", "Other", "#878787", false},
  }};
  return table;
}

const CategoryInfo& categoryInfo(Category c) { return categoryTable()[static_cast<std::size_t>(c)]; }

std::string_view categoryId(Category c) { return categoryInfo(c).id; }

std::optional<Category> parseCategory(std::string_view text) {
  const std::string key = text::foldCase(text::trim(text));
  for (const auto& info : categoryTable()) {
    if (key == info.id || key == text::foldCase(info.label_en) || key == text::foldCase(info.label_sv))
      return info.category;
  }
  return std::nullopt;
}

}  // namespace trygg
