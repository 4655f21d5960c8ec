#include "foreign_outputs.h"

#include "common/output_file.h"
#include <deal.II/base/mpi.h>

#include <cstdio>
#include <fstream>

namespace chiptherm::solver
{
  void write_foreign_outputs(const std::string &directory, const ForeignOutputSettings &settings,
                             const floorplans::ChipModel &model, const std::vector<BlockReportRow> &rows, bool steady,
                             MPI_Comm comm)
  {
    if (dealii::Utilities::MPI::this_mpi_process(comm) != 0)
      return;
    const auto labels = model.block_labels();
    char       line[512];
    if (settings.hotspot_steady && steady)
      {
        std::ofstream out(directory + "/temperatures.steady");
        for (std::size_t b = 0; b < rows.size(); ++b)
          {
            std::snprintf(line, sizeof line, "%s\t%.2f\n", labels[b].c_str(), rows[b].result.t_avg_k);
            out << line;
          }
        check_written(out, directory + "/temperatures.steady");
      }
    if (settings.threedice_table)
      {
        std::ofstream out(directory + "/elements.tflpel");
        out << "% chiptherm: temperature of each floorplan element (K), like 3D-ICE's Tflpel output\n"
            << "% die\telement\tmaximum\tminimum\taverage\n";
        for (const auto &row : rows)
          {
            std::snprintf(line, sizeof line, "%s\t%s\t%.3f\t%.3f\t%.3f\n", row.block->die.c_str(),
                          row.block->name.c_str(), row.result.t_max_k, row.result.t_min_k, row.result.t_avg_k);
            out << line;
          }
        check_written(out, directory + "/elements.tflpel");
      }
  }
} // namespace chiptherm::solver
