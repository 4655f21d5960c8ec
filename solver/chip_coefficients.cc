#include "chip_coefficients.h"

#include "energy_integrals.h"

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
                                     const parallel::distributed::Triangulation<3> &tria)
    : model_(model)
    , zones_(zones)
  {
    const auto blocks = model.all_blocks();
    block_volume_.assign(blocks.size(), 0.0);
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned() && zones_[cell->material_id()].block >= 0)
        block_volume_[zones_[cell->material_id()].block] += cell->measure();
    Utilities::MPI::sum(block_volume_, tria.get_communicator(), block_volume_);
    for (std::size_t b = 0; b < blocks.size(); ++b)
      if (!(block_volume_[b] > 0))
        throw InputError(blocks[b]->where, "block '" + blocks[b]->name +
                                             "' received no mesh cells: it is narrower than mesh.merge_tolerance");

    for (const auto &zone : zones_)
      {
        const auto &m = *model.materials.find(zone.material); // names were checked when the case was read
        k_exponent_.push_back(m.depends_on_temperature() ? m.k_exponent : 0.0);
        zone_leakage_.push_back(zone.block >= 0 && blocks[zone.block]->leakage ? &*blocks[zone.block]->leakage
                                                                               : nullptr);
        k_reference_k_.push_back(m.depends_on_temperature() ? m.k_reference_temperature_k : 1.0);
        SymmetricTensor<2, 3> k;
        for (unsigned int d = 0; d < 3; ++d)
          k[d][d] = m.conductivity_w_mk[d];
        conductivity_.push_back(k);
        heat_capacity_.push_back(m.heat_capacity_j_m3k);
        power_density_.push_back(zone.block >= 0 ? blocks[zone.block]->power_w / block_volume_[zone.block] : 0.0);
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

  std::pair<double, double> ChipCoefficients::leakage_density(types::material_id zone, double t_k) const
  {
    // Called at every quadrature point of every assembly: table lookups only.
    const floorplans::Leakage *leak = zone_leakage_[zone];
    if (!leak)
      return {0.0, 0.0};
    return {leak->p0_w / block_volume_[zones_[zone].block] * std::exp(leak->beta_per_k * (t_k - leak->t0_k)),
            leak->beta_per_k};
  }

  bool ChipCoefficients::has_leakage() const
  {
    return std::any_of(zone_leakage_.begin(), zone_leakage_.end(), [](const auto *l) { return l != nullptr; });
  }

  bool ChipCoefficients::depends_on_temperature() const
  {
    return has_leakage() ||
           std::any_of(k_exponent_.begin(), k_exponent_.end(), [](double a) { return a != 0; });
  }

  std::vector<double> ChipCoefficients::block_leakage_w(const TemperatureField &field,
                                                       const HeatProblemData<3> &data) const
  {
    std::vector<double> leak(model_.all_blocks().size(), 0.0);
    const auto          by_zone = temperature_source_w(field, data);
    for (std::size_t z = 0; z < by_zone.size() && z < zones_.size(); ++z)
      if (zones_[z].block >= 0)
        leak[zones_[z].block] += by_zone[z];
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

  HeatProblemData<3> ChipCoefficients::problem_data(const std::vector<double> &block_power_w) const
  {
    auto density = std::make_shared<std::vector<double>>(zones_.size(), 0.0);
    for (std::size_t z = 0; z < zones_.size(); ++z)
      if (zones_[z].block >= 0)
        (*density)[z] = block_power_w[zones_[z].block] / block_volume_[zones_[z].block];
    HeatProblemData<3> data;
    data.conductivity  = [this](types::material_id z) { return conductivity_[z]; };
    data.power_density = [density](types::material_id z, const Point<3> &) { return (*density)[z]; };
    data.heat_capacity = [this](types::material_id z) { return heat_capacity_[z]; };
    data.reference_temperature_k = model_.ambient_k;
    if (std::any_of(k_exponent_.begin(), k_exponent_.end(), [](double a) { return a != 0; }))
      data.conductivity_factor = [this](types::material_id z, double t_k) { return conductivity_factor(z, t_k); };
    if (has_leakage())
      data.temperature_source = [this](types::material_id z, const Point<3> &, double t_k) {
        const auto [q, beta] = leakage_density(z, t_k);
        return std::pair<double, double>{q, beta * q};
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
