#include "polynomial_transfer.h"

#include <deal.II/base/polynomial.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_tools.h>

#include <algorithm>
#include <functional>
#include <stdexcept>

namespace chiptherm::solver
{
  using namespace dealii;

  namespace
  {
    /// Lagrange basis of degree np - 1 on its Gauss-Lobatto nodes (FE_Q's
    /// support points) at the nq Gauss-Lobatto nodes of the finer degree.
    std::vector<double> interpolation_1d(unsigned int np, unsigned int nq)
    {
      const auto basis = Polynomials::generate_complete_Lagrange_basis(QGaussLobatto<1>(np).get_points());
      const auto nodes = QGaussLobatto<1>(nq).get_points();
      std::vector<double> m(nq * np);
      for (unsigned int a = 0; a < nq; ++a)
        for (unsigned int i = 0; i < np; ++i)
          m[a * np + i] = basis[i].value(nodes[a][0]);
      return m;
    }

    /// Every DoF of each locally owned cell, in lexicographic order, cell after cell.
    std::vector<types::global_dof_index> dofs_of_owned_cells(const DoFHandler<3> &dofs)
    {
      const auto                           lexicographic = FETools::lexicographic_to_hierarchic_numbering<3>(dofs.get_fe().degree);
      std::vector<types::global_dof_index> cell_dofs(dofs.get_fe().n_dofs_per_cell()), all;
      for (const auto &cell : dofs.active_cell_iterators())
        if (cell->is_locally_owned())
          {
            cell->get_dof_indices(cell_dofs);
            for (const unsigned int h : lexicographic)
              all.push_back(cell_dofs[h]);
          }
      return all;
    }

    /// The entries of `indices` that `owned` does not hold, sorted, each once:
    /// a partitioner's ghosts. Only these are sorted (sorting every cell's
    /// DoFs was half of the transfers' setup on the example refined twice).
    std::vector<types::global_dof_index> not_owned(const std::vector<types::global_dof_index> &indices,
                                                   const IndexSet                              &owned)
    {
      std::vector<types::global_dof_index> ghosts;
      if (owned.is_contiguous())
        {
          const types::global_dof_index first = owned.n_elements() > 0 ? owned.nth_index_in_set(0) : 0;
          const types::global_dof_index end   = first + owned.n_elements();
          for (const auto g : indices)
            if (g < first || g >= end)
              ghosts.push_back(g);
        }
      else
        for (const auto g : indices)
          if (!owned.is_element(g))
            ghosts.push_back(g);
      std::sort(ghosts.begin(), ghosts.end());
      ghosts.erase(std::unique(ghosts.begin(), ghosts.end()), ghosts.end());
      return ghosts;
    }

    std::vector<unsigned int> local_indices(const std::vector<types::global_dof_index> &global,
                                            const Utilities::MPI::Partitioner           &partitioner)
    {
      std::vector<unsigned int> local(global.size());
      for (std::size_t i = 0; i < global.size(); ++i)
        local[i] = partitioner.global_to_local(global[i]);
      return local;
    }
  } // namespace

  PolynomialTransfer::PolynomialTransfer(const DoFHandler<3> &fine, const AffineConstraints<double> &fine_constraints,
                                         const DoFHandler<3> &coarse, const AffineConstraints<double> &coarse_constraints)
    : np_(coarse.get_fe().degree + 1)
    , nq_(fine.get_fe().degree + 1)
    , matrix_1d_(interpolation_1d(np_, nq_))
  {
    if (!(np_ < nq_) || &fine.get_triangulation() != &coarse.get_triangulation())
      throw std::logic_error("PolynomialTransfer: expected a higher fine degree on the coarse degree's mesh");
    const MPI_Comm comm          = fine.get_communicator();
    const auto     coarse_global = dofs_of_owned_cells(coarse);
    const auto     fine_global   = dofs_of_owned_cells(fine);

    // Coarse: the owned cells' DoFs and the masters of their hanging ones.
    IndexSet coarse_relevant = coarse.locally_owned_dofs();
    std::vector<types::global_dof_index> masters;
    for (const auto g : coarse_global)
      if (const auto *entries = coarse_constraints.get_constraint_entries(g))
        for (const auto &[master, weight] : *entries)
          masters.push_back(master);
    for (const auto &needed : {std::cref(coarse_global), std::cref(masters)})
      {
        const auto ghosts = not_owned(needed, coarse.locally_owned_dofs());
        coarse_relevant.add_indices(ghosts.begin(), ghosts.end());
      }
    coarse_partitioner_ = std::make_shared<Utilities::MPI::Partitioner>(coarse.locally_owned_dofs(), coarse_relevant, comm);
    coarse_indices_     = local_indices(coarse_global, *coarse_partitioner_);
    std::vector<bool> listed(coarse_partitioner_->locally_owned_size() + coarse_partitioner_->n_ghost_indices(), false);
    for (std::size_t i = 0; i < coarse_global.size(); ++i)
      if (const auto *entries = coarse_constraints.get_constraint_entries(coarse_global[i]);
          entries && !listed[coarse_indices_[i]])
        {
          listed[coarse_indices_[i]] = true;
          std::vector<std::pair<unsigned int, double>> masters;
          for (const auto &[master, weight] : *entries)
            masters.emplace_back(coarse_partitioner_->global_to_local(master), weight);
          hanging_.emplace_back(coarse_indices_[i], std::move(masters));
        }

    // Fine: only owned entries are written, each by the first owned cell that has it.
    IndexSet   fine_relevant = fine.locally_owned_dofs();
    const auto fine_ghosts   = not_owned(fine_global, fine.locally_owned_dofs());
    fine_relevant.add_indices(fine_ghosts.begin(), fine_ghosts.end());
    fine_partitioner_ = std::make_shared<Utilities::MPI::Partitioner>(fine.locally_owned_dofs(), fine_relevant, comm);
    fine_indices_     = local_indices(fine_global, *fine_partitioner_);
    writes_.assign(fine_global.size(), 0);
    std::vector<bool> written(fine_partitioner_->locally_owned_size(), false);
    for (std::size_t i = 0; i < fine_global.size(); ++i)
      {
        const unsigned int local = fine_indices_[i];
        if (local < written.size() && !written[local] && !fine_constraints.is_constrained(fine_global[i]))
          written[local] = true, writes_[i] = 1;
      }
    coarse_values_.reinit(coarse_partitioner_);
    scratch_.resize(3 * nq_ * nq_ * nq_ + np_ * np_ * np_); // the passes' two buffers, then in and out
  }

  void PolynomialTransfer::resolve_hanging(VectorType &c) const
  {
    for (const auto &[k, masters] : hanging_)
      {
        double value = 0;
        for (const auto &[m, w] : masters)
          value += w * c.local_element(m);
        c.local_element(k) = value;
      }
  }

  void PolynomialTransfer::condense_hanging(VectorType &c) const
  {
    for (const auto &[k, masters] : hanging_)
      {
        for (const auto &[m, w] : masters)
          c.local_element(m) += w * c.local_element(k);
        c.local_element(k) = 0;
      }
    c.compress(VectorOperation::add);
  }

  namespace
  {
    /// One sum-factorisation pass: out[b + s (a + no c)] = sum_i A(a, i)
    /// in[b + s (i + ni c)] for b < s (the faster axes), c < n_after (the
    /// slower ones); A(a, i) = m[a sa + i si]. The node counts are template
    /// arguments where they are known (unrolled: the transfer's share of the
    /// two-die sign-off's CPU time fell from 5.3 % to 3.8 %, perf), else NI = 0.
    template <unsigned int NI, unsigned int NO>
    void contract(const double *m, unsigned int sa, unsigned int si, unsigned int ni, unsigned int no, unsigned int s,
                  unsigned int n_after, const double *in, double *out)
    {
      if constexpr (NI > 0)
        ni = NI, no = NO;
      for (unsigned int c = 0; c < n_after; ++c)
        for (unsigned int a = 0; a < no; ++a)
          for (unsigned int b = 0; b < s; ++b)
            {
              double sum = 0;
              for (unsigned int i = 0; i < ni; ++i)
                sum += m[a * sa + i * si] * in[b + s * (i + ni * c)];
              out[b + s * (a + no * c)] = sum;
            }
    }

    /// The 3D interpolation (p^3 -> q^3: x, y, then z) or its transpose
    /// (q^3 -> p^3: z, y, then x); m is q x p, row-major; t1, t2 hold q^2 p each.
    template <unsigned int P, unsigned int Q>
    void tensor_apply(bool transposed, const double *m, unsigned int p, unsigned int q, const double *in, double *out,
                      double *t1, double *t2)
    {
      if (!transposed)
        {
          contract<P, Q>(m, p, 1, p, q, 1, p * p, in, t1);
          contract<P, Q>(m, p, 1, p, q, q, p, t1, t2);
          contract<P, Q>(m, p, 1, p, q, q * q, 1, t2, out);
        }
      else
        {
          contract<Q, P>(m, 1, p, q, p, q * q, 1, in, t1);
          contract<Q, P>(m, 1, p, q, p, q, p, t1, t2);
          contract<Q, P>(m, 1, p, q, p, 1, p * p, t2, out);
        }
    }
  } // namespace

  void PolynomialTransfer::apply(bool transposed, const double *in, double *out) const
  {
    double *t1 = scratch_.data(), *t2 = t1 + nq_ * nq_ * np_;
    const double *m = matrix_1d_.data();
    if (np_ == 2 && nq_ == 3)
      tensor_apply<2, 3>(transposed, m, np_, nq_, in, out, t1, t2);
    else if (np_ == 3 && nq_ == 4)
      tensor_apply<3, 4>(transposed, m, np_, nq_, in, out, t1, t2);
    else if (np_ == 4 && nq_ == 5)
      tensor_apply<4, 5>(transposed, m, np_, nq_, in, out, t1, t2);
    else
      tensor_apply<0, 0>(transposed, m, np_, nq_, in, out, t1, t2);
  }

  template <typename Number>
  void PolynomialTransfer::prolongate_and_add(LinearAlgebra::distributed::Vector<Number>       &fine,
                                              const LinearAlgebra::distributed::Vector<Number> &coarse) const
  {
    coarse_values_.copy_locally_owned_data_from(coarse);
    coarse_values_.update_ghost_values();
    resolve_hanging(coarse_values_);
    const unsigned int p3 = np_ * np_ * np_, q3 = nq_ * nq_ * nq_;
    double            *in = scratch_.data() + 2 * q3, *out = in + p3;
    for (std::size_t cell = 0; cell * q3 < fine_indices_.size(); ++cell)
      {
        for (unsigned int i = 0; i < p3; ++i)
          in[i] = coarse_values_.local_element(coarse_indices_[cell * p3 + i]);
        apply(false, in, out);
        for (unsigned int a = 0; a < q3; ++a)
          if (writes_[cell * q3 + a])
            fine.local_element(fine_indices_[cell * q3 + a]) += Number(out[a]);
      }
    coarse_values_.zero_out_ghost_values();
  }

  template <typename Number>
  void PolynomialTransfer::restrict_and_add(LinearAlgebra::distributed::Vector<Number>       &coarse,
                                            const LinearAlgebra::distributed::Vector<Number> &fine) const
  {
    coarse_values_ = 0.;
    coarse_values_.zero_out_ghost_values();
    const unsigned int p3 = np_ * np_ * np_, q3 = nq_ * nq_ * nq_;
    double            *in = scratch_.data() + 2 * q3, *out = in + p3;
    for (std::size_t cell = 0; cell * q3 < fine_indices_.size(); ++cell)
      {
        for (unsigned int a = 0; a < q3; ++a)
          out[a] = writes_[cell * q3 + a] ? fine.local_element(fine_indices_[cell * q3 + a]) : 0.0;
        apply(true, out, in);
        for (unsigned int i = 0; i < p3; ++i)
          coarse_values_.local_element(coarse_indices_[cell * p3 + i]) += in[i];
      }
    condense_hanging(coarse_values_);
    for (unsigned int i = 0; i < coarse.locally_owned_size(); ++i)
      coarse.local_element(i) += coarse_values_.local_element(i);
  }

  template void PolynomialTransfer::prolongate_and_add(PolynomialTransfer::VectorType &,
                                                       const PolynomialTransfer::VectorType &) const;
  template void PolynomialTransfer::prolongate_and_add(LinearAlgebra::distributed::Vector<float> &,
                                                       const LinearAlgebra::distributed::Vector<float> &) const;
  template void PolynomialTransfer::restrict_and_add(PolynomialTransfer::VectorType &,
                                                     const PolynomialTransfer::VectorType &) const;
  template void PolynomialTransfer::restrict_and_add(LinearAlgebra::distributed::Vector<float> &,
                                                     const LinearAlgebra::distributed::Vector<float> &) const;
} // namespace chiptherm::solver
