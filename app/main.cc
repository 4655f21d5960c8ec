// The chiptherm executable: parse the command line, call the library, map
// errors to the exit codes of contract.md. No physics here.
#include "../ai_predictor/net_plugin.h"
#include "../common/case_document.h"
#include "../common/errors.h"
#include "../floorplans/case_reader.h"
#include "../foreign/hotspot_import.h"
#include "../foreign/threedice_import.h"
#include "../solver/mesh_command.h"
#include "../solver/steady_analysis.h"
#include "../solver/training_data.h"
#include "../solver/transient_analysis.h"
#include "../sweeps/sweep_runner.h"

#include <deal.II/base/mpi.h>

#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

namespace
{
  enum ExitCode
  {
    exit_success      = 0,
    exit_limit_failed = 1,
    exit_bad_input    = 2,
    exit_numerical    = 3
  };

  struct CaseOptions
  {
    std::string              case_file;
    std::string              out_dir;
    std::vector<std::string> overrides;
  };

  void add_case_options(CLI::App *command, CaseOptions &options, bool allow_set)
  {
    command->add_option("case", options.case_file, "case file (YAML, see docs/case-file.md)")->required();
    command->add_option("-o,--out", options.out_dir, "output folder (default ./chiptherm-out/<case name>)");
    if (allow_set)
      command->add_option("--set", options.overrides, "override a case key: KEY=VALUE (dot path; list entries by name)")
        ->take_all();
  }

  /// A HotSpot command line given to solve|signoff|transient --hotspot: its
  /// inputs, and where it asks for HotSpot-layout results.
  struct HotspotCommand
  {
    chiptherm::foreign::HotspotInputs inputs;
    std::string                       steady_file, ttrace_file; ///< -steady_file, -o
  };

  /// The case a command runs: a case file, a 3D-ICE stack (.stk, imported in
  /// memory), or the case of a HotSpot command line.
  chiptherm::CaseDocument load_case(const CaseOptions &options, const std::optional<HotspotCommand> &hotspot = {})
  {
    namespace foreign = chiptherm::foreign;
    auto document = hotspot ? chiptherm::CaseDocument::parse(foreign::import_hotspot(hotspot->inputs, "").yaml,
                                                             "the case imported from " + hotspot->inputs.flp)
                    : std::filesystem::path(options.case_file).extension() == ".stk"
                      ? chiptherm::CaseDocument::parse(foreign::import_threedice(options.case_file).yaml,
                                                       "the case imported from " + options.case_file)
                      : chiptherm::CaseDocument::load(options.case_file);
    for (const auto &assignment : options.overrides)
      document.apply_override(assignment);
    return document;
  }

  /// Writes an imported case to path whole or not at all, after checking that
  /// it reads back as a valid case.
  void write_imported_case(const chiptherm::foreign::ImportedCase &imported, const std::string &path)
  {
    chiptherm::floorplans::read_chip_model(chiptherm::CaseDocument::parse(imported.yaml, path));
    const std::string partial = path + ".partial";
    {
      std::ofstream out(partial);
      out << imported.yaml;
      if (!out)
        throw chiptherm::InputError(chiptherm::SourceLocation{path, -1, ""}, "cannot write the case file here");
    }
    std::filesystem::rename(partial, path);
    std::cout << "chiptherm import: wrote " << path << " (case '" << imported.name << "')" << std::endl;
  }

  /// ARGS of `chiptherm solve|signoff|transient --hotspot ARGS`: HotSpot's own
  /// (-c, -f, -p, -steady_file, -o, any -key value) plus chiptherm's --out DIR,
  /// --set KEY=VALUE and --resume.
  HotspotCommand split_hotspot_arguments(const std::vector<std::string> &args, CaseOptions &options, bool &resume)
  {
    std::vector<std::string> hotspot;
    for (std::size_t i = 0; i < args.size(); ++i)
      {
        if ((args[i] == "--out" || args[i] == "--set") && i + 1 < args.size())
          {
            if (args[i] == "--out")
              options.out_dir = args[i + 1];
            else
              options.overrides.push_back(args[i + 1]);
            ++i;
          }
        else if (args[i] == "--resume")
          resume = true;
        else
          hotspot.push_back(args[i]);
      }
    HotspotCommand command;
    command.inputs = chiptherm::foreign::hotspot_inputs_from_arguments(hotspot, "the HotSpot command line");
    auto &opts     = command.inputs.options;
    for (auto it = opts.begin(); it != opts.end();)
      if (it->key == "steady_file" || it->key == "o")
        {
          (it->key == "o" ? command.ttrace_file : command.steady_file) = it->value;
          it = opts.erase(it);
        }
      else
        ++it;
    if (command.inputs.flp.empty())
      throw chiptherm::InputError("--hotspot: expected a floorplan (-f F.flp), as HotSpot does");
    return command;
  }

  /// Copies OUT/name to to (a HotSpot -steady_file or -o), when asked.
  void copy_foreign_result(const std::string &out_dir, const std::string &name, const std::string &to)
  {
    if (to.empty())
      return;
    std::filesystem::copy_file(out_dir + "/" + name, to, std::filesystem::copy_options::overwrite_existing);
    std::cout << "chiptherm: wrote " << to << " (HotSpot layout)" << std::endl;
  }
} // namespace

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool is_root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;

  CLI::App app{"chiptherm: thermal sign-off for chips (steady and transient FEM on deal.II/p4est/PETSc)", "chiptherm"};
  app.set_version_flag("--version", std::string("chiptherm ") + CHIPTHERM_VERSION);
  app.require_subcommand(1);

  const std::string hotspot_help = "the arguments that follow are a HotSpot command line: -c C.config -f F.flp "
                                   "-p P.ptrace [-steady_file S] [-o T.ttrace] [-key value ...], plus --out DIR";
  CaseOptions solve_options, signoff_options;
  auto *solve = app.add_subcommand("solve", "steady-state temperature of a case (a .yaml case, a 3D-ICE .stk, or "
                                            "--hotspot ...)");
  add_case_options(solve, solve_options, true);
  auto *signoff = app.add_subcommand("signoff", "steady solve + temperature limits per block: exit 0 pass, 1 fail");
  add_case_options(signoff, signoff_options, true);

  CaseOptions transient_options;
  auto *transient = app.add_subcommand("transient", "temperature over time under power traces and schedules "
                                                    "(the case's transient: section)");
  add_case_options(transient, transient_options, true);
  bool resume = false;
  transient->add_flag("--resume", resume,
                      "continue a run that was killed from its latest checkpoint (kept in OUT.partial/checkpoint)");
  for (auto *command : {solve, signoff, transient})
    command->add_flag("--hotspot", hotspot_help);

  CaseOptions mesh_options;
  auto *mesh = app.add_subcommand("mesh", "the case's final mesh (policy + adaptive cycles) as a Gmsh .msh file");
  mesh->add_option("case", mesh_options.case_file, "case file (YAML, see docs/case-file.md)")->required();
  mesh->add_option("-o,--out", mesh_options.out_dir, "the .msh file to write")->required();
  mesh->add_option("--set", mesh_options.overrides, "override a case key: KEY=VALUE (dot path; list entries by name)")
    ->take_all();

  auto *import = app.add_subcommand("import", "convert HotSpot or 3D-ICE inputs into a case file");
  import->require_subcommand(1);
  chiptherm::foreign::HotspotInputs hotspot_inputs;
  std::string                       import_out, stack_file;
  auto *import_hotspot = import->add_subcommand("hotspot", "HotSpot .flp (+ .ptrace, .config, .lcf, .materials)");
  import_hotspot->add_option("--flp,-f", hotspot_inputs.flp, "floorplan (.flp)");
  import_hotspot->add_option("--ptrace,-p", hotspot_inputs.ptrace,
                             "power trace (.ptrace): its mean for steady runs, the trace itself for transient runs");
  import_hotspot->add_option("--config,-c", hotspot_inputs.config, "configuration (.config: -key value lines)");
  import_hotspot->add_option("--lcf", hotspot_inputs.lcf, "layer configuration file (HotSpot's -grid_layer_file)");
  import_hotspot->add_option("--materials", hotspot_inputs.materials, "materials file (HotSpot's -materials_file)");
  import_hotspot->add_option("-o,--out", import_out, "the case file to write (.yaml)")->required();
  auto *import_3dice = import->add_subcommand("3dice", "3D-ICE stack description (.stk) and its floorplans");
  import_3dice->add_option("stack", stack_file, "stack description (.stk)")->required();
  import_3dice->add_option("-o,--out", import_out, "the case file to write (.yaml)")->required();

  auto *train = app.add_subcommand("train", "the learned hotspot predictor: make training data (--generate N -o DATA) "
                                            "or train a model on it (--data DATA -o MODEL.pt) or measure one "
                                            "(--evaluate MODEL.pt --data DATA -o METRICS.json)");
  chiptherm::solver::GenerateOptions    generate;
  chiptherm::ai_predictor::TrainOptions fit;
  std::string                           train_out, evaluate_model;
  auto *generate_option = train->add_option("--generate", generate.count,
                                            "random chips to solve and store in OUT (one file each; finished ones are "
                                            "skipped, so a killed run resumes)");
  train->add_option("--first", generate.first, "--generate: index of the first chip (default 0)");
  train->add_option("--family", generate.family, "--generate: training (default) or hard (more blocks, higher "
                                                 "power, unusual packages)");
  train->add_option("--tolerance", generate.tolerance_k, "--generate: adaptivity tolerance of each solve, K (default 0.1)");
  train->add_option("--max-cells", generate.max_cells, "--generate: cell budget of each solve (default 400000)");
  auto *data_option = train->add_option("--data", fit.data_dir, "samples to train on (a --generate folder)");
  train->add_option("--hard", fit.hard_dir, "--data: a second sample folder to report metrics on, never trained on");
  train->add_option("--epochs", fit.epochs, "--data: training epochs (default 60)");
  train->add_option("--width", fit.width, "--data: channels of the network's first level (default 12)");
  train->add_option("--threads", fit.threads, "--data: LibTorch threads (default 1)");
  train->add_option("--seed", generate.seed, "the generator's seed, or the split's and initial weights' (default 1)");
  auto *evaluate_option = train->add_option("--evaluate", evaluate_model,
                                            "a model to measure on --data (and --hard) instead of training one");
  train->add_option("-o,--out", train_out,
                    "--generate: the folder of samples; --data: the model file; --evaluate: the metrics (.json)")
    ->required();
  generate_option->excludes(data_option);
  generate_option->excludes(evaluate_option);

  CaseOptions                             predict_options;
  chiptherm::ai_predictor::PredictOptions predict_settings;
  auto *predict = app.add_subcommand("predict", "the learned predictor's temperature map and refinement map of a "
                                                "case, without a solve");
  add_case_options(predict, predict_options, true);
  predict->add_option("--model", predict_settings.model, "a model written by chiptherm train (default: none, the "
                                                          "physics baseline stands in)");
  predict->add_option("--threads", predict_settings.threads, "LibTorch threads (default 1)");

  chiptherm::sweeps::SweepOptions sweep_options;
  auto *sweep = app.add_subcommand("sweep", "solve every placement (or any case variation) of a sweep file and "
                                            "tabulate them: OUT/sweep.csv, sweep.json");
  sweep->add_option("sweep", sweep_options.sweep_file, "sweep file (YAML, see docs/sweeps.md)")->required();
  sweep->add_option("-o,--out", sweep_options.out_dir, "output folder (default ./chiptherm-out/<sweep name>)");
  sweep->add_option("--jobs", sweep_options.jobs, "cases solved at once on this machine (default 1)")
    ->check(CLI::PositiveNumber);
  sweep->add_option("--ranks-per-case", sweep_options.ranks_per_case,
                    "under mpirun: ranks that solve one case together (default 1)")
    ->check(CLI::PositiveNumber);
  sweep->add_flag("--resume", sweep_options.resume, "continue a sweep in OUT: finished cases are kept");
  sweep->add_option("--screen", sweep_options.screen,
                    "solve only the K candidates the package model predicts coolest, and a random sample of the rest");
  sweep->add_option("--screen-with", sweep_options.screen_with,
                    "rank by: package (the predictor's package model, default) or first-mesh (a solve on each "
                    "candidate's first mesh, no adaptive cycles)")
    ->check(CLI::IsMember({"package", "first-mesh"}));
  sweep->add_flag("--predict", sweep_options.predict,
                  "predict every candidate too (a column; sweep.json says how often --screen K would miss the best)");
  sweep->add_option("--set", sweep_options.overrides, "override a key of the base case for every candidate: KEY=VALUE")
    ->take_all();

  // solve|signoff|transient --hotspot ...: the rest is a HotSpot command line,
  // which CLI11 cannot parse (-steady_file is one option, not -s -t ...).
  std::string                   command_name;
  std::optional<HotspotCommand> hotspot;
  try
    {
      if (argc >= 3 && std::string(argv[2]) == "--hotspot" &&
          (std::string(argv[1]) == "solve" || std::string(argv[1]) == "signoff" || std::string(argv[1]) == "transient"))
        {
          command_name        = argv[1];
          CaseOptions &options = command_name == "solve" ? solve_options
                                 : command_name == "signoff" ? signoff_options : transient_options;
          hotspot = split_hotspot_arguments(std::vector<std::string>(argv + 3, argv + argc), options, resume);
          if (options.out_dir.empty())
            options.out_dir = "chiptherm-out/" + std::filesystem::path(hotspot->inputs.flp).stem().string();
          // HotSpot computes both in one run; chiptherm has a command for each.
          if (is_root && command_name != "transient" && !hotspot->ttrace_file.empty())
            std::cout << "chiptherm: -o " << hotspot->ttrace_file << " is HotSpot's transient trace: `chiptherm "
                      << "transient --hotspot ...` writes it; this steady run does not" << std::endl;
          if (is_root && command_name == "transient" && !hotspot->steady_file.empty())
            std::cout << "chiptherm: -steady_file " << hotspot->steady_file << " is HotSpot's steady output: "
                      << "`chiptherm solve --hotspot ...` writes it; this transient run does not" << std::endl;
        }
      else
        {
          app.parse(argc, argv);
          command_name = app.get_subcommands().front()->get_name();
        }
    }
  catch (const CLI::ParseError &e)
    {
      const int code = is_root ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 1);
      return code == 0 ? exit_success : exit_bad_input;
    }
  catch (const chiptherm::InputError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: error: " << e.what() << std::endl;
      return exit_bad_input;
    }

  try
    {
      if (command_name == "import")
        {
          if (is_root)
            write_imported_case(import_hotspot->parsed() ? chiptherm::foreign::import_hotspot(hotspot_inputs, import_out)
                                                         : chiptherm::foreign::import_threedice(stack_file),
                                import_out);
          return exit_success;
        }
      if (command_name == "train")
        {
          if (generate.count > 0)
            {
              generate.out_dir = train_out;
              chiptherm::solver::generate_training_data(generate, MPI_COMM_WORLD);
              return exit_success;
            }
          if (fit.data_dir.empty())
            throw chiptherm::InputError("chiptherm train: expected --generate N (make data) or --data DIR (train)");
          if (!evaluate_model.empty())
            {
              if (is_root)
                chiptherm::ai_predictor::net_plugin().run_evaluation(
                  {evaluate_model, fit.data_dir, fit.hard_dir, train_out, fit.threads});
              return exit_success;
            }
          fit.model_out = train_out;
          fit.seed      = generate.seed;
          for (int i = 0; i < argc; ++i)
            fit.command_line += (i ? " " : "") + std::string(i ? argv[i] : "chiptherm");
          if (is_root)
            chiptherm::ai_predictor::net_plugin().run_training(fit);
          return exit_success;
        }
      if (command_name == "predict")
        {
          predict_settings.out_dir = predict_options.out_dir;
          if (is_root)
            chiptherm::ai_predictor::net_plugin().run_predict(load_case(predict_options), predict_settings);
          return exit_success;
        }
      if (command_name == "sweep")
        {
          chiptherm::sweeps::run_sweep(sweep_options, MPI_COMM_WORLD);
          return exit_success;
        }
      if (command_name == "mesh")
        {
          chiptherm::solver::run_mesh(load_case(mesh_options), mesh_options.out_dir, MPI_COMM_WORLD);
          return exit_success;
        }
      if (command_name == "transient")
        {
          chiptherm::solver::run_transient(load_case(transient_options, hotspot), transient_options.out_dir, resume,
                                           MPI_COMM_WORLD);
          if (hotspot && is_root)
            copy_foreign_result(transient_options.out_dir, "traces.ttrace", hotspot->ttrace_file);
          return exit_success;
        }
      const bool         is_signoff = command_name == "signoff";
      const CaseOptions &options    = is_signoff ? signoff_options : solve_options;
      const auto outcome =
        chiptherm::solver::run_steady(load_case(options, hotspot), options.out_dir, is_signoff, MPI_COMM_WORLD);
      if (hotspot && is_root)
        copy_foreign_result(options.out_dir, "temperatures.steady", hotspot->steady_file);
      if (is_signoff && !outcome.all_pass)
        return exit_limit_failed;
      return exit_success;
    }
  catch (const chiptherm::InputError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: error: " << e.what() << std::endl;
      return exit_bad_input;
    }
  catch (const chiptherm::NumericalError &e)
    {
      if (is_root)
        std::cerr << "chiptherm: numerical failure: " << e.what() << std::endl;
      return exit_numerical;
    }
  catch (const std::exception &e)
    {
      if (is_root)
        std::cerr << "chiptherm: internal error: " << e.what() << std::endl;
      return exit_numerical;
    }
}
