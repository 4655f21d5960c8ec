// Power maps (issue 21): a raster of powers over a layer enters by the exact
// overlap of its pixels with the cells, on a mesh that follows no pixel edge.
#include "chip_run.h"
#include "transient_run.h"
#include "solver/energy_integrals.h"
#include "solver/layer_hotspots.h"

#include <deal.II/base/mpi.h>

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

using namespace chiptherm;
using chiptherm::testing::run_case;

namespace
{
  /// A 3 mm die on 375 um cells; `area` is a 0 W block where the maps go, so
  /// that its figures can be compared with a block that carries the power.
  std::string die_case(const std::string &area_power, const std::string &power_map)
  {
    return R"(version: 1
units: {length: um, temperature: C}
ambient: 40
materials: [standard]
stack:
  - name: die
    material: silicon
    thickness: 100
    footprint: [0, 0, 3000, 3000]
    blocks:
      - {name: area, type: logic, rect: [611.3, 902.9, 1507.1, 1203.3], power: )" +
           area_power + R"(}
      - {name: other, type: logic, rect: [2300, 200, 500, 500], power: 0.4})" +
           power_map + R"(
  - {name: tim, material: tim_paste, thickness: 20}
  - name: lid
    material: copper
    thickness: 500
    footprint: {width: 6000, height: 6000, centered: true}
boundaries:
  top: {h: 20000}
mesh: {die_cell_size: 375, package_cell_size: 750, vertical_cell_size: 250, block_edges: none, policy: none}
adaptivity: {enabled: false}
)";
  }

  /// Writes a float64 .npy of this shape, e.g. "5, 7" (ny, nx: row 0 first) or
  /// "2, 5, 7" (frames), rank 0 only; every rank waits for it.
  std::string write_npy(const std::string &name, const std::string &shape, const std::vector<double> &v)
  {
    const auto path = (std::filesystem::temp_directory_path() / ("chiptherm_power_map_" + name)).string();
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      {
        std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape + "), }";
        header.append(64 - (10 + header.size() + 1) % 64, ' ');
        header += '\n';
        std::ofstream out(path, std::ios::binary);
        out.write("\x93NUMPY\x01\x00", 8);
        const unsigned short len = static_cast<unsigned short>(header.size());
        out.put(char(len & 0xff)).put(char(len >> 8));
        out << header;
        out.write(reinterpret_cast<const char *>(v.data()), std::streamsize(v.size() * sizeof(double)));
      }
    MPI_Barrier(MPI_COMM_WORLD);
    return path;
  }

  std::string map_entry(const std::string &file, const std::string &extent)
  {
    return "\n    power_map: {file: " + file + (extent.empty() ? "" : ", extent: " + extent) + "}";
  }
} // namespace

TEST_CASE("a uniform power map equals one block of the same power over the same area")
{
  // 7 x 5 pixels whose edges fall on no grid line, 2.3 W in all.
  const std::vector<double> uniform(35, 2.3 / 35);
  const auto npy = write_npy("uniform.npy", "5, 7", uniform);
  const auto map = run_case(die_case("0", map_entry(npy, "[611.3, 902.9, 1507.1, 1203.3]")), {});
  const auto blk = run_case(die_case("2.3", ""), {});
  CHECK(map->model.total_power_w() == doctest::Approx(2.7).epsilon(1e-14));
  CHECK(solver::power_in_w(map->solve->primal_field(), map->solve->data()) == doctest::Approx(2.7).epsilon(1e-12));
  const auto &a = map->solve->block_results(), &b = blk->solve->block_results();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    {
      CAPTURE(i);
      CHECK(std::abs(a[i].t_max_k - b[i].t_max_k) < 1e-6);
      CHECK(std::abs(a[i].t_avg_k - b[i].t_avg_k) < 1e-6);
      CHECK(std::abs(a[i].t_min_k - b[i].t_min_k) < 1e-6);
    }
}

TEST_CASE("a random 1024 x 1024 power map: the heat in equals the map's sum to 1e-12")
{
  std::mt19937                           rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::vector<double>                    v(1024 * 1024);
  double                                 sum = 0;
  for (auto &x : v)
    sum += (x = 3e-6 * u(rng));
  const auto npy = write_npy("random.npy", "1024, 1024", v);
  const auto run = run_case(die_case("0", map_entry(npy, "")), {});
  const double in = solver::power_in_w(run->solve->primal_field(), run->solve->data());
  CHECK(in == doctest::Approx(sum + 0.4).epsilon(1e-12));
  double out = 0;
  for (const auto &[id, w] : solver::heat_out_by_boundary_w(run->solve->field(), run->solve->data()))
    out += w;
  CHECK(out == doctest::Approx(sum + 0.4).epsilon(1e-6));
}

TEST_CASE("the hotspot of a single hot tile is inside that tile")
{
  // 8 x 8 tiles of 375 um over the die, 0.01 W each, tile (5, 2) at 1 W.
  std::vector<double> v(64, 0.01);
  v[2 * 8 + 5] = 1.0;
  const auto npy = write_npy("tile.npy", "8, 8", v);
  const auto run = run_case(die_case("0", map_entry(npy, "")), {"stack.die.blocks.other.power=0"});
  const auto hot = solver::compute_layer_hotspots(run->solve->field(), run->solve->coefficients().zones(), {0});
  REQUIRE(hot.size() == 1);
  CAPTURE(hot[0].where);
  CHECK(hot[0].where[0] >= 5 * 375e-6);
  CHECK(hot[0].where[0] <= 6 * 375e-6);
  CHECK(hot[0].where[1] >= 2 * 375e-6);
  CHECK(hot[0].where[1] <= 3 * 375e-6);
  CHECK(hot[0].t_max_k > run->model.ambient_k);
}

TEST_CASE("power map frames over time equal a block with the same step schedule")
{
  // Two frames of 7 x 5 uniform pixels: 2.3 W from t = 0, 0.5 W from 4 ms.
  std::vector<double> frames(2 * 35);
  for (std::size_t k = 0; k < 35; ++k)
    frames[k] = 2.3 / 35, frames[35 + k] = 0.5 / 35;
  const auto npy = write_npy("frames.npy", "2, 5, 7", frames);
  const std::string transient = "transient: {end_time: 0.01, output_interval: 0.002, fixed_step: 0.0005}\n";
  const auto map = testing::run_transient_case(
    die_case("0", "\n    power_map: {file: " + npy + ", times: [0, 0.004], extent: [611.3, 902.9, 1507.1, 1203.3]}") +
      transient,
    {});
  const auto blk = testing::run_transient_case(
    die_case("2.3, schedule: {points: [[0, 2.3], [0.004, 0.5]], interpolation: step}", "") + transient, {});
  REQUIRE(map->times.size() == blk->times.size());
  for (std::size_t k = 0; k < map->times.size(); ++k)
    for (std::size_t b = 0; b < map->blocks[k].size(); ++b)
      {
        CAPTURE(k);
        CAPTURE(b);
        CHECK(std::abs(map->blocks[k][b].t_max_k - blk->blocks[k][b].t_max_k) < 1e-6);
        CHECK(std::abs(map->blocks[k][b].t_avg_k - blk->blocks[k][b].t_avg_k) < 1e-6);
      }
  CHECK(map->report.energy_rel_error() < 1e-6);
}
