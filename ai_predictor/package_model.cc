#include "package_model.h"

#include <HYPRE.h>
#include <HYPRE_parcsr_ls.h>
#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>
#include <cmath>
#include <stdexcept>
#include <tuple>

namespace chiptherm::ai_predictor
{
  namespace
  {
    using floorplans::Rect;

    /// Lines from a to b: cells growing by `growth` from size h_a at a and h_b at b
    /// until they meet in the middle.
    void graded_fill(double a, double b, double h_a, double h_b, double growth, std::vector<double> &lines)
    {
      std::vector<double> left, right;
      double              x0 = a, x1 = b;
      while (x1 - x0 > 1.5 * std::min(h_a, h_b))
        {
          if (h_a <= h_b)
            left.push_back(x0 += h_a), h_a *= growth;
          else
            right.push_back(x1 -= h_b), h_b *= growth;
        }
      lines.insert(lines.end(), left.begin(), left.end());
      lines.insert(lines.end(), right.begin(), right.end());
    }

    /// One axis of the tensor grid. fine: spans [lo, hi) covered at pixel size h.
    std::vector<double> axis_lines(std::vector<double> fixed, const std::vector<std::pair<double, double>> &fine_spans,
                                   const std::vector<double> &fine_size, double growth)
    {
      std::sort(fixed.begin(), fixed.end());
      double smallest = 1e300;
      for (const double h : fine_size)
        smallest = std::min(smallest, h);
      std::vector<double> merged;
      for (const double x : fixed)
        if (merged.empty() || x - merged.back() > 0.05 * smallest)
          merged.push_back(x);
      // the size of the cells next to each line: fine inside a span, else from the nearest span
      auto local_size = [&](double x) {
        double best = 1e300;
        for (std::size_t s = 0; s < fine_spans.size(); ++s)
          {
            const double d = std::max({0.0, fine_spans[s].first - x, x - fine_spans[s].second});
            // a cell at distance d from a span of pixel h may be about h + d (1 - 1/growth)
            best = std::min(best, fine_size[s] + d * (1 - 1 / growth));
          }
        return best;
      };
      std::vector<double> lines;
      for (std::size_t i = 0; i + 1 < merged.size(); ++i)
        {
          lines.push_back(merged[i]);
          graded_fill(merged[i], merged[i + 1], local_size(merged[i]), local_size(merged[i + 1]), growth, lines);
        }
      lines.push_back(merged.back());
      std::sort(lines.begin(), lines.end());
      return lines;
    }

    struct Plane
    {
      std::size_t layer;
      double      thickness_m, z_bottom_m;
    };

    double overlap_1d(double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); }

    /// The finite-volume grid: x and y lines, planes through the layers, and
    /// for every cell its unknown (-1 outside the footprints) and conductivity.
    struct PackageGrid
    {
      std::vector<double>                xl, yl;
      std::size_t                        nx = 0, ny = 0;
      std::vector<Plane>                 planes;
      std::vector<std::size_t>           first_plane; ///< per layer
      std::vector<long>                  id;
      std::vector<std::array<double, 3>> k;
      long                               n = 0;
      std::size_t per_plane() const { return nx * ny; }
      std::size_t cell(std::size_t p, std::size_t j, std::size_t i) const { return p * per_plane() + j * nx + i; }
      /// The planes of layer l: [first, first + count).
      std::pair<std::size_t, std::size_t> planes_of(std::size_t l) const
      {
        const std::size_t end = l + 1 < first_plane.size() ? first_plane[l + 1] : planes.size();
        return {first_plane[l], end - first_plane[l]};
      }
    };

    /// x and y lines: every pixel_stride-th pixel edge under the dies, every footprint and region edge, graded between.
    void in_plane_lines(const floorplans::ChipModel &model, const std::vector<DieRaster> &rasters,
                        const PackageModelSettings &settings, PackageGrid &g)
    {
      std::vector<double>                    fx, fy, sizes;
      std::vector<std::pair<double, double>> spans_x, spans_y;
      auto add_rect = [&](const Rect &r) {
        fx.push_back(r.x), fx.push_back(r.x_end()), fy.push_back(r.y), fy.push_back(r.y_end());
      };
      for (const auto &r : rasters)
        {
          const int stride = std::max(1, settings.pixel_stride);
          for (int c = 0; c <= r.cols; c += stride)
            fx.push_back(r.extent.x + c * r.pixel_m);
          for (int row = 0; row <= r.rows; row += stride)
            fy.push_back(r.extent.y + row * r.pixel_m);
          add_rect(r.die_rect);
          spans_x.emplace_back(r.extent.x, r.extent.x_end());
          spans_y.emplace_back(r.extent.y, r.extent.y_end());
          sizes.push_back(stride * r.pixel_m);
        }
      for (const auto &layer : model.layers)
        {
          add_rect(layer.footprint);
          for (const auto &region : layer.regions)
            add_rect(region.rect);
        }
      g.xl = axis_lines(fx, spans_x, sizes, settings.growth);
      g.yl = axis_lines(fy, spans_y, sizes, settings.growth);
      g.nx = g.xl.size() - 1, g.ny = g.yl.size() - 1;
    }

    /// Planes: the die's sublayers, graded sublayers through thick layers (thin on the side facing the dies).
    void planes_through_layers(const floorplans::ChipModel &model, const PackageModelSettings &settings, PackageGrid &g)
    {
      const auto &layers         = model.layers;
      std::size_t lowest_powered = layers.size(), highest_powered = 0;
      for (std::size_t l = 0; l < layers.size(); ++l)
        if (layers[l].is_powered())
          lowest_powered = std::min(lowest_powered, l), highest_powered = l;
      g.first_plane.resize(layers.size());
      for (std::size_t l = 0; l < layers.size(); ++l)
        {
          const bool thick = !layers[l].is_powered() && layers[l].thickness_m > settings.thick_layer_m;
          const int  n     = std::max(1, layers[l].is_powered() ? settings.die_sublayers
                                         : thick                ? settings.thick_sublayers
                                                                : 1);
          // sublayer s has thickness ratio^s (thick layers above the dies) or ratio^(n-1-s) (below them)
          const double ratio = thick ? std::max(1.0, settings.thick_grading) : 1.0;
          const bool   above = l > highest_powered || lowest_powered == layers.size();
          double       total = 0;
          for (int s = 0; s < n; ++s)
            total += std::pow(ratio, s);
          g.first_plane[l] = g.planes.size();
          double z         = layers[l].z_bottom_m;
          for (int s = 0; s < n; ++s)
            {
              const double t = layers[l].thickness_m * std::pow(ratio, above ? s : n - 1 - s) / total;
              g.planes.push_back({l, t, z});
              z += t;
            }
        }
    }

    PackageGrid make_grid(const floorplans::ChipModel &model, const std::vector<DieRaster> &rasters,
                          const PackageModelSettings &settings)
    {
      PackageGrid g;
      in_plane_lines(model, rasters, settings, g);
      planes_through_layers(model, settings, g);
      g.id.assign(g.planes.size() * g.per_plane(), -1);
      g.k.resize(g.planes.size() * g.per_plane());
      for (std::size_t p = 0; p < g.planes.size(); ++p)
        {
          const auto &layer = model.layers[g.planes[p].layer];
          for (std::size_t j = 0; j < g.ny; ++j)
            for (std::size_t i = 0; i < g.nx; ++i)
              {
                const double xc = 0.5 * (g.xl[i] + g.xl[i + 1]), yc = 0.5 * (g.yl[j] + g.yl[j + 1]);
                if (!layer.footprint.contains(xc, yc))
                  continue;
                std::string material = layer.material;
                for (const auto &region : layer.regions)
                  if (region.rect.contains(xc, yc))
                    material = region.material;
                const auto *m = model.materials.find(material);
                if (!m)
                  throw std::runtime_error("package model: unknown material '" + material + "'");
                g.id[g.cell(p, j, i)] = g.n++;
                g.k[g.cell(p, j, i)]  = m->conductivity_w_mk;
              }
        }
      return g;
    }

    /// The conductance matrix (lower triangle, triplets) and the power per cell.
    struct Conductance
    {
      std::vector<long>   rows, cols;
      std::vector<double> values, diagonal, rhs;
      void link(long a, long b, double g)
      {
        diagonal[a] += g, diagonal[b] += g;
        rows.push_back(std::max(a, b)), cols.push_back(std::min(a, b)), values.push_back(-g);
      }
    };

    /// Links between neighbouring cells and films on exposed faces, as the FEM assigns top/bottom/sides.
    void add_links(const floorplans::ChipModel &model, const PackageGrid &g, Conductance &A)
    {
      auto film = [](double half_resistance_area, double h) { return h > 0 ? 1.0 / (half_resistance_area + 1.0 / h) : 0.0; };
      const auto  &bc = model.boundaries;
      const double z_top = model.height_m(), z_bottom = model.layers.front().z_bottom_m;
      const auto  &xl = g.xl, &yl = g.yl;
      const auto  &id = g.id;
      const auto  &k  = g.k;
      for (std::size_t p = 0; p < g.planes.size(); ++p)
        for (std::size_t j = 0; j < g.ny; ++j)
          for (std::size_t i = 0; i < g.nx; ++i)
            {
              const std::size_t c = g.cell(p, j, i), nx = g.nx;
              if (id[c] < 0)
                continue;
              const double dx = xl[i + 1] - xl[i], dy = yl[j + 1] - yl[j], t = g.planes[p].thickness_m;
              if (i + 1 < nx && id[c + 1] >= 0)
                A.link(id[c], id[c + 1],
                       1.0 / (0.5 * dx / (k[c][0] * dy * t) + 0.5 * (xl[i + 2] - xl[i + 1]) / (k[c + 1][0] * dy * t)));
              else if (bc.sides.h_w_m2k > 0)
                A.diagonal[id[c]] += dy * t * film(0.5 * dx / k[c][0], bc.sides.h_w_m2k);
              if (i == 0 || id[c - 1] < 0)
                A.diagonal[id[c]] += dy * t * film(0.5 * dx / k[c][0], bc.sides.h_w_m2k);
              if (j + 1 < g.ny && id[c + nx] >= 0)
                A.link(id[c], id[c + nx],
                       1.0 / (0.5 * dy / (k[c][1] * dx * t) + 0.5 * (yl[j + 2] - yl[j + 1]) / (k[c + nx][1] * dx * t)));
              else
                A.diagonal[id[c]] += dx * t * film(0.5 * dy / k[c][1], bc.sides.h_w_m2k);
              if (j == 0 || id[c - nx] < 0)
                A.diagonal[id[c]] += dx * t * film(0.5 * dy / k[c][1], bc.sides.h_w_m2k);
              // z neighbour above, or a film on the top face
              const std::size_t up = c + g.per_plane();
              if (p + 1 < g.planes.size() && id[up] >= 0)
                A.link(id[c], id[up], dx * dy / (0.5 * t / k[c][2] + 0.5 * g.planes[p + 1].thickness_m / k[up][2]));
              else
                {
                  const bool   top = std::abs(g.planes[p].z_bottom_m + t - z_top) < 1e-3 * t;
                  const double h   = top ? bc.top.h_w_m2k : bc.sides.h_w_m2k;
                  A.diagonal[id[c]] += dx * dy * film(0.5 * t / k[c][2], h);
                }
              if (p == 0 || id[c - g.per_plane()] < 0)
                {
                  const bool   bottom = std::abs(g.planes[p].z_bottom_m - z_bottom) < 1e-3 * t;
                  const double h      = bottom ? bc.bottom.h_w_m2k : bc.sides.h_w_m2k;
                  A.diagonal[id[c]] += dx * dy * film(0.5 * t / k[c][2], h);
                }
            }
    }

    /// Power: each block over its volume, shared by overlap.
    void add_power(const floorplans::ChipModel &model, const PackageGrid &g, Conductance &A)
    {
      const auto &xl = g.xl, &yl = g.yl;
      for (std::size_t l = 0; l < model.layers.size(); ++l)
        {
          const auto [p0, np] = g.planes_of(l);
          for (const auto &b : model.layers[l].blocks)
            {
              if (b.power_w == 0 || b.area_m2() <= 0)
                continue;
              for (const auto &r : b.rects)
                {
                  const auto i0 = std::size_t(std::upper_bound(xl.begin(), xl.end(), r.x) - xl.begin());
                  const auto j0 = std::size_t(std::upper_bound(yl.begin(), yl.end(), r.y) - yl.begin());
                  for (std::size_t j = j0 ? j0 - 1 : 0; j < g.ny && yl[j] < r.y_end(); ++j)
                    for (std::size_t i = i0 ? i0 - 1 : 0; i < g.nx && xl[i] < r.x_end(); ++i)
                      {
                        const double share = overlap_1d(xl[i], xl[i + 1], r.x, r.x_end()) *
                                             overlap_1d(yl[j], yl[j + 1], r.y, r.y_end()) / b.area_m2();
                        for (std::size_t p = p0; p < p0 + np && share > 0; ++p)
                          if (g.id[g.cell(p, j, i)] >= 0)
                            A.rhs[g.id[g.cell(p, j, i)]] += b.power_w * share / np;
                      }
                }
            }
        }
    }

    /// hypre needs MPI. The chiptherm engine initialises it (deal.II's
    /// MPI_InitFinalize); a program that does not (a bench tool, a test of the
    /// predictor's LibTorch parts) gets it here, once, finalised at exit.
    void ensure_mpi()
    {
      int initialised = 0;
      MPI_Initialized(&initialised);
      if (initialised)
        return;
      MPI_Init(nullptr, nullptr);
      std::atexit([] {
        int finalised = 0;
        MPI_Finalized(&finalised);
        if (!finalised)
          MPI_Finalize();
      });
    }

    /// The full symmetric matrix as compressed rows (hypre takes whole rows).
    struct CompressedRows
    {
      std::vector<HYPRE_Int>  row_sizes, columns, row_numbers;
      std::vector<double>     values;
    };

    CompressedRows compressed_rows(const Conductance &A, long n)
    {
      CompressedRows m;
      m.row_sizes.assign(std::size_t(n), 1); // the diagonal
      for (std::size_t e = 0; e < A.rows.size(); ++e)
        ++m.row_sizes[std::size_t(A.rows[e])], ++m.row_sizes[std::size_t(A.cols[e])];
      std::vector<std::size_t> next(std::size_t(n) + 1, 0);
      for (long r = 0; r < n; ++r)
        next[std::size_t(r) + 1] = next[std::size_t(r)] + std::size_t(m.row_sizes[std::size_t(r)]);
      m.columns.resize(next.back());
      m.values.resize(next.back());
      auto put = [&](long r, long c, double v) {
        const std::size_t at = next[std::size_t(r)]++;
        m.columns[at] = HYPRE_Int(c), m.values[at] = v;
      };
      for (long r = 0; r < n; ++r)
        put(r, r, A.diagonal[std::size_t(r)]);
      for (std::size_t e = 0; e < A.rows.size(); ++e)
        put(A.rows[e], A.cols[e], A.values[e]), put(A.cols[e], A.rows[e], A.values[e]);
      m.row_numbers.resize(std::size_t(n));
      for (long r = 0; r < n; ++r)
        m.row_numbers[std::size_t(r)] = HYPRE_Int(r);
      return m;
    }

    /// Owns hypre's objects for one solve.
    struct HypreSolve
    {
      HYPRE_IJMatrix matrix = nullptr;
      HYPRE_IJVector rhs = nullptr, solution = nullptr;
      HYPRE_Solver   cg = nullptr, amg = nullptr;
      ~HypreSolve()
      {
        if (amg)
          HYPRE_BoomerAMGDestroy(amg);
        if (cg)
          HYPRE_ParCSRPCGDestroy(cg);
        if (solution)
          HYPRE_IJVectorDestroy(solution);
        if (rhs)
          HYPRE_IJVectorDestroy(rhs);
        if (matrix)
          HYPRE_IJMatrixDestroy(matrix);
      }
    };

    /// The rise of every unknown: conjugate gradients preconditioned by
    /// BoomerAMG (hypre), one process, to a relative residual of 1e-10. A
    /// sparse Cholesky factorisation (CHOLMOD) was used before: 105 GFlop for
    /// the 2.5D example's 261 k unknowns, 8.4 s with OpenBLAS and most of a
    /// minute with Debian's reference BLAS, against about 1 s here
    /// (docs/benchmarks.md, "The package model's solver").
    std::vector<double> solve_conductance(const Conductance &A, long n)
    {
      // some film to ambient (a row whose links do not sum to its diagonal), else the rise is undetermined
      std::vector<double> row_sum(A.diagonal);
      for (std::size_t e = 0; e < A.rows.size(); ++e)
        row_sum[std::size_t(A.rows[e])] += A.values[e], row_sum[std::size_t(A.cols[e])] += A.values[e];
      bool grounded = false;
      for (long a = 0; a < n && !grounded; ++a)
        grounded = row_sum[std::size_t(a)] > 1e-9 * A.diagonal[std::size_t(a)];
      if (!grounded)
        throw std::runtime_error("package model: the conductance matrix is singular (a package without any film "
                                 "to ambient?)");
      ensure_mpi();
      const CompressedRows m = compressed_rows(A, n);
      HypreSolve           h;
      const HYPRE_Int      last = HYPRE_Int(n - 1);
      HYPRE_IJMatrixCreate(MPI_COMM_SELF, 0, last, 0, last, &h.matrix);
      HYPRE_IJMatrixSetObjectType(h.matrix, HYPRE_PARCSR);
      HYPRE_IJMatrixSetRowSizes(h.matrix, m.row_sizes.data());
      HYPRE_IJMatrixInitialize(h.matrix);
      HYPRE_IJMatrixSetValues(h.matrix, HYPRE_Int(n), const_cast<HYPRE_Int *>(m.row_sizes.data()),
                              m.row_numbers.data(), m.columns.data(), m.values.data());
      HYPRE_IJMatrixAssemble(h.matrix);
      std::vector<double> rise(std::size_t(n), 0.0);
      for (HYPRE_IJVector *v : {&h.rhs, &h.solution})
        {
          HYPRE_IJVectorCreate(MPI_COMM_SELF, 0, last, v);
          HYPRE_IJVectorSetObjectType(*v, HYPRE_PARCSR);
          HYPRE_IJVectorInitialize(*v);
          HYPRE_IJVectorSetValues(*v, HYPRE_Int(n), m.row_numbers.data(), v == &h.rhs ? A.rhs.data() : rise.data());
          HYPRE_IJVectorAssemble(*v);
        }
      HYPRE_ParCSRMatrix matrix;
      HYPRE_ParVector    rhs, solution;
      HYPRE_IJMatrixGetObject(h.matrix, reinterpret_cast<void **>(&matrix));
      HYPRE_IJVectorGetObject(h.rhs, reinterpret_cast<void **>(&rhs));
      HYPRE_IJVectorGetObject(h.solution, reinterpret_cast<void **>(&solution));

      HYPRE_BoomerAMGCreate(&h.amg);
      HYPRE_BoomerAMGSetPrintLevel(h.amg, 0);
      HYPRE_BoomerAMGSetCoarsenType(h.amg, 10); // HMIS
      HYPRE_BoomerAMGSetInterpType(h.amg, 6);   // extended+i
      HYPRE_BoomerAMGSetPMaxElmts(h.amg, 4);
      HYPRE_BoomerAMGSetStrongThreshold(h.amg, 0.25);
      HYPRE_BoomerAMGSetAggNumLevels(h.amg, 1); // aggressive coarsening on the first level: a cheaper setup
      HYPRE_BoomerAMGSetRelaxType(h.amg, 6);         // symmetric Gauss-Seidel
      HYPRE_BoomerAMGSetNumSweeps(h.amg, 1);
      HYPRE_BoomerAMGSetMaxIter(h.amg, 1);
      HYPRE_BoomerAMGSetTol(h.amg, 0.0);
      HYPRE_ParCSRPCGCreate(MPI_COMM_SELF, &h.cg);
      HYPRE_PCGSetTol(h.cg, 1e-10);
      HYPRE_PCGSetMaxIter(h.cg, 500);
      HYPRE_PCGSetTwoNorm(h.cg, 1);
      HYPRE_PCGSetPrintLevel(h.cg, 0);
      HYPRE_PCGSetPrecond(h.cg, reinterpret_cast<HYPRE_PtrToSolverFcn>(HYPRE_BoomerAMGSolve),
                          reinterpret_cast<HYPRE_PtrToSolverFcn>(HYPRE_BoomerAMGSetup), h.amg);
      HYPRE_ParCSRPCGSetup(h.cg, matrix, rhs, solution);
      HYPRE_ParCSRPCGSolve(h.cg, matrix, rhs, solution);
      HYPRE_Int converged = 0, iterations = 0;
      double    residual  = 0;
      HYPRE_PCGGetConverged(h.cg, &converged);
      HYPRE_PCGGetNumIterations(h.cg, &iterations);
      HYPRE_PCGGetFinalRelativeResidualNorm(h.cg, &residual);
      if (!converged)
        throw std::runtime_error("package model: conjugate gradients did not converge in " + std::to_string(iterations) +
                                 " iterations (relative residual " + std::to_string(residual) + ")");
      HYPRE_IJVectorGetValues(h.solution, HYPRE_Int(n), m.row_numbers.data(), rise.data());
      return rise;
    }

    /// The rise at the pixel centres, on the die layer's mid-plane. Bilinear
    /// between cell centres (cells that do not exist, outside the die, drop out
    /// and the weights are renormalised): a cell spans 2 x 2 pixels, and a
    /// piecewise-constant read-out would print that staircase into every map.
    void sample(const PackageGrid &g, const std::vector<double> &rise, DieRaster &r)
    {
      std::vector<double> xc(g.nx), yc(g.ny);
      for (std::size_t i = 0; i < g.nx; ++i)
        xc[i] = 0.5 * (g.xl[i] + g.xl[i + 1]);
      for (std::size_t j = 0; j < g.ny; ++j)
        yc[j] = 0.5 * (g.yl[j] + g.yl[j + 1]);
      auto bracket = [](const std::vector<double> &c, double v, std::size_t &a, std::size_t &b, double &w) {
        const auto up = std::size_t(std::upper_bound(c.begin(), c.end(), v) - c.begin());
        a             = up == 0 ? 0 : up - 1;
        b             = up == c.size() ? c.size() - 1 : up;
        w             = b == a ? 0.0 : (v - c[a]) / (c[b] - c[a]);
      };
      const auto [p0, np] = g.planes_of(r.layer_index);
      const std::size_t lo = p0 + (np - 1) / 2, hi = p0 + np / 2; // one plane, or the two around the middle
      r.package_rise_k.assign(std::size_t(r.rows) * r.cols, 0.0f);
      for (int row = 0; row < r.rows; ++row)
        for (int col = 0; col < r.cols; ++col)
          {
            const double x = r.extent.x + (col + 0.5) * r.pixel_m, y = r.extent.y + (row + 0.5) * r.pixel_m;
            if (!r.die_rect.contains(x, y))
              continue;
            std::size_t i0, i1, j0, j1;
            double      wx, wy;
            bracket(xc, x, i0, i1, wx);
            bracket(yc, y, j0, j1, wy);
            double sum = 0, weight = 0;
            for (const std::size_t p : {lo, hi})
              for (const auto &[i, j, w] : {std::tuple{i0, j0, (1 - wx) * (1 - wy)}, std::tuple{i1, j0, wx * (1 - wy)},
                                            std::tuple{i0, j1, (1 - wx) * wy}, std::tuple{i1, j1, wx * wy}})
                if (const long a = g.id[g.cell(p, j, i)]; a >= 0 && w > 0)
                  sum += w * rise[std::size_t(a)], weight += w;
            r.package_rise_k[std::size_t(row) * r.cols + col] = float(weight > 0 ? sum / weight : 0.0);
          }
    }
  } // namespace

  void add_package_rise(const floorplans::ChipModel &model, std::vector<DieRaster> &rasters,
                        const PackageModelSettings &settings, PackageModelReport *report)
  {
    const auto start = std::chrono::steady_clock::now();
    if (model.layers.empty() || rasters.empty())
      return;
    const PackageGrid g = make_grid(model, rasters, settings);
    Conductance       A;
    A.diagonal.assign(std::size_t(g.n), 0.0);
    A.rhs.assign(std::size_t(g.n), 0.0);
    add_links(model, g, A);
    add_power(model, g, A);
    const std::vector<double> rise = solve_conductance(A, g.n);
    for (auto &r : rasters)
      sample(g, rise, r);
    if (report)
      {
        report->unknowns     = std::size_t(g.n);
        report->milliseconds = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
      }
  }
} // namespace chiptherm::ai_predictor
