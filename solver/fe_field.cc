#include "fe_field.h"

#include <deal.II/dofs/dof_renumbering.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>

namespace chiptherm::solver
{
  using namespace dealii;

  void FeField::reinit(unsigned int degree)
  {
    degree_ = degree;
    dofs_.distribute_dofs(FE_Q<3>(degree));
    // Along p4est's space-filling curve, as HeatProblem: the same mesh gets the
    // same numbering however it was reached (a mesh read back from Gmsh, a
    // checkpoint), so it gets the same answer to the last digit.
    DoFRenumbering::hierarchical(dofs_);
    const IndexSet relevant = DoFTools::extract_locally_relevant_dofs(dofs_);
    constraints_.clear();
    constraints_.reinit(relevant);
    DoFTools::make_hanging_node_constraints(dofs_, constraints_);
    constraints_.close();
    temperature_.reinit(dofs_.locally_owned_dofs(), relevant, dofs_.get_triangulation().get_communicator());
  }

  void FeField::prepare_transfer()
  {
    transfer_ = std::make_unique<parallel::distributed::SolutionTransfer<3, VectorType>>(dofs_);
    transfer_->prepare_for_coarsening_and_refinement(temperature_);
  }

  void FeField::finish_transfer()
  {
    if (!transfer_)
      return;
    reinit(degree_);
    transfer_->interpolate(temperature_);
    transfer_.reset();
    constraints_.distribute(temperature_);
    temperature_.update_ghost_values();
  }

  FeField::VectorType FeField::constrained(const VectorType &rise) const
  {
    VectorType u(dofs_.locally_owned_dofs(), temperature_.get_partitioner()->ghost_indices(),
                 dofs_.get_triangulation().get_communicator());
    u.copy_locally_owned_data_from(rise);
    constraints_.distribute(u);
    return u;
  }

  void FeField::set_from_rise(const VectorType &rise, double reference_k)
  {
    const VectorType u = constrained(rise);
    for (unsigned int i = 0; i < u.locally_owned_size(); ++i)
      temperature_.local_element(i) = u.local_element(i) + reference_k;
    temperature_.update_ghost_values();
  }
} // namespace chiptherm::solver
