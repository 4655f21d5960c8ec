#include "chip_model.h"

#include <map>

namespace chiptherm::floorplans
{
  const std::vector<std::string> &block_type_names()
  {
    static const std::vector<std::string> names = {"logic",  "memory", "accelerator", "analog", "clock",
                                                   "pmic",   "photonic", "io",        "other"};
    return names;
  }

  std::string to_string(BlockType t)
  {
    return block_type_names()[static_cast<std::size_t>(t)];
  }

  double ChipModel::total_power_w() const
  {
    double p = 0;
    for (const auto &layer : layers)
      {
        for (const auto &b : layer.blocks)
          p += b.power_w;
        for (const auto &m : layer.power_maps)
          p += m.total_w;
      }
    return p;
  }

  std::vector<const Block *> ChipModel::all_blocks() const
  {
    std::vector<const Block *> out;
    for (const auto &layer : layers)
      for (const auto &b : layer.blocks)
        out.push_back(&b);
    return out;
  }

  std::vector<std::string> ChipModel::block_labels() const
  {
    std::map<std::string, int> count;
    for (const auto *b : all_blocks())
      ++count[b->name];
    std::vector<std::string> labels;
    for (const auto *b : all_blocks())
      labels.push_back(count[b->name] == 1 ? b->name : b->die + "/" + b->name);
    return labels;
  }
} // namespace chiptherm::floorplans
