#pragma once
// A temperature field on the mesh, whatever computed it: the DoFs (any
// degree), the mapping and the absolute temperature (K) with ghost entries.
// Block figures, error estimates and outputs read fields through it, so the
// assembled Q1/Q2 solution and the matrix-free higher-degree one are alike.
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/mapping.h>
#include <deal.II/lac/la_parallel_vector.h>

namespace chiptherm::solver
{
  struct TemperatureField
  {
    const dealii::DoFHandler<3>                            *dofs        = nullptr;
    const dealii::Mapping<3>                               *mapping     = nullptr;
    const dealii::LinearAlgebra::distributed::Vector<double> *temperature = nullptr; ///< K, ghosted
    MPI_Comm communicator() const { return dofs->get_triangulation().get_communicator(); }
  };
} // namespace chiptherm::solver
