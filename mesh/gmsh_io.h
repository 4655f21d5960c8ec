#pragma once
// The mesh in Gmsh's .msh format, through the Gmsh SDK.
//
// Writing: every active cell becomes an 8-node hexahedron in one discrete
// volume per zone and block; physical groups name each volume's layer
// ("layer:die"), region ("region:LAYER/NAME"), material ("material:NAME")
// and block ("block:LAYER/NAME": the elements whose centre lies in the block;
// blocks are not zones, and reading ignores these groups). Two element-data views record each element's coarse
// cell and refinement level, so that a mesh with hanging nodes reads back
// into the same refinement tree.
//
// Reading: elements are grouped by their coarse cell (each element is its own
// coarse cell when the file has no such view: any conforming hex mesh from
// Gmsh), the coarse cells form the coarse mesh, and cells are refined until
// the active cells are the file's elements. Zones come from the physical groups
// matched against the case's layers and regions.
#include "floorplans/chip_model.h"
#include "stack_mesh_builder.h"

#include <deal.II/distributed/tria.h>

#include <string>

namespace chiptherm::mesh
{
  /// Collective: gathers the cells to rank 0, which writes path.
  void write_gmsh_mesh(const dealii::parallel::distributed::Triangulation<3> &tria, const ZoneTable &zones,
                       const floorplans::ChipModel &model, const std::string &path);

  /// Collective: every rank reads path into tria (which must be empty) and
  /// sets boundary ids. Throws InputError naming the file for anything that
  /// does not match the case.
  StackMeshInfo read_gmsh_mesh(const std::string &path, const floorplans::ChipModel &model,
                               dealii::parallel::distributed::Triangulation<3> &tria);
} // namespace chiptherm::mesh
