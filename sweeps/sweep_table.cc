#include "sweep_table.h"

#include "common/output_file.h"
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

namespace chiptherm::sweeps
{
  namespace
  {
    void write_whole(const std::string &path, const std::string &text)
    {
      const std::string partial = path + ".partial";
      write_text_file(partial, text);
      std::filesystem::rename(partial, path);
    }

    std::string csv_field(const std::string &s)
    {
      if (s.find_first_of(",\"\n") == std::string::npos)
        return s;
      std::string q = "\"";
      for (const char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c == '\n' ? ' ' : c);
      return q + "\"";
    }
  } // namespace

  std::vector<SweepRow> collect_rows(const std::vector<ScreenedPoint> &screened, const std::string &out_dir)
  {
    std::vector<SweepRow> rows;
    for (const auto &s : screened)
      {
        SweepRow row;
        row.name   = s.point.name;
        row.values = s.point.values;
        if (!s.admitted)
          {
            row.status = "rejected", row.reason = s.reason;
            rows.push_back(row);
            continue;
          }
        const std::string marker = out_dir + "/cases/" + s.point.name + ".json";
        std::ifstream     in(marker);
        if (!in)
          {
            row.status = "failed", row.reason = "not run (the sweep was stopped before this case)";
            rows.push_back(row);
            continue;
          }
        const auto done = nlohmann::json::parse(in);
        row.numbers["wall_s"] = done.at("wall_s").get<double>();
        if (done.at("status") != "solved")
          {
            row.status = "failed", row.reason = done.value("message", std::string());
            rows.push_back(row);
            continue;
          }
        const auto report = nlohmann::json::parse(std::ifstream(out_dir + "/cases/" + s.point.name + "/report.json"));
        row.status        = "solved";
        row.pass          = report.at("status") == "pass";
        double hottest    = -1e300;
        for (const auto &b : report.at("blocks"))
          {
            const double t = b.at("t_max_c").get<double>();
            hottest        = std::max(hottest, t);
            for (const std::string &key : {"t_max_c:" + b.at("die").get<std::string>(),
                                          "t_max_c:" + b.at("type").get<std::string>()})
              row.numbers[key] = row.numbers.count(key) ? std::max(row.numbers[key], t) : t;
          }
        row.numbers["t_max_c"] = hottest;
        if (report.contains("codesign"))
          {
            double throughput = 1;
            for (const auto &d : report["codesign"].at("dvfs_blocks"))
              throughput = std::min(throughput, d.at("throughput").get<double>());
            row.numbers["throughput"] = throughput;
          }
        rows.push_back(row);
      }
    return rows;
  }

  long best_row(const std::vector<SweepRow> &rows, const std::string &objective, bool maximize)
  {
    long best = -1;
    for (std::size_t i = 0; i < rows.size(); ++i)
      {
        const auto it = rows[i].numbers.find(objective);
        if (rows[i].status != "solved" || it == rows[i].numbers.end())
          continue;
        // Better by more than solver noise (1e-6 relative): ties go to the
        // first row, so mirror-image placements name the same best on any run.
        const double b      = best < 0 ? 0 : rows[std::size_t(best)].numbers.at(objective);
        const double margin = 1e-6 * std::max(1.0, std::abs(b));
        if (best < 0 || (maximize ? it->second > b + margin : it->second < b - margin))
          best = long(i);
      }
    return best;
  }

  void write_table(const SweepSpec &spec, const std::vector<SweepRow> &rows, long best,
                   const nlohmann::json &screening, const std::string &out_dir)
  {
    // Numeric columns: t_max_c first, then the others in name order.
    std::set<std::string> names;
    for (const auto &r : rows)
      for (const auto &[k, v] : r.numbers)
        names.insert(k);
    std::vector<std::string> columns = {"t_max_c"};
    for (const auto &n : names)
      if (n != "t_max_c")
        columns.push_back(n);

    std::string csv = "case";
    for (const auto &v : spec.variables)
      csv += "," + csv_field(v.key);
    csv += ",status,pass";
    for (const auto &c : columns)
      csv += "," + c;
    csv += ",reason\n";
    nlohmann::json cases = nlohmann::json::array();
    char           buf[64];
    for (const auto &r : rows)
      {
        csv += r.name;
        nlohmann::json variables = nlohmann::json::object();
        for (std::size_t v = 0; v < r.values.size(); ++v)
          {
            csv += "," + csv_field(r.values[v]);
            variables[spec.variables[v].key] = r.values[v];
          }
        csv += "," + r.status + "," + (r.pass ? (*r.pass ? "true" : "false") : "");
        nlohmann::json numbers = nlohmann::json::object();
        for (const auto &c : columns)
          {
            const auto it = r.numbers.find(c);
            if (it == r.numbers.end())
              csv += ",";
            else
              {
                std::snprintf(buf, sizeof buf, ",%.6f", it->second);
                csv += buf;
                numbers[c] = it->second;
              }
          }
        csv += "," + csv_field(r.reason) + "\n";
        cases.push_back({{"case", r.name},
                         {"variables", variables},
                         {"status", r.status},
                         {"pass", r.pass ? nlohmann::json(*r.pass) : nlohmann::json(nullptr)},
                         {"results", numbers},
                         {"reason", r.reason}});
      }
    std::size_t solved = 0, rejected = 0, failed = 0, screened = 0;
    for (const auto &r : rows)
      (r.status == "solved" ? solved : r.status == "rejected" ? rejected : r.status == "screened" ? screened : failed)++;
    nlohmann::json summary = {{"sweep", spec.file},
                              {"base", spec.base_case},
                              {"design", spec.design},
                              {"objective", spec.objective},
                              {"goal", spec.maximize ? "max" : "min"},
                              {"cases", rows.size()},
                              {"solved", solved},
                              {"rejected", rejected},
                              {"failed", failed},
                              {"screened_out", screened},
                              {"screening", screening},
                              {"best", best < 0 ? nlohmann::json(nullptr) : nlohmann::json(rows[std::size_t(best)].name)},
                              {"rows", cases}};
    write_whole(out_dir + "/sweep.csv", csv);
    write_whole(out_dir + "/sweep.json", summary.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
} // namespace chiptherm::sweeps
