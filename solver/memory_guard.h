#pragma once
// The run's memory ceiling, checked while it runs (issue 22): before a solve on
// a new mesh, the memory it is expected to need must fit in what the machine
// (and its cgroup) can still give, less the reserve for other work
// (common/machine_memory.h). Otherwise the run stops with a NumericalError
// (exit 3, nothing written) instead of being killed by the kernel, which on a
// workstation takes other work down with it. The a priori cell budget
// (mesh.max_cells) catches most cases before anything is built; this catches
// what it cannot see: other programs' memory, a smaller cgroup, meshes that
// cost more per cell than the budget assumes (deep local refinement: up to
// 3x, measured on a corrupted-input variant).
#include <deal.II/base/mpi.h>

#include <string>

namespace chiptherm::solver
{
  class MemoryCeiling
  {
  public:
    /// Records this process's resident memory before any mesh exists.
    MemoryCeiling();

    /// Collective. Throws NumericalError naming what was about to run when the
    /// ranks of some node are expected to need more than that node can still
    /// give: per rank, its memory at start plus 1.5 x local_cells times the
    /// larger of chip_mesh.h's bytes_per_cell and the cost per cell observed so far.
    void check(MPI_Comm comm, unsigned long long local_cells, const std::string &before) const;

    /// Collective. Whether `check` would pass for a mesh of local_cells cells
    /// on this rank: the adaptive loop asks before it refines, so that a next
    /// mesh that cannot fit ends the loop on the last solved one (its answer
    /// and bounds reported) instead of failing after the refinement.
    bool fits(MPI_Comm comm, unsigned long long local_cells) const;

    /// After a solve on local_cells cells: learns its cost per cell from the
    /// process's peak resident memory.
    void observe(unsigned long long local_cells);

  private:
    struct Shortfall
    {
      bool   short_of   = false;
      double needed     = 0, free_bytes = 0; ///< on the node short by the most
    };
    Shortfall shortfall(MPI_Comm comm, unsigned long long local_cells) const;

    double start_bytes_;
    double bytes_per_cell_;
  };
} // namespace chiptherm::solver
