#pragma once
// Checkpoints of a transient run: the distributed mesh (p4est's own files),
// the temperature (serialised with the mesh by SolutionTransfer) and a JSON
// state record. Two slots, a and b, take turns; the file `latest` names the
// slot that is complete and is replaced by rename only after the slot is
// written, so a run killed at any moment leaves a whole checkpoint behind.
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/la_parallel_vector.h>

#include <nlohmann/json.hpp>

#include <string>

namespace chiptherm::solver
{
  class CheckpointStore
  {
  public:
    CheckpointStore(std::string directory, MPI_Comm comm);

    /// Collective. Writes mesh, temperature (with ghost values) and state
    /// into the free slot, then makes it the latest.
    void save(const dealii::parallel::distributed::Triangulation<3>  &tria,
              const dealii::DoFHandler<3>                             &dof_handler,
              const dealii::LinearAlgebra::distributed::Vector<double> &temperature, const nlohmann::json &state);

    /// True when a complete checkpoint exists.
    bool exists() const;
    /// The latest state record, after checking that the slot's other files are
    /// those it was written with (sizes and CRC-32 digests): throws InputError
    /// naming the folder otherwise.
    nlohmann::json state() const;
    /// The latest mesh, for Triangulation::load() on the same coarse mesh.
    std::string mesh_file() const;
    /// After load(mesh_file()) and distributing DoFs: the saved temperature,
    /// into a vector with the ghost layout (values on owned entries).
    void load_temperature(const dealii::DoFHandler<3>                        &dof_handler,
                          dealii::LinearAlgebra::distributed::Vector<double> &temperature) const;

  private:
    std::string latest_slot() const;

    std::string directory_;
    MPI_Comm    comm_;
  };
} // namespace chiptherm::solver
