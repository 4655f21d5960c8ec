#pragma once
// Where the mesh must be fine before any solve: a cell-size rule per block type
// (with per-block overrides), a refinement level cap and a global cell budget.
// Read from the `mesh:` section; no deal.II here.
#include "common/case_node.h"
#include "floorplans/chip_model.h"

#include <array>
#include <vector>

namespace chiptherm::mesh
{
  /// How fine the mesh must be inside and around one block.
  struct CellSizeRule
  {
    double cell_size_m  = 0; ///< largest in-plane cell edge inside the block and its halo
    int    cells_across = 1; ///< and at least this many cells across the block's smaller side (0: no count)
    double halo_m       = 0; ///< the rule also holds within this in-plane distance of the block (in its layer)
    int    max_level    = 0; ///< refinement levels (over the coarse mesh) allowed inside the block

    /// The cell size this rule asks for inside a block of footprint r.
    double size_for(const floorplans::Rect &r) const;
  };

  struct MeshPolicy
  {
    /// One rule per floorplans::BlockType, in enum order.
    std::array<CellSizeRule, 9> by_type;
    /// One rule per block, ChipModel::all_blocks() order (type rule + overrides).
    std::vector<CellSizeRule> per_block;
    /// Per block: its rule is the built-in one of its type (neither
    /// mesh.policy nor mesh.blocks set it), which a steady run with error
    /// estimates applies only when the first solve's estimate asks for it.
    std::vector<bool> deferrable;
    /// The rule deferred blocks get until then: the die's cell size, no count across.
    CellSizeRule moderate;
    /// Refinement levels allowed outside blocks (and the default cap inside).
    int max_level = 6;
    /// No refinement (a priori or adaptive) goes beyond this many active cells;
    /// an a priori mesh past it is refused. Unless the case sets it, the run
    /// sizes it to the machine's memory (ChipMesh), at most this default.
    unsigned long long max_cells     = 3'000'000;
    bool               max_cells_set = false; ///< the case set mesh.max_cells

    /// Reads `mesh.policy` (per type), `mesh.blocks` (per block), `mesh.max_level`
    /// and `mesh.max_cells`; mesh_section may be undefined (all defaults).
    static MeshPolicy read(const CaseNode &mesh_section, const floorplans::ChipModel &model, double die_cell_size_m,
                           unsigned int degree = 1);
    /// The built-in rules: analog, clock, pmic, photonic fine (Q1: 100 um, 4
    /// across, 200 um halo; Q2 and up: 150 um, 3 across, 100 um halo); the
    /// others moderate (the die's cell size, 2 across).
    static std::array<CellSizeRule, 9> default_rules(double die_cell_size_m, unsigned int degree = 1);
    /// This policy with the deferrable blocks not yet in `applied` on the moderate rule.
    MeshPolicy with_deferred(const std::vector<bool> &applied) const;
    /// Only the rules of the blocks in `chosen`: every other block asks for nothing.
    MeshPolicy restricted_to(const std::vector<bool> &chosen) const;
  };
} // namespace chiptherm::mesh
