#include "rasterizer.h"

#include "package_model.h"
#include "raster_channels.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace chiptherm::ai_predictor
{
  namespace
  {
    using floorplans::Rect;

    double overlap(const Rect &a, const Rect &b)
    {
      const double w = std::min(a.x_end(), b.x_end()) - std::max(a.x, b.x);
      const double h = std::min(a.y_end(), b.y_end()) - std::max(a.y, b.y);
      return w > 0 && h > 0 ? w * h : 0.0;
    }

    int round_up(int n, int multiple)
    {
      return (n + multiple - 1) / multiple * multiple;
    }

    double vertical_k(const floorplans::ChipModel &model, const floorplans::Layer &layer)
    {
      const auto *m = model.materials.find(layer.material);
      return m ? m->conductivity_w_mk[2] : 1.0;
    }

    /// Conductance per unit die area from the middle of layer `index` to
    /// ambient, up through the layers above to the top film and down to the
    /// bottom film. A layer wider than the die is credited with its area (the
    /// heat spreads into it): its resistance and the film's scale by
    /// die area / footprint area. Crude, but it puts a 60 mm sink's film where
    /// it belongs relative to a 10 mm die; the network learns the rest.
    double vertical_conductance(const floorplans::ChipModel &model, std::size_t index)
    {
      const auto  &layers   = model.layers;
      const double die_area = layers[index].footprint.area();
      auto         spread   = [&](std::size_t l) { return std::min(1.0, die_area / layers[l].footprint.area()); };
      auto path = [&](bool up, double h) {
        if (h <= 0)
          return 0.0;
        double r = 0.5 * layers[index].thickness_m / vertical_k(model, layers[index]);
        const std::size_t end = up ? layers.size() - 1 : 0;
        if (up)
          for (std::size_t l = index + 1; l < layers.size(); ++l)
            r += layers[l].thickness_m / vertical_k(model, layers[l]) * spread(l);
        else
          for (std::size_t l = 0; l < index; ++l)
            r += layers[l].thickness_m / vertical_k(model, layers[l]) * spread(l);
        return 1.0 / (r + spread(end) / h);
      };
      return path(true, model.boundaries.top.h_w_m2k) + path(false, model.boundaries.bottom.h_w_m2k);
    }

    int type_channel(floorplans::BlockType t)
    {
      switch (t)
        {
          case floorplans::BlockType::analog:
            return DieRaster::channel("analog");
          case floorplans::BlockType::clock:
            return DieRaster::channel("clock");
          case floorplans::BlockType::pmic:
            return DieRaster::channel("pmic");
          case floorplans::BlockType::photonic:
            return DieRaster::channel("photonic");
          default:
            return DieRaster::channel("digital");
        }
    }
  } // namespace

  const std::vector<std::string> &DieRaster::channel_names() { return raster_channel_names(); }

  int DieRaster::channel(const std::string &name)
  {
    const auto &n = channel_names();
    return int(std::find(n.begin(), n.end(), name) - n.begin());
  }

  Rect DieRaster::pixel(int row, int col) const
  {
    return Rect{extent.x + col * pixel_m, extent.y + row * pixel_m, pixel_m, pixel_m};
  }

  std::vector<DieRaster> rasterize(const floorplans::ChipModel &model, const RasterSettings &settings)
  {
    std::vector<DieRaster> rasters;
    for (std::size_t l = 0; l < model.layers.size(); ++l)
      {
        const auto &layer = model.layers[l];
        // the dies of this layer: each region with blocks, and the layer itself for the others
        std::map<std::string, std::vector<const floorplans::Block *>> by_die;
        std::vector<std::string>                                      order;
        for (const auto &b : layer.blocks)
          {
            if (!by_die.count(b.die))
              order.push_back(b.die);
            by_die[b.die].push_back(&b);
          }
        for (const auto &die : order)
          {
            DieRaster r;
            r.die      = die;
            r.layer    = layer.name;
            r.layer_index = l;
            r.die_rect = layer.footprint;
            for (const auto &region : layer.regions)
              if (region.name == die && die != layer.name)
                r.die_rect = region.rect;
            const double longer = std::max(r.die_rect.width, r.die_rect.height);
            const int    n      = round_up(std::max(settings.min_pixels, int(std::ceil(longer / settings.max_pixel_m - 1e-9))),
                                  settings.pixel_multiple);
            r.pixel_m = longer / n;
            r.cols    = round_up(int(std::ceil(r.die_rect.width / r.pixel_m - 1e-9)), settings.pixel_multiple);
            r.rows    = round_up(int(std::ceil(r.die_rect.height / r.pixel_m - 1e-9)), settings.pixel_multiple);
            r.extent  = Rect{r.die_rect.x - 0.5 * (r.cols * r.pixel_m - r.die_rect.width),
                            r.die_rect.y - 0.5 * (r.rows * r.pixel_m - r.die_rect.height), r.cols * r.pixel_m,
                            r.rows * r.pixel_m};
            r.data.assign(DieRaster::channel_names().size() * r.rows * r.cols, 0.0f);

            const double pixel_area = r.pixel_m * r.pixel_m;
            const int    die_c = DieRaster::channel("die"), power_c = DieRaster::channel("power");
            // a block touches only the pixels of its bounding box
            auto pixel_range = [&](const Rect &rect, int &c0, int &c1, int &r0, int &r1) {
              c0 = std::max(0, int(std::floor((rect.x - r.extent.x) / r.pixel_m)));
              c1 = std::min(r.cols - 1, int(std::floor((rect.x_end() - r.extent.x) / r.pixel_m)));
              r0 = std::max(0, int(std::floor((rect.y - r.extent.y) / r.pixel_m)));
              r1 = std::min(r.rows - 1, int(std::floor((rect.y_end() - r.extent.y) / r.pixel_m)));
            };
            int c0, c1, r0, r1;
            pixel_range(r.die_rect, c0, c1, r0, r1);
            for (int row = r0; row <= r1; ++row)
              for (int col = c0; col <= c1; ++col)
                r.at(die_c, row, col) = float(overlap(r.pixel(row, col), r.die_rect) / pixel_area);
            for (const auto *b : by_die[die])
              {
                const double density = b->power_w / b->area_m2() / power_density_scale_w_m2;
                const int    type_c  = type_channel(b->type);
                for (const auto &piece : b->rects)
                  {
                    pixel_range(piece, c0, c1, r0, r1);
                    for (int row = r0; row <= r1; ++row)
                      for (int col = c0; col <= c1; ++col)
                        {
                          const double share = overlap(r.pixel(row, col), piece) / pixel_area;
                          r.at(power_c, row, col) += float(density * share);
                          r.at(type_c, row, col) += float(share);
                        }
                  }
              }
            const double k_die = vertical_k(model, layer);
            const float  scalars[] = {
              float(std::log10(std::max(vertical_conductance(model, l), 1e-30) / 1e4)),
              float(model.boundaries.top.h_w_m2k > 0 ? std::log10(model.boundaries.top.h_w_m2k / 1e4) : -4.0),
              float(std::log10(k_die * layer.thickness_m / 0.01)), float(std::log10(r.pixel_m / 1e-4))};
            const int first_scalar = DieRaster::channel("vertical");
            for (int s = 0; s < 4; ++s)
              std::fill_n(r.data.begin() + std::size_t(first_scalar + s) * r.rows * r.cols, r.rows * r.cols,
                          scalars[s]);
            rasters.push_back(std::move(r));
          }
      }
    if (settings.package_model)
      add_package_rise(model, rasters);
    return rasters;
  }
} // namespace chiptherm::ai_predictor
