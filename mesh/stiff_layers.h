#pragma once
// Thin layers that conduct far better through their thickness than the layers
// on either side (a hybrid bond: 2 um of copper pads in oxide between two
// 12 um BEOL layers) are refined in whole columns with the cells above and
// below them: no face of such a layer carries hanging nodes. Where one did,
// the temperature of the thin layer's top and bottom is nearly one (its
// through-thickness conductance is 100x its neighbours'), but the finer cells
// on one side hang from coarser ones on the other: the p-multigrid's lines
// end there and CG iterations grew with refinement (the 3D stack refined to
// 250 um: 45 + 58 at Q2 + Q3; in columns 19 + 24, docs/benchmarks.md, "p-multigrid
// on thin cells"). p4est refines isotropically, so the columns cost the
// neighbours' cells that touch the layer, nothing further away.
#include "zone_table.h"

#include "floorplans/chip_model.h"

#include <deal.II/distributed/tria.h>

#include <vector>

namespace chiptherm::mesh
{
  /// A layer is stiff when one of its materials' k_z over its thickness is at
  /// least `ratio` times the largest k_z / thickness of every layer next to it
  /// (the layer's own material and its regions'); all its zones are then
  /// stiff. One entry per zone; none when ratio <= 0 (the setting's "off").
  std::vector<bool> stiff_zones(const floorplans::ChipModel &model, const ZoneTable &zones, double ratio = 10);

  /// Adds refine flags (and clears coarsen flags) until no face between a
  /// cell of a stiff zone and its neighbour above or below will carry hanging
  /// nodes after the flags are executed (p4est's 2:1 balance may still add a
  /// few: the next call flags them). Collective; reads the neighbours'
  /// flags on other ranks. Returns the number of flags added on all ranks.
  unsigned long long close_flags_at_stiff_zones(dealii::parallel::distributed::Triangulation<3> &tria,
                                                const std::vector<bool>                         &stiff);
} // namespace chiptherm::mesh
