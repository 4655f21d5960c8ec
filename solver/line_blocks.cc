#include "line_blocks.h"

#include "disjoint_sets.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/polynomial.h>
#include <deal.II/base/quadrature_lib.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>

namespace chiptherm::solver
{
  using namespace dealii;

  ReferenceMatrices1D::ReferenceMatrices1D(unsigned int degree)
    : n(degree + 1)
    , K(n * n, 0.0)
    , M(n * n, 0.0)
    , lex(n * n * n)
  {
    for (unsigned int i = 0; i < lex.size(); ++i)
      lex[i] = {{static_cast<unsigned char>(i % n), static_cast<unsigned char>((i / n) % n),
                 static_cast<unsigned char>(i / (n * n))}};
    const auto      basis = Polynomials::generate_complete_Lagrange_basis(QGaussLobatto<1>(n).get_points());
    const QGauss<1> quadrature(n);
    std::vector<double> vi(2), vj(2);
    for (unsigned int i = 0; i < n; ++i)
      for (unsigned int j = 0; j < n; ++j)
        for (unsigned int q = 0; q < n; ++q)
          {
            basis[i].value(quadrature.point(q)[0], vi);
            basis[j].value(quadrature.point(q)[0], vj);
            M[i * n + j] += quadrature.weight(q) * vi[0] * vj[0];
            K[i * n + j] += quadrature.weight(q) * vi[1] * vj[1];
          }
  }

  double SeparableCell::entry(unsigned int i, unsigned int j, const ReferenceMatrices1D &r) const
  {
    const auto  &a = r.lex[i], &b = r.lex[j];
    const double m[3] = {r.m(a[0], b[0]), r.m(a[1], b[1]), r.m(a[2], b[2])};
    return factor * (c[0] * r.k(a[0], b[0]) * m[1] * m[2] + c[1] * m[0] * r.k(a[1], b[1]) * m[2] +
                     c[2] * m[0] * m[1] * r.k(a[2], b[2])) -
           slope * det * m[0] * m[1] * m[2];
  }

  void SeparableCell::matrix(const ReferenceMatrices1D &r, std::vector<double> &out) const
  {
    // a_ij = K[i0 j0] p + M[i0 j0] q with p = f c0 M[i1 j1] M[i2 j2] and
    // q = f (c1 K[i1 j1] M[i2 j2] + c2 M[i1 j1] K[i2 j2]) - slope det M[i1 j1] M[i2 j2]:
    // p and q once per (i1 j1 i2 j2), then the innermost pair at two operations.
    const unsigned int n = r.n, n_dofs = n * n * n;
    out.resize(std::size_t(n_dofs) * n_dofs);
    for (unsigned int i2 = 0; i2 < n; ++i2)
      for (unsigned int j2 = 0; j2 < n; ++j2)
        for (unsigned int i1 = 0; i1 < n; ++i1)
          for (unsigned int j1 = 0; j1 < n; ++j1)
            {
              const double m12 = r.m(i1, j1) * r.m(i2, j2);
              const double p   = factor * c[0] * m12;
              const double q   = factor * (c[1] * r.k(i1, j1) * r.m(i2, j2) + c[2] * r.m(i1, j1) * r.k(i2, j2)) -
                               slope * det * m12;
              for (unsigned int i0 = 0; i0 < n; ++i0)
                {
                  double *row = &out[std::size_t(i0 + n * (i1 + n * i2)) * n_dofs + n * (j1 + n * j2)];
                  for (unsigned int j0 = 0; j0 < n; ++j0)
                    row[j0] = r.k(i0, j0) * p + r.m(i0, j0) * q;
                }
            }
  }

  namespace
  {
    using Partitioner = Utilities::MPI::Partitioner;
    using VectorType  = LineJacobi::VectorType;
    using Index       = types::global_dof_index;

    /// A line goes on across a partition boundary where both DoFs' own
    /// direction carries at least this many times the diagonal term of the
    /// next one. Measured (docs/benchmarks.md, "Lines across the partition"):
    /// the 3D stack refined once on 2 ranks takes 21 + 33 CG iterations with
    /// every line joined, 22 + 33 with 10, 23 + 33 with 100 and 50 + 88 with
    /// none; joining every line of the shipped example refined twice shipped
    /// whole columns through the package between ranks and made its solve
    /// 36 % slower, with 10 it costs what cut lines did.
    constexpr float stiff_across_ranks = 10.f;

    /// A coupling of two DoFs of one line, by global index.
    struct GlobalCoupling
    {
      Index  a, b;
      double value;
    };

    /// Per DoF of the operator's layout (owned, then ghosts: every DoF of an
    /// owned cell and every master of its constraints): where it is and its
    /// line's direction, the same on every rank that sees it.
    struct DofPlaces
    {
      const Partitioner                 *layout = nullptr;
      std::size_t                        n_cells = 0; ///< the cells visited
      std::vector<std::array<double, 3>> position;
      std::vector<unsigned char>         direction;
      std::vector<float>                 anisotropy; ///< the direction's diagonal term over the next largest

      unsigned int local(Index g) const { return layout->global_to_local(g); }
      /// Two DoFs on one line: same direction, same other coordinates.
      bool on_one_line(unsigned int a, unsigned int b, double tolerance) const
      {
        const unsigned int d = direction[a];
        if (direction[b] != d)
          return false;
        for (unsigned int e = 0; e < 3; ++e)
          if (e != d && std::abs(position[a][e] - position[b][e]) > tolerance)
            return false;
        return true;
      }
    };

    /// The lexicographic DoF i's index along direction d.
    unsigned int index_along(unsigned int i, unsigned int d, unsigned int n)
    {
      return d == 0 ? i % n : d == 1 ? (i / n) % n : i / (n * n);
    }

    bool has_constrained_dof(const SeparableCell &cell, const AffineConstraints<double> &constraints)
    {
      return std::any_of(cell.dofs.begin(), cell.dofs.end(), [&](Index g) { return constraints.is_constrained(g); });
    }

    /// Directions from the diagonal terms summed over every cell of a DoF
    /// (on all ranks), positions from any cell that holds it.
    DofPlaces place_dofs(const SeparableCells &cells, const VectorType &layout_vector,
                         const AffineConstraints<double> &constraints, const ReferenceMatrices1D &r)
    {
      const unsigned int n      = r.n;
      const auto         points = QGaussLobatto<1>(n).get_points();
      std::array<VectorType, 3> strength, position;
      for (unsigned int d = 0; d < 3; ++d)
        strength[d].reinit(layout_vector), position[d].reinit(layout_vector);
      std::size_t n_cells = 0;
      cells([&](const SeparableCell &cell) {
        ++n_cells;
        for (unsigned int i = 0; i < cell.dofs.size(); ++i)
          if (!constraints.is_constrained(cell.dofs[i]))
            for (unsigned int d = 0; d < 3; ++d)
              {
                const unsigned int id = index_along(i, d, n), e1 = index_along(i, (d + 1) % 3, n),
                                   e2 = index_along(i, (d + 2) % 3, n);
                position[d](cell.dofs[i]) = cell.origin[d] + points[id][0] * cell.extent[d];
                strength[d](cell.dofs[i]) += cell.factor * cell.c[d] * r.k(id, id) * r.m(e1, e1) * r.m(e2, e2);
              }
      });
      DofPlaces places;
      places.layout       = layout_vector.get_partitioner().get();
      places.n_cells      = n_cells;
      const unsigned int n_local = places.layout->locally_owned_size() + places.layout->n_ghost_indices();
      for (unsigned int d = 0; d < 3; ++d)
        {
          strength[d].compress(VectorOperation::add);
          strength[d].update_ghost_values();
          position[d].update_ghost_values(); // a master DoF may lie on no owned cell: its owner's value
        }
      places.position.resize(n_local);
      places.direction.resize(n_local);
      places.anisotropy.resize(n_local);
      for (unsigned int k = 0; k < n_local; ++k)
        {
          const double s[3] = {strength[0].local_element(k), strength[1].local_element(k),
                               strength[2].local_element(k)};
          const unsigned int d = s[2] >= s[0] && s[2] >= s[1] ? 2 : s[1] >= s[0] ? 1 : 0;
          places.direction[k]  = d;
          const double other   = std::max(s[(d + 1) % 3], s[(d + 2) % 3]);
          places.anisotropy[k] = other > 0 ? float(std::min(s[d] / other, 1e30)) : 1e30f;
          for (unsigned int d = 0; d < 3; ++d)
            places.position[k][d] = position[d].local_element(k);
        }
      return places;
    }

    /// A cell without constrained DoFs: its diagonal, and the couplings along
    /// each DoF's direction within the cell.
    void add_plain_cell(const SeparableCell &cell, const DofPlaces &places, const ReferenceMatrices1D &r,
                        std::vector<GlobalCoupling> &couplings, VectorType &diagonal)
    {
      const unsigned int n = r.n;
      for (unsigned int i = 0; i < cell.dofs.size(); ++i)
        {
          diagonal(cell.dofs[i]) += cell.entry(i, i, r);
          const unsigned int d = places.direction[places.local(cell.dofs[i])], id = index_along(i, d, n),
                             stride = d == 0 ? 1 : d == 1 ? n : n * n;
          for (unsigned int jd = id + 1; jd < n; ++jd)
            {
              const unsigned int j = i + (jd - id) * stride;
              if (places.direction[places.local(cell.dofs[j])] == d)
                couplings.push_back({cell.dofs[i], cell.dofs[j], cell.entry(i, j, r)});
            }
        }
    }

    /// What add_condensed_cell needs per cell, kept between cells (no
    /// allocation per cell); group_of has one entry per local index, -1
    /// between cells.
    struct CondensationScratch
    {
      struct Member
      {
        unsigned int group, dof;
        double       weight;
      };
      std::vector<int>          group_of;
      std::vector<Member>       raw, members; ///< members: raw sorted by group
      std::vector<unsigned int> master_local, start, next, by_direction[3];
      std::vector<Index>        master;
      std::vector<double>       cell_matrix;
    };

    /// A cell with constrained DoFs, condensed: entry(a, b) = sum over the
    /// cell DoFs i of master a and j of master b of w_ia w_jb a_ij. Half the
    /// cells of an adapted mesh have hanging nodes, and on the Q3 level of the
    /// 1000-block floorplan they were the line blocks' largest cost (40 us
    /// each): so the masters are grouped through a table indexed by their
    /// local index (no sort), the cell matrix comes whole from its tensor
    /// form, and only masters of one direction are compared for a line.
    void add_condensed_cell(const SeparableCell &cell, const DofPlaces &places,
                            const AffineConstraints<double> &constraints, const ReferenceMatrices1D &r,
                            CondensationScratch &scratch, std::vector<GlobalCoupling> &couplings,
                            VectorType &diagonal)
    {
      auto &[group_of, raw, members, master_local, start, next, by_direction, master, cell_matrix] = scratch;
      if (group_of.size() < places.position.size())
        group_of.resize(places.position.size(), -1);
      raw.clear(), master_local.clear(), master.clear();
      const auto add = [&](Index g, unsigned int i, double w) {
        const unsigned int k = places.local(g);
        if (group_of[k] < 0)
          {
            group_of[k] = int(master.size());
            master.push_back(g), master_local.push_back(k);
          }
        raw.push_back({unsigned(group_of[k]), i, w});
      };
      for (unsigned int i = 0; i < cell.dofs.size(); ++i)
        if (const auto *entries = constraints.get_constraint_entries(cell.dofs[i]))
          for (const auto &[m, w] : *entries)
            add(m, i, w);
        else
          add(cell.dofs[i], i, 1.0);
      const std::size_t n_groups = master.size();
      for (const unsigned int k : master_local)
        group_of[k] = -1; // the table is clean again for the next cell
      // Members by group (a counting sort): group g's are [start[g], start[g + 1]).
      start.assign(n_groups + 1, 0);
      for (const auto &m : raw)
        ++start[m.group + 1];
      for (std::size_t g = 0; g < n_groups; ++g)
        start[g + 1] += start[g];
      members.resize(raw.size());
      next.assign(start.begin(), start.end() - 1);
      for (const auto &m : raw)
        members[next[m.group]++] = m;
      // The whole (symmetric) cell matrix once: each master pair's entry sums
      // over every pair of its cell DoFs, up to a few hundred terms on a
      // hanging face of degree 3.
      const std::size_t n_dofs = cell.dofs.size();
      cell.matrix(r, cell_matrix);
      const auto condensed = [&](std::size_t ga, std::size_t gb) {
        double sum = 0;
        for (unsigned int k = start[ga]; k < start[ga + 1]; ++k)
          {
            const double *row   = &cell_matrix[members[k].dof * n_dofs];
            double        inner = 0;
            for (unsigned int l = start[gb]; l < start[gb + 1]; ++l)
              inner += members[l].weight * row[members[l].dof];
            sum += members[k].weight * inner;
          }
        return sum;
      };
      const double tolerance = 1e-9 * std::max({cell.extent[0], cell.extent[1], cell.extent[2]});
      for (auto &d : by_direction)
        d.clear();
      for (std::size_t g = 0; g < n_groups; ++g)
        {
          diagonal(master[g]) += condensed(g, g);
          by_direction[places.direction[master_local[g]]].push_back(unsigned(g));
        }
      for (const auto &group : by_direction)
        for (std::size_t x = 0; x < group.size(); ++x)
          for (std::size_t y = x + 1; y < group.size(); ++y)
            {
              const unsigned int ga = group[x], gb = group[y]; // ga < gb: pushed in order
              if (places.on_one_line(master_local[ga], master_local[gb], tolerance))
                couplings.push_back({master[ga], master[gb], condensed(ga, gb)});
            }
    }

    /// Each DoF's line across ranks, named by the line's lowest and highest
    /// global DoF indices: connected components of the couplings, found rank
    /// by rank and joined through the shared DoFs until no name changes
    /// anywhere.
    struct LineNames
    {
      VectorType lowest, highest;
    };

    LineNames line_names(const std::vector<GlobalCoupling> &couplings, const DofPlaces &places,
                         const VectorType &layout_vector)
    {
      const Partitioner &layout  = *places.layout;
      const unsigned int n_owned = layout.locally_owned_size(), n_local = n_owned + layout.n_ghost_indices();
      DisjointSets lines(n_local);
      for (const auto &c : couplings)
        lines.join(places.local(c.a), places.local(c.b));
      std::vector<unsigned int> parent(n_local);
      for (unsigned int k = 0; k < n_local; ++k)
        parent[k] = lines.root(k);
      LineNames names;
      names.lowest.reinit(layout_vector);
      for (unsigned int k = 0; k < n_owned; ++k)
        names.lowest.local_element(k) = double(layout.local_to_global(k)); // exact below 2^53
      names.highest = names.lowest;
      names.lowest.update_ghost_values();
      names.highest.update_ghost_values();
      std::vector<double> low(n_local), high(n_local), before(2 * n_owned);
      while (true)
        {
          std::fill(low.begin(), low.end(), std::numeric_limits<double>::max());
          std::fill(high.begin(), high.end(), -1.0);
          for (unsigned int k = 0; k < n_local; ++k)
            {
              low[parent[k]]  = std::min(low[parent[k]], names.lowest.local_element(k));
              high[parent[k]] = std::max(high[parent[k]], names.highest.local_element(k));
            }
          for (unsigned int k = 0; k < n_owned; ++k)
            before[2 * k] = names.lowest.local_element(k), before[2 * k + 1] = names.highest.local_element(k);
          for (unsigned int k = 0; k < n_local; ++k)
            names.lowest.local_element(k) = low[parent[k]], names.highest.local_element(k) = high[parent[k]];
          names.lowest.compress(VectorOperation::min);
          names.highest.compress(VectorOperation::max);
          names.lowest.update_ghost_values();
          names.highest.update_ghost_values();
          bool changed = false;
          for (unsigned int k = 0; k < n_owned && !changed; ++k)
            changed = names.lowest.local_element(k) != before[2 * k] ||
                      names.highest.local_element(k) != before[2 * k + 1];
          if (Utilities::MPI::max(int(changed), layout.get_mpi_communicator()) == 0)
            return names;
        }
    }

    /// The rank owning each global index, from every rank's contiguous range.
    class Owners
    {
    public:
      explicit Owners(const IndexSet &owned, const MPI_Comm comm)
      {
        if (!owned.is_contiguous())
          throw std::logic_error("line blocks: the DoFs a rank owns must be one contiguous range");
        const Index first = owned.n_elements() > 0 ? owned.nth_index_in_set(0) : 0;
        const auto  ranges = Utilities::MPI::all_gather(comm, std::make_pair(first, first + owned.n_elements()));
        std::vector<std::pair<Index, unsigned int>> starts;
        for (unsigned int p = 0; p < ranges.size(); ++p)
          if (ranges[p].second > ranges[p].first)
            starts.emplace_back(ranges[p].first, p);
        std::sort(starts.begin(), starts.end());
        for (const auto &[begin, rank] : starts)
          begin_.push_back(begin), rank_.push_back(rank);
      }
      unsigned int operator()(Index g) const
      {
        const auto it = std::upper_bound(begin_.begin(), begin_.end(), g) - 1;
        return rank_[it - begin_.begin()];
      }

    private:
      std::vector<Index>        begin_;
      std::vector<unsigned int> rank_;
    };
  } // namespace

  std::shared_ptr<LineJacobi> assemble_line_blocks(unsigned int degree, const SeparableCells &cells,
                                                   const IndexSet &owned, const AffineConstraints<double> &constraints,
                                                   LineJacobi::VectorType &diagonal)
  {
    const ReferenceMatrices1D   r(degree);
    const DofPlaces             places = place_dofs(cells, diagonal, constraints, r);
    CondensationScratch         scratch;
    std::vector<GlobalCoupling> couplings;
    // A cell without hanging nodes couples each of its n^3 DoFs with at most
    // the (n - 1) / 2 others further along its line, on average: reserved
    // once (pages are touched only as filled), not doubled and copied.
    couplings.reserve(places.n_cells * r.n * r.n * r.n * (r.n - 1) / 2);
    cells([&](const SeparableCell &cell) {
      if (has_constrained_dof(cell, constraints))
        add_condensed_cell(cell, places, constraints, r, scratch, couplings, diagonal);
      else
        add_plain_cell(cell, places, r, couplings, diagonal);
    });
    diagonal.compress(VectorOperation::add);

    // Every line goes, whole, to the rank owning its lowest DoF or to the one
    // owning its highest, alternately by the lowest's parity (so that the
    // lines a partition boundary cuts are shared between the ranks on both
    // sides of it): the other ranks send it their DoFs on it (diagonal,
    // coordinate along it) and the couplings they assembled on it.
    const MPI_Comm     comm    = places.layout->get_mpi_communicator();
    const unsigned int me      = Utilities::MPI::this_mpi_process(comm);
    const unsigned int n_owned = places.layout->locally_owned_size();
    const Owners       owner_of(owned, comm);
    {
      // Across a partition boundary a line goes on only where it is stiff: in
      // thin layers and slivers, where a line cut there would weaken the
      // smoother (the 3D stack's bond); elsewhere the cut costs nothing and
      // joining would ship whole columns between ranks.
      couplings.erase(std::remove_if(couplings.begin(), couplings.end(),
                                     [&](const GlobalCoupling &c) {
                                       return owner_of(c.a) != owner_of(c.b) &&
                                              std::min(places.anisotropy[places.local(c.a)],
                                                       places.anisotropy[places.local(c.b)]) < stiff_across_ranks;
                                     }),
                      couplings.end());
    }
    const bool      alone = Utilities::MPI::n_mpi_processes(comm) == 1;
    const LineNames names = alone ? LineNames{} : line_names(couplings, places, diagonal);
    const auto      line_owner = [&](Index g) {
      if (alone)
        return me;
      const unsigned int k      = places.local(g);
      const auto         lowest = Index(names.lowest.local_element(k));
      return owner_of(lowest % 2 == 0 ? lowest : Index(names.highest.local_element(k)));
    };
    std::map<unsigned int, std::vector<double>> dofs_out, couplings_out;
    std::vector<bool>                           elsewhere(n_owned, false);
    for (unsigned int k = 0; k < n_owned; ++k)
      {
        const Index        g = places.layout->local_to_global(k);
        const unsigned int o = line_owner(g);
        if (o == me)
          continue;
        elsewhere[k] = true;
        auto &out    = dofs_out[o];
        out.insert(out.end(), {double(g), diagonal.local_element(k), places.position[k][places.direction[k]]});
      }
    // The couplings of this rank's lines stay, in their order (the band sums
    // them in it), compacted in place: a copy was a second array as large.
    std::size_t n_kept = 0;
    for (const auto &c : couplings)
      if (const unsigned int o = line_owner(c.a); o == me)
        couplings[n_kept++] = c;
      else
        couplings_out[o].insert(couplings_out[o].end(), {double(c.a), double(c.b), c.value});
    couplings.resize(n_kept);
    const auto dofs_in      = Utilities::MPI::some_to_some(comm, dofs_out);
    const auto couplings_in = Utilities::MPI::some_to_some(comm, couplings_out);

    IndexSet ghosts(owned.size());
    for (const auto &[rank, values] : dofs_in)
      for (std::size_t k = 0; k < values.size(); k += 3)
        ghosts.add_index(Index(values[k]));
    ghosts.compress();
    const auto layout = std::make_shared<const Partitioner>(owned, ghosts, comm);
    std::vector<double> line_diagonal(n_owned + layout->n_ghost_indices(), 0.0),
      coordinate(line_diagonal.size(), 0.0);
    for (unsigned int k = 0; k < n_owned; ++k)
      line_diagonal[k] = diagonal.local_element(k), coordinate[k] = places.position[k][places.direction[k]];
    for (const auto &[rank, values] : dofs_in)
      for (std::size_t k = 0; k < values.size(); k += 3)
        {
          const unsigned int local = layout->global_to_local(Index(values[k]));
          line_diagonal[local] = values[k + 1], coordinate[local] = values[k + 2];
        }
    auto lines = std::make_shared<LineJacobi>(layout, std::move(line_diagonal), elsewhere);
    for (unsigned int k = 0; k < coordinate.size(); ++k)
      lines->set_coordinate(k, coordinate[k]);
    std::size_t n_in = 0;
    for (const auto &[rank, values] : couplings_in)
      n_in += values.size() / 3;
    lines->reserve_couplings(couplings.size() + n_in);
    for (const auto &c : couplings)
      lines->add_coupling(layout->global_to_local(c.a), layout->global_to_local(c.b), c.value);
    couplings.clear();
    couplings.shrink_to_fit();
    for (const auto &[rank, values] : couplings_in)
      for (std::size_t k = 0; k < values.size(); k += 3)
        lines->add_coupling(layout->global_to_local(Index(values[k])), layout->global_to_local(Index(values[k + 1])),
                            values[k + 2]);
    return lines;
  }
} // namespace chiptherm::solver
