#include "mesh_settings.h"

#include "common/input_files.h"
#include "common/shipped_files.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <filesystem>

namespace chiptherm::mesh
{
  namespace
  {
    /// The in-plane bounding box of all powered layers (the die region).
    floorplans::Rect powered_extent(const floorplans::ChipModel &model)
    {
      double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
      for (const auto &layer : model.layers)
        if (layer.is_powered())
          {
            x0 = std::min(x0, layer.footprint.x), y0 = std::min(y0, layer.footprint.y);
            x1 = std::max(x1, layer.footprint.x_end()), y1 = std::max(y1, layer.footprint.y_end());
          }
      return {x0, y0, x1 - x0, y1 - y0};
    }

    // Refinement is isotropic (p4est), so a cell keeps its coarse cell's
    // aspect at every level: die cells 1.7 mm wide and 75 um thick (a 20 mm,
    // 150 um die at die/12, two cells through it) refined to 100 um in-plane
    // were 4.7 um thick, 32 through a die whose temperature varies little
    // across its thickness (the 1000-block floorplan: 69 % of its cells in the
    // die). Steady runs refine adaptively, so their coarse cells over the die
    // are at most max_die_aspect die thicknesses wide (the thinnest powered
    // layer), but no narrower than half the nominal size (at most 4x the
    // coarse cells per layer). Transient runs keep the nominal size: their
    // mesh is refined a priori only (docs/benchmarks.md, "Coarse cells a few
    // die thicknesses wide").
    constexpr double max_die_aspect = 4;
    double           steady_die_cell_size(const floorplans::ChipModel &model, double nominal, MeshSettings::Run run)
    {
      double thinnest = std::numeric_limits<double>::infinity();
      for (const auto &layer : model.layers)
        if (layer.is_powered() && layer.thickness_m > 0)
          thinnest = std::min(thinnest, layer.thickness_m);
      // Only where the blocks ask for cells below the nominal size over a
      // quarter of their area: on a floorplan of larger blocks the first mesh
      // often meets the tolerance, and a finer one only costs (bench/cases/soc10:
      // 2,208 -> 4,984 cells, HotSpot's ratio 0.77 -> 1.39).
      double small = 0, all = 0;
      for (const auto *b : model.all_blocks())
        for (const auto &r : b->rects)
          {
            all += r.width * r.height;
            small += std::min(r.width, r.height) < nominal ? r.width * r.height : 0.0;
          }
      // A chip powered by maps alone has no blocks to ask (all == 0).
      if (run != MeshSettings::Run::steady || !std::isfinite(thinnest) || !(all > 0) || !(small >= 0.25 * all))
        return nominal;
      return std::clamp(max_die_aspect * thinnest, nominal / 2, nominal);
    }

    // A transient run signs off on block peaks, which lie at nodes of a powered
    // layer's faces: one cell through it gives the same peaks (within 0.007 K
    // on the shipped example's trace) with 24 % fewer unknowns and 30-40 % less
    // time; block means through the layer's thickness lose up to 0.034 K
    // (docs/benchmarks.md, "One cell through the die in transient runs"). A
    // steady run's bounds see what one cell misses and refine there, while a
    // second cell doubles every die cell its adaptive cycles make (above).
    // Leakage integrates the temperature over the block's volume, so a leaky
    // chip keeps two (tests/regression's leaky chip: 2.2 % instead of 1.7 %
    // below the steady run's leakage).
    int default_powered_cells(const floorplans::ChipModel &model)
    {
      const auto blocks = model.all_blocks();
      const bool leaky  = std::any_of(blocks.begin(), blocks.end(), [](const auto *b) { return b->leakage; });
      return leaky ? 2 : 1;
    }
  } // namespace

  MeshSettings MeshSettings::read(const CaseNode &n, const floorplans::ChipModel &model, unsigned int degree, Run run)
  {
    MeshSettings s;
    s.min_powered_cells = default_powered_cells(model);
    if (n.is_defined())
      n.expect_keys({"die_cell_size", "package_cell_size", "vertical_cell_size", "min_layer_cells",
                     "min_powered_cells", "global_refinements", "merge_tolerance", "block_edges", "stiff_layer_ratio", "policy", "blocks", "max_level", "max_cells",
                     "refinement_map", "predictor", "file"});
    const auto   die  = powered_extent(model);
    const double side = std::max(die.width, die.height);
    const bool   set  = n.is_defined();
    // Q1 needs about 40 cells across the die for a tenth of a kelvin on common
    // floorplans; Q2 (measured on the 10-block SoC, docs/benchmarks.md) 12.
    const double across  = degree >= 2 ? 12 : 40;
    const double nominal = side / across;
    const bool   given   = set && n.has("die_cell_size");
    s.die_cell_size_m    = given ? n.at("die_cell_size").positive_length() : steady_die_cell_size(model, nominal, run);
    // The package's sizes follow the die's given size, or the nominal one.
    const double sized_by  = given ? s.die_cell_size_m : nominal;
    s.package_cell_size_m  = set && n.has("package_cell_size") ? n.at("package_cell_size").positive_length() : 8 * sized_by;
    s.vertical_cell_size_m = set && n.has("vertical_cell_size") ? n.at("vertical_cell_size").positive_length() : 2 * sized_by;
    if (set)
      {
        s.min_layer_cells    = n.integer_or("min_layer_cells", s.min_layer_cells, 1, 64);
        s.min_powered_cells  = n.integer_or("min_powered_cells", s.min_powered_cells, 1, 64);
        s.global_refinements = n.integer_or("global_refinements", s.global_refinements, 0, 8);
        if (n.has("stiff_layer_ratio"))
          s.stiff_layer_ratio = n.number_or("stiff_layer_ratio", s.stiff_layer_ratio);
        if (s.stiff_layer_ratio < 0)
          n.at("stiff_layer_ratio").fail("expected a ratio >= 0 (0 turns column refinement off)");
        if (n.has("merge_tolerance"))
          s.merge_tolerance_m = n.at("merge_tolerance").positive_length();
        if (n.has("block_edges"))
          {
            const std::string mode = n.at("block_edges").choice({"auto", "all", "none"});
            s.block_edges = mode == "all"    ? BlockEdges::all
                            : mode == "none" ? BlockEdges::none
                                             : BlockEdges::automatic;
          }
      }
    if (s.package_cell_size_m < s.die_cell_size_m)
      n.at("package_cell_size").fail("expected package_cell_size >= die_cell_size");

    s.policy = MeshPolicy::read(n, model, s.die_cell_size_m, degree);
    const std::string base = std::filesystem::path(n.file()).parent_path().string();
    if (set && n.has("refinement_map"))
      {
        // Priorities span from the finest policy size to the die's coarse size.
        double finest = s.die_cell_size_m;
        for (const auto &rule : s.policy.by_type)
          finest = std::min(finest, rule.cell_size_m);
        s.refinement_maps.push_back(
          read_refinement_map(n.at("refinement_map"), base, model, finest, s.die_cell_size_m));
      }
    if (set && n.has("predictor"))
      {
        // `predictor: true` (the shipped model), `false`, or {model: FILE}.
        const CaseNode p = n.at("predictor");
        if (!p.is_map())
          {
            if (p.choice({"true", "false"}) == "true")
              {
                s.predictor_model = shipped_predictor_model();
                if (s.predictor_model.empty())
                  {
                    std::string tried;
                    for (const auto &c : shipped_model_candidates())
                      tried += (tried.empty() ? "" : ", ") + c;
                    p.fail("expected the shipped predictor model in one of " + tried +
                           "; none exists: give {model: FILE}");
                  }
              }
          }
        else
          {
            p.expect_keys({"model"});
            std::filesystem::path file = p.at("model").text();
            if (file.is_relative())
              file = std::filesystem::path(base) / file;
            if (!is_input_file(file))
              p.at("model").fail("expected a model file written by chiptherm train, '" + file.string() +
                                 "' does not exist");
            s.predictor_model = file.string();
          }
      }
    if (!s.predictor_model.empty())
      {
        // Priorities span from the finest size down to the die's size. Q1:
        // the policy's finest block size, or three levels below the die's size
        // without a policy. Q2 and up (error falling as h^3, the sensitive
        // rules deferred to the first estimate): one level below the die's
        // size at most; the policy's 150 um over a quarter of a 12 mm die made
        // 1.3 M unknowns where 62 k had every bound within 0.1 K, and two
        // levels made seeded runs 0.08-0.81x as fast as unseeded ones, one
        // level 0.30-0.95x (docs/benchmarks.md: the estimator does the rest).
        s.predictor_coarsest_m = s.die_cell_size_m;
        s.predictor_finest_m   = s.die_cell_size_m;
        for (const auto &rule : s.policy.by_type)
          if (rule.cell_size_m > 0)
            s.predictor_finest_m = std::min(s.predictor_finest_m, rule.cell_size_m);
        if (s.predictor_finest_m >= s.die_cell_size_m)
          s.predictor_finest_m = s.die_cell_size_m / (degree >= 2 ? 4 : 8);
        if (degree >= 2)
          s.predictor_finest_m = std::max(s.predictor_finest_m, s.die_cell_size_m / 2);
      }
    if (set && n.has("file"))
      {
        std::filesystem::path file = n.at("file").text();
        if (file.is_relative())
          file = std::filesystem::path(base) / file;
        if (file.extension() != ".msh")
          n.at("file").fail("expected a Gmsh .msh file");
        if (!is_input_file(file))
          n.at("file").fail("expected an existing file, '" + file.string() + "' does not exist");
        s.gmsh_file = file.string();
      }
    return s;
  }
} // namespace chiptherm::mesh
