#pragma once
// The mesh of a chip case and what lives on it: the coarse mesh of the stack
// (or mesh.file), refined a priori to the mesh policy, the case's refinement
// maps and the predictor's (mesh.predictor), the coefficients of its zones,
// and the marking and execution of a posteriori refinement within the
// policy's level caps and sizes. Steady and transient runs both own one.
#include "ai_predictor/net_plugin.h"
#include "chip_coefficients.h"
#include "floorplans/chip_model.h"
#include "mesh/block_boxes.h"
#include "mesh/size_field.h"
#include "mesh/stack_mesh_builder.h"

#include <deal.II/base/timer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/lac/vector.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace chiptherm::solver
{
  /// Memory per active cell of a steady run with error bounds (Q2 solve and Q3
  /// estimate, p-multigrid, Q1 AMG), measured: 2.48 GB peak at 99,491 cells
  /// (bench/large_floorplans.py's 1000-block case, cycle 1).
  constexpr double bytes_per_cell = 25'000;
  /// The share of the usable memory the default mesh budget plans for.
  constexpr double memory_share = 0.75;
  /// The active cells that fit in the memory of the nodes comm spans (same on every rank).
  unsigned long long cells_that_fit_in_memory(MPI_Comm comm);

  class ChipMesh
  {
  public:
    ChipMesh(const floorplans::ChipModel &model, const mesh::MeshSettings &settings, MPI_Comm comm,
             dealii::TimerOutput &timer);

    /// With defer, the built-in rules of sensitive block types
    /// (MeshPolicy::deferrable) wait until apply_policy() asks for them; the
    /// first mesh gives those blocks the bulk rule. Call before build().
    void defer_policy(bool defer) { defer_policy_ = defer; }
    /// Builds the coarse mesh (or reads mesh.file), refines it to the mesh
    /// policy and refinement maps, builds the coefficients (timer "mesh").
    void build();
    /// Applies the deferred rules of these blocks (all_blocks order): refines
    /// their cells (and halos) one level where they exceed the rule, so a
    /// large sensitive block does not jump from die cells to 150 um (with
    /// isotropic refinement, 512 times the cells) in one cycle; coarsening
    /// respects the rules from now on. Returns whether any cell was refined.
    /// attach_data() runs as in refine_marked(), when there is anything to refine.
    bool apply_policy_level(const std::vector<bool> &blocks, const std::function<void()> &attach_data = {});
    /// Per block: its deferred rule is applied (or it had none to defer).
    const std::vector<bool> &policy_applied() const { return applied_; }
    /// Per block (all_blocks order): the largest in-plane edge its cells would
    /// have with every cell it overlaps refined to its level cap, m (the
    /// finest a block can be resolved; max over ranks; 0 for a block no cell overlaps).
    std::vector<double> finest_reachable_cell_m() const;
    /// The mesh saved in a checkpoint (Triangulation::save) instead: the same
    /// coarse mesh, then p4est's saved refinement. Throws InputError when this
    /// case's coarse mesh does not have the saved one's coarse_cells.
    void build_from_checkpoint(const std::string &mesh_file, unsigned long long coarse_cells);
    /// With a predictor (mesh.predictor), builds the mesh again from its maps
    /// for these block powers (all_blocks order: the settled dynamic power plus
    /// leakage) when more than `threshold` of the power the mesh was seeded
    /// for has moved between blocks (sum |P - P_seeded| / sum P_seeded).
    /// Returns the share that moved, or -1 when nothing was re-seeded. The
    /// caller must have released everything that lives on the old mesh.
    double reseed(const std::vector<double> &block_power_w, double threshold);

    /// Flags the given fractions of cells with the largest (smallest) indicator
    /// for refinement (coarsening), within max_cells, then drops flags that
    /// would pass a zone's level cap or coarsen below the policy's size.
    /// Returns whether any cell is flagged for refinement.
    bool mark_cells(double refine_fraction, double coarsen_fraction, unsigned long long max_cells,
                    const dealii::Vector<float> &indicator);
    /// The same with Doerfler's bulk criterion: the fewest cells whose
    /// indicators sum to refine_share of the total are refined, those summing
    /// to coarsen_share at the bottom coarsened.
    bool mark_share(double refine_share, double coarsen_share, unsigned long long max_cells,
                    const dealii::Vector<float> &indicator);
    /// At most this rank's cells once the flags are executed and then a level
    /// of the rules of `policy_blocks` (apply_policy_level) applied: a cell
    /// refined by either adds 7, by both up to 63; a coarsened family of 8
    /// removes 7 (2:1 balance adds a few per cent on top).
    unsigned long long local_cells_after_flags(const std::vector<bool> &policy_blocks) const;
    /// Collective. Per block: whether a cell it overlaps is flagged for refinement.
    std::vector<bool> blocks_flagged(std::size_t n_blocks) const;
    /// The flagged cells of largest indicator that carry a share of the flagged
    /// cells' summed indicator (flagged_cells_carrying()).
    struct CarryingCells
    {
      /// On every rank: (level, x0, y0, z0, x1, y1, z1) per cell, for
      /// refine_children_of() after the flags are executed.
      std::vector<double> cells;
      unsigned long long  flagged = 0; ///< all flagged cells, over the ranks
    };
    /// Collective. The flagged cells of largest indicator that carry `share`
    /// of the flagged cells' summed indicator, and how many cells are flagged.
    CarryingCells flagged_cells_carrying(double share, const dealii::Vector<float> &indicator) const;
    /// Collective. Refines (timer "refine") the children of the cells that
    /// flagged_cells_carrying() named (active cells one level below one of them,
    /// their centre inside it), within the level caps: a second level in one
    /// cycle. attach_data() runs as in refine_marked(). Returns whether any
    /// cell was refined.
    bool refine_children_of(const std::vector<double> &cells, const std::function<void()> &attach_data);
    /// Drops every refine and coarsen flag.
    void clear_flags();
    /// Executes the flags (timer "refine"); the coefficients stay valid (zones
    /// are inherited by children and parents alike). attach_data() runs after
    /// prepare_coarsening_and_refinement(), for a SolutionTransfer to register its vectors.
    void refine_marked(const std::function<void()> &attach_data = {});

    const dealii::parallel::distributed::Triangulation<3> &triangulation() const { return tria_; }
    const mesh::StackMeshInfo                             &info() const { return info_; }
    const mesh::MeshSettings                              &settings() const { return settings_; }
    const ChipCoefficients                                &coefficients() const { return *coefficients_; }
    /// Sweeps of a priori refinement, and whether the cell budget stopped them.
    unsigned int a_priori_passes() const { return a_priori_passes_; }
    bool         a_priori_budget_hit() const { return a_priori_budget_hit_; }
    /// The predictor's part in the first mesh (mesh.predictor): dies and milliseconds; 0 dies without one.
    const ai_predictor::SeedingReport &predictor_seeding() const { return seeding_; }

  private:
    /// After every change of the mesh: a mesh expected to need much memory
    /// turns huge pages off for the rest of the run (common/huge_pages.h).
    void size_known() const;
    /// build() with the predictor reading seed_model's block powers.
    void build_for(const floorplans::ChipModel &seed_model);
    /// Refuses (InputError) a case whose a priori mesh would pass
    /// mesh.max_cells, counted on boxes before any cell is allocated.
    void check_budget(const mesh::StackMeshBuilder &builder) const;
    /// The refinement level caps where cells lie (the blocks' max_level rules).
    void make_level_caps();
    std::vector<bool> stiff_zones() const;
    /// The size field of the policy as applied now (deferred rules waiting) and the maps.
    void make_size_field();
    /// Drops refine flags past a zone's level cap and coarsen flags whose parent
    /// would break the size field; whether any refine flag is left.
    bool cap_flags();

    const floorplans::ChipModel                    &model_;
    mesh::MeshSettings                              settings_;
    dealii::TimerOutput                            &timer_;
    dealii::parallel::distributed::Triangulation<3> tria_;
    mesh::StackMeshInfo                             info_;
    std::unique_ptr<mesh::SizeField>                size_field_;
    std::unique_ptr<mesh::BlockBoxes>               block_boxes_;
    std::unique_ptr<mesh::LevelCaps>                level_cap_;
    std::vector<bool>                               stiff_zones_; ///< per zone: refined in columns (mesh/stiff_layers.h)
    std::unique_ptr<ChipCoefficients>               coefficients_;
    unsigned int                                    a_priori_passes_     = 0;
    bool                                            a_priori_budget_hit_ = false;
    ai_predictor::SeedingReport                     seeding_;
    std::size_t                                     user_maps_ = 0;  ///< refinement maps of the case (before the predictor's)
    bool                                            defer_policy_ = false;
    std::vector<bool>                               applied_; ///< per block: deferred rule applied
    std::vector<double>                             seeded_powers_;  ///< what the predictor's maps were made for
  };
} // namespace chiptherm::solver
