#pragma once
// A continuous finite element field of one degree on a mesh: its DoFs, their
// hanging-node constraints and an absolute temperature (K) with ghost
// entries. The steady solve keeps one per degree it solves at without an
// assembled HeatProblem (the matrix-free degrees).
#include "temperature_field.h"

#include <deal.II/distributed/solution_transfer.h>
#include <deal.II/distributed/tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/la_parallel_vector.h>

namespace chiptherm::solver
{
  class FeField
  {
  public:
    using VectorType = dealii::LinearAlgebra::distributed::Vector<double>;

    explicit FeField(const dealii::Triangulation<3> &tria)
      : dofs_(tria)
    {}

    /// Distributes DoFs of FE_Q(degree) on the mesh as it is now and builds
    /// their constraints; the temperature is sized (values undefined).
    void reinit(unsigned int degree);
    /// temperature = rise + reference_k, the rise taken from a vector of any
    /// layout with these DoFs' owned entries (a matrix-free solution); sets
    /// the hanging-node values and the ghosts.
    void set_from_rise(const VectorType &rise, double reference_k);
    /// The rise (a vector of any layout with these DoFs' owned entries) in this
    /// field's layout with its hanging-node values set: matrix-free vectors
    /// hold 0 there. Ghost entries are not updated.
    VectorType constrained(const VectorType &rise) const;

    /// Carries the temperature across a refinement of the mesh (a first guess
    /// for the next solve): prepare_transfer() once the cells are flagged and
    /// before the refinement executes; finish_transfer() after it distributes
    /// the DoFs anew (as reinit()) and interpolates (hanging-node values set).
    /// finish_transfer() without a prepared transfer does nothing.
    void prepare_transfer();
    void finish_transfer();

    const dealii::DoFHandler<3>             &dofs() const { return dofs_; }
    const dealii::AffineConstraints<double> &constraints() const { return constraints_; }
    const VectorType                        &temperature() const { return temperature_; }
    TemperatureField view(const dealii::Mapping<3> &mapping) const { return {&dofs_, &mapping, &temperature_}; }

  private:
    dealii::DoFHandler<3>             dofs_;
    dealii::AffineConstraints<double> constraints_;
    VectorType                        temperature_;
    unsigned int                      degree_ = 0;
    std::unique_ptr<dealii::parallel::distributed::SolutionTransfer<3, VectorType>> transfer_;
  };
} // namespace chiptherm::solver
