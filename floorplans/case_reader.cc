#include "case_reader.h"

#include "power_map_reader.h"

#include "block_reader.h"
#include "common/text_distance.h"
#include "reader_geometry.h"

#include <algorithm>
#include <array>
#include <optional>
#include <filesystem>
#include <map>
#include <set>

namespace chiptherm::floorplans
{
  const std::vector<std::string> &model_sections()
  {
    static const std::vector<std::string> s = {"version",   "name",  "units",      "ambient",
                                               "materials", "stack", "boundaries", "power_models"};
    return s;
  }

  namespace
  {
    /// Geometric tolerance for containment/overlap checks: a nanometre.
    constexpr double geometry_tolerance_m = 1e-9;
    Rect read_footprint(const CaseNode &n, const std::optional<Rect> &below)
    {
      if (n.is_sequence())
        return read_rect(n);
      n.expect_keys({"x", "y", "width", "height", "centered"});
      Rect r;
      r.width  = n.at("width").positive_length();
      r.height = n.at("height").positive_length();
      const bool centered = n.has("centered") && n.at("centered").choice({"true", "false"}) == "true";
      if (centered)
        {
          if (n.has("x") || n.has("y"))
            n.fail("give either x and y or centered: true, not both");
          if (!below)
            n.fail("centered: true needs a layer below to centre on");
          r.x = below->x + 0.5 * (below->width - r.width);
          r.y = below->y + 0.5 * (below->height - r.height);
        }
      else
        {
          r.x = n.at("x").length();
          r.y = n.at("y").length();
        }
      return r;
    }

    /// A block of a rotated region: its rect was read relative to the die's
    /// own corner (offset by the region's corner); turns it with the die
    /// (counter-clockwise, the die's lower-left corner staying at `at`).
    void rotate_in_region(Rect &b, const Region &r)
    {
      if (r.rotation == 0)
        return;
      const bool   turned = r.rotation == 90 || r.rotation == 270;
      const double W = turned ? r.rect.height : r.rect.width, H = turned ? r.rect.width : r.rect.height; // unrotated
      const double x = b.x - r.rect.x, y = b.y - r.rect.y, w = b.width, h = b.height;
      Rect         out;
      if (r.rotation == 90)
        out = {H - y - h, x, h, w};
      else if (r.rotation == 180)
        out = {W - x - w, H - y - h, w, h};
      else
        out = {y, W - x - w, h, w};
      b = {r.rect.x + out.x, r.rect.y + out.y, out.width, out.height};
    }

    /// Fails at the later of two overlapping rectangles. Sweep over x so that
    /// floorplans of thousands of blocks stay fast.
    template <typename Item, typename GetRect, typename GetNode>
    void check_no_overlap(const std::vector<Item> &items, GetRect rect_of, GetNode node_of, const std::string &what,
                          const Units &u)
    {
      std::vector<std::size_t> order(items.size());
      for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
      std::sort(order.begin(), order.end(), [&](auto a, auto b) { return rect_of(items[a]).x < rect_of(items[b]).x; });
      for (std::size_t a = 0; a < order.size(); ++a)
        for (std::size_t b = a + 1; b < order.size(); ++b)
          {
            const Rect &ra = rect_of(items[order[a]]);
            const Rect &rb = rect_of(items[order[b]]);
            if (rb.x >= ra.x_end() - geometry_tolerance_m)
              break;
            if (ra.overlaps(rb, geometry_tolerance_m))
              {
                const std::size_t first = std::min(order[a], order[b]), second = std::max(order[a], order[b]);
                node_of(second).fail(what + " overlaps '" + items[first].name + "' " +
                                     rect_text(rect_of(items[first]), u) + "; " + what + "s must not overlap");
              }
          }
    }

    BoundaryCondition read_boundary(const CaseNode &n, double area_m2, const std::string &fallback)
    {
      if (!n.is_defined())
        {
          if (fallback == "adiabatic")
            return {};
        }
      if (n.is_defined() && n.is_scalar())
        {
          n.choice({"adiabatic"});
          return {};
        }
      BoundaryCondition bc;
      if (!n.is_defined())
        {
          bc.h_w_m2k = std::stod(fallback);
          return bc;
        }
      n.expect_keys({"h", "r_convec"});
      if (n.has("h") == n.has("r_convec"))
        n.fail("expected exactly one of h (W/(m^2 K)) or r_convec (K/W over the whole face), or 'adiabatic'");
      if (n.has("h"))
        {
          n.at("h").positive_number();
          bc.h_w_m2k = n.at("h").number_in(0, physical_range::max_film_coefficient_w_m2k, "W/(m^2 K)");
        }
      else
        {
          bc.h_w_m2k = 1.0 / (n.at("r_convec").positive_number() * area_m2);
          if (!(bc.h_w_m2k <= physical_range::max_film_coefficient_w_m2k))
            n.at("r_convec").fail("expected a resistance of at least " + std::to_string(1.0 / (physical_range::max_film_coefficient_w_m2k * area_m2)) +
                                  " K/W over this face (film coefficient at most 1e8 W/(m^2 K))");
        }
      return bc;
    }
  } // namespace


  namespace
  {
    /// One region of a layer with its blocks (appended to layer.blocks and block_nodes).
    Region read_region(const CaseNode &rn, Layer &layer, const ChipModel &model, const PowerModelDefaults &power_models,
                       std::vector<CaseNode> &block_nodes)
    {
      const Units &units = rn.units();
      rn.expect_keys({"name", "material", "at", "size", "rotate", "blocks", "power_map"});
      Region r;
      r.name     = rn.at("name").text();
      r.material = rn.at("material").text();
      model.materials.get(r.material, rn.at("material"));
      // A die spans consecutive layers (active layer, bulk): a region of the
      // same name in the layer below gives at, size and rotate that this one
      // leaves out, so the die moves as one.
      const Region *same = nullptr;
      if (model.layers.size() > 0)
        for (const auto &other : model.layers.back().regions)
          if (other.name == r.name)
            same = &other;
      if (!same)
        for (const char *key : {"at", "size"})
          if (!rn.has(key))
            rn.fail(std::string("expected '") + key + "' (no region '" + r.name + "' in the layer below to take it from)");
      r.rotation = rn.has("rotate") ? std::stoi(rn.at("rotate").choice({"0", "90", "180", "270"}))
                   : same          ? same->rotation
                                   : 0;
      const bool turned = r.rotation == 90 || r.rotation == 270;
      if (rn.has("size"))
        {
          const auto size = rn.at("size").lengths(2);
          if (!(size[0] > 0 && size[1] > 0))
            rn.at("size").fail("expected [width, height], both positive");
          // size is the die's own (unrotated); the placed rectangle turns with it.
          r.rect.width  = turned ? size[1] : size[0];
          r.rect.height = turned ? size[0] : size[1];
        }
      else
        {
          const bool was_turned = same->rotation == 90 || same->rotation == 270;
          r.rect.width          = was_turned == turned ? same->rect.width : same->rect.height;
          r.rect.height         = was_turned == turned ? same->rect.height : same->rect.width;
        }
      if (rn.has("at"))
        {
          const auto at = rn.at("at").lengths(2);
          r.rect.x = at[0], r.rect.y = at[1];
        }
      else
        r.rect.x = same->rect.x, r.rect.y = same->rect.y;
      if (!layer.footprint.encloses(r.rect, geometry_tolerance_m))
        rn.fail("region " + rect_text(r.rect, units) + " lies outside its layer's footprint " +
                rect_text(layer.footprint, units));
      if (rn.has("blocks"))
        for (const auto &bn : rn.at("blocks").items())
          {
            Block b = read_block(bn, r.rect.x, r.rect.y, r.name, power_models);
            for (auto &piece : b.rects)
              rotate_in_region(piece, r);
            b.rect = bounding_box(b.rects);
            if (!r.rect.encloses(b.rect, geometry_tolerance_m))
              bn.fail("block " + rect_text(b.rect, units) + " (rect is relative to the region's corner) " +
                      "lies outside region '" + r.name + "' " + rect_text(r.rect, units));
            layer.blocks.push_back(b);
            block_nodes.push_back(bn);
          }
      if (rn.has("power_map"))
        {
          if (r.rotation != 0)
            rn.at("power_map").fail("a power map of a rotated region is not supported yet: give it unrotated");
          layer.power_maps.push_back(read_power_map(rn.at("power_map"), r.rect, "region '" + r.name + "'", true));
        }
      return r;
    }

    /// The layer's footprint: its own, the layer below's, or (bottom layer) its blocks' bounding box.
    Rect layer_footprint(const CaseNode &ln, const Layer &layer, const std::optional<Rect> &below)
    {
      if (ln.has("footprint"))
        return read_footprint(ln.at("footprint"), below);
      if (below)
        return *below;
      if (layer.blocks.empty())
        ln.fail("the bottom layer needs a footprint: [x, y, width, height]");
      double x0 = 1e300, y0 = 1e300, x1 = -1e300, y1 = -1e300;
      for (const auto &b : layer.blocks)
        {
          x0 = std::min(x0, b.rect.x), y0 = std::min(y0, b.rect.y);
          x1 = std::max(x1, b.rect.x_end()), y1 = std::max(y1, b.rect.y_end());
        }
      return {x0, y0, x1 - x0, y1 - y0};
    }

    /// Where a block's geometry was given: its rect or rects.
    CaseNode geometry_node(const CaseNode &block)
    {
      return block.at(block.has("rect") ? "rect" : "rects");
    }

    /// Unique block names, blocks inside the footprint, no overlaps.
    void check_layer_blocks(const Layer &layer, const std::vector<CaseNode> &block_nodes, const Units &units)
    {
      std::set<std::string> block_names;
      for (std::size_t i = 0; i < layer.blocks.size(); ++i)
        {
          const Block &b = layer.blocks[i];
          if (!block_names.insert(b.name).second)
            block_nodes[i].at("name").fail("block name '" + b.name + "' is used twice in layer '" + layer.name +
                                           "'; block names must be unique within a layer");
          if (!layer.footprint.encloses(b.rect, geometry_tolerance_m))
            geometry_node(block_nodes[i]).fail("block " + rect_text(b.rect, units) + " lies outside layer '" +
                                               layer.name + "' footprint " + rect_text(layer.footprint, units));
        }
      // Rectilinear blocks: every rectangle against every other block's.
      struct Piece
      {
        std::string name;
        Rect        rect;
        std::size_t block;
      };
      std::vector<Piece> pieces;
      for (std::size_t i = 0; i < layer.blocks.size(); ++i)
        for (const auto &r : layer.blocks[i].rects)
          pieces.push_back({layer.blocks[i].name, r, i});
      check_no_overlap(
        pieces, [](const Piece &p) -> const Rect & { return p.rect; },
        [&](std::size_t i) { return geometry_node(block_nodes[pieces[i].block]); }, "block", units);
    }

    /// One layer of the stack, z_bottom_m at z, resting on the footprint below.
    Layer read_layer(const CaseNode &ln, const ChipModel &model, const PowerModelDefaults &power_models,
                     const std::optional<Rect> &below, double z, std::set<std::string> &layer_names)
    {
      const Units &units = ln.units();
      ln.expect_keys({"name", "material", "thickness", "footprint", "blocks", "regions", "power_map"});
      Layer layer;
      layer.name     = ln.at("name").text();
      if (!layer_names.insert(layer.name).second)
        ln.at("name").fail("layer name '" + layer.name + "' is used twice; layer names must be unique");
      layer.material = ln.at("material").text();
      model.materials.get(layer.material, ln.at("material"));
      layer.thickness_m = ln.at("thickness").positive_length();
      layer.z_bottom_m  = z;
      // Blocks directly in the layer; their footprint default needs them first.
      std::vector<CaseNode> block_nodes;
      if (ln.has("blocks"))
        for (const auto &bn : ln.at("blocks").items())
          {
            layer.blocks.push_back(read_block(bn, 0, 0, layer.name, power_models));
            block_nodes.push_back(bn);
          }
      layer.footprint = layer_footprint(ln, layer, below);
      if (below && !layer.footprint.overlaps(*below, geometry_tolerance_m))
        ln.fail("footprint " + rect_text(layer.footprint, units) + " does not overlap the layer below " +
                rect_text(*below, units) + "; every layer must rest on the one below");
      if (ln.has("power_map")) // the layer's map first, then its regions'
        layer.power_maps.push_back(
          read_power_map(ln.at("power_map"), layer.footprint, "layer '" + layer.name + "'", false));
      if (ln.has("regions"))
        {
          std::vector<CaseNode> region_nodes;
          for (const auto &rn : ln.at("regions").items())
            {
              layer.regions.push_back(read_region(rn, layer, model, power_models, block_nodes));
              region_nodes.push_back(rn);
            }
          check_no_overlap(
            layer.regions, [](const Region &r) -> const Rect & { return r.rect; },
            [&](std::size_t i) { return region_nodes[i]; }, "region", units);
        }
      check_layer_blocks(layer, block_nodes, units);
      return layer;
    }

    Boundaries read_boundaries(const CaseNode &root, const ChipModel &model)
    {
      const CaseNode b = root.optional("boundaries");
      if (b.is_defined())
        b.expect_keys({"top", "bottom", "sides"});
      Boundaries boundaries;
      // Default top: HotSpot's default package, r_convec 0.1 K/W over a 60 mm sink.
      boundaries.top    = read_boundary(b.optional("top"), model.layers.back().footprint.area(), "2777.78");
      boundaries.bottom = read_boundary(b.optional("bottom"), model.layers.front().footprint.area(), "adiabatic");
      const CaseNode sides = b.optional("sides");
      if (sides.is_defined() && sides.is_map() && sides.has("r_convec"))
        sides.at("r_convec").fail("r_convec is for the top or bottom face; give sides a film coefficient h");
      boundaries.sides = read_boundary(sides, 1.0, "adiabatic");
      if (boundaries.top.is_adiabatic() && boundaries.bottom.is_adiabatic() && boundaries.sides.is_adiabatic())
        root.at("boundaries").fail("every boundary is adiabatic: the heat has nowhere to go (give top a film coefficient h)");
      return boundaries;
    }
  } // namespace

  ChipModel read_chip_model(const CaseDocument &document)
  {
    const CaseNode root = document.root();
    if (root.at("version").integer(1, 1000) != 1)
      root.at("version").fail("expected version 1 (the only case-file version this chiptherm reads)");

    ChipModel model;
    model.name = root.text_or("name", std::filesystem::path(document.path()).stem().string());
    if (root.has("ambient"))
      model.ambient_k = root.at("ambient").temperature();
    if (!(model.ambient_k > 0))
      root.at("ambient").fail("expected an ambient temperature above absolute zero");

    if (root.has("materials"))
      model.materials.add_from_case(root.at("materials"), document.directory());
    else
      model.materials = materials::MaterialLibrary::standard();

    const PowerModelDefaults power_models = read_power_models(root.optional("power_models"));
    const auto               layer_nodes  = root.at("stack").items();
    if (layer_nodes.empty())
      root.at("stack").fail("expected at least one layer");
    std::set<std::string> layer_names;
    std::optional<Rect>   below;
    double                z = 0;
    for (const auto &ln : layer_nodes)
      {
        Layer layer = read_layer(ln, model, power_models, below, z, layer_names);
        z += layer.thickness_m;
        below = layer.footprint;
        model.layers.push_back(std::move(layer));
      }
    if (model.total_power_w() <= 0)
      root.at("stack").fail("expected at least one block with power > 0; the case dissipates no heat");
    model.boundaries = read_boundaries(root, model);
    return model;
  }
} // namespace chiptherm::floorplans
