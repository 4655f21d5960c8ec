#include "floorplan_generator.h"

#include "../common/errors.h"
#include "../floorplans/case_text.h"

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

  std::string random_chip_case(std::uint64_t seed, std::uint64_t index, const GeneratorFamily &f)
  {
    std::mt19937_64 rng(seed * 0x9E3779B97F4A7C15ull + index * 0xBF58476D1CE4E5B9ull + 1);
    auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
    auto log_uniform = [&](double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); };
    auto chance = [&](double p) { return uniform(0, 1) < p; };

    // --- the die, cut by a slicing tree ---------------------------------------
    const double W = snap(uniform(f.min_die_mm, f.max_die_mm) * 1000);
    const double H = snap(std::clamp(W * uniform(0.6, 1.6), f.min_die_mm * 1000, f.max_die_mm * 1000));
    const int    n = std::uniform_int_distribution<int>(f.min_blocks, f.max_blocks)(rng);
    const double min_side = std::max(120.0, std::min(W, H) / 40);
    std::vector<Box> boxes{{0, 0, W, H}};
    for (int attempts = 0; int(boxes.size()) < n && attempts < 20 * n; ++attempts)
      {
        // split a box chosen by area along its longer side
        std::vector<double> areas;
        for (const auto &b : boxes)
          areas.push_back(b.w * b.h);
        const std::size_t i = std::discrete_distribution<std::size_t>(areas.begin(), areas.end())(rng);
        const Box         b = boxes[i];
        const bool        vertical = b.w >= b.h;
        const double      side     = vertical ? b.w : b.h;
        const double      cut      = snap(side * uniform(0.25, 0.75));
        if (cut < min_side || side - cut < min_side)
          continue;
        boxes[i] = vertical ? Box{b.x, b.y, cut, b.h} : Box{b.x, b.y, b.w, cut};
        boxes.push_back(vertical ? Box{b.x + cut, b.y, b.w - cut, b.h} : Box{b.x, b.y + cut, b.w, b.h - cut});
      }

    // --- types and powers -------------------------------------------------------
    const auto         &rules = type_rules();
    std::vector<double> weights;
    for (const auto &r : rules)
      weights.push_back(r.weight);
    std::discrete_distribution<std::size_t> pick_type(weights.begin(), weights.end());
    std::ostringstream blocks;
    int                count = 0;
    auto emit = [&](const Box &b, const TypeRule &rule, double density_w_cm2) {
      const double power = density_w_cm2 * b.w * b.h * 1e-8; // um^2 -> cm^2
      blocks << "      - {name: b" << count++ << ", type: " << rule.type << ", rect: [" << number_text(b.x) << ", "
             << number_text(b.y) << ", " << number_text(b.w) << ", " << number_text(b.h)
             << "], power: " << number_text(std::round(power * 1e6) / 1e6) << "}\n";
    };
    for (const auto &b : boxes)
      {
        const TypeRule &rule    = rules[pick_type(rng)];
        const double    density = f.density_factor * log_uniform(rule.density_lo, rule.density_hi);
        const bool      hot_kind = std::string(rule.type) == "logic" || std::string(rule.type) == "accelerator";
        if (hot_kind && chance(f.hot_subblock_share) && b.w > 4 * min_side && b.h > 4 * min_side)
          {
            // a hot corner: a small sub-block at several times the density, the rest as a ring of two boxes
            const double hw = snap(b.w * uniform(0.15, 0.35)), hh = snap(b.h * uniform(0.15, 0.35));
            const bool   left = chance(0.5);
            const double hx = left ? b.x : b.x + b.w - hw;
            emit(Box{hx, b.y, hw, hh}, rule, density * uniform(2, 5));
            emit(Box{left ? b.x + hw : b.x, b.y, b.w - hw, hh}, rule, density);
            emit(Box{b.x, b.y + hh, b.w, b.h - hh}, rule, density);
          }
        else
          emit(b, rule, density);
      }

    // --- the package ----------------------------------------------------------------
    const double die_t    = snap(log_uniform(100, 775));
    const double tim_t    = snap(uniform(10, 60));
    const bool   spreader = chance(0.7);
    const double spread_t = snap(uniform(500, 2500));
    const double spread_s = snap(std::max(W, H) + uniform(4000, 20000));
    const double sink_t   = snap(uniform(2000, 8000));
    const double sink_s   = snap(std::max(spreader ? spread_s : std::max(W, H), 20000.0) + uniform(0, 30000));
    const double h        = log_uniform(f.min_h, f.max_h);

    std::ostringstream c;
    c << "# chip " << index << " of seed " << seed << ", family " << f.name
      << " (chiptherm train --generate)\nversion: 1\nname: " << f.name << "_" << seed << "_" << index
      << "\nunits: {length: um, temperature: C}\nambient: 45\nstack:\n"
      << "  - name: die\n    material: silicon\n    thickness: " << number_text(die_t)
      << "\n    footprint: [0, 0, " << number_text(W) << ", " << number_text(H) << "]\n    blocks:\n"
      << blocks.str() << "  - {name: tim, material: " << (chance(0.5) ? "tim_paste" : "indium_tim")
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
