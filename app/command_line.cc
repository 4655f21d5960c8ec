#include "command_line.h"

#include <iostream>

namespace chiptherm::app
{
  namespace
  {
    void add_case_options(CLI::App *command, commands::CaseOptions &options)
    {
      command->add_option("case", options.case_file, "case file (YAML, see docs/case-file.md)")->required();
      command->add_option("-o,--out", options.out_dir, "output folder (default ./chiptherm-out/<case name>)");
      command->add_option("--set", options.overrides, "override a case key: KEY=VALUE (dot path; list entries by name)")
        ->take_all();
    }

    void add_case_commands(CLI::App &app, CommandLine &c)
    {
      const std::string hotspot_help = "the arguments that follow are a HotSpot command line: -c C.config -f F.flp "
                                       "-p P.ptrace [-steady_file S] [-o T.ttrace] [-key value ...], plus --out DIR";
      auto *solve = app.add_subcommand("solve", "steady-state temperature of a case (a .yaml case, a 3D-ICE .stk, or "
                                                "--hotspot ...)");
      auto *signoff   = app.add_subcommand("signoff", "steady solve + temperature limits per block: exit 0 pass, 1 fail");
      auto *transient = app.add_subcommand("transient", "temperature over time under power traces and schedules "
                                                        "(the case's transient: section)");
      for (auto *command : {solve, signoff, transient})
        {
          add_case_options(command, c.case_options);
          command->add_flag("--hotspot", hotspot_help);
        }
      transient->add_flag("--resume", c.resume,
                          "continue a run that was killed from its latest checkpoint (kept in OUT.partial/checkpoint)");
      auto *mesh = app.add_subcommand("mesh", "the case's final mesh (policy + adaptive cycles) as a Gmsh .msh file");
      mesh->add_option("case", c.case_options.case_file, "case file (YAML, see docs/case-file.md)")->required();
      mesh->add_option("-o,--out", c.case_options.out_dir, "the .msh file to write")->required();
      mesh->add_option("--set", c.case_options.overrides, "override a case key: KEY=VALUE (dot path; list entries by name)")
        ->take_all();
    }

    void add_import_command(CLI::App &app, CommandLine &c)
    {
      auto *import = app.add_subcommand("import", "convert HotSpot or 3D-ICE inputs into a case file");
      import->require_subcommand(1);
      auto &in      = c.import.hotspot;
      auto *hotspot = import->add_subcommand("hotspot", "HotSpot .flp (+ .ptrace, .config, .lcf, .materials)");
      hotspot->add_option("--flp,-f", in.flp, "floorplan (.flp)");
      hotspot->add_option("--ptrace,-p", in.ptrace,
                          "power trace (.ptrace): its mean for steady runs, the trace itself for transient runs");
      hotspot->add_option("--config,-c", in.config, "configuration (.config: -key value lines)");
      hotspot->add_option("--lcf", in.lcf, "layer configuration file (HotSpot's -grid_layer_file)");
      hotspot->add_option("--materials", in.materials, "materials file (HotSpot's -materials_file)");
      hotspot->add_option_function<double>(
        "--flp-tolerance", [&in](double um) { in.flp_tolerance_m = um * 1e-6; },
        "floorplan gaps and overlaps up to this many um are absorbed with a warning (default 1)")
        ->check(CLI::NonNegativeNumber);
      hotspot->add_option("-o,--out", c.import.out_path, "the case file to write (.yaml)")->required();
      hotspot->callback([&c] { c.import.tool = "hotspot"; });
      auto *threedice = import->add_subcommand("3dice", "3D-ICE stack description (.stk) and its floorplans");
      threedice->add_option("stack", c.import.stack_file, "stack description (.stk)")->required();
      threedice->add_option("-o,--out", c.import.out_path, "the case file to write (.yaml)")->required();
      threedice->callback([&c] { c.import.tool = "3dice"; });
    }

    void add_predictor_commands(CLI::App &app, CommandLine &c)
    {
      auto *train = app.add_subcommand("train", "the learned hotspot predictor: make training data (--generate N -o "
                                                "DATA) or train a model on it (--data DATA -o MODEL.pt) or measure one "
                                                "(--evaluate MODEL.pt --data DATA -o METRICS.json)");
      auto &g        = c.train.generate;
      auto &fit      = c.train.fit;
      auto *generate = train->add_option("--generate", g.count, "random chips to solve and store in OUT (one file "
                                                                "each; finished ones are skipped, so a killed run resumes)");
      train->add_option("--first", g.first, "--generate: index of the first chip (default 0)");
      train->add_option("--family", g.family, "--generate: training (default) or hard (more blocks, higher "
                                              "power, unusual packages)");
      train->add_option("--tolerance", g.tolerance_k, "--generate: adaptivity tolerance of each solve, K (default 0.1)");
      train->add_option("--max-cells", g.max_cells, "--generate: cell budget of each solve (default 400000)");
      auto *data = train->add_option("--data", fit.data_dir, "samples to train on (a --generate folder)");
      train->add_option("--hard", fit.hard_dir, "--data: a second sample folder to report metrics on, never trained on");
      train->add_option("--epochs", fit.epochs, "--data: training epochs (default 60)");
      // 1-256: what a model file's record may hold (ai_predictor/model_record.h: max_net_width).
      train->add_option("--width", fit.width, "--data: channels of the network's first level (default 12)")
        ->check(CLI::Range(1, 256));
      train->add_option("--threads", fit.threads, "--data: LibTorch threads (default 1)");
      train->add_option("--seed", g.seed, "the generator's seed, or the split's and initial weights' (default 1)");
      auto *evaluate = train->add_option("--evaluate", c.train.evaluate_model,
                                         "a model to measure on --data (and --hard) instead of training one");
      train->add_option("-o,--out", c.train.out,
                        "--generate: the folder of samples; --data: the model file; --evaluate: the metrics (.json)")
        ->required();
      generate->excludes(data);
      generate->excludes(evaluate);

      auto *predict = app.add_subcommand("predict", "the learned predictor's temperature map and refinement map of a "
                                                    "case, without a solve");
      add_case_options(predict, c.case_options);
      predict->add_option("--model", c.predict.model,
                          "a model written by chiptherm train (default: the shipped models/predictor.pt; 'physics': "
                          "the physics baseline alone)");
      predict->add_option("--threads", c.predict.threads, "LibTorch threads (default 1)");
    }

    void add_sweep_command(CLI::App &app, CommandLine &c)
    {
      auto &o     = c.sweep;
      auto *sweep = app.add_subcommand("sweep", "solve every placement (or any case variation) of a sweep file and "
                                                "tabulate them: OUT/sweep.csv, sweep.json");
      sweep->add_option("sweep", o.sweep_file, "sweep file (YAML, see docs/sweeps.md)")->required();
      sweep->add_option("-o,--out", o.out_dir, "output folder (default ./chiptherm-out/<sweep name>)");
      sweep->add_option("--jobs", o.jobs, "cases solved at once on this machine (default 1)")->check(CLI::PositiveNumber);
      sweep->add_option("--ranks-per-case", o.ranks_per_case, "under mpirun: ranks that solve one case together "
                                                              "(default 1)")
        ->check(CLI::PositiveNumber);
      sweep->add_flag("--resume", o.resume, "continue a sweep in OUT: finished cases are kept");
      sweep->add_option("--screen", o.screen,
                        "solve only the K candidates the package model predicts coolest, and a random sample of the rest");
      sweep->add_option("--screen-with", o.screen_with,
                        "rank by: package (the predictor's package model, default) or first-mesh (a solve on each "
                        "candidate's first mesh, no adaptive cycles)")
        ->check(CLI::IsMember({"package", "first-mesh"}));
      sweep->add_flag("--predict", o.predict,
                      "predict every candidate too (a column; sweep.json says how often --screen K would miss the best)");
      sweep->add_option("--set", o.overrides, "override a key of the base case for every candidate: KEY=VALUE")->take_all();
    }

    /// solve|signoff|transient --hotspot ARGS.
    bool is_hotspot_command(int argc, char **argv)
    {
      if (argc < 3 || std::string(argv[2]) != "--hotspot")
        return false;
      const std::string name = argv[1];
      return name == "solve" || name == "signoff" || name == "transient";
    }
  } // namespace

  CommandLine parse_command_line(CLI::App &app, int argc, char **argv, bool is_root)
  {
    CommandLine c;
    app.set_version_flag("--version", std::string("chiptherm ") + CHIPTHERM_VERSION);
    app.require_subcommand(1);
    add_case_commands(app, c);
    add_import_command(app, c);
    add_predictor_commands(app, c);
    add_sweep_command(app, c);
    if (!is_hotspot_command(argc, argv))
      {
        app.parse(argc, argv);
        c.name = app.get_subcommands().front()->get_name();
        for (int i = 0; i < argc; ++i)
          c.train.fit.command_line += (i ? " " : "") + std::string(i ? argv[i] : "chiptherm");
        c.predict.out_dir = c.case_options.out_dir;
        return c;
      }
    c.name    = argv[1];
    c.hotspot = commands::split_hotspot_arguments(std::vector<std::string>(argv + 3, argv + argc), c.case_options,
                                                  c.resume);
    // HotSpot computes both in one run; chiptherm has a command for each.
    if (is_root && c.name != "transient" && !c.hotspot->ttrace_file.empty())
      std::cout << "chiptherm: -o " << c.hotspot->ttrace_file << " is HotSpot's transient trace: `chiptherm "
                << "transient --hotspot ...` writes it; this steady run does not" << std::endl;
    if (is_root && c.name == "transient" && !c.hotspot->steady_file.empty())
      std::cout << "chiptherm: -steady_file " << c.hotspot->steady_file << " is HotSpot's steady output: "
                << "`chiptherm solve --hotspot ...` writes it; this transient run does not" << std::endl;
    return c;
  }
} // namespace chiptherm::app
