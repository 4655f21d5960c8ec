#pragma once
// The `mesh:` section of a case file. Lengths in SI (m) once read.
#include "common/case_node.h"
#include "floorplans/chip_model.h"
#include "mesh_policy.h"
#include "refinement_map.h"

#include <string>
#include <vector>

namespace chiptherm::mesh
{
  struct MeshSettings
  {
    /// The case file's top-level key this struct reads.
    static constexpr const char *section = "mesh";
    /// Largest in-plane cell edge over the powered layers' footprints (the die), m.
    /// Default: the die's larger side / 40 for Q1 elements, / 12 for Q2 and up
    /// (the nominal size). In steady runs where blocks narrower than the nominal
    /// size cover at least a quarter of the blocks' area: at most 4 thicknesses
    /// of the thinnest powered layer, down to half the nominal size.
    double die_cell_size_m = 0;
    /// Largest in-plane cell edge far from the die (spreader, sink), m. Default 8 x the nominal die size.
    double package_cell_size_m = 0;
    /// Largest cell thickness, m. Default 2 x the nominal die size.
    double vertical_cell_size_m = 0;
    /// Fewest cells across any layer's thickness, and across a powered layer
    /// (default 1; 2 when a block leaks: read()).
    int min_layer_cells   = 1;
    int min_powered_cells = 1;
    /// Uniform refinements of the whole coarse mesh.
    int global_refinements = 0;
    /// Edges closer than this merge (avoids slivers from near-coincident block edges), m.
    double merge_tolerance_m = 1e-7;
    /// Which blocks' edges become coarse grid lines (mesh.block_edges): `auto`
    /// (the blocks of highest power density first, as long as the coarse mesh
    /// stays within 4 times the package's own, or 10,000 cells), `all` or `none`.
    /// Others are resolved by refinement; power goes in by overlap either way.
    enum class BlockEdges { automatic, all, none } block_edges = BlockEdges::automatic;
    /// A zone whose k_z / thickness is at least this many times every
    /// neighbouring layer's is refined in columns with the cells above and
    /// below it (mesh/stiff_layers.h); 0 turns it off.
    double stiff_layer_ratio = 10;
    /// Cell sizes per block type and block, level cap, cell budget.
    MeshPolicy policy;
    /// Rasters asking for cell sizes (mesh.refinement_map; the predictor adds more).
    std::vector<RefinementMap> refinement_maps;
    /// A predictor model whose refinement maps join the others before meshing
    /// (mesh.predictor: {model: FILE}), or empty; priorities map between these sizes.
    std::string predictor_model;
    double      predictor_finest_m = 0, predictor_coarsest_m = 0;
    /// A Gmsh hex mesh to use instead of building one (mesh.file), or empty.
    std::string gmsh_file;

    /// The kind of run a mesh is for: some defaults differ.
    enum class Run { steady, transient };

    /// Reads `mesh:` (optional) with defaults scaled to the model and to the
    /// element degree and kind of run the mesh is for.
    static MeshSettings read(const CaseNode &mesh_section, const floorplans::ChipModel &model, unsigned int degree = 1,
                             Run run = Run::steady);
  };
} // namespace chiptherm::mesh
