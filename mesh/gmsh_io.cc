#include "gmsh_io.h"

#include "block_boxes.h"
#include "gmsh_file_probe.h"

#include <deal.II/base/mpi.h>
#include <deal.II/grid/grid_tools.h>

#include <gmsh.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace chiptherm::mesh
{
  using namespace dealii;

  namespace
  {
    constexpr int gmsh_hexahedron = 5;
    // Gmsh numbers a hexahedron's corners counter-clockwise in each z plane,
    // deal.II lexicographically: gmsh corner k is deal.II vertex this[k].
    constexpr std::array<unsigned int, 8> dealii_vertex_of_gmsh = {{0, 1, 3, 2, 4, 5, 7, 6}};
    const char *const coarse_view_name = "chiptherm_coarse_cell";
    const char *const level_view_name  = "chiptherm_refinement_level";

    /// Gmsh keeps global state: initialise it for one read or write, quietly.
    class GmshSession
    {
    public:
      GmshSession()
      {
        gmsh::initialize();
        gmsh::option::setNumber("General.Terminal", 0);
        gmsh::option::setNumber("General.Verbosity", 1);
      }
      ~GmshSession() { gmsh::finalize(); }
      GmshSession(const GmshSession &) = delete;
      GmshSession &operator=(const GmshSession &) = delete;
    };

    std::string region_key(const floorplans::Layer &layer, const floorplans::Region &r)
    {
      return layer.name + "/" + r.name;
    }

    /// What rank 0 needs about one active cell, flattened for gathering:
    /// 24 corner coordinates (deal.II vertex order), zone, coarse cell, level.
    constexpr unsigned int record_size = 27;

    /// Rounds a point to a grid of pitch q so that equal points computed in
    /// different ways map to the same key.
    std::array<long long, 3> key_of(const Point<3> &p, double q)
    {
      return {{std::llround(p[0] / q), std::llround(p[1] / q), std::llround(p[2] / q)}};
    }
  } // namespace

  void write_gmsh_mesh(const parallel::distributed::Triangulation<3> &tria, const ZoneTable &zones,
                       const floorplans::ChipModel &model, const std::string &path)
  {
    std::vector<double> mine;
    for (const auto &cell : tria.active_cell_iterators())
      if (cell->is_locally_owned())
        {
          for (unsigned int v = 0; v < 8; ++v)
            for (unsigned int d = 0; d < 3; ++d)
              mine.push_back(cell->vertex(v)[d]);
          mine.push_back(cell->material_id());
          mine.push_back(double(cell->id().get_coarse_cell_id()));
          mine.push_back(cell->level());
        }
    const auto all = Utilities::MPI::gather(tria.get_communicator(), mine, 0);
    if (Utilities::MPI::this_mpi_process(tria.get_communicator()) != 0)
      return;

    GmshSession session;
    gmsh::model::add("chiptherm");
    // Nodes: shared corners get one tag (merged on a grid far below any cell size).
    double smallest = 1e300;
    for (const auto &rank : all)
      for (std::size_t c = 0; c < rank.size(); c += record_size)
        smallest = std::min(smallest, std::abs(rank[c + 3 * 7 + 2] - rank[c + 2]));
    const double q = 1e-6 * smallest;
    std::map<std::array<long long, 3>, std::size_t> node_of;
    std::vector<double>                             node_xyz;
    // Volumes per (zone, block holding the element's centre or -1), so a block's
    // cells can be picked in Gmsh although blocks are not zones.
    using VolumeKey = std::pair<unsigned int, int>;
    std::map<VolumeKey, std::vector<std::size_t>> elements_of_zone, nodes_of_zone;
    const BlockBoxes                              block_boxes(model);
    std::vector<BlockOverlap>                     found;
    std::vector<std::size_t>                          element_tags;
    std::vector<double>                               coarse_data, level_data;
    std::size_t                                       next_element = 1;
    for (const auto &rank : all)
      for (std::size_t c = 0; c < rank.size(); c += record_size)
        {
          const double *corners = &rank[c];
          Box3          centre;
          for (unsigned int d = 0; d < 3; ++d)
            {
              const double mid = 0.5 * (corners[d] + corners[21 + d]); // vertices 0 and 7 are opposite
              const double eps = 1e-6 * std::abs(corners[21 + d] - corners[d]);
              centre.lo[d] = mid - eps, centre.hi[d] = mid + eps;
            }
          block_boxes.overlaps(centre, found);
          const VolumeKey zone{static_cast<unsigned int>(rank[c + 24]), found.empty() ? -1 : int(found.front().block)};
          auto           &nodes = nodes_of_zone[zone];
          for (const unsigned int v : dealii_vertex_of_gmsh)
            {
              const Point<3> p(corners[3 * v], corners[3 * v + 1], corners[3 * v + 2]);
              const auto [it, inserted] = node_of.emplace(key_of(p, q), node_of.size() + 1);
              if (inserted)
                node_xyz.insert(node_xyz.end(), {p[0], p[1], p[2]});
              nodes.push_back(it->second);
            }
          elements_of_zone[zone].push_back(next_element);
          element_tags.push_back(next_element++);
          coarse_data.push_back(rank[c + 25]);
          level_data.push_back(rank[c + 26]);
        }

    // One discrete volume per (zone, block); all nodes live on the first one.
    std::map<std::string, std::vector<int>> groups;
    bool                                    first  = true;
    const auto                              blocks = model.all_blocks();
    int                                     next_volume = 1;
    for (const auto &[key, elements] : elements_of_zone)
      {
        const auto [zone_id, block] = key;
        const int tag = gmsh::model::addDiscreteEntity(3, next_volume++);
        if (first)
          {
            std::vector<std::size_t> tags(node_xyz.size() / 3);
            for (std::size_t i = 0; i < tags.size(); ++i)
              tags[i] = i + 1;
            gmsh::model::mesh::addNodes(3, tag, tags, node_xyz);
            first = false;
          }
        gmsh::model::mesh::addElementsByType(tag, gmsh_hexahedron, elements, nodes_of_zone[key]);
        const Zone &z     = zones[zone_id];
        const auto &layer = model.layers[z.layer];
        groups["layer:" + layer.name].push_back(tag);
        groups["material:" + z.material].push_back(tag);
        if (z.region >= 0)
          groups["region:" + region_key(layer, layer.regions[z.region])].push_back(tag);
        if (block >= 0)
          groups["block:" + layer.name + "/" + blocks[block]->name].push_back(tag);
      }
    for (const auto &[name, tags] : groups)
      gmsh::model::setPhysicalName(3, gmsh::model::addPhysicalGroup(3, tags), name);

    gmsh::option::setNumber("Mesh.MshFileVersion", 4.1);
    gmsh::option::setNumber("Mesh.Binary", 1);
    gmsh::write(path);
    // Appended views carry only their data; the mesh is already in the file.
    gmsh::option::setNumber("PostProcessing.SaveMesh", 0);
    for (const auto &[name, data] : {std::pair<const char *, const std::vector<double> &>{coarse_view_name, coarse_data},
                                     {level_view_name, level_data}})
      {
        const int view = gmsh::view::add(name);
        gmsh::view::addHomogeneousModelData(view, 0, "chiptherm", "ElementData", element_tags, data, 0.0, 1);
        gmsh::view::write(view, path, true);
      }
  }

  namespace
  {
    /// The elements of a mesh file: corners in deal.II's vertex order, zone,
    /// and the coarse cell each belongs to (-1: each element its own).
    struct FileElements
    {
      std::vector<std::array<Point<3>, 8>> leaves;
      std::vector<unsigned int>            zone;
      std::vector<long>                    coarse;
    };

    using Fail = std::function<void(const std::string &)>;

    /// The trilinear map's Jacobian determinant is positive at all 8 corners
    /// (corners in deal.II's lexicographic order): the standard validity test of
    /// a hexahedron, false for inverted, twisted and flat ones.
    bool corner_jacobians_positive(const std::array<Point<3>, 8> &c)
    {
      for (unsigned int v = 0; v < 8; ++v)
        {
          Tensor<1, 3> edge[3];
          for (unsigned int d = 0; d < 3; ++d)
            {
              const unsigned int bit = 1u << d;
              edge[d] = (v & bit) ? Tensor<1, 3>(c[v] - c[v ^ bit]) : Tensor<1, 3>(c[v ^ bit] - c[v]);
            }
          if (!(cross_product_3d(edge[0], edge[1]) * edge[2] > 0))
            return false;
        }
      return true;
    }

    /// Physical group name -> ('l'ayer | 'r'egion, index). Other groups (a
    /// "block:" group of older files) are ignored: blocks are found by overlap.
    std::map<std::string, std::pair<char, int>> group_meanings(const floorplans::ChipModel &model)
    {
      std::map<std::string, std::pair<char, int>> meaning;
      for (int l = 0; l < int(model.layers.size()); ++l)
        {
          const auto &L = model.layers[l];
          meaning["layer:" + L.name] = {'l', l};
          for (int r = 0; r < int(L.regions.size()); ++r)
            meaning["region:" + region_key(L, L.regions[r])] = {'r', r};
        }
      return meaning;
    }

    /// The zone (layer, region) of a volume entity from its physical groups.
    Zone entity_zone(int entity, const floorplans::ChipModel &model,
                     const std::map<std::string, std::pair<char, int>> &meaning, const Fail &fail)
    {
      std::vector<int> group_tags;
      gmsh::model::getPhysicalGroupsForEntity(3, entity, group_tags);
      int layer = -1, region = -1;
      for (const int g : group_tags)
        {
          std::string name;
          gmsh::model::getPhysicalName(3, g, name);
          const auto it = meaning.find(name);
          if (it == meaning.end())
            continue;
          const auto [kind, index] = it->second;
          (kind == 'l' ? layer : region) = index;
        }
      if (layer < 0)
        fail("volume " + std::to_string(entity) + " is in no physical group 'layer:NAME' naming one of the case's layers");
      const auto &L = model.layers[layer];
      return Zone{layer, region, region >= 0 ? L.regions[region].material : L.material};
    }

    /// Each element's coarse cell from the view chiptherm writes (absent: each its own).
    void read_coarse_view(const std::map<std::size_t, std::size_t> &leaf_of_element, FileElements &f, const Fail &fail)
    {
      f.coarse.assign(f.leaves.size(), -1);
      std::vector<int> views;
      gmsh::view::getTags(views);
      for (const int v : views)
        {
          std::string name;
          gmsh::option::getString("View[" + std::to_string(gmsh::view::getIndex(v)) + "].Name", name);
          if (name != coarse_view_name)
            continue;
          std::string                      type;
          std::vector<std::size_t>         tags;
          std::vector<std::vector<double>> data;
          double                           time;
          int                              components;
          gmsh::view::getModelData(v, 0, type, tags, data, time, components);
          for (std::size_t i = 0; i < tags.size(); ++i)
            if (leaf_of_element.count(tags[i]) && !data[i].empty())
              f.coarse[leaf_of_element.at(tags[i])] = std::lround(data[i][0]);
        }
      const auto unassigned = std::count(f.coarse.begin(), f.coarse.end(), -1);
      if (unassigned != 0 && unassigned != long(f.leaves.size()))
        fail("the view '" + std::string(coarse_view_name) + "' does not cover every element");
    }

    /// Opens the file and reads its hexahedra, their zones (info.zones grows) and coarse cells.
    FileElements read_elements(const std::string &path, const floorplans::ChipModel &model, StackMeshInfo &info,
                               const Fail &fail)
    {
      GmshSession session;
      try
        {
          gmsh::open(path);
        }
      catch (const std::string &message) // the Gmsh API throws strings
        {
          fail("Gmsh cannot read this file: " + message);
        }
      catch (...)
        {
          fail("Gmsh cannot read this file");
        }
      std::vector<std::size_t> node_tags;
      std::vector<double>      xyz, parametric;
      gmsh::model::mesh::getNodes(node_tags, xyz, parametric, -1, -1, false, false);
      std::map<std::size_t, Point<3>> node;
      for (std::size_t i = 0; i < node_tags.size(); ++i)
        {
          const Point<3> p(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]);
          for (unsigned int d = 0; d < 3; ++d)
            if (!std::isfinite(p[d]) || std::abs(p[d]) > 1.0) // metres: lengths are within 1 m (case-file.md)
              fail("node " + std::to_string(node_tags[i]) + " lies outside the 1 m a chip stack may span (coordinate " +
                   std::to_string(p[d]) + " m)");
          node[node_tags[i]] = p;
        }

      FileElements                                      f;
      std::map<std::pair<int, int>, unsigned int>       zone_ids;
      std::map<std::size_t, std::size_t>                leaf_of_element;
      const auto                                        meaning = group_meanings(model);
      gmsh::vectorpair                                  entities;
      gmsh::model::getEntities(entities, 3);
      for (const auto &[dim, entity] : entities)
        {
          const Zone zone = entity_zone(entity, model, meaning, fail);
          const auto key  = std::make_pair(zone.layer, zone.region);
          if (!zone_ids.count(key))
            {
              zone_ids[key] = static_cast<unsigned int>(info.zones.size());
              info.zones.push_back(zone);
            }
          std::vector<int> types;
          gmsh::model::mesh::getElementTypes(types, 3, entity);
          for (const int t : types)
            if (t != gmsh_hexahedron)
              fail("volume " + std::to_string(entity) + " holds elements of Gmsh type " + std::to_string(t) +
                   ": chiptherm reads 8-node hexahedra only");
          std::vector<std::size_t> element_tags, element_nodes;
          gmsh::model::mesh::getElementsByType(gmsh_hexahedron, element_tags, element_nodes, entity);
          for (std::size_t e = 0; e < element_tags.size(); ++e)
            {
              std::array<Point<3>, 8> corners;
              for (unsigned int k = 0; k < 8; ++k)
                {
                  const auto n = node.find(element_nodes[8 * e + k]);
                  if (n == node.end())
                    fail("element " + std::to_string(element_tags[e]) + " names node " +
                         std::to_string(element_nodes[8 * e + k]) + ", which the file does not define");
                  corners[dealii_vertex_of_gmsh[k]] = n->second;
                }
              if (!corner_jacobians_positive(corners))
                fail("element " + std::to_string(element_tags[e]) + " is inverted, twisted or flat (a corner's "
                     "Jacobian is not positive: a node out of place?)");
              leaf_of_element[element_tags[e]] = f.leaves.size();
              f.leaves.push_back(corners);
              f.zone.push_back(zone_ids[key]);
            }
        }
      if (f.leaves.empty())
        fail("the file holds no hexahedra");
      read_coarse_view(leaf_of_element, f, fail);
      return f;
    }

    /// The coarse cells: a coarse cell's corners are the vertices that belong to
    /// exactly one of its elements (every other vertex of a bisection tree is shared).
    std::vector<CellData<3>> coarse_cells(const FileElements &f, double q, std::vector<Point<3>> &vertices,
                                          const Fail &fail)
    {
      std::map<long, std::vector<std::size_t>> leaves_of_coarse;
      for (std::size_t i = 0; i < f.leaves.size(); ++i)
        leaves_of_coarse[f.coarse[i] >= 0 ? f.coarse[i] : long(i)].push_back(i);
      std::map<std::array<long long, 3>, unsigned> vertex_of;
      std::vector<CellData<3>>                     cells;
      for (const auto &[coarse, members] : leaves_of_coarse)
        {
          std::map<std::array<long long, 3>, int> uses;
          for (const auto i : members)
            for (const auto &p : f.leaves[i])
              ++uses[key_of(p, q)];
          CellData<3> cell;
          int         found = 0;
          for (const auto i : members)
            for (unsigned int v = 0; v < 8; ++v)
              if (uses[key_of(f.leaves[i][v], q)] == 1)
                {
                  const auto [it, inserted] = vertex_of.emplace(key_of(f.leaves[i][v], q), unsigned(vertices.size()));
                  if (inserted)
                    vertices.push_back(f.leaves[i][v]);
                  cell.vertices[v] = it->second;
                  ++found;
                }
          if (found != 8)
            fail("the elements of coarse cell " + std::to_string(coarse) + " do not form a refined hexahedron (found " +
                 std::to_string(found) + " outer corners, expected 8)");
          cell.material_id = f.zone[members.front()];
          for (const auto i : members)
            if (f.zone[i] != cell.material_id)
              fail("coarse cell " + std::to_string(coarse) + " mixes physical groups");
          cells.push_back(cell);
        }
      return cells;
    }

    /// Refines until every active cell is one of the file's elements (matched by centre).
    void refine_to_leaves(parallel::distributed::Triangulation<3> &tria, const FileElements &f, double q, const Fail &fail)
    {
      std::set<std::array<long long, 3>> leaf_centres;
      for (const auto &c : f.leaves)
        {
          Point<3> centre;
          for (const auto &p : c)
            centre += p / 8.0;
          leaf_centres.insert(key_of(centre, q));
        }
      auto is_leaf = [&](const Point<3> &centre) {
        const auto k = key_of(centre, q);
        for (long long dx = -1; dx <= 1; ++dx)
          for (long long dy = -1; dy <= 1; ++dy)
            for (long long dz = -1; dz <= 1; ++dz)
              if (leaf_centres.count({{k[0] + dx, k[1] + dy, k[2] + dz}}))
                return true;
        return false;
      };
      for (unsigned int pass = 0; pass < 30; ++pass)
        {
          unsigned long long flagged = 0;
          for (const auto &cell : tria.active_cell_iterators())
            if (cell->is_locally_owned() && !is_leaf(cell->center()))
              cell->set_refine_flag(), ++flagged;
          if (Utilities::MPI::sum(flagged, tria.get_communicator()) == 0)
            break;
          tria.execute_coarsening_and_refinement();
        }
      if (tria.n_global_active_cells() != f.leaves.size())
        fail("refining the coarse cells gave " + std::to_string(tria.n_global_active_cells()) +
             " cells, the file holds " + std::to_string(f.leaves.size()) +
             " elements (is it a 2:1-balanced bisection of its coarse cells?)");
    }
  } // namespace

  StackMeshInfo read_gmsh_mesh(const std::string &path, const floorplans::ChipModel &model,
                               parallel::distributed::Triangulation<3> &tria)
  {
    const Fail    fail = [&](const std::string &what) { throw InputError(SourceLocation{path, -1, ""}, what); };
    const MPI_Comm comm = tria.get_communicator();
    std::string    trouble = Utilities::MPI::this_mpi_process(comm) == 0 ? probe_gmsh_file(path) : std::string();
    trouble                = Utilities::MPI::broadcast(comm, trouble, 0);
    if (!trouble.empty())
      fail(trouble);
    StackMeshInfo info;
    const FileElements f = read_elements(path, model, info, fail);
    double             smallest = 1e300;
    for (const auto &c : f.leaves)
      smallest = std::min(smallest, c[0].distance(c[7]));
    const double          q = 1e-6 * smallest;
    std::vector<Point<3>> vertices;
    const auto            cells = coarse_cells(f, q, vertices, fail);
    info.coarse_cells           = cells.size();
    try
      {
        tria.create_triangulation(vertices, cells, SubCellData());
      }
    catch (const std::exception &e)
      {
        fail(std::string("the hexahedra do not form a valid mesh (") + e.what() + ")");
      }
    assign_boundary_ids(tria, 1e-3 * smallest);
    refine_to_leaves(tria, f, q, fail);
    return info;
  }
} // namespace chiptherm::mesh
