// p-multigrid against the assembled solve on a case's first mesh (no adaptive
// cycles): Q1 assembled (CG + BoomerAMG), then degrees 2..P matrix-free with
// p-multigrid down to that Q1 problem, and degree 2 assembled for comparison.
// Prints times, iterations and the block figures of each solve.
//   pmg_timing CASE.yaml MAX_DEGREE [KEY=VALUE ...]
#include "commands/case_setup.h"
#include "solver/chip_mesh.h"
#include "solver/heat_problem.h"
#include "solver/nonlinear_solve.h"
#include "solver/p_multigrid.h"
#include "solver/block_statistics.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/timer.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <memory>

using namespace dealii;
using namespace chiptherm;

namespace
{
  void print_blocks(const char *what, const std::vector<solver::BlockResult> &r, double seconds, unsigned long long dofs,
                    unsigned int iterations)
  {
    if (Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
      return;
    std::printf("%-22s %10llu dofs %6.3f s %3u it |", what, dofs, seconds, iterations);
    std::size_t hottest = 0;
    for (std::size_t b = 0; b < r.size(); ++b)
      if (r[b].t_max_k > r[hottest].t_max_k)
        hottest = b;
    for (std::size_t b = 0; b < std::min<std::size_t>(r.size(), 3); ++b)
      std::printf(" %.4f/%.4f", r[b].t_max_k - 273.15, r[b].t_avg_k - 273.15);
    std::printf(" hottest #%zu %.4f/%.4f", hottest, r[hottest].t_max_k - 273.15, r[hottest].t_avg_k - 273.15);
    std::printf("\n");
  }
} // namespace

int main(int argc, char **argv)
{
  Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  if (argc < 3)
    {
      std::cerr << "usage: pmg_timing CASE.yaml MAX_DEGREE [KEY=VALUE ...]\n";
      return 2;
    }
  auto document = CaseDocument::load(argv[1]);
  for (int i = 3; i < argc; ++i)
    document.apply_override(argv[i]);
  const auto         setup      = commands::read_case(document);
  const unsigned int max_degree = std::stoi(argv[2]);
  const double       reduction  = std::getenv("REDUCTION") ? std::atof(std::getenv("REDUCTION")) : 0.0;
  TimerOutput        timer(MPI_COMM_WORLD, std::cout, TimerOutput::never, TimerOutput::wall_times);
  solver::ChipMesh   mesh(*setup.model, setup.mesh, MPI_COMM_WORLD, timer);
  mesh.build();
  const auto   n_blocks = setup.model->all_blocks().size();
  const auto   data     = mesh.coefficients().problem_data();
  Timer        clock;
  solver::HeatProblem<3> q1(mesh.triangulation(), 1, timer);
  q1.setup();
  q1.assemble(data);
  auto r1 = solver::solve_steady(q1, setup.solver);
  print_blocks("Q1 assembled", solver::compute_block_results(q1, mesh.coefficients(), n_blocks), clock.wall_time(),
               q1.n_dofs(), r1.iterations);

  clock.restart();
  std::vector<std::unique_ptr<DoFHandler<3>>>             dofs;
  std::vector<std::unique_ptr<AffineConstraints<double>>> constraints;
  std::map<unsigned int, solver::PMultigridSolver::Level> levels;
  for (unsigned int p = 2; p <= max_degree; ++p)
    {
      dofs.push_back(std::make_unique<DoFHandler<3>>(mesh.triangulation()));
      dofs.back()->distribute_dofs(FE_Q<3>(p));
      constraints.push_back(
        std::make_unique<AffineConstraints<double>>(DoFTools::extract_locally_relevant_dofs(*dofs.back())));
      DoFTools::make_hanging_node_constraints(*dofs.back(), *constraints.back());
      constraints.back()->close();
      levels[p] = {dofs.back().get(), constraints.back().get()};
    }
  solver::PMultigridSolver hierarchy(q1, levels, data, {}, setup.solver);
  const double setup_s = clock.wall_time();
  solver::PMultigridSolver::VectorType previous;
  for (unsigned int p = 2; p <= max_degree; ++p)
    {
      clock.restart();
      solver::PMultigridSolver::VectorType x;
      if (p == 2)
        hierarchy.prolongate_from_q1(q1.temperature_rise(), 2, x);
      else
        hierarchy.prolongate(p - 1, previous, p, x);
      const auto report = hierarchy.solve(p, x, setup.solver, reduction);
      constraints[p - 2]->distribute(x);
      previous = x;
      LinearAlgebra::distributed::Vector<double> t(dofs[p - 2]->locally_owned_dofs(),
                                                   DoFTools::extract_locally_relevant_dofs(*dofs[p - 2]), MPI_COMM_WORLD);
      t = x;
      t.add(setup.model->ambient_k);
      t.update_ghost_values();
      char what[64];
      std::snprintf(what, sizeof what, "Q%u matrix-free (setup %.2f)", p, setup_s);
      print_blocks(what, solver::compute_block_results({dofs[p - 2].get(), &q1.mapping(), &t}, mesh.coefficients(), n_blocks),
                   clock.wall_time(), dofs[p - 2]->n_dofs(), report.iterations);
    }
  if (std::getenv("SKIP_ASSEMBLED_Q2"))
    return 0;
  clock.restart();
  solver::HeatProblem<3> q2(mesh.triangulation(), 2, timer);
  q2.setup();
  q2.assemble(data);
  auto r2 = solver::solve_steady(q2, setup.solver);
  print_blocks("Q2 assembled", solver::compute_block_results(q2, mesh.coefficients(), n_blocks), clock.wall_time(),
               q2.n_dofs(), r2.iterations);
  return 0;
}
