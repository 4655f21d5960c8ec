#include "chip_mesh.h"

#include "common/errors.h"
#include "common/huge_pages.h"
#include "common/machine_memory.h"
#include "mesh/box_index.h"
#include "mesh/gmsh_io.h"
#include "mesh/local_refinement.h"
#include "mesh/stiff_layers.h"

#include <deal.II/base/mpi.h>
#include <deal.II/distributed/grid_refinement.h>

#include <cmath>
#include <limits>

namespace chiptherm::solver
{
  using namespace dealii;

  ChipMesh::ChipMesh(const floorplans::ChipModel &model, const mesh::MeshSettings &settings, MPI_Comm comm,
                     TimerOutput &timer)
    : model_(model)
    , settings_(settings)
    , timer_(timer)
    , tria_(comm, Triangulation<3>::limit_level_difference_at_vertices)
    , user_maps_(settings.refinement_maps.size())
  {
    if (!settings_.policy.max_cells_set)
      settings_.policy.max_cells = std::min(settings_.policy.max_cells, cells_that_fit_in_memory(comm));
  }

  unsigned long long cells_that_fit_in_memory(MPI_Comm comm)
  {
    // The memory of every node the run spans (each node's first rank reads its
    // own), the same figure on every rank: a refusal must be collective.
    MPI_Comm node;
    MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
    const bool first_on_node = Utilities::MPI::this_mpi_process(node) == 0;
    MPI_Comm_free(&node);
    const double usable = double(usable_memory_bytes());
    if (Utilities::MPI::min(usable > 0 ? 1.0 : 0.0, comm) == 0.0) // unknown somewhere: keep the fixed default
      return std::numeric_limits<unsigned long long>::max();
    // Less the reserve for other work (machine_memory.h), as the memory ceiling does.
    const double bytes = Utilities::MPI::sum(first_on_node ? std::max(0.0, usable - memory_reserve_bytes()) : 0.0, comm);
    return static_cast<unsigned long long>(memory_share * bytes / bytes_per_cell);
  }

  void ChipMesh::build()
  {
    tria_.clear();
    build_for(model_);
  }

  double ChipMesh::reseed(const std::vector<double> &block_power_w, double threshold)
  {
    if (settings_.predictor_model.empty())
      return -1;
    double moved = 0, total = 0;
    for (std::size_t b = 0; b < block_power_w.size(); ++b)
      moved += std::abs(block_power_w[b] - seeded_powers_[b]), total += seeded_powers_[b];
    if (!(moved > threshold * total))
      return -1;
    floorplans::ChipModel seed_model = model_;
    std::size_t           b          = 0;
    for (auto &layer : seed_model.layers)
      for (auto &block : layer.blocks)
        block.power_w = block_power_w[b++];
    tria_.clear();
    build_for(seed_model);
    return moved / total;
  }

  void ChipMesh::build_for(const floorplans::ChipModel &seed_model)
  {
    TimerOutput::Scope scope(timer_, "mesh");
    settings_.refinement_maps.resize(user_maps_); // a second build: the predictor's maps again
    seeding_ = {};
    if (!settings_.predictor_model.empty())
      for (auto &map : ai_predictor::net_plugin().predicted_refinement_maps(
             seed_model, settings_.predictor_model, settings_.predictor_finest_m, settings_.predictor_coarsest_m,
             &seeding_))
        settings_.refinement_maps.push_back(std::move(map));
    seeded_powers_.clear();
    for (const auto *block : seed_model.all_blocks())
      seeded_powers_.push_back(block->power_w);
    applied_.assign(settings_.policy.per_block.size(), false);
    for (std::size_t b = 0; b < applied_.size(); ++b)
      applied_[b] = !defer_policy_ || !settings_.policy.deferrable[b];
    make_size_field();
    make_level_caps();
    if (settings_.gmsh_file.empty())
      {
        const mesh::StackMeshBuilder builder(model_, settings_);
        check_budget(builder);
        info_ = builder.build(tria_);
      }
    else
      info_ = mesh::read_gmsh_mesh(settings_.gmsh_file, model_, tria_);
    stiff_zones_         = stiff_zones();
    const auto outcome   = mesh::refine_to_size_field(tria_, *size_field_, *level_cap_, settings_.policy.max_cells, stiff_zones_);
    a_priori_passes_     = outcome.passes;
    a_priori_budget_hit_ = outcome.budget_hit;
    coefficients_        = std::make_unique<ChipCoefficients>(model_, info_.zones, tria_);
    size_known();
  }

  void ChipMesh::check_budget(const mesh::StackMeshBuilder &builder) const
  {
    const unsigned long long max_cells = settings_.policy.max_cells;
    const unsigned long long per_coarse = 1ULL << (3 * std::min(settings_.global_refinements, 20));
    const unsigned long long coarse     = builder.count_coarse_cells();
    const bool               too_coarse = coarse > max_cells / per_coarse;
    const unsigned long long estimate =
      too_coarse ? coarse * per_coarse
                 : per_coarse * mesh::estimate_refined_cells(
                                  [&](const std::function<bool(const mesh::Box3 &)> &visit) {
                                    builder.for_each_coarse_cell(visit);
                                  },
                                  *size_field_, *level_cap_, max_cells / per_coarse);
    if (estimate <= max_cells)
      return;
    throw InputError("mesh.max_cells: the mesh asked for would have " + std::string(too_coarse ? "" : "more than ") +
                     std::to_string(estimate) + " cells (coarse mesh " + std::to_string(coarse) +
                     " cells, refined to the mesh policy and refinement maps) and mesh.max_cells is " +
                     std::to_string(max_cells) +
                     (settings_.policy.max_cells_set ? "" : " (its default: what this machine's memory holds, less the reserve "
                                                                            "for other work, CHIPTHERM_MEMORY_RESERVE_MB)") +
                     ": ask for larger cells (mesh.die_cell_size, mesh.policy, mesh.refinement_map), check the "
                     "case's units, or raise mesh.max_cells if the machine has the memory");
  }

  void ChipMesh::build_from_checkpoint(const std::string &mesh_file, unsigned long long coarse_cells)
  {
    TimerOutput::Scope scope(timer_, "mesh");
    if (!settings_.gmsh_file.empty())
      throw InputError("resuming from a checkpoint is not available yet for cases that read their mesh from mesh.file ('" +
                       settings_.gmsh_file + "')");
    // p4est restores the refinement on exactly the coarse mesh it was saved from.
    auto coarse               = settings_;
    coarse.global_refinements = 0;
    tria_.clear();
    info_ = mesh::StackMeshBuilder(model_, coarse).build(tria_);
    if (info_.coarse_cells != coarse_cells)
      throw InputError("the saved state in " + mesh_file + " was computed on another mesh (" +
                       std::to_string(coarse_cells) + " coarse cells; this case has " +
                       std::to_string(info_.coarse_cells) + "): the stack, floorplan and mesh settings must match");
    tria_.load(mesh_file);
    stiff_zones_ = stiff_zones();
    applied_.assign(settings_.policy.per_block.size(), true);
    make_size_field();
    make_level_caps();
    coefficients_ = std::make_unique<ChipCoefficients>(model_, info_.zones, tria_);
    size_known();
  }

  std::vector<bool> ChipMesh::stiff_zones() const
  {
    return mesh::stiff_zones(model_, info_.zones, settings_.stiff_layer_ratio);
  }

  void ChipMesh::make_size_field()
  {
    size_field_ = std::make_unique<mesh::SizeField>(model_, settings_.policy.with_deferred(applied_),
                                                    settings_.refinement_maps);
  }

  void ChipMesh::make_level_caps()
  {
    block_boxes_ = std::make_unique<mesh::BlockBoxes>(model_);
    std::vector<int> caps;
    for (const auto &rule : settings_.policy.per_block)
      caps.push_back(rule.max_level);
    level_cap_ = std::make_unique<mesh::LevelCaps>(*block_boxes_, std::move(caps), settings_.policy.max_level);
  }

  std::vector<double> ChipMesh::finest_reachable_cell_m() const
  {
    std::vector<double>             finest(block_boxes_->size(), 0.0);
    std::vector<mesh::BlockOverlap> found;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const mesh::Box3 box = mesh::bounding_box_of(cell);
          block_boxes_->overlaps(box, found);
          if (found.empty())
            continue;
          const double edge   = std::max(box.hi[0] - box.lo[0], box.hi[1] - box.lo[1]);
          const int    levels = std::max(0, (*level_cap_)(box) - int(cell->level()));
          for (const auto &o : found)
            finest[o.block] = std::max(finest[o.block], std::ldexp(edge, -levels));
        }
    Utilities::MPI::max(finest, tria_.get_communicator(), finest);
    return finest;
  }

  bool ChipMesh::apply_policy_level(const std::vector<bool> &blocks, const std::function<void()> &attach_data)
  {
    std::vector<bool> now(applied_.size(), false);
    bool              newly_applied = false;
    for (std::size_t b = 0; b < applied_.size(); ++b)
      if (b < blocks.size() && blocks[b])
        {
          newly_applied = newly_applied || !applied_[b];
          now[b] = applied_[b] = true;
        }
    if (std::none_of(now.begin(), now.end(), [](bool x) { return x; }))
      return false;
    if (newly_applied)
      make_size_field();
    TimerOutput::Scope    scope(timer_, "refine");
    const mesh::SizeField chosen(model_, settings_.policy.restricted_to(now), {});
    const bool            refined = mesh::refine_to_size_field(tria_, chosen, *level_cap_, settings_.policy.max_cells,
                                                               stiff_zones_, 1, attach_data)
                           .passes > 0;
    size_known();
    return refined;
  }

  bool ChipMesh::mark_cells(double refine_fraction, double coarsen_fraction, unsigned long long max_cells,
                            const Vector<float> &indicator)
  {
    parallel::distributed::GridRefinement::refine_and_coarsen_fixed_number(
      tria_, indicator, refine_fraction, coarsen_fraction,
      static_cast<unsigned int>(std::min<unsigned long long>(max_cells, 4'000'000'000ULL)));
    return cap_flags();
  }

  unsigned long long ChipMesh::local_cells_after_flags(const std::vector<bool> &policy_blocks) const
  {
    std::vector<bool> now(applied_.size(), false);
    for (std::size_t b = 0; b < now.size() && b < policy_blocks.size(); ++b)
      now[b] = policy_blocks[b];
    const bool any_rule = std::find(now.begin(), now.end(), true) != now.end();
    const mesh::SizeField rules(model_, settings_.policy.restricted_to(now), {});
    unsigned long long    cells = 0, coarsen = 0;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const auto box  = mesh::bounding_box_of(cell);
          const bool rule = any_rule && mesh::exceeds_target_size(rules, box) && cell->level() < (*level_cap_)(box);
          cells += cell->refine_flag_set() ? (rule ? 64 : 8) : (rule ? 8 : 1);
          coarsen += cell->coarsen_flag_set() ? 1 : 0;
        }
    return cells - 7 * (coarsen / 8);
  }

  std::vector<bool> ChipMesh::blocks_flagged(std::size_t n_blocks) const
  {
    std::vector<unsigned int> flagged(n_blocks, 0);
    const auto                pieces_of = coefficients_->block_pieces().as_function();
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned() && cell->refine_flag_set())
        for (const auto &piece : pieces_of(*cell))
          flagged[piece.block] = 1;
    Utilities::MPI::max(flagged, tria_.get_communicator(), flagged);
    return std::vector<bool>(flagged.begin(), flagged.end());
  }

  void ChipMesh::clear_flags()
  {
    for (const auto &cell : tria_.active_cell_iterators())
      cell->clear_refine_flag(), cell->clear_coarsen_flag();
  }

  bool ChipMesh::mark_share(double refine_share, double coarsen_share, unsigned long long max_cells,
                            const Vector<float> &indicator)
  {
    parallel::distributed::GridRefinement::refine_and_coarsen_fixed_fraction(tria_, indicator, refine_share,
                                                                             coarsen_share);
    // Within the budget: a refined cell adds 7, a coarsened family of 8 removes 7.
    unsigned long long refine = 0, coarsen = 0;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned())
        refine += cell->refine_flag_set() ? 1 : 0, coarsen += cell->coarsen_flag_set() ? 1 : 0;
    const MPI_Comm comm = tria_.get_communicator();
    refine              = Utilities::MPI::sum(refine, comm), coarsen = Utilities::MPI::sum(coarsen, comm);
    const double cells  = double(tria_.n_global_active_cells());
    if (cells + 7.0 * double(refine) - 7.0 / 8.0 * double(coarsen) > double(max_cells))
      {
        clear_flags();
        const double room = std::max(0.0, (double(max_cells) - cells) / (7.0 * cells));
        return mark_cells(std::min(room, 1.0), 0.0, max_cells, indicator);
      }
    return cap_flags();
  }

  ChipMesh::CarryingCells ChipMesh::flagged_cells_carrying(const double share, const Vector<float> &indicator) const
  {
    const MPI_Comm comm  = tria_.get_communicator();
    double         total = 0, largest = 0;
    CarryingCells  result;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned() && cell->refine_flag_set())
        {
          const double eta = indicator[cell->active_cell_index()];
          total += eta, largest = std::max(largest, eta);
          ++result.flagged;
        }
    result.flagged = Utilities::MPI::sum(result.flagged, comm);
    total          = Utilities::MPI::sum(total, comm);
    largest = Utilities::MPI::max(largest, comm);
    // The largest threshold whose cells at or above it carry the share:
    // bisection on the threshold, one sum over the ranks a step.
    double lo = 0, hi = largest;
    for (int i = 0; i < 40 && total > 0; ++i)
      {
        const double mid = 0.5 * (lo + hi);
        double       sum = 0;
        for (const auto &cell : tria_.active_cell_iterators())
          if (cell->is_locally_owned() && cell->refine_flag_set() && indicator[cell->active_cell_index()] >= mid)
            sum += indicator[cell->active_cell_index()];
        (Utilities::MPI::sum(sum, comm) >= share * total ? lo : hi) = mid;
      }
    std::vector<double> mine;
    for (const auto &cell : tria_.active_cell_iterators())
      if (total > 0 && cell->is_locally_owned() && cell->refine_flag_set() &&
          indicator[cell->active_cell_index()] >= lo)
        {
          const mesh::Box3 box = mesh::bounding_box_of(cell);
          mine.insert(mine.end(), {double(cell->level()), box.lo[0], box.lo[1], box.lo[2], box.hi[0], box.hi[1],
                                   box.hi[2]});
        }
    for (const auto &part : Utilities::MPI::all_gather(comm, mine))
      result.cells.insert(result.cells.end(), part.begin(), part.end());
    return result;
  }

  bool ChipMesh::refine_children_of(const std::vector<double> &cells, const std::function<void()> &attach_data)
  {
    if (cells.empty())
      return false;
    std::vector<mesh::Box3> boxes;
    std::vector<int>        levels;
    for (std::size_t i = 0; i + 7 <= cells.size(); i += 7)
      {
        mesh::Box3 box;
        box.lo = {{cells[i + 1], cells[i + 2], cells[i + 3]}};
        box.hi = {{cells[i + 4], cells[i + 5], cells[i + 6]}};
        boxes.push_back(box), levels.push_back(int(cells[i]));
      }
    const mesh::BoxIndex      index(std::move(boxes));
    std::vector<unsigned int> hits;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          const mesh::Box3 box = mesh::bounding_box_of(cell);
          mesh::Box3       centre;
          for (unsigned int d = 0; d < 3; ++d)
            {
              const double mid = 0.5 * (box.lo[d] + box.hi[d]), h = 1e-3 * (box.hi[d] - box.lo[d]);
              centre.lo[d] = mid - h, centre.hi[d] = mid + h;
            }
          index.overlapping(centre, hits);
          for (const unsigned int h : hits)
            if (levels[h] + 1 == cell->level())
              {
                cell->set_refine_flag();
                break;
              }
        }
    const bool any = cap_flags(); // the same on every rank
    if (any)
      refine_marked(attach_data);
    return any;
  }

  bool ChipMesh::cap_flags()
  {
    unsigned long long refined = 0;
    for (const auto &cell : tria_.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          if (cell->refine_flag_set() && cell->level() >= (*level_cap_)(mesh::bounding_box_of(cell)))
            cell->clear_refine_flag();
          if (cell->coarsen_flag_set())
            {
              // Coarse cells have no parent; a parent must still meet the policy's size where it lies.
              if (cell->level() == 0 || mesh::exceeds_target_size(*size_field_, mesh::bounding_box_of(cell->parent())))
                cell->clear_coarsen_flag();
            }
          refined += cell->refine_flag_set() ? 1 : 0;
        }
    // Stiff thin layers refine in columns with their neighbours (mesh/stiff_layers.h).
    return Utilities::MPI::sum(refined, tria_.get_communicator()) + mesh::close_flags_at_stiff_zones(tria_, stiff_zones_) > 0;
  }

  void ChipMesh::refine_marked(const std::function<void()> &attach_data)
  {
    TimerOutput::Scope scope(timer_, "refine");
    tria_.prepare_coarsening_and_refinement();
    if (attach_data)
      attach_data();
    tria_.execute_coarsening_and_refinement();
    // Zones are coarse cells' material ids, which children inherit; the
    // blocks' pieces of cells follow the change (CellBlockPieces).
    size_known();
  }

  void ChipMesh::size_known() const
  {
    limit_huge_pages(double(tria_.n_locally_owned_active_cells()) * bytes_per_cell);
  }
} // namespace chiptherm::solver
