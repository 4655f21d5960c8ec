#include "block_load_vectors.h"

#include <algorithm>
#include <numeric>
#include <utility>

namespace chiptherm::solver
{
  using namespace dealii;

  BlockLoadVectors::BlockLoadVectors(const DoFHandler<3> &dofs, const AffineConstraints<double> &constraints,
                                     const BlockPiecesOf &pieces_of, const std::vector<double> &block_volume_m3)
    : dofs_(block_volume_m3.size())
    , load_(block_volume_m3.size())
  {
    const TensorBoxRule                                                        rule(dofs.get_fe().degree);
    std::vector<double>                                                        integrals;
    std::vector<types::global_dof_index>                                       cell_dofs(dofs.get_fe().n_dofs_per_cell());
    std::vector<std::vector<std::pair<types::global_dof_index, double>>>       entries(block_volume_m3.size());
    for (const auto &cell : dofs.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto pieces = pieces_of(*cell);
          if (pieces.size() == 0)
            continue;
          cell->get_dof_indices(cell_dofs);
          const double volume = cell->measure();
          for (const BlockPiece &piece : pieces)
            {
              // What SourceIntegrator adds for a density of 1 W / V_b.
              const double scale = volume / block_volume_m3[piece.block];
              rule.shape_integrals(piece.box, integrals);
              auto &out = entries[piece.block];
              for (unsigned int i = 0; i < cell_dofs.size(); ++i)
                {
                  const double value = scale * integrals[i];
                  // As AffineConstraints::distribute_local_to_global: a
                  // constrained dof passes its load to the dofs it depends on.
                  if (const auto *line = constraints.get_constraint_entries(cell_dofs[i]))
                    for (const auto &[dof, weight] : *line)
                      out.emplace_back(dof, weight * value);
                  else
                    out.emplace_back(cell_dofs[i], value);
                }
            }
        }
    for (std::size_t b = 0; b < entries.size(); ++b)
      {
        auto &e = entries[b];
        std::stable_sort(e.begin(), e.end(), [](const auto &x, const auto &y) { return x.first < y.first; });
        for (const auto &[dof, value] : e)
          if (!dofs_[b].empty() && dofs_[b].back() == dof)
            load_[b].back() += value;
          else
            dofs_[b].push_back(dof), load_[b].push_back(value);
      }
  }

  void BlockLoadVectors::add_to(const std::vector<double> &power_w, PETScWrappers::MPI::Vector &rhs) const
  {
    for (std::size_t b = 0; b < dofs_.size(); ++b)
      {
        if (power_w[b] == 0 || dofs_[b].empty())
          continue;
        scaled_.resize(load_[b].size());
        for (std::size_t k = 0; k < load_[b].size(); ++k)
          scaled_[k] = power_w[b] * load_[b][k];
        rhs.add(dofs_[b], scaled_);
      }
  }

  std::size_t BlockLoadVectors::n_entries() const
  {
    return std::accumulate(dofs_.begin(), dofs_.end(), std::size_t(0),
                           [](std::size_t n, const auto &d) { return n + d.size(); });
  }
} // namespace chiptherm::solver
