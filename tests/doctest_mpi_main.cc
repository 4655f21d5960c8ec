// doctest entry point for tests that use deal.II, MPI and PETSc.
#define DOCTEST_CONFIG_IMPLEMENT
#include <deal.II/base/mpi.h>

#include <doctest/doctest.h>

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  doctest::Context                         context(argc, argv);
  // Only rank 0 reports, so a run under mpirun prints one summary.
  if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) != 0)
    context.setOption("out", "/dev/null");
  return context.run();
}
