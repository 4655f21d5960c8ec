#pragma once
// ChipModel -> coarse hexahedral mesh of the whole stack.
//
// The coarse mesh is a tensor grid: its x (y) lines are every footprint and
// region edge (the package), the edges of as many blocks as keep it small
// (mesh.block_edges; the densest first), plus subdivisions so that no cell
// exceeds the die / package cell size; its z lines are the layer interfaces
// plus subdivisions. Grid cells outside a layer's footprint are removed.
// Every layer interface and every region and footprint edge is a cell face,
// and each cell's material_id is its zone (layer, region). Blocks whose edges
// are not lines are found by overlap (mesh/block_boxes.h): a floorplan of
// 10,000 blocks costs a coarse mesh of the package's size. See docs/design.md.
#include "floorplans/chip_model.h"
#include "box_index.h"
#include "mesh_settings.h"
#include "zone_table.h"

#include <deal.II/grid/tria.h>

#include <array>
#include <functional>
#include <vector>

namespace chiptherm::mesh
{
  struct StackMeshInfo
  {
    ZoneTable                  zones;
    std::array<std::size_t, 3> lines{};            ///< grid lines per axis
    std::size_t                coarse_cells     = 0;
    std::size_t                blocks_on_lines  = 0; ///< blocks whose edges are grid lines (mesh.block_edges)
    double                     max_aspect_ratio = 0; ///< longest / shortest edge over coarse cells
    double                     min_cell_m       = 0; ///< shortest coarse-cell edge
  };

  class StackMeshBuilder
  {
  public:
    StackMeshBuilder(const floorplans::ChipModel &model, const MeshSettings &settings);

    /// Grid line coordinates (m) along axis 0 (x), 1 (y), 2 (z).
    const std::vector<double> &lines(unsigned int axis) const { return lines_[axis]; }
    /// The cells build() will make, counted without making them, and each one's
    /// box through `visit` (stops early when visit returns false).
    std::size_t count_coarse_cells() const;
    void        for_each_coarse_cell(const std::function<bool(const Box3 &)> &visit) const;

    /// Creates the coarse mesh in tria (which must be empty), sets boundary ids
    /// (BoundaryGroup) and applies the settings' global refinements.
    StackMeshInfo build(dealii::Triangulation<3> &tria) const;
    /// How many blocks' edges are grid lines (mesh.block_edges).
    std::size_t blocks_on_lines() const { return blocks_on_lines_; }

  private:
    void make_z_lines();
    /// The grid cells [i0, i1) x [j0, j1) a rectangle covers.
    std::array<std::size_t, 4> cells_of(const floorplans::Rect &r) const;

    const floorplans::ChipModel &model_;
    MeshSettings                 settings_;
    std::array<std::vector<double>, 3> lines_;
    std::vector<unsigned int>          layer_of_z_cell_;
    std::size_t                        blocks_on_lines_ = 0;
  };

  /// Boundary ids on the coarse faces: top (the highest z), bottom (the
  /// lowest z; up to tolerance, m) and sides (all other outer faces).
  void assign_boundary_ids(dealii::Triangulation<3> &tria, double tolerance);

  /// Sorted grid lines through every edge (edges closer than merge_tolerance
  /// merge), subdivided so that cells inside [fine_lo, fine_hi] are at most
  /// fine_size wide and cells outside grow with the distance from it, up to
  /// coarse_size. Exposed for unit tests.
  std::vector<double> make_grid_lines(std::vector<double> edges, double fine_lo, double fine_hi, double fine_size,
                                      double coarse_size, double merge_tolerance);
} // namespace chiptherm::mesh
