#include "mesh_policy.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

namespace chiptherm::mesh
{
  namespace
  {
    constexpr double um = 1e-6;

    /// Reads {cell_size, cells_across, halo, max_level} over a copy of base.
    CellSizeRule read_rule(const CaseNode &n, CellSizeRule rule)
    {
      n.expect_keys({"cell_size", "cells_across", "halo", "max_level"});
      if (n.has("cell_size"))
        rule.cell_size_m = n.at("cell_size").positive_length();
      rule.cells_across = n.integer_or("cells_across", rule.cells_across, 1, 64);
      if (n.has("halo"))
        {
          rule.halo_m = n.at("halo").length();
          if (rule.halo_m < 0)
            n.at("halo").fail("expected a distance >= 0");
        }
      rule.max_level = n.integer_or("max_level", rule.max_level, 0, 12);
      return rule;
    }
  } // namespace

  double CellSizeRule::size_for(const floorplans::Rect &r) const
  {
    if (!std::isfinite(cell_size_m) || cells_across == 0) // `policy: none`, or no count across asked
      return cell_size_m;
    return std::min(cell_size_m, std::min(r.width, r.height) / cells_across);
  }

  std::array<CellSizeRule, 9> MeshPolicy::default_rules(double die_cell_size_m, unsigned int degree)
  {
    using floorplans::BlockType;
    // Sensitive circuits: Q1 100 um cells, at least 4 across, 200 um around
    // them; quadratic and higher elements resolve the same with cells about
    // half as fine (the 250 um analog block of tests/verification: 62 um cells
    // over-refined it 20-fold for a bound 3x below the tolerance).
    const CellSizeRule fine = degree >= 2 ? CellSizeRule{150 * um, 3, 100 * um, 6} : CellSizeRule{100 * um, 4, 200 * um, 6};
    // Bulk logic, memory, accelerators: the die's own cell size, at least 2
    // across for Q1 (1 for Q2: a quadratic spans a block; two across split
    // every tile of a 20 x 20 tile floorplan and doubled its first mesh for
    // no accuracy), no halo. Forcing a finer absolute size here refines the
    // whole die (and, through 2:1 balance, the package under it) without
    // making the hottest block more accurate; the adaptive cycles refine
    // where it matters.
    const CellSizeRule moderate{die_cell_size_m, degree >= 2 ? 1 : 2, 0.0, 6};
    std::array<CellSizeRule, 9> rules;
    rules.fill(moderate);
    for (const BlockType t : {BlockType::analog, BlockType::clock, BlockType::pmic, BlockType::photonic})
      rules[static_cast<int>(t)] = fine;
    return rules;
  }

  MeshPolicy MeshPolicy::read(const CaseNode &n, const floorplans::ChipModel &model, double die_cell_size_m,
                              unsigned int degree)
  {
    MeshPolicy policy;
    policy.by_type = default_rules(die_cell_size_m, degree);
    const bool set = n.is_defined();
    if (set)
      {
        policy.max_level = n.integer_or("max_level", policy.max_level, 0, 12);
        if (n.has("max_cells"))
          {
            policy.max_cells     = static_cast<unsigned long long>(n.at("max_cells").integer(1000, 2'000'000'000));
            policy.max_cells_set = true;
          }
      }
    for (auto &rule : policy.by_type)
      rule.max_level = policy.max_level;
    if (set && n.has("policy") && n.at("policy").is_scalar())
      {
        // `policy: none`: no a priori refinement around blocks (uniform or
        // purely adaptive meshes, e.g. for benchmarks).
        n.at("policy").choice({"none"});
        for (auto &rule : policy.by_type)
          rule.cell_size_m = std::numeric_limits<double>::infinity(), rule.halo_m = 0;
      }
    else if (set && n.has("policy"))
      {
        const CaseNode p = n.at("policy");
        p.expect_keys(floorplans::block_type_names());
        for (std::size_t t = 0; t < policy.by_type.size(); ++t)
          if (p.has(floorplans::block_type_names()[t]))
            policy.by_type[t] = read_rule(p.at(floorplans::block_type_names()[t]), policy.by_type[t]);
      }

    const auto                   blocks   = model.all_blocks();
    const auto                   built_in = default_rules(die_cell_size_m, degree);
    const std::set<std::string>  user_set_types = [&] {
      std::set<std::string> t;
      if (set && n.has("policy") && n.at("policy").is_map())
        for (const auto &name : floorplans::block_type_names())
          if (n.at("policy").has(name))
            t.insert(name);
      return t;
    }();
    // What a deferred block asks for until its rule is applied: the die's cell size only.
    policy.moderate              = built_in[static_cast<int>(floorplans::BlockType::memory)];
    policy.moderate.cells_across = 0;
    policy.moderate.max_level    = policy.max_level;
    for (const auto *b : blocks)
      {
        const int type = static_cast<int>(b->type);
        policy.per_block.push_back(policy.by_type[type]);
        // Every built-in rule waits for the first estimate (when the run has
        // one): sensitive blocks' fine cells, and the cells across a bulk
        // block smaller than the die's cells (the mesh need not follow blocks).
        policy.deferrable.push_back(!user_set_types.count(floorplans::block_type_names()[type]) &&
                                    std::isfinite(policy.by_type[type].cell_size_m));
      }
    if (set && n.has("blocks"))
      {
        const CaseNode per_block = n.at("blocks");
        std::vector<std::string> names;
        for (const auto *b : blocks)
          names.push_back(b->name);
        per_block.expect_keys(names);
        for (std::size_t i = 0; i < blocks.size(); ++i)
          if (per_block.has(blocks[i]->name))
            {
              policy.per_block[i]  = read_rule(per_block.at(blocks[i]->name), policy.per_block[i]);
              policy.deferrable[i] = false;
            }
      }
    return policy;
  }

  MeshPolicy MeshPolicy::with_deferred(const std::vector<bool> &applied) const
  {
    MeshPolicy p = *this;
    for (std::size_t b = 0; b < per_block.size(); ++b)
      if (deferrable[b] && !(b < applied.size() && applied[b]))
        p.per_block[b] = moderate;
    return p;
  }

  MeshPolicy MeshPolicy::restricted_to(const std::vector<bool> &chosen) const
  {
    MeshPolicy p = *this;
    for (std::size_t b = 0; b < per_block.size(); ++b)
      if (!(b < chosen.size() && chosen[b]))
        p.per_block[b].cell_size_m = std::numeric_limits<double>::infinity(), p.per_block[b].halo_m = 0;
    return p;
  }
} // namespace chiptherm::mesh
