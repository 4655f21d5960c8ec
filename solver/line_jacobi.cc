#include "line_jacobi.h"

#include "disjoint_sets.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>

namespace chiptherm::solver
{
  LineJacobi::LineJacobi(const VectorType &diagonal)
    : n_owned_(diagonal.locally_owned_size())
    , diagonal_(n_owned_)
    , elsewhere_(n_owned_, false)
    , coordinate_(n_owned_, 0.0)
  {
    for (unsigned int i = 0; i < n_owned_; ++i)
      diagonal_[i] = diagonal.local_element(i);
  }

  LineJacobi::LineJacobi(std::shared_ptr<const dealii::Utilities::MPI::Partitioner> layout,
                         std::vector<double> diagonal, std::vector<bool> elsewhere)
    : layout_(std::move(layout))
    , n_owned_(layout_->locally_owned_size())
    , diagonal_(std::move(diagonal))
    , elsewhere_(std::move(elsewhere))
    , coordinate_(diagonal_.size(), 0.0)
  {
    elsewhere_.resize(diagonal_.size(), false);
    const bool crosses = layout_->n_ghost_indices() > 0 ||
                         std::find(elsewhere_.begin(), elsewhere_.end(), true) != elsewhere_.end();
    exchange_ = dealii::Utilities::MPI::max(int(crosses), layout_->get_mpi_communicator()) > 0;
  }

  void LineJacobi::set_coordinate(unsigned int local, double x) { coordinate_[local] = x; }

  void LineJacobi::add_coupling(unsigned int a, unsigned int b, double value)
  {
    if (a != b)
      couplings_.push_back({a, b, value});
  }

  namespace
  {
    /// In-place banded LDL^T of positions [begin, end) (band width w, packed
    /// as LineJacobi::lower_): lower holds A's lower band and pivot its
    /// diagonal on entry, L and D on return. False when a pivot is not positive.
    bool factorize_band(std::vector<double> &lower, std::vector<double> &pivot, std::size_t w, std::size_t begin,
                        std::size_t end)
    {
      auto L = [&](std::size_t i, std::size_t j) -> double & { return lower[i * w + (i - j - 1)]; };
      for (std::size_t i = begin; i < end; ++i)
        {
          const std::size_t first = i > begin + w ? i - w : begin;
          for (std::size_t j = first; j < i; ++j)
            {
              double s = L(i, j);
              for (std::size_t k = first; k < j; ++k)
                s -= L(i, k) * L(j, k) * pivot[k];
              L(i, j) = s / pivot[j];
            }
          double d = pivot[i];
          for (std::size_t k = first; k < i; ++k)
            d -= L(i, k) * L(i, k) * pivot[k];
          if (!(d > 1e-12 * pivot[i]))
            return false;
          pivot[i] = d;
        }
      return true;
    }
  } // namespace

  void LineJacobi::factorize()
  {
    const auto n = static_cast<unsigned int>(diagonal_.size());
    couplings_.erase(std::remove_if(couplings_.begin(), couplings_.end(),
                                    [&](const Coupling &c) { return !(diagonal_[c.a] > 0 && diagonal_[c.b] > 0); }),
                     couplings_.end());
    // Lines: the connected sets of the couplings, each ordered along its direction.
    DisjointSets lines(n);
    for (const auto &c : couplings_)
      lines.join(c.a, c.b);
    // The DoFs on lines by their line's root (a counting sort: roots are
    // local indices, in increasing order), then each line along its
    // direction: the order of sorting (root, coordinate, DoF) tuples, which
    // took 0.28 s of the Q3 level's setup at 4.2 M DoFs per rank.
    constexpr unsigned int    none = std::numeric_limits<unsigned int>::max();
    std::vector<unsigned int> root(n, none), next(n + 1, 0);
    identity_.clear();
    for (unsigned int i = 0; i < n; ++i)
      if (elsewhere_[i])
        continue;
      else if (diagonal_[i] > 0)
        root[i] = lines.root(i), ++next[root[i] + 1];
      else if (i < n_owned_)
        identity_.push_back(i);
    line_start_.clear();
    for (unsigned int r = 0; r < n; ++r)
      {
        if (next[r + 1] > 0)
          line_start_.push_back(next[r]); // r is a line's root: its line starts here
        next[r + 1] += next[r];
      }
    order_.resize(next[n]);
    for (unsigned int i = 0; i < n; ++i)
      if (root[i] != none)
        order_[next[root[i]]++] = i;
    line_start_.push_back(static_cast<unsigned int>(order_.size()));
    line_of_.assign(n, 0);
    std::vector<unsigned int> position(n, 0);
    for (unsigned int l = 0; l + 1 < line_start_.size(); ++l)
      {
        const auto begin = order_.begin() + line_start_[l], end = order_.begin() + line_start_[l + 1];
        std::sort(begin, end, [&](unsigned int a, unsigned int b) {
          return coordinate_[a] < coordinate_[b] || (coordinate_[a] == coordinate_[b] && a < b);
        });
        for (auto it = begin; it != end; ++it)
          position[*it] = static_cast<unsigned int>(it - order_.begin()), line_of_[*it] = l;
      }
    for (unsigned int i = 0; i < n; ++i)
      if (elsewhere_[i] || !(diagonal_[i] > 0))
        line_of_[i] = n_lines();

    band_ = 0;
    for (const auto &c : couplings_)
      band_ = std::max(band_, position[c.a] > position[c.b] ? position[c.a] - position[c.b]
                                                            : position[c.b] - position[c.a]);
    // Factorised in double, kept in float (line_jacobi.h).
    std::vector<double> pivot(order_.size()), lower(order_.size() * band_, 0.0);
    for (std::size_t p = 0; p < order_.size(); ++p)
      pivot[p] = diagonal_[order_[p]];
    for (const auto &c : couplings_)
      {
        const unsigned int high = std::max(position[c.a], position[c.b]), low = std::min(position[c.a], position[c.b]);
        lower[std::size_t(high) * band_ + (high - low - 1)] += c.value;
      }
    couplings_.clear();
    couplings_.shrink_to_fit();

    n_fallbacks_ = 0;
    for (unsigned int l = 0; l < n_lines(); ++l)
      if (!factorize_band(lower, pivot, band_, line_start_[l], line_start_[l + 1]))
        {
          ++n_fallbacks_;
          for (std::size_t p = line_start_[l]; p < line_start_[l + 1]; ++p)
            {
              pivot[p] = diagonal_[order_[p]];
              std::fill_n(&lower[p * band_], band_, 0.0);
            }
        }
    inverse_pivot_.resize(pivot.size());
    for (std::size_t p = 0; p < pivot.size(); ++p)
      inverse_pivot_[p] = float(1.0 / pivot[p]); // applied as a product
    lower_.assign(lower.begin(), lower.end());
    work_.resize(order_.size());
    // Only the lines' forming needed these.
    diagonal_   = std::vector<double>();
    coordinate_ = std::vector<double>();
  }

  // Made on first use: a multigrid level applies the lines to float vectors only.
  template <>
  std::pair<LineJacobi::VectorType &, LineJacobi::VectorType &> LineJacobi::exchange_vectors<double>() const
  {
    if (imported_.size() == 0)
      imported_.reinit(layout_), exported_.reinit(layout_);
    return {imported_, exported_};
  }

  template <>
  std::pair<dealii::LinearAlgebra::distributed::Vector<float> &, dealii::LinearAlgebra::distributed::Vector<float> &>
  LineJacobi::exchange_vectors<float>() const
  {
    if (imported_float_.size() == 0)
      imported_float_.reinit(layout_), exported_float_.reinit(layout_);
    return {imported_float_, exported_float_};
  }

  template <typename Number>
  void LineJacobi::vmult(dealii::LinearAlgebra::distributed::Vector<Number>       &dst,
                         const dealii::LinearAlgebra::distributed::Vector<Number> &src) const
  {
    if (!exchange_)
      return solve_lines(dst, src);
    // Import the residual on other ranks' DoFs of this rank's lines, solve,
    // and send those DoFs' results back to their owners.
    auto [imported, exported] = exchange_vectors<Number>();
    imported.zero_out_ghost_values();
    for (unsigned int i = 0; i < n_owned_; ++i)
      imported.local_element(i) = src.local_element(i);
    imported.update_ghost_values();
    exported = Number(0);
    solve_lines(exported, imported);
    exported.compress(dealii::VectorOperation::add);
    for (unsigned int i = 0; i < n_owned_; ++i)
      dst.local_element(i) = exported.local_element(i);
  }

  void LineJacobi::name_lines(VectorType &names) const
  {
    unsigned int first = 0; // lines on lower ranks
    if (layout_)
      {
        const auto comm   = layout_->get_mpi_communicator();
        const auto counts = dealii::Utilities::MPI::all_gather(comm, n_lines());
        first = std::accumulate(counts.begin(), counts.begin() + dealii::Utilities::MPI::this_mpi_process(comm), 0u);
      }
    VectorType local_names;
    if (exchange_)
      local_names.reinit(layout_);
    VectorType &target = exchange_ ? local_names : names;
    for (unsigned int i = 0; i < line_of_.size(); ++i)
      if (line_of_[i] < n_lines())
        target.local_element(i) = 1.0 + first + line_of_[i];
      else if (i < n_owned_ && !elsewhere_[i])
        target.local_element(i) = 0.0;
    if (!exchange_)
      return;
    local_names.compress(dealii::VectorOperation::add);
    for (unsigned int i = 0; i < n_owned_; ++i)
      names.local_element(i) = local_names.local_element(i);
  }

  namespace
  {
    /// Row i of y = L^-1 y (L's band of width w packed per position: [i * w + j]
    /// is L(i, i - 1 - j); W = w fixed lets the compiler unroll, W = 0 any
    /// width). The row subtracts its oldest terms first and the newest last,
    /// so that only one multiply-add waits for the row before.
    template <unsigned int W>
    inline void forward_row(const float *lower, double *y, std::size_t i, std::size_t w)
    {
      const float *row = lower + i * w;
      double       s   = y[i];
      if (W > 0 && i >= W)
        for (unsigned int j = W; j-- > 0;)
          s -= row[j] * y[i - 1 - j];
      else
        for (std::size_t j = std::min(i, w); j-- > 0;)
          s -= row[j] * y[i - 1 - j];
      y[i] = s;
    }

    /// Row i of y = L^-T D^-1 y, by rows of L^T: x_i = y_i / d_i - sum_j L(i + j, i) x_{i + j}.
    template <unsigned int W>
    inline void backward_row(const float *lower, const float *inverse_pivot, double *y, std::size_t i, std::size_t n,
                             std::size_t w)
    {
      double s = y[i] * inverse_pivot[i];
      if (W > 0 && i + W < n)
        for (unsigned int j = W; j >= 1; --j)
          s -= lower[(i + j) * W + (j - 1)] * y[i + j];
      else
        for (std::size_t j = std::min(n - 1 - i, w); j >= 1; --j)
          s -= lower[(i + j) * w + (j - 1)] * y[i + j];
      y[i] = s;
    }

    /// Stretches of whole lines swept side by side.
    constexpr unsigned int n_stretches = 4;
    using Stretches                    = std::array<std::size_t, n_stretches + 1>;

    /// y = L^-T D^-1 L^-1 y over positions [0, n) (D^-1 per position).
    /// Entries of L across lines are zero, so one sweep serves every line. A
    /// sweep is a chain (each row needs the one before), so the positions are
    /// cut at line starts into n_stretches stretches, swept side by side: their
    /// rows are independent and the processor overlaps them (the same
    /// arithmetic per row, so the same result to the last bit). The sweeps had
    /// become 10 % of all samples with float levels (perf; docs/benchmarks.md).
    template <unsigned int W>
    void band_substitution(const float *lower, const float *inverse_pivot, double *y, std::size_t n,
                           const Stretches &start, unsigned int any_width = 0)
    {
      const std::size_t w      = W > 0 ? W : any_width;
      std::size_t       common = n;
      for (unsigned int c = 0; c < n_stretches; ++c)
        common = std::min(common, start[c + 1] - start[c]);
      for (std::size_t k = 0; k < common; ++k)
        for (unsigned int c = 0; c < n_stretches; ++c)
          forward_row<W>(lower, y, start[c] + k, w);
      for (unsigned int c = 0; c < n_stretches; ++c)
        for (std::size_t i = start[c] + common; i < start[c + 1]; ++i)
          forward_row<W>(lower, y, i, w);
      for (std::size_t k = 0; k < common; ++k)
        for (unsigned int c = 0; c < n_stretches; ++c)
          backward_row<W>(lower, inverse_pivot, y, start[c + 1] - 1 - k, n, w);
      for (unsigned int c = 0; c < n_stretches; ++c)
        for (std::size_t i = start[c + 1] - common; i-- > start[c];)
          backward_row<W>(lower, inverse_pivot, y, i, n, w);
    }
  } // namespace

  template <typename Number>
  void LineJacobi::solve_lines(dealii::LinearAlgebra::distributed::Vector<Number>       &dst,
                               const dealii::LinearAlgebra::distributed::Vector<Number> &src) const
  {
    const std::size_t n = order_.size();
    double           *y = work_.data();
    for (std::size_t p = 0; p < n; ++p)
      y[p] = src.local_element(order_[p]);
    // Stretches of about n / n_stretches positions, each beginning at a line's start.
    Stretches start;
    start[0] = 0, start[n_stretches] = n;
    for (unsigned int c = 1; c < n_stretches; ++c)
      {
        const auto at = std::lower_bound(line_start_.begin(), line_start_.end(), n * c / n_stretches);
        start[c]      = std::max(start[c - 1], at == line_start_.end() ? n : std::size_t(*at));
      }
    switch (band_)
      {
        case 0:
          for (std::size_t p = 0; p < n; ++p)
            y[p] *= inverse_pivot_[p];
          break;
        case 1:
          band_substitution<1>(lower_.data(), inverse_pivot_.data(), y, n, start);
          break;
        case 2:
          band_substitution<2>(lower_.data(), inverse_pivot_.data(), y, n, start);
          break;
        case 3:
          band_substitution<3>(lower_.data(), inverse_pivot_.data(), y, n, start);
          break;
        default:
          band_substitution<0>(lower_.data(), inverse_pivot_.data(), y, n, start, band_);
      }
    for (std::size_t p = 0; p < n; ++p)
      dst.local_element(order_[p]) = y[p];
    for (const unsigned int i : identity_)
      dst.local_element(i) = src.local_element(i);
  }

  template void LineJacobi::vmult(LineJacobi::VectorType &, const LineJacobi::VectorType &) const;
  template void LineJacobi::vmult(dealii::LinearAlgebra::distributed::Vector<float> &,
                                  const dealii::LinearAlgebra::distributed::Vector<float> &) const;
} // namespace chiptherm::solver
