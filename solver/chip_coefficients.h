#pragma once
// Turns a ChipModel and its mesh zones into the coefficients of the heat
// problem: conductivity and heat capacity per zone, each block's power and
// leakage over the parts of cells it covers (cell_block_pieces.h), convective
// boundaries.
#include "cell_block_pieces.h"
#include "floorplans/chip_model.h"
#include "mesh/zone_table.h"
#include "heat_problem.h"
#include "power_map_sources.h"
#include "temperature_field.h"

#include <deal.II/grid/tria.h>

namespace chiptherm::solver
{
  class ChipCoefficients
  {
  public:
    /// Blocks are found in cells by overlap; the table follows tria's changes.
    ChipCoefficients(const floorplans::ChipModel &model, const mesh::ZoneTable &zones,
                     const dealii::Triangulation<3> &tria);

    /// Coefficients with each block at its steady power (Block::power_w),
    /// plus leakage (Block::leakage) as a source of the local temperature and
    /// k(T) for materials that give an exponent: then the problem is nonlinear.
    HeatProblemData<3> problem_data() const;
    /// k(T) / k0 of the zone's material at T (1 for a constant conductivity).
    double conductivity_factor(dealii::types::material_id zone, double t_k) const;
    /// The cell's leakage density at T and its derivative, {W/m^3, W/(m^3 K)}:
    /// each block's leakage density times the share of the cell it covers.
    std::pair<double, double> leakage_density(const dealii::CellAccessor<3, 3> &cell, double t_k) const;
    /// The cell's mean dynamic power density for these block powers and the power maps, W/m^3.
    double dynamic_density_w_m3(const dealii::CellAccessor<3, 3> &cell, const std::vector<double> &block_power_w) const;
    /// True when some block leaks (the problem's power depends on temperature).
    bool has_leakage() const;
    /// True with leakage or a k(T) material: problem_data() is then nonlinear.
    bool depends_on_temperature() const;
    /// Each block's leakage power at the field's temperature, W (all_blocks order).
    std::vector<double> block_leakage_w(const TemperatureField &field) const;
    std::vector<double> block_leakage_w(const HeatProblem<3> &problem) const { return block_leakage_w(problem.field()); }
    /// For a thermal-runaway message: the block whose leakage grows fastest
    /// with temperature (dP/dT = beta P) at the problem's current temperature,
    /// the one that drives the loop gain.
    std::string runaway_culprit(const HeatProblem<3> &problem) const;
    /// Coefficients with block b dissipating block_power_w[b] (ChipModel::all_blocks order),
    /// plus the layers' power maps unless with_power_maps is false (a goal
    /// functional's weights ride on the block sources: the maps are no goal).
    HeatProblemData<3> problem_data(const std::vector<double> &block_power_w, bool with_power_maps = true,
                                    const std::vector<int> &map_frames = {}) const;
    /// The power maps (frames over time: transient runs).
    const PowerMapSources &power_maps() const { return power_maps_; }
    /// Volumetric heat capacity of the zone's material, J/(m^3 K).
    double heat_capacity_j_m3k(dealii::types::material_id zone) const { return heat_capacity_[zone]; }
    const mesh::ZoneTable &zones() const { return zones_; }

    double conductivity_mean_w_mk(dealii::types::material_id zone) const;
    /// The zone's conductivity tensor at its reference temperature, W/(m K).
    const dealii::SymmetricTensor<2, 3> &conductivity_tensor(dealii::types::material_id zone) const
    {
      return conductivity_[zone];
    }
    /// The blocks each cell overlaps and the parts they cover.
    const CellBlockPieces &block_pieces() const { return pieces_; }
    /// The block that covers most of the cell, or -1.
    int    main_block(const dealii::CellAccessor<3, 3> &cell) const;
    /// Index of the zone's material in material_names().
    int    material_index(dealii::types::material_id zone) const { return material_index_[zone]; }
    const std::vector<std::string> &material_names() const { return material_names_; }
    /// The block's volume (its rectangle through its layer), m^3, on any mesh.
    double block_volume_m3(std::size_t block) const { return pieces_.blocks().volume_m3(block); }

  private:
    /// A leaking block's leakage density at T, W/m^3, over its whole volume.
    double block_leakage_density(unsigned int block, double t_k) const;

    const floorplans::ChipModel                &model_;
    mesh::ZoneTable                              zones_;
    CellBlockPieces                              pieces_;
    PowerMapSources                              power_maps_;
    std::vector<dealii::SymmetricTensor<2, 3>>   conductivity_;
    std::vector<double>                          heat_capacity_;
    std::vector<int>                             material_index_;
    std::vector<std::string>                     material_names_;
    std::vector<double>                          k_exponent_, k_reference_k_; ///< per zone; exponent 0: constant k
    std::vector<const floorplans::Leakage *>     block_leakage_; ///< per block: its leakage, or nullptr
  };
} // namespace chiptherm::solver
