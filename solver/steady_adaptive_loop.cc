// SteadyChipSolve's adaptive loop (docs/design.md, "A posteriori: the adaptive
// loop"): which blocks are open, how cells are marked, when the loop stops.
#include "steady_chip_solve.h"

#include "mesh/box_index.h"

#include <deal.II/base/mpi.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  bool SteadyChipSolve::block_resolved(std::size_t b) const
  {
    const auto &rule = mesh_.settings().policy.per_block[b];
    if (!std::isfinite(rule.cell_size_m)) // `policy: none`: the user resolves blocks (or not) by other means
      return true;
    const auto &block = *blocks_[b];
    // Only a source inside a cell escapes both degrees alike; an unpowered
    // block's field is as smooth as its neighbours' and the difference sees it.
    if (!(block.power_w > 0) && !block.leakage)
      return true;
    return block_results_[b].cell_max_m <= resolving_cell_m(b) * (1 + 1e-9);
  }

  double SteadyChipSolve::resolving_cell_m(std::size_t b) const
  {
    double smallest = std::numeric_limits<double>::infinity();
    for (const auto &r : blocks_[b]->rects)
      smallest = std::min({smallest, r.width, r.height});
    // Measured with blocks inside cells (bench/error_bound_effectivity.py
    // --set mesh.block_edges=none; docs/benchmarks.md, "Resolved at twice the
    // side"): Q2 bounds held on cells up to 2.5x the block's side and missed
    // from 3.3x; Q1's held up to 3x. Q2 takes 2x, Q1 half the side.
    return smallest * (solver_settings_.degree >= 2 ? 2.0 : 0.5);
  }

  std::vector<std::size_t> SteadyChipSolve::unresolved_neighbours() const
  {
    // Measured (docs/benchmarks.md, "Uniform refinement of the first mesh, and
    // a 100 um hotspot"): a 100 um hotspot in 1.6 mm Q2 cells, its neighbours'
    // t_max at its edge, their bounds 1.03 and 1.14 K against true errors of
    // 1.27 and 1.28 K.
    const std::size_t        n_blocks = blocks_.size();
    std::vector<std::size_t> near(n_blocks, std::numeric_limits<std::size_t>::max());
    // In-plane boxes: every reach spans z in [-1, 1], every query [-0.5, 0.5].
    const auto in_plane = [](double x0, double y0, double x1, double y1, double z) {
      mesh::Box3 box;
      box.lo = {{x0, y0, -z}};
      box.hi = {{x1, y1, z}};
      return box;
    };
    std::vector<mesh::Box3>  reaches;
    std::vector<std::size_t> source;
    for (std::size_t u = 0; u < n_blocks; ++u)
      if (!block_resolved(u))
        for (const auto &r : blocks_[u]->rects)
          {
            const double grow = block_results_[u].cell_max_m;
            reaches.push_back(in_plane(r.x - grow, r.y - grow, r.x_end() + grow, r.y_end() + grow, 1.0));
            source.push_back(u);
          }
    if (reaches.empty())
      return near;
    const mesh::BoxIndex      index(std::move(reaches));
    std::vector<unsigned int> hits;
    for (std::size_t b = 0; b < n_blocks; ++b)
      if (block_resolved(b))
        for (const auto &r : blocks_[b]->rects)
          {
            index.overlapping(in_plane(r.x, r.y, r.x_end(), r.y_end(), 0.5), hits);
            if (!hits.empty())
              {
                near[b] = source[hits.front()];
                break;
              }
          }
    return near;
  }

  CycleRecord SteadyChipSolve::record_cycle(unsigned int cycle, const LinearSolveReport &linear,
                                            const std::vector<BlockResult> &previous) const
  {
    CycleRecord record;
    record.cycle                = cycle;
    record.cells                = mesh_.triangulation().n_global_active_cells();
    record.dofs                 = primal_dofs();
    record.linear_iterations    = linear.iterations;
    record.warm_start           = linear.warm_start || enriched_report_.warm_start;
    record.memory_limited       = memory_limited_;
    record.second_level_cells   = second_level_cells_;
    record.nonlinear_iterations = linear.nonlinear_iterations;
    record.nonlinear_change_k   = linear.nonlinear_change_k;
    record.final_residual       = linear.final_residual;
    if (estimates_)
      {
        record.enriched_dofs       = reported_dofs();
        record.enriched_iterations = enriched_report_.iterations;
        record.max_error_k         = 0;
        for (const auto &e : block_errors_)
          record.max_error_k = std::max(record.max_error_k, e.largest_k());
        for (const auto &e : map_errors_)
          record.max_error_k = std::max(record.max_error_k, e.t_max_k);
      }
    if (!previous.empty())
      {
        record.max_block_change_k = 0;
        for (std::size_t b = 0; b < previous.size(); ++b)
          record.max_block_change_k =
            std::max({record.max_block_change_k, std::abs(block_results_[b].t_max_k - previous[b].t_max_k),
                      std::abs(block_results_[b].t_avg_k - previous[b].t_avg_k)});
      }
    return record;
  }

  void SteadyChipSolve::find_blocks_beyond_level_cap()
  {
    // A block the level cap keeps larger than its cells must be (a 2 nm
    // sliver, a units slip) is not chased: refining towards it a level per
    // cycle multiplied the mesh by 3 to 6 a cycle until memory ran out.
    const std::size_t n_blocks = model_.all_blocks().size();
    beyond_level_cap_.assign(n_blocks, false);
    std::vector<std::size_t> unresolved;
    for (std::size_t b = 0; b < n_blocks; ++b)
      if (!block_resolved(b))
        unresolved.push_back(b);
    if (unresolved.empty()) // block results are global: every rank agrees
      return;
    const auto finest = mesh_.finest_reachable_cell_m();
    for (const std::size_t b : unresolved)
      beyond_level_cap_[b] = finest[b] > resolving_cell_m(b) * (1 + 1e-9);
  }

  double SteadyChipSolve::worst_open_bound(const std::vector<bool> &open) const
  {
    double worst = 0;
    for (std::size_t b = 0; b < open.size() && estimates_; ++b)
      worst = open[b] ? std::max(worst, block_errors_[b].largest_k()) : worst;
    return worst;
  }

  std::vector<bool> SteadyChipSolve::blocks_open_by_estimate(const AdaptivitySettings &settings,
                                                            const VerdictTargets     &verdict_targets,
                                                            std::vector<double>      &target) const
  {
    // Open: a bound above the tolerance, or an open verdict; target: the bound
    // it must reach (the tolerance, or the verdict's distance to its limit
    // when that is less).
    const std::size_t n_blocks = model_.all_blocks().size();
    std::vector<bool> open(n_blocks, false);
    target.assign(n_blocks, settings.until == "tolerance" ? settings.tolerance_k
                                                           : std::numeric_limits<double>::infinity());
    if (estimates_ && verdict_targets)
      {
        const auto t = verdict_targets(block_results_, block_errors_);
        for (std::size_t b = 0; b < n_blocks; ++b)
          if (std::isfinite(t[b]))
            open[b] = true, target[b] = std::min(target[b], t[b]);
      }
    for (std::size_t b = 0; b < n_blocks && estimates_; ++b)
      open[b] = open[b] || block_errors_[b].largest_k() > target[b];
    return open;
  }

  std::pair<double, double> SteadyChipSolve::steering_bound(const std::vector<bool>   &open,
                                                           const std::vector<double> &target) const
  {
    std::pair<double, double> steering{0, 0};
    double                    worst_ratio = 0;
    for (std::size_t b = 0; b < open.size() && estimates_; ++b)
      if (open[b] && target[b] > 0 && std::isfinite(target[b]) &&
          block_errors_[b].largest_k() / target[b] > worst_ratio)
        {
          worst_ratio = block_errors_[b].largest_k() / target[b];
          steering    = {block_errors_[b].largest_k(), target[b]};
        }
    return steering;
  }

  bool SteadyChipSolve::mark_next_cycle(const AdaptivitySettings &settings, const double share,
                                        const Vector<float> &indicator)
  {
    const unsigned long long max_cells = mesh_.settings().policy.max_cells;
    marking_indicator_ = indicator;
    const bool marked = mesh_.mark_share(share, settings.coarsen_fraction, max_cells, indicator);
    const double cells = double(mesh_.triangulation().n_global_active_cells());
    const double after = double(
      Utilities::MPI::sum(mesh_.local_cells_after_flags({}), mesh_.triangulation().get_communicator()));
    if (!marked || after >= (1 + settings.min_growth) * cells)
      return marked;
    // A refined cell adds 7: the top min_growth / 7 of the cells by indicator.
    mesh_.clear_flags();
    return mesh_.mark_cells(settings.min_growth / 7, 0.0, max_cells, indicator);
  }

  std::vector<bool> SteadyChipSolve::deferred_rules_to_apply(unsigned int cycle, bool adapting,
                                                             const std::vector<bool> &open,
                                                             std::vector<std::string> &policy) const
  {
    // The first solve decides on the deferred rules of sensitive blocks:
    // applied (a level per cycle while the block stays open) or waived.
    const auto       &deferrable = mesh_.settings().policy.deferrable;
    std::vector<bool> apply(open.size(), false);
    if (estimates_)
      for (std::size_t b = 0; b < open.size(); ++b)
        if (deferrable[b])
          {
            if (cycle == 0 && !mesh_.policy_applied()[b])
              policy[b] = adapting && open[b] ? "applied" : "waived";
            apply[b] = adapting && open[b] && policy[b] == "applied";
          }
    return apply;
  }

  void SteadyChipSolve::wait_rules_of_marked_blocks(std::vector<bool> &apply) const
  {
    // A resolved block whose cells the marking refines waits for its rule's
    // level until the next cycle: a cell refined twice in one cycle makes 64,
    // and there the marking does the rule's work (docs/benchmarks.md, "Where
    // the cells go"). An unresolved block's rule is what resolves it.
    const std::vector<bool> flagged = mesh_.blocks_flagged(apply.size());
    for (std::size_t b = 0; b < apply.size(); ++b)
      apply[b] = apply[b] && !(flagged[b] && block_resolved(b));
  }

  std::vector<double> SteadyChipSolve::second_level_cells(const AdaptivitySettings &settings, const double steering_k,
                                                         const double aim_k, const double fall_per_level) const
  {
    // One level will not do: the marked cells carrying half the marked
    // indicator would be marked again next cycle, at the price of a solve.
    if (!estimates_ || settings.max_levels_per_cycle < 2 || !(aim_k > 0) || steering_k / aim_k <= fall_per_level ||
        marking_indicator_.size() != mesh_.triangulation().n_active_cells())
      return {};
    ChipMesh::CarryingCells half = mesh_.flagged_cells_carrying(0.5, marking_indicator_);
    // Along a line or over a spread, half the indicator sits in many cells and
    // a second level would cost half a mesh (the two-die package's die edges:
    // 51-55 % of the one-level mesh); at a spot, a few (5-20 cells, 5-15 %).
    if (!AdaptivitySettings::second_level_affordable(
          half.cells.size() / 7, mesh_.triangulation().n_global_active_cells() + 7 * half.flagged))
      return {};
    return std::move(half.cells);
  }

  std::pair<bool, bool> SteadyChipSolve::refine_for_next_cycle(const bool carry_over,
                                                               const std::vector<double> &second_level,
                                                               const std::vector<bool>   &apply)
  {
    refine(carry_over);
    second_level_cells_ = second_level.size() / 7;
    const bool again    = mesh_.refine_children_of(second_level, [&]() { attach_warm_fields(); });
    finish_warm_fields();
    const bool policy_refined = mesh_.apply_policy_level(apply, [&]() { attach_warm_fields(); });
    finish_warm_fields();
    if (policy_refined || again)
      {
        // Further refinement: a carried-over temperature would not fit the mesh.
        problem_.reset();
        warm_start_ = false;
      }
    return {policy_refined, again};
  }

  bool SteadyChipSolve::next_mesh_fits(const AdaptivitySettings &settings, std::vector<bool> &apply,
                                       std::vector<double> &second_level, bool &carry_over)
  {
    // A next mesh that cannot fit ends the loop on this solve's answer and
    // bounds (open blocks stay open, undecided verdicts exit 1): the check
    // before the next solve would otherwise fail the run (exit 3, no output)
    // after every cycle so far (the 1000-block floorplan: 248 s).
    const MPI_Comm           comm  = mesh_.triangulation().get_communicator();
    const unsigned long long cells = mesh_.triangulation().n_global_active_cells();
    // The fallbacks below work at the edge of the memory left, where p4est's
    // 2:1 balance and the rules' level add cells the flags do not count
    // (slicing_100 on 900 MB: 40,847 cells where the flags counted fewer, and
    // the check before the solve failed the run): they keep 30 % in hand.
    double     margin = 1.0;
    const auto fits   = [&]() {
      const unsigned long long after = mesh_.local_cells_after_flags(apply);
      // The solutions are worth carrying over to a mesh at most twice this one:
      // on a mesh 4x larger most cells are new, the carried residual is hardly
      // below the Q1 guess's, and the transfer (DoFs distributed once more for the
      // deferred rules' level) cost more than the 2 iterations it saved.
      carry_over = Utilities::MPI::sum(after, comm) <= 2 * cells;
      return memory_.fits(comm, static_cast<unsigned long long>(margin * double(after)));
    };
    // The second level first: each of its cells makes 64 instead of 8.
    const unsigned long long second = (second_level.size() / 7) / Utilities::MPI::n_mpi_processes(comm);
    if (!second_level.empty() &&
        !memory_.fits(comm, mesh_.local_cells_after_flags(apply) + 56 * second))
      second_level.clear();
    Vector<float> indicator; // the last marking's, used once
    indicator.swap(marking_indicator_);
    memory_limited_ = false;
    if (fits())
      return true;
    second_level.clear();
    memory_limited_ = true;
    // Too large: first no cell refined twice in one cycle, an unresolved block's
    // rule waiting too (the 10,000-block floorplan's cycle 1: every block
    // unresolved, every die cell flagged by both, a next mesh of millions of
    // cells refused with 1.3 GB in use on the larger rank) ...
    margin                          = 1.3;
    const std::vector<bool> wanted  = apply;
    const std::vector<bool> flagged = mesh_.blocks_flagged(apply.size());
    for (std::size_t b = 0; b < apply.size(); ++b)
      apply[b] = wanted[b] && !flagged[b];
    if (fits())
      return true;
    // ... then the cells of largest indicator that fit.
    return shrink_marking_to_fit(settings, indicator, apply, fits);
  }

  bool SteadyChipSolve::shrink_marking_to_fit(const AdaptivitySettings &settings, const Vector<float> &indicator,
                                              std::vector<bool> &apply, const std::function<bool()> &fits)
  {
    // Every rule waits: with them on the blocks the shrunk marking leaves out,
    // fewer marked cells could make more (the 10,000-block floorplan's rules
    // refine every die cell), and the search below needs a count that grows
    // with the fraction.
    std::fill(apply.begin(), apply.end(), false);
    const auto mark = [&](double fraction) {
      mesh_.clear_flags();
      mesh_.mark_cells(fraction, 0.0, mesh_.settings().policy.max_cells, indicator);
      return fits();
    };
    const double least = settings.min_growth / 7; // a refined cell adds 7
    if (indicator.size() != mesh_.triangulation().n_active_cells() || !mark(least))
      {
        mesh_.clear_flags();
        return false;
      }
    double fitting = least, too_many = 1.0;
    for (int i = 0; i < 6; ++i) // to within 1/64 of the cells
      {
        const double fraction = 0.5 * (fitting + too_many);
        (mark(fraction) ? fitting : too_many) = fraction;
      }
    return mark(fitting);
  }

  AdaptivityReport SteadyChipSolve::solve_adaptively(const AdaptivitySettings                       &settings,
                                                     const std::function<void(const CycleRecord &)> &on_cycle,
                                                     const VerdictTargets                           &verdict_targets)
  {
    AdaptivityReport report;
    report.enabled     = settings.enabled;
    report.tolerance_k = settings.tolerance_k;
    report.until       = settings.until;
    const bool to_tolerance = settings.until == "tolerance";
    report.estimator   = settings.estimator;
    report.estimates   = estimates_;
    const std::size_t        n_blocks = model_.all_blocks().size();
    const auto              &deferrable = mesh_.settings().policy.deferrable;
    std::vector<BlockResult> previous;
    bool stalled = false, carry_over = false; // the last refinement changed nothing; the next carries solutions
    // The last marking's share and worst open bound, and which blocks were open:
    // how far the bound fell calibrates the next share (observed_efficiency).
    double            last_share = 0, last_worst = 0;
    std::vector<bool> last_open;
    unsigned int      last_levels = 1; // levels the last cycle refined its top cells by
    report.policy.assign(n_blocks, "");
    for (std::size_t b = 0; b < n_blocks; ++b)
      if (std::isfinite(mesh_.settings().policy.per_block[b].cell_size_m) &&
          mesh_.settings().policy.per_block[b].halo_m > 0)
        report.policy[b] = mesh_.policy_applied()[b] && !(estimates_ && deferrable[b]) ? "a priori" : "";
    for (unsigned int cycle = 0;; ++cycle)
      {
        CycleRecord record = record_cycle(cycle, solve(), previous);
        std::vector<double> target;
        const std::vector<bool> open_by_estimate = blocks_open_by_estimate(settings, verdict_targets, target);
        // A powered block smaller than its cells is not resolved: both degrees
        // miss it alike (docs/benchmarks.md, "blocks inside cells"), so it stays
        // open until its rule (below) refines it. It does not steer the marking:
        // that spent cells all over the chip on a block already within tolerance.
        if (estimates_ && cycle == 0)
          find_blocks_beyond_level_cap();
        std::vector<bool> open = open_by_estimate;
        if (estimates_)
          for (std::size_t b = 0; b < n_blocks; ++b)
            open[b] = open[b] || (!block_resolved(b) && !beyond_level_cap(b));
        // A power-map layer's hotspot counts as one more goal (map_layer_goals.h).
        double worst_map = 0;
        for (const auto &e : map_errors_)
          worst_map = to_tolerance && e.t_max_k > settings.tolerance_k ? std::max(worst_map, e.t_max_k) : worst_map;
        record.open_blocks = static_cast<unsigned int>(std::count(open.begin(), open.end(), true)) +
                             static_cast<unsigned int>(std::count_if(map_errors_.begin(), map_errors_.end(), [&](auto &e) {
                               return to_tolerance && e.t_max_k > settings.tolerance_k;
                             }));
        if (record.open_blocks <= CycleRecord::max_named_open)
          for (std::size_t b = 0; b < n_blocks; ++b)
            if (open[b])
              record.named_open.push_back({b, block_errors_[b].largest_k(),
                                           open_by_estimate[b] ? target[b] : std::numeric_limits<double>::infinity()});
        std::vector<bool> apply = deferred_rules_to_apply(cycle, settings.enabled, open, report.policy);
        const bool any_apply = std::count(apply.begin(), apply.end(), true) > 0;
        record.wall_s        = clock_.wall_time();
        report.cycles.push_back(record);
        report.max_error_k = record.max_error_k;
        if (on_cycle)
          on_cycle(record);

        const bool settled = estimates_ ? record.open_blocks == 0
                                        : record.max_block_change_k >= 0 &&
                                            record.max_block_change_k < settings.tolerance_k;
        if (!settings.enabled)
          report.stop_reason = "disabled", report.converged = estimates_ && settled;
        else if (settled && !any_apply)
          report.converged = true, report.stop_reason = estimates_ && !to_tolerance ? "verdicts" : "tolerance";
        else if (cycle >= settings.max_cycles)
          report.stop_reason = "max_cycles";
        else if (record.cells >= mesh_.settings().policy.max_cells)
          report.stop_reason = "cell budget";
        else if (stalled)
          report.stop_reason = "level cap";
        if (!report.stop_reason.empty())
          break;
        const bool any_block_open = std::count(open_by_estimate.begin(), open_by_estimate.end(), true) > 0;
        const auto goal = any_block_open ? open_by_estimate : std::vector<bool>(n_blocks, true);
        // A map's hotspot is the worst open goal: no block dual weighs it, so the
        // energy of the correction marks (the blocks' dual would leave it open).
        AdaptivitySettings marking = settings;
        if (worst_map > 0 && (!any_block_open || worst_map > worst_open_bound(open_by_estimate)))
          marking.estimator = "energy";
        const double worst = std::max(worst_open_bound(open_by_estimate), worst_map);
        // The share aims the block farthest from its target (or the map's
        // hotspot) at that target. Before the first marking last_share is 0:
        // the nominal efficiency.
        auto [steering, aim] = steering_bound(open_by_estimate, target);
        if (worst_map > 0 && !(aim > 0 && steering / aim >= worst_map / settings.tolerance_k))
          steering = worst_map, aim = settings.tolerance_k;
        const double share = settings.doerfler_share(
          steering,
          AdaptivitySettings::observed_efficiency(last_share, last_worst,
                                                  std::max(worst_open_bound(last_open), worst_map)),
          aim);
        const double fall_per_level =
          AdaptivitySettings::fall_per_level(last_worst, worst_open_bound(last_open), last_levels);
        last_share = share, last_worst = worst, last_open = open_by_estimate;
        const bool marked = !settled && (!estimates_ || any_block_open || worst_map > 0) &&
                            mark_next_cycle(settings, share,
                                            estimates_ ? marking_indicator(marking, goal) : error_indicator());
        std::vector<double> second_level =
          marked ? second_level_cells(settings, steering, aim, fall_per_level) : std::vector<double>();
        if (!marked && !any_apply)
          {
            report.stop_reason = "level cap";
            break;
          }
        wait_rules_of_marked_blocks(apply);
        if (!next_mesh_fits(settings, apply, second_level, carry_over))
          {
            report.stop_reason = "memory";
            break;
          }
        previous                                  = block_results_;
        const auto [policy_refined, refined_again] = refine_for_next_cycle(carry_over, second_level, apply);
        last_levels                               = refined_again ? 2 : 1;
        // The rules could not refine (their blocks sit at the level cap) and nothing
        // else was marked: the next cycle solves this mesh again, and is the last.
        stalled = !marked && !policy_refined;
      }
    return report;
  }
} // namespace chiptherm::solver
