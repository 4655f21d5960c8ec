#include "sweep_spec.h"

#include "common/input_files.h"
#include "common/case_document.h"
#include "common/errors.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

namespace chiptherm::sweeps
{
  namespace
  {
    /// Candidates of one sweep: each is a whole sign-off run.
    constexpr double max_candidates = 100000;

    std::string flow_text(const YAML::Node &node)
    {
      YAML::Emitter out;
      out.SetSeqFormat(YAML::Flow);
      out.SetMapFormat(YAML::Flow);
      out << node;
      return out.c_str();
    }

    /// A number or a list of numbers.
    std::vector<double> numbers(const CaseNode &n)
    {
      if (n.is_sequence())
        {
          std::vector<double> v;
          for (const auto &item : n.items())
            v.push_back(item.number());
          return v;
        }
      return {n.number()};
    }

    std::string number_text(double x)
    {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", x);
      return buf;
    }
  } // namespace

  SweepSpec SweepSpec::read(const std::string &path)
  {
    const CaseDocument doc  = CaseDocument::load(path);
    const CaseNode     root = doc.root();
    root.expect_keys({"version", "base", "design", "seed", "samples", "variables", "objective", "goal", "constraints"});
    if (root.at("version").integer(1, 1000) != 1)
      root.at("version").fail("expected version 1 (the only sweep-file version this chiptherm reads)");
    SweepSpec spec;
    spec.file = path;
    std::filesystem::path base = root.at("base").text();
    if (base.is_relative())
      base = std::filesystem::path(doc.directory()) / base;
    if (!is_input_file(base))
      root.at("base").fail("expected the base case file (relative to the sweep file), '" + base.string() +
                           "' does not exist");
    spec.base_case = base.string();
    if (root.has("design"))
      spec.design = root.at("design").choice({"grid", "list", "random"});
    if (spec.design == "random")
      {
        spec.seed    = static_cast<unsigned long>(root.at("seed").integer(0, 2147483647));
        spec.samples = static_cast<unsigned int>(root.at("samples").integer(1, int(max_candidates)));
      }
    else
      for (const char *key : {"seed", "samples"})
        if (root.has(key))
          root.at(key).fail(std::string(key) + " is for design: random");
    if (root.has("objective"))
      spec.objective = root.at("objective").text();
    if (root.has("goal"))
      spec.maximize = root.at("goal").choice({"min", "max"}) == "max";
    if (root.has("constraints"))
      {
        const CaseNode c = root.at("constraints");
        c.expect_keys({"min_spacing"});
        if (c.has("min_spacing"))
          spec.min_spacing = c.at("min_spacing").non_negative_number();
      }

    const auto items = root.at("variables").items();
    if (items.empty())
      root.at("variables").fail("expected at least one variable {key, values} (or {key, range} for random)");
    std::size_t list_length = 0;
    for (const auto &v : items)
      {
        v.expect_keys({"key", "values", "range"});
        SweepVariable var;
        var.key = v.at("key").text();
        if (v.has("values"))
          {
            for (const auto &value : v.at("values").items())
              var.values.push_back(value.raw());
            if (var.values.empty())
              v.at("values").fail("expected at least one value");
          }
        if (v.has("range"))
          {
            if (spec.design != "random")
              v.at("range").fail("a range is for design: random; grid and list take values");
            const auto ends = v.at("range").items();
            if (ends.size() != 2)
              v.at("range").fail("expected [lo, hi] (numbers) or [[lo, ...], [hi, ...]] (vectors)");
            var.range_is_vector = ends[0].is_sequence();
            var.range           = {numbers(ends[0]), numbers(ends[1])};
            if (var.range->first.size() != var.range->second.size())
              v.at("range").fail("expected lo and hi of the same length");
            for (std::size_t i = 0; i < var.range->first.size(); ++i)
              if (!(var.range->first[i] <= var.range->second[i]))
                v.at("range").fail("expected lo <= hi in every component");
          }
        if (v.has("values") == v.has("range"))
          v.fail("expected exactly one of values (a list) or range ([lo, hi], design: random)");
        if (spec.design == "list")
          {
            if (list_length != 0 && var.values.size() != list_length)
              v.at("values").fail("design: list takes the i-th value of every variable together: expected " +
                                  std::to_string(list_length) + " values like the first variable, got " +
                                  std::to_string(var.values.size()));
            list_length = var.values.size();
          }
        spec.variables.push_back(std::move(var));
      }
    // A grid is the product of its value lists: bounded before it is expanded (issue 22:
    // twenty variables of seven values would be 8e16 candidates).
    double candidates = spec.design == "grid" ? 1.0 : 0.0;
    for (const auto &var : spec.variables)
      candidates *= spec.design == "grid" ? double(std::max<std::size_t>(var.values.size(), 1)) : 1.0;
    if (candidates > max_candidates)
      root.at("variables").fail("expected a grid of at most " + std::to_string(int(max_candidates)) +
                                " candidates, got " + std::to_string(static_cast<long long>(std::min(candidates, 9e18))) +
                                " (the product of the value lists): use design: random with samples");
    return spec;
  }

  double unit_uniform(std::mt19937_64 &rng) { return double(rng() >> 11) * 0x1.0p-53; }

  std::vector<SweepPoint> expand(const SweepSpec &spec)
  {
    const std::size_t n_vars = spec.variables.size();
    std::vector<std::vector<std::string>> rows; // values per point
    // Each listed value formatted once (a grid repeats it in many candidates).
    std::vector<std::vector<std::string>> texts(n_vars);
    for (std::size_t v = 0; v < n_vars; ++v)
      for (const auto &value : spec.variables[v].values)
        texts[v].push_back(flow_text(value));
    if (spec.design == "grid")
      {
        std::vector<std::size_t> at(n_vars, 0);
        for (;;)
          {
            std::vector<std::string> row;
            for (std::size_t v = 0; v < n_vars; ++v)
              row.push_back(texts[v][at[v]]);
            rows.push_back(row);
            // The last variable varies fastest.
            std::size_t v = n_vars;
            while (v > 0 && ++at[v - 1] == spec.variables[v - 1].values.size())
              at[--v] = 0;
            if (v == 0)
              break;
          }
      }
    else if (spec.design == "list")
      for (std::size_t i = 0; i < spec.variables.front().values.size(); ++i)
        {
          std::vector<std::string> row;
          for (std::size_t v = 0; v < n_vars; ++v)
            row.push_back(texts[v][i]);
          rows.push_back(row);
        }
    else
      {
        // Space-filling: a Latin hypercube over the ranges (each variable's
        // range cut into `samples` strata, one sample in each, strata shuffled
        // per variable and component); values lists are picked from the same way.
        std::mt19937_64 rng(spec.seed);
        const std::size_t n = spec.samples;
        rows.assign(n, std::vector<std::string>(n_vars));
        auto strata = [&]() {
          std::vector<std::size_t> s(n);
          for (std::size_t i = 0; i < n; ++i)
            s[i] = i;
          for (std::size_t i = n; i > 1; --i) // Fisher-Yates with the portable uniform
            std::swap(s[i - 1], s[std::size_t(unit_uniform(rng) * double(i))]);
          return s;
        };
        for (std::size_t v = 0; v < n_vars; ++v)
          {
            const auto &var = spec.variables[v];
            if (var.range)
              {
                const std::size_t dims = var.range->first.size();
                std::vector<std::vector<double>> x(n, std::vector<double>(dims));
                for (std::size_t d = 0; d < dims; ++d)
                  {
                    const auto   s  = strata();
                    const double lo = var.range->first[d], hi = var.range->second[d];
                    for (std::size_t i = 0; i < n; ++i)
                      x[i][d] = lo + (hi - lo) * (double(s[i]) + unit_uniform(rng)) / double(n);
                  }
                for (std::size_t i = 0; i < n; ++i)
                  {
                    std::string text;
                    for (std::size_t d = 0; d < dims; ++d)
                      text += (d ? ", " : "") + number_text(x[i][d]);
                    rows[i][v] = var.range_is_vector ? "[" + text + "]" : text;
                  }
              }
            else
              {
                const auto s = strata();
                for (std::size_t i = 0; i < n; ++i)
                  rows[i][v] = flow_text(var.values[s[i] * var.values.size() / n]);
              }
          }
      }
    std::vector<SweepPoint> points;
    for (std::size_t i = 0; i < rows.size(); ++i)
      {
        SweepPoint p;
        p.index = i;
        char name[32];
        std::snprintf(name, sizeof name, "case_%04zu", i);
        p.name   = name;
        p.values = rows[i];
        for (std::size_t v = 0; v < n_vars; ++v)
          p.assignments.push_back(spec.variables[v].key + "=" + rows[i][v]);
        points.push_back(p);
      }
    return points;
  }
} // namespace chiptherm::sweeps
