#include "threedice_import.h"

#include "floorplans/case_text.h"
#include "threedice_stack.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace chiptherm::foreign
{
  using namespace floorplans; // case_text: number_text, um_text, name_text, guess_block_type

  namespace
  {
    std::string line_of(const std::string &file, int line)
    {
      return file + ":" + std::to_string(line);
    }
  } // namespace

  ImportedCase import_threedice(const std::string &stack_file)
  {
    const ThreediceStack s = read_threedice_stack(stack_file);
    if (s.top_sink && s.bottom_sink && std::abs(s.top_sink->temperature_k - s.bottom_sink->temperature_k) > 1e-9)
      throw InputError(SourceLocation{stack_file, s.bottom_sink->line, ""},
                       "the top and bottom heat sinks have different temperatures: chiptherm has one ambient "
                       "temperature");
    const double ambient = (s.top_sink ? *s.top_sink : *s.bottom_sink).temperature_k;
    const std::string name = std::filesystem::path(stack_file).stem().string();

    std::ostringstream y;
    y << "# chiptherm case imported from a 3D-ICE stack description by `chiptherm import 3dice`.\n"
      << "#   stack: " << stack_file << "\n"
      << "# Layers bottom to top (3D-ICE lists the stack top first). A die's layers are named DIE_1, DIE_2, ...\n"
      << "# in the order of its definition (top first); its source layer is named after the die and holds its\n"
      << "# floorplan's elements as blocks. Block types are guessed from the element names: check them.\n"
      << "version: 1\n"
      << "name: " << name_text(name) << "\n"
      << "units: {length: um, temperature: K}\n"
      << "ambient: " << number_text(ambient) << "   # the heat sink's temperature\n"
      << "materials:\n";
    for (const auto &[material, m] : s.materials)
      y << "  - {name: " << name_text(material) << ", conductivity: " << number_text(m.conductivity_w_mk)
        << ", heat_capacity: " << number_text(m.heat_capacity_j_m3k)
        << ", source: " << name_text(line_of(stack_file, m.line)) << "}\n";

    std::size_t slots = 0;
    y << "stack:\n";
    bool first = true;
    for (auto e = s.entries.rbegin(); e != s.entries.rend(); ++e)
      {
        const auto &layers = e->layers; // top to bottom
        for (std::size_t k = layers.size(); k-- > 0;)
          {
            const ThreediceLayer &l = layers[k];
            const std::string layer_name =
              !e->is_die || l.source ? e->name : e->name + "_" + std::to_string(k + 1);
            y << "  - name: " << name_text(layer_name) << "   # "
              << (e->is_die ? "die " + e->name + " (" + e->type + ")" + (l.source ? ", source layer" : "")
                            : "layer " + e->name + " (" + e->type + ")")
              << ", " << line_of(stack_file, l.line) << "\n"
              << "    material: " << name_text(l.material) << "\n"
              << "    thickness: " << um_text(l.height_m) << "\n";
            if (first)
              y << "    footprint: [0, 0, " << um_text(s.chip_length_m) << ", " << um_text(s.chip_width_m) << "]\n";
            first = false;
            if (!(e->is_die && l.source))
              continue;
            y << "    blocks:   # " << e->floorplan->file << "\n";
            for (const auto &el : e->floorplan->elements)
              {
                slots = el.powers_w.size();
                // One block per element; several rectangles make a rectilinear block.
                auto rect_text = [](const ThreediceRect &r) {
                  return "[" + um_text(r.x_m) + ", " + um_text(r.y_m) + ", " + um_text(r.length_m) + ", " +
                         um_text(r.width_m) + "]";
                };
                y << "      - {name: " << name_text(el.name) << ", type: " << guess_block_type(el.name);
                if (el.rects.size() == 1)
                  y << ", rect: " << rect_text(el.rects.front());
                else
                  {
                    y << ",\n         rects: [";
                    for (std::size_t r = 0; r < el.rects.size(); ++r)
                      y << (r ? ", " : "") << rect_text(el.rects[r]);
                    y << "]";
                  }
                y << ", power: " << number_text(el.powers_w.front());
                const bool varies = std::any_of(el.powers_w.begin(), el.powers_w.end(),
                                                [&](double p) { return p != el.powers_w.front(); });
                if (s.transient && varies)
                  {
                    y << ",\n         schedule: {interpolation: step, points: [";
                    for (std::size_t p = 0; p < el.powers_w.size(); ++p)
                      y << (p ? ", " : "") << "[" << number_text(p * s.slot_s) << ", " << number_text(el.powers_w[p])
                        << "]";
                    y << "]}";
                  }
                y << "}   # line " << el.line << "\n";
              }
          }
      }
    auto sink = [&](const std::optional<ThreediceHeatSink> &h) {
      return h ? "{h: " + number_text(h->h_w_m2k) + "}   # " + line_of(stack_file, h->line) : std::string("adiabatic");
    };
    y << "boundaries:\n"
      << "  top: " << sink(s.top_sink) << "\n"
      << "  bottom: " << sink(s.bottom_sink) << "\n"
      << "  sides: adiabatic\n"
      << "# mesh: chiptherm's own sizes, not 3D-ICE's " << um_text(s.cell_length_m) << " x " << um_text(s.cell_width_m)
      << " um cells: its elements are\n"
         "# of higher degree and it refines where the error bounds ask (3D-ICE's cells on its own solid tests made\n"
         "# 8x the time for a bound of 0.0004 K against 0.02 K; give mesh.die_cell_size to choose).\n";
    if (s.transient)
      y << "transient:   # " << line_of(stack_file, s.solver_line) << "\n"
        << "  end_time: " << number_text(std::max<std::size_t>(slots, 1) * s.slot_s) << "   # "
        << std::max<std::size_t>(slots, 1) << " slots of " << number_text(s.slot_s) << " s\n"
        << "  output_interval: " << number_text(s.slot_s) << "\n"
        << "  # 3D-ICE's fixed step (" << number_text(s.step_s)
        << " s) is not carried over: the steps follow the local error control\n"
           "  # (step_tolerance), up to one slot; give max_step to cap them\n"
        << "  initial: {temperature: " << number_text(s.initial_temperature_k) << "}\n";
    y << "outputs: {3dice_table: true}   # also elements.tflpel: per element max/min/average in K\n";
    return ImportedCase{name, y.str(), {}};
  }
} // namespace chiptherm::foreign
