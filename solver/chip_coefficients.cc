#include "chip_coefficients.h"

#include "energy_integrals.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <deal.II/base/mpi.h>
#include <deal.II/base/utilities.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <memory>

namespace chiptherm::solver
{
  using namespace dealii;

  ChipCoefficients::ChipCoefficients(const floorplans::ChipModel &model, const mesh::ZoneTable &zones,
                                     const Triangulation<3> &tria)
    : model_(model)
    , zones_(zones)
    , pieces_(model, tria)
    , power_maps_(model, zones)
  {
    for (const auto *b : model.all_blocks())
      block_leakage_.push_back(b->leakage ? &*b->leakage : nullptr);
    for (const auto &zone : zones_)
      {
        const auto &m = *model.materials.find(zone.material); // names were checked when the case was read
        k_exponent_.push_back(m.depends_on_temperature() ? m.k_exponent : 0.0);
        k_reference_k_.push_back(m.depends_on_temperature() ? m.k_reference_temperature_k : 1.0);
        SymmetricTensor<2, 3> k;
        for (unsigned int d = 0; d < 3; ++d)
          k[d][d] = m.conductivity_w_mk[d];
        conductivity_.push_back(k);
        heat_capacity_.push_back(m.heat_capacity_j_m3k);
        auto it = std::find(material_names_.begin(), material_names_.end(), zone.material);
        if (it == material_names_.end())
          it = material_names_.insert(material_names_.end(), zone.material);
        material_index_.push_back(int(it - material_names_.begin()));
      }
  }

  double ChipCoefficients::conductivity_factor(types::material_id zone, double t_k) const
  {
    return k_exponent_[zone] == 0 ? 1.0 : std::pow(t_k / k_reference_k_[zone], k_exponent_[zone]);
  }

  double ChipCoefficients::block_leakage_density(unsigned int block, double t_k) const
  {
    const floorplans::Leakage &leak = *block_leakage_[block];
    return leak.p0_w / block_volume_m3(block) * std::exp(leak.beta_per_k * (t_k - leak.t0_k));
  }

  std::pair<double, double> ChipCoefficients::leakage_density(const CellAccessor<3, 3> &cell, double t_k) const
  {
    // Called at every quadrature point of every assembly: a short list per cell.
    double q = 0, dq_dt = 0;
    for (const auto &piece : pieces_(cell))
      if (const floorplans::Leakage *leak = block_leakage_[piece.block])
        {
          const double here = piece.fraction * block_leakage_density(piece.block, t_k);
          q += here;
          dq_dt += leak->beta_per_k * here;
        }
    return {q, dq_dt};
  }

  double ChipCoefficients::dynamic_density_w_m3(const CellAccessor<3, 3> &cell,
                                                const std::vector<double> &block_power_w) const
  {
    double q = 0;
    for (const auto &piece : pieces_(cell))
      q += piece.fraction * block_power_w[piece.block] / block_volume_m3(piece.block);
    return q + power_maps_.mean_density_w_m3(cell);
  }

  int ChipCoefficients::main_block(const CellAccessor<3, 3> &cell) const
  {
    int    block = -1;
    double most  = 0;
    for (const auto &piece : pieces_(cell))
      if (piece.fraction > most)
        most = piece.fraction, block = int(piece.block);
    return block;
  }

  bool ChipCoefficients::has_leakage() const
  {
    return std::any_of(block_leakage_.begin(), block_leakage_.end(), [](const auto *l) { return l != nullptr; });
  }

  bool ChipCoefficients::depends_on_temperature() const
  {
    return has_leakage() ||
           std::any_of(k_exponent_.begin(), k_exponent_.end(), [](double a) { return a != 0; });
  }

  std::vector<double> ChipCoefficients::block_leakage_w(const TemperatureField &field) const
  {
    std::vector<double> leak(block_leakage_.size(), 0.0);
    if (!has_leakage())
      return leak;
    const QGauss<3>     gauss(field.dofs->get_fe().degree + 1);
    FEValues<3>         fe_values(*field.mapping, field.dofs->get_fe(), gauss, update_values | update_JxW_values);
    std::vector<double> t(gauss.size());
    for (const auto &cell : field.dofs->active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto pieces = pieces_(*cell);
          if (pieces.size() == 0)
            continue;
          fe_values.reinit(cell);
          fe_values.get_function_values(*field.temperature, t);
          for (const auto &piece : pieces)
            if (block_leakage_[piece.block])
              for (const unsigned int q : fe_values.quadrature_point_indices())
                leak[piece.block] += piece.fraction * block_leakage_density(piece.block, t[q]) * fe_values.JxW(q);
        }
    Utilities::MPI::sum(leak, field.communicator(), leak);
    return leak;
  }

  std::string ChipCoefficients::runaway_culprit(const HeatProblem<3> &problem) const
  {
    const auto  blocks  = model_.all_blocks();
    const auto  leakage = block_leakage_w(problem);
    std::size_t worst   = blocks.size();
    double      slope   = -1;
    for (std::size_t b = 0; b < blocks.size(); ++b)
      if (blocks[b]->leakage && blocks[b]->leakage->beta_per_k * leakage[b] > slope)
        slope = blocks[b]->leakage->beta_per_k * leakage[b], worst = b;
    if (worst == blocks.size())
      return "no block leaks";
    char buf[160];
    std::snprintf(buf, sizeof buf, " (leakage %.3g W, growing by %.3g W/K at the last temperature)", leakage[worst],
                  slope);
    return "the block that ran away: " + blocks[worst]->die + "/" + blocks[worst]->name + buf;
  }

  double ChipCoefficients::conductivity_mean_w_mk(types::material_id zone) const
  {
    return trace(conductivity_[zone]) / 3.0;
  }

  HeatProblemData<3> ChipCoefficients::problem_data() const
  {
    std::vector<double> power;
    for (const auto *b : model_.all_blocks())
      power.push_back(b->power_w);
    return problem_data(power);
  }

  HeatProblemData<3> ChipCoefficients::problem_data(const std::vector<double> &block_power_w,
                                                    const bool                 with_power_maps,
                                                    const std::vector<int>    &map_frames) const
  {
    auto density = std::make_shared<std::vector<double>>(block_power_w.size(), 0.0);
    for (std::size_t b = 0; b < block_power_w.size(); ++b)
      (*density)[b] = block_power_w[b] / block_volume_m3(b);
    HeatProblemData<3> data;
    data.conductivity = [this](types::material_id z) { return conductivity_[z]; };
    data.box_sources  = [this, density, with_power_maps, map_frames](const CellAccessor<3, 3> &cell,
                                                                    std::vector<BoxSource<3>> &out) {
      for (const auto &piece : pieces_(cell))
        if ((*density)[piece.block] != 0)
          out.push_back({piece.box.lo, piece.box.hi, (*density)[piece.block]});
      if (with_power_maps)
        power_maps_.add(cell, out, map_frames);
    };
    data.heat_capacity = [this](types::material_id z) { return heat_capacity_[z]; };
    data.reference_temperature_k = model_.ambient_k;
    if (std::any_of(k_exponent_.begin(), k_exponent_.end(), [](double a) { return a != 0; }))
      data.conductivity_factor = [this](types::material_id z, double t_k) { return conductivity_factor(z, t_k); };
    if (has_leakage())
      data.temperature_source = [this](const CellAccessor<3, 3> &cell, const Point<3> &, double t_k) {
        return leakage_density(cell, t_k);
      };
    const double ambient         = model_.ambient_k;
    auto         add = [&](mesh::BoundaryGroup id, const floorplans::BoundaryCondition &bc) {
      if (!bc.is_adiabatic())
        data.robin[id] = RobinBoundary<3>{bc.h_w_m2k, [ambient](const Point<3> &) { return ambient; }};
    };
    add(mesh::boundary_top, model_.boundaries.top);
    add(mesh::boundary_bottom, model_.boundaries.bottom);
    add(mesh::boundary_sides, model_.boundaries.sides);
    return data;
  }
} // namespace chiptherm::solver
