#pragma once
// ParaView output: solution.pvd -> solution_0000.pvtu -> one .vtu per rank,
// with the named fields of the contract. Coordinates in metres.
#include "chip_coefficients.h"
#include "temperature_field.h"

#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/vector.h>

#include <memory>
#include <string>

namespace chiptherm::solver
{
  /// Writes the steady fields into directory (which must exist), the power
  /// density from block_power_w (dynamic, W per block, all_blocks order) plus
  /// leakage at the solved temperature; returns the .pvd name.
  /// What a steady result shows of its error: the local indicator (one value
  /// per active cell) and the pointwise bound |T_{p+1} - T_p| (K, on the field's DoFs).
  struct SteadyErrorFields
  {
    const dealii::Vector<float>                              *indicator = nullptr;
    const dealii::LinearAlgebra::distributed::Vector<double> *bound_k   = nullptr;
  };

  std::string write_solution(const TemperatureField &field, const ChipCoefficients &coefficients,
                             const std::vector<double> &block_power_w, const SteadyErrorFields &errors,
                             const std::string &directory);

  /// The frames of a time series: solution_<index>.pvtu and its .vtu pieces,
  /// power_density_w_m3 from block_power_w (W per block, all_blocks order).
  /// No error_indicator: the steady estimator says nothing about a transient
  /// state. The grid and the cell fields that do not change are encoded once
  /// per mesh and reused until the triangulation changes (transient.adapt) or
  /// another DoFHandler is given: a frame then encodes its temperature and
  /// power only (the grid was four fifths of each frame's bytes).
  class SolutionFrames
  {
  public:
    SolutionFrames();
    ~SolutionFrames();
    /// Writes frame `index`; returns the .pvtu name (relative to directory).
    std::string write(const TemperatureField &field, const ChipCoefficients &coefficients,
                      const std::vector<double> &block_power_w, const std::string &directory, unsigned int index);

  private:
    struct Mesh;
    std::unique_ptr<Mesh> mesh_;
  };

  /// solution.pvd listing (time, .pvtu) pairs; rank 0 writes, the others return.
  void write_pvd(const std::string &directory, const std::vector<std::pair<double, std::string>> &frames,
                 MPI_Comm comm);
} // namespace chiptherm::solver
