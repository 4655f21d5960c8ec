#include "floorplan_generator.h"

#include "common/errors.h"
#include "floorplans/case_text.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <vector>

namespace chiptherm::ai_predictor
{
  using floorplans::number_text;

  namespace
  {
    struct Box
    {
      double x, y, w, h; ///< um
    };

    /// Snap to 10 um: floorplans are drawn on a grid, and the mesh merges nothing.
    double snap(double um)
    {
      return std::round(um / 10.0) * 10.0;
    }

    struct TypeRule
    {
      const char *type;
      double      weight, density_lo, density_hi; ///< W/cm^2, log-uniform
    };

    const std::vector<TypeRule> &type_rules()
    {
      static const std::vector<TypeRule> r{{"logic", 0.28, 10, 150},     {"memory", 0.22, 2, 30},
                                           {"accelerator", 0.12, 50, 400}, {"io", 0.1, 5, 50},
                                           {"analog", 0.07, 1, 20},       {"clock", 0.07, 20, 200},
                                           {"pmic", 0.07, 20, 300},       {"photonic", 0.07, 5, 100}};
      return r;
    }
  } // namespace

  GeneratorFamily GeneratorFamily::training()
  {
    return GeneratorFamily{};
  }

  GeneratorFamily GeneratorFamily::hard()
  {
    GeneratorFamily f;
    f.name               = "hard";
    f.min_blocks         = 40;
    f.max_blocks         = 120;
    f.min_die_mm         = 3;
    f.max_die_mm         = 22;
    f.density_factor     = 2.0;
    f.min_h              = 200;
    f.max_h              = 60000;
    f.hot_subblock_share = 0.5;
    f.multi_die_share    = 0.5;
    return f;
  }

  GeneratorFamily GeneratorFamily::by_name(const std::string &name)
  {
    if (name == "training")
      return training();
    if (name == "hard")
      return hard();
    throw InputError("expected the generator family 'training' or 'hard', got '" + name + "'");
  }

  namespace
  {
    using Rng = std::mt19937_64;

    double uniform(Rng &rng, double lo, double hi)
    {
      return std::uniform_real_distribution<double>(lo, hi)(rng);
    }
    double log_uniform(Rng &rng, double lo, double hi)
    {
      return std::exp(uniform(rng, std::log(lo), std::log(hi)));
    }
    bool chance(Rng &rng, double p)
    {
      return uniform(rng, 0, 1) < p;
    }

    /// One die's floorplan: a W x H um rectangle cut by a slicing tree into
    /// n_blocks blocks, typed and powered by type_rules(); YAML block lines
    /// (rects relative to the die's corner, names prefix0, prefix1, ...) at
    /// the given indentation.
    std::string slicing_floorplan(Rng &rng, double W, double H, int n_blocks, const GeneratorFamily &f,
                                  const std::string &prefix, const std::string &indent)
    {
      const double     min_side = std::max(120.0, std::min(W, H) / 40);
      std::vector<Box> boxes{{0, 0, W, H}};
      for (int attempts = 0; int(boxes.size()) < n_blocks && attempts < 20 * n_blocks; ++attempts)
        {
          // split a box chosen by area along its longer side
          std::vector<double> areas;
          for (const auto &b : boxes)
            areas.push_back(b.w * b.h);
          const std::size_t i = std::discrete_distribution<std::size_t>(areas.begin(), areas.end())(rng);
          const Box         b = boxes[i];
          const bool        vertical = b.w >= b.h;
          const double      side     = vertical ? b.w : b.h;
          const double      cut      = snap(side * uniform(rng, 0.25, 0.75));
          if (cut < min_side || side - cut < min_side)
            continue;
          boxes[i] = vertical ? Box{b.x, b.y, cut, b.h} : Box{b.x, b.y, b.w, cut};
          boxes.push_back(vertical ? Box{b.x + cut, b.y, b.w - cut, b.h} : Box{b.x, b.y + cut, b.w, b.h - cut});
        }

      const auto         &rules = type_rules();
      std::vector<double> weights;
      for (const auto &r : rules)
        weights.push_back(r.weight);
      std::discrete_distribution<std::size_t> pick_type(weights.begin(), weights.end());
      std::ostringstream blocks;
      int                count = 0;
      auto emit = [&](const Box &b, const TypeRule &rule, double density_w_cm2) {
        const double power = density_w_cm2 * b.w * b.h * 1e-8; // um^2 -> cm^2
        blocks << indent << "- {name: " << prefix << count++ << ", type: " << rule.type << ", rect: ["
               << number_text(b.x) << ", " << number_text(b.y) << ", " << number_text(b.w) << ", "
               << number_text(b.h) << "], power: " << number_text(std::round(power * 1e6) / 1e6) << "}\n";
      };
      for (const auto &b : boxes)
        {
          const TypeRule &rule     = rules[pick_type(rng)];
          const double    density  = f.density_factor * log_uniform(rng, rule.density_lo, rule.density_hi);
          const bool      hot_kind = std::string(rule.type) == "logic" || std::string(rule.type) == "accelerator";
          if (hot_kind && chance(rng, f.hot_subblock_share) && b.w > 4 * min_side && b.h > 4 * min_side)
            {
              // a hot corner: a small sub-block at several times the density, the rest as a ring of two boxes
              const double hw = snap(b.w * uniform(rng, 0.15, 0.35)), hh = snap(b.h * uniform(rng, 0.15, 0.35));
              const bool   left = chance(rng, 0.5);
              const double hx   = left ? b.x : b.x + b.w - hw;
              emit(Box{hx, b.y, hw, hh}, rule, density * uniform(rng, 2, 5));
              emit(Box{left ? b.x + hw : b.x, b.y, b.w - hw, hh}, rule, density);
              emit(Box{b.x, b.y + hh, b.w, b.h - hh}, rule, density);
            }
          else
            emit(b, rule, density);
        }
      return blocks.str();
    }
  } // namespace

  std::string random_chip_case(std::uint64_t seed, std::uint64_t index, const GeneratorFamily &f)
  {
    Rng rng(seed * 0x9E3779B97F4A7C15ull + index * 0xBF58476D1CE4E5B9ull + 1);

    // --- the dies ---------------------------------------------------------------
    // One die (W x H um), or with the family's multi-die share either 2-4
    // chiplets side by side in mold on a silicon interposer (2.5D), or two
    // tiers bonded face to back through a thin oxide (3D).
    const double W = snap(uniform(rng, f.min_die_mm, f.max_die_mm) * 1000);
    const double H = snap(std::clamp(W * uniform(rng, 0.6, 1.6), f.min_die_mm * 1000, f.max_die_mm * 1000));
    const int    n = std::uniform_int_distribution<int>(f.min_blocks, f.max_blocks)(rng);
    enum class Kind { single, side_by_side, tiers } kind = Kind::single;
    if (f.multi_die_share > 0 && chance(rng, f.multi_die_share)) // no draw otherwise: training chips stay as they were
      kind = chance(rng, 0.5) ? Kind::side_by_side : Kind::tiers;
    // Each die's thickness is drawn after its floorplan (the order single dies always had).
    auto die_thickness = [&] { return snap(log_uniform(rng, 100, 775)); };

    std::ostringstream dies;
    double             footprint = std::max(W, H); // the dies' overall extent, um
    switch (kind)
      {
        case Kind::single:
          {
            const std::string blocks = slicing_floorplan(rng, W, H, n, f, "b", "      ");
            dies << "  - name: die\n    material: silicon\n    thickness: " << number_text(die_thickness())
                 << "\n    footprint: [0, 0, " << number_text(W) << ", " << number_text(H) << "]\n    blocks:\n"
                 << blocks;
            break;
          }
        case Kind::side_by_side:
          {
            // chiplets in a row along x, each W_i x H_i, gaps of mold between them and around
            const int           count = std::uniform_int_distribution<int>(2, 4)(rng);
            const double        gap   = snap(uniform(rng, 200, 1500)), rim = snap(uniform(rng, 500, 2000));
            std::vector<double> widths;
            double              x = rim, height = 0;
            std::ostringstream  regions;
            for (int d = 0; d < count; ++d)
              {
                const double w = snap(std::max(f.min_die_mm * 1000, W * uniform(rng, 0.3, 0.7)));
                const double h = snap(H * uniform(rng, 0.5, 1.0));
                regions << "      - name: chiplet" << d << "\n        material: silicon\n        at: ["
                        << number_text(x) << ", " << number_text(rim) << "]\n        size: [" << number_text(w)
                        << ", " << number_text(h) << "]\n        blocks:\n"
                        << slicing_floorplan(rng, w, h, std::max(n / count, 3), f,
                                             "c" + std::to_string(d) + "b", "          ");
                x += w + gap;
                height = std::max(height, h);
              }
            const double lw = x - gap + rim, lh = height + 2 * rim;
            footprint       = std::max(lw, lh);
            dies << "  - {name: interposer, material: silicon, thickness: " << number_text(snap(uniform(rng, 50, 200)))
                 << ", footprint: [0, 0, " << number_text(lw) << ", " << number_text(lh) << "]}\n"
                 << "  - {name: bumps, material: underfill, thickness: " << number_text(snap(uniform(rng, 20, 80)))
                 << "}\n  - name: chiplets\n    material: mold_compound\n    thickness: " << number_text(die_thickness())
                 << "\n    regions:\n"
                 << regions.str();
            break;
          }
        case Kind::tiers:
          {
            // the lower tier (its back on the interposer side) and a thinned upper tier facing the TIM
            const int         per_tier = std::max(n / 2, f.min_blocks / 2);
            const std::string lower    = slicing_floorplan(rng, W, H, per_tier, f, "t0b", "      ");
            const std::string upper    = slicing_floorplan(rng, W, H, per_tier, f, "t1b", "      ");
            dies << "  - name: tier0\n    material: silicon\n    thickness: " << number_text(die_thickness())
                 << "\n    footprint: [0, 0, " << number_text(W) << ", " << number_text(H) << "]\n    blocks:\n"
                 << lower << "  - {name: bond, material: sio2, thickness: " << number_text(std::round(uniform(rng, 2, 10)))
                 << "}\n  - name: tier1\n    material: silicon\n    thickness: "
                 << number_text(snap(uniform(rng, 20, 100))) << "\n    blocks:\n"
                 << upper;
            break;
          }
      }

    // --- the package ----------------------------------------------------------------
    const double tim_t    = snap(uniform(rng, 10, 60));
    const bool   spreader = chance(rng, 0.7);
    const double spread_t = snap(uniform(rng, 500, 2500));
    const double spread_s = snap(footprint + uniform(rng, 4000, 20000));
    const double sink_t   = snap(uniform(rng, 2000, 8000));
    const double sink_s   = snap(std::max(spreader ? spread_s : footprint, 20000.0) + uniform(rng, 0, 30000));
    const double h        = log_uniform(rng, f.min_h, f.max_h);

    std::ostringstream c;
    c << "# chip " << index << " of seed " << seed << ", family " << f.name
      << " (chiptherm train --generate)\nversion: 1\nname: " << f.name << "_" << seed << "_" << index
      << "\nunits: {length: um, temperature: C}\nambient: 45\nstack:\n"
      << dies.str() << "  - {name: tim, material: " << (chance(rng, 0.5) ? "tim_paste" : "indium_tim")
      << ", thickness: " << number_text(tim_t) << "}\n";
    if (spreader)
      c << "  - {name: spreader, material: copper, thickness: " << number_text(spread_t)
        << ", footprint: {width: " << number_text(spread_s) << ", height: " << number_text(spread_s)
        << ", centered: true}}\n";
    c << "  - {name: sink, material: aluminium, thickness: " << number_text(sink_t) << ", footprint: {width: "
      << number_text(sink_s) << ", height: " << number_text(sink_s) << ", centered: true}}\n"
      << "boundaries:\n  top: {h: " << number_text(std::round(h)) << "}\n";
    return c.str();
  }
} // namespace chiptherm::ai_predictor
