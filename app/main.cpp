// ptmc command line: run, summarize, status, theory, tune, check.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <omp.h>

#include "analysis/theory.hpp"
#include "app/status.hpp"
#include "app/summarize.hpp"
#include "engine/parallel/mpi_context.hpp"
#include "engine/ladder_tuning.hpp"
#include "engine/memory.hpp"
#include "engine/params/param_error.hpp"
#include "engine/runner.hpp"
#include "engine/parallel/stop_signals.hpp"
#include "models/registry.hpp"
#include "ptmc/version.hpp"

namespace {

std::string parameter_reference() {
  std::string out = "\nParameter file (TOML). Every key: type, default, meaning. Any [model] key may be a list\n"
                    "or a range { min, max, count | step, spacing } to sweep over (Cartesian product).\n\n";
  out += ptmc::describe_parameters("tempering", ptmc::tempering_params());
  out += ptmc::describe_parameters("run", ptmc::run_params());
  out += ptmc::describe_parameters("output", ptmc::output_params());
  for (const auto& m : ptmc::model_registry()) {
    out += fmt::format("\n  [model] name = \"{}\": {}\n", m.name, m.summary);
    const std::string table = ptmc::describe_parameters("model", m.parameters());
    out += table.substr(table.find('\n') + 1);
  }
  return out;
}

// Seconds from "3600", "90s", "45m", "12h" or "2d".
double parse_duration(const std::string& text) {
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  const std::string unit = text.substr(used);
  const double scale = unit.empty() || unit == "s" ? 1 : unit == "m" ? 60 : unit == "h" ? 3600 : unit == "d" ? 86400 : -1;
  if (used == 0 || scale < 0 || !(value > 0))
    throw std::invalid_argument("--max-time: expected a positive duration like 3600, 90m or 12h, got \"" + text + "\"");
  return value * scale;
}

ptmc::Config load(const std::string& file) { return ptmc::parse_config_file(file, ptmc::model_schemas()); }

// The sweep's size against what one run and this node can hold. Returns 0, or the exit code after
// printing the problem (a rank prints only when `speak`). `statement` receives the memory line.
int check_resources(const ptmc::Config& cfg, const ptmc::ModelEntry& model, int node_ranks, int group_size,
                    bool ignore_memory, bool speak, std::string& statement) {
  const double tasks = static_cast<double>(cfg.points.size()) * static_cast<double>(cfg.run.samples);
  if (tasks > static_cast<double>(ptmc::max_tasks)) {
    if (speak)
      std::fprintf(stderr,
                   "%s: error: key '[run] samples': %zu point(s) x %lld sample(s) = %.3g tasks, more than the %lld one run "
                   "can hold (each task has its own HDF5 file, checkpoint and link in the output, and the final step "
                   "copies every one): lower samples or split the sweep over several parameter files\n",
                   cfg.path.c_str(), cfg.points.size(), static_cast<long long>(cfg.run.samples), tasks,
                   static_cast<long long>(ptmc::max_tasks));
    return 2;
  }
  const ptmc::SweepMemory need = ptmc::sweep_memory(cfg, model, group_size);
  const ptmc::NodeMemory node = ptmc::node_memory();
  const double per_node = need.per_rank() * node_ranks;
  statement = fmt::format("about {} per rank (largest task: point {}, disorder {}, {} walker(s) {}); {} rank(s) "
                          "on this node need {} of {} available ({})",
                          ptmc::format_bytes(need.per_rank()), need.point, ptmc::format_bytes(need.task.disorder),
                          need.task.walker_count, ptmc::format_bytes(need.task.walkers + need.task.engine), node_ranks,
                          ptmc::format_bytes(per_node), ptmc::format_bytes(node.available), node.source);
  if (per_node <= node.available || ignore_memory) return 0;
  if (speak)
    std::fprintf(stderr,
                 "%s: error: the sweep needs more memory than this node has: %s. Lower N or the walkers (replicas x "
                 "temperatures) of point %zu, run fewer ranks per node, or pass --ignore-memory to run anyway\n",
                 cfg.path.c_str(), statement.c_str(), need.point);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ptmc::install_stop_handlers();  // before MPI starts: a SIGTERM that early still stops cleanly (exit 75)
  ptmc::MpiSession mpi(&argc, &argv);
  const bool root = ptmc::mpi_rank() == 0;

  CLI::App app{"ptmc: parallel-tempering Monte Carlo for the statistical mechanics of neural networks"};
  app.set_version_flag("--version", fmt::format("ptmc {} (git {})", ptmc::version, ptmc::git_revision));
  app.require_subcommand(1);

  std::string run_file, run_output;
  bool quiet = false;
  int threads = 0;
  auto* run = app.add_subcommand(
      "run",
      "run the Monte Carlo sweep a parameter file describes (under mpirun or not). SIGTERM, SIGINT and SIGUSR1 "
      "checkpoint every running task and exit 75 (--resume continues); during a task's setup they stop at once, "
      "also with 75. mpirun forwards SIGUSR1; after a SIGTERM or SIGINT of its own it kills the ranks a second "
      "later and exits 1");
  run->add_option("file", run_file, "parameter file (TOML)")->required()->check(CLI::ExistingFile);
  run->add_option("-o,--output", run_output, "HDF5 output file (overrides [output] file)");
  run->add_flag("-q,--quiet", quiet, "no progress line");
  bool resume = false;
  std::string max_time;
  run->add_flag("--resume", resume, "continue an interrupted run of this file from its checkpoints");
  bool ignore_memory = false;
  run->add_flag("--ignore-memory", ignore_memory,
                "run even when the estimated memory per rank, times the ranks on a node, exceeds what the node has "
                "available (MemAvailable, cgroup memory.max)");
  bool overwrite = false;
  run->add_flag("--overwrite", overwrite,
                "replace what is at the output path (an earlier run, its task folder, any file); without it a run refuses");
  run->add_option("--max-time", max_time,
                  "wall-clock limit (e.g. 3600, 90m, 12h): checkpoint and exit with code 75 before it");
  run->add_option("-t,--threads", threads, "OpenMP threads per rank (default: OMP_NUM_THREADS or all cores)")
      ->check(CLI::Range(1, 4096));
  int ranks_per_task = -1;
  run->add_option("--ranks-per-task", ranks_per_task,
                  "MPI ranks that run one task together (overrides [run] ranks_per_task; 0 = automatic)")
      ->check(CLI::Range(0, 65536));
  run->footer(parameter_reference());

  std::string summary_file;
  auto* summarize = app.add_subcommand("summarize", "print a CSV summary of an output file (Monte Carlo or theory)");
  summarize->add_option("file", summary_file, "HDF5 file written by ptmc run or ptmc theory")->required()->check(CLI::ExistingFile);

  std::string status_file;
  auto* status = app.add_subcommand("status", "where a run stands (running, finished or stopped): tasks, sweeps, rate, ETA, equilibration");
  status->add_option("file", status_file, "HDF5 output of ptmc run")->required()->check(CLI::ExistingFile);

  std::string theory_file, theory_output;
  auto* theory = app.add_subcommand("theory", "solve the exact or RS theory for the sweep of a parameter file");
  theory->add_option("file", theory_file, "parameter file (TOML)")->required()->check(CLI::ExistingFile);
  theory->add_option("-o,--output", theory_output, "HDF5 output (default: [output] file with -theory.h5)");

  std::string tune_file, tune_output, tune_method = "feedback", tune_count = "keep";
  ptmc::TuneOptions tune_opts;
  auto* tune = app.add_subcommand("tune", "pilot runs that optimise each sweep point's temperature ladder");
  tune->add_option("file", tune_file, "parameter file (TOML)")->required()->check(CLI::ExistingFile);
  tune->add_option("-o,--output", tune_output, "tuned parameter file (default: FILE with -tuned.toml)");
  tune->add_option("--method", tune_method,
                   "feedback (round trips, Katzgraber et al. 2006), acceptance (equal swap rates) or barrier (equal "
                   "rejection along the communication barrier, Syed et al. 2022)")
      ->check(CLI::IsMember({"feedback", "acceptance", "barrier"}));
  tune->add_option("--temperatures", tune_count,
                   "keep, auto (from --target-acceptance; with --method barrier from the barrier and "
                   "--target-rejection) or a number");
  tune->add_option("--target-rejection", tune_opts.target_rejection,
                   "rejection per neighbour pair for --method barrier --temperatures auto (count 1 + barrier / this)")
      ->check(CLI::Range(0.05, 0.95));
  tune->add_option("--target-acceptance", tune_opts.target_acceptance, "neighbour acceptance for --temperatures auto")
      ->check(CLI::Range(0.01, 0.99));
  tune->add_option("--iterations", tune_opts.iterations, "pilot runs per point (each twice as long)")->check(CLI::Range(1, 20));
  tune->add_option("--sweeps", tune_opts.pilot_sweeps, "sweeps of the first pilot run")->check(CLI::Range(10, 100000000));

  std::string check_file;
  auto* check = app.add_subcommand("check", "validate a parameter file and print its sweep, without running");
  check->add_option("file", check_file, "parameter file (TOML)")->required()->check(CLI::ExistingFile);
  int check_ranks = 1;
  check->add_option("--ranks-per-node", check_ranks, "ranks that will share a node's memory (for the memory check)")
      ->check(CLI::Range(1, 65536));
  bool check_ignore_memory = false;
  check->add_flag("--ignore-memory", check_ignore_memory, "state the memory estimate without refusing the file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = root ? app.exit(e) : (e.get_exit_code() == 0 ? 0 : 2);
    return code;
  }

  if (!run->parsed()) ptmc::restore_default_signals();  // only a run stops at a checkpoint

  try {
    if (run->parsed()) {
      if (threads > 0) omp_set_num_threads(threads);
      ptmc::Config cfg = load(run_file);
      if (ranks_per_task >= 0) cfg.run.ranks_per_task = ranks_per_task;  // a layout choice: same results
      {
        std::string memory;
        const int node_ranks = ptmc::mpi_node_ranks();
        const int code = check_resources(cfg, *ptmc::find_model(cfg.model_name), node_ranks,
                                         std::max(1, cfg.run.ranks_per_task), ignore_memory, false, memory);
        const int first_failing = ptmc::mpi_min(code != 0 ? ptmc::mpi_rank() : ptmc::mpi_size());
        if (first_failing < ptmc::mpi_size()) {
          if (ptmc::mpi_rank() == first_failing)
            (void)check_resources(cfg, *ptmc::find_model(cfg.model_name), node_ranks,
                                  std::max(1, cfg.run.ranks_per_task), ignore_memory, true, memory);
          return ptmc::mpi_max(code);
        }
        if (root) std::fprintf(stderr, "[ptmc] memory: %s\n", memory.c_str());
      }
      ptmc::RunOptions options{run_output.empty() ? cfg.output.file : run_output, quiet, resume, overwrite,
                               max_time.empty() ? 0.0 : parse_duration(max_time)};
      return ptmc::run_sweep(cfg, *ptmc::find_model(cfg.model_name), options);
    }
    if (!root) return 0;  // the remaining commands are serial
    if (summarize->parsed()) {
      ptmc::print_summary_csv(summary_file, std::cout);
      return 0;
    }
    if (status->parsed()) {
      ptmc::print_status(status_file, std::cout);
      return 0;
    }
    if (theory->parsed()) {
      const ptmc::Config cfg = load(theory_file);
      const auto* model = ptmc::find_model(cfg.model_name);
      if (!model || !model->theory) {
        std::fprintf(stderr, "ptmc theory: no theory solver for model \"%s\"\n", cfg.model_name.c_str());
        return 2;
      }
      std::string out = theory_output;
      if (out.empty()) {
        out = cfg.output.file;
        if (out.size() > 3 && out.ends_with(".h5")) out.resize(out.size() - 3);
        out += "-theory.h5";
      }
      ptmc::theory::write_theory_file(cfg, *model, out);
      std::fprintf(stderr, "[ptmc] theory: %zu point(s) x %zu temperature(s) -> %s\n", cfg.points.size(),
                   cfg.tempering.beta.size(), out.c_str());
      return 0;
    }
    if (tune->parsed()) {
      const ptmc::Config cfg = load(tune_file);
      tune_opts.method = tune_method == "acceptance" ? ptmc::TuneMethod::acceptance
                         : tune_method == "barrier"  ? ptmc::TuneMethod::barrier
                                                     : ptmc::TuneMethod::feedback;
      if (tune_count == "auto") tune_opts.temperatures = -1;
      else if (tune_count == "keep") tune_opts.temperatures = 0;
      else {
        tune_opts.temperatures = std::stoi(tune_count);
        if (tune_opts.temperatures < 2) throw std::invalid_argument("--temperatures: expected keep, auto or a number >= 2");
      }
      std::string out = tune_output;
      if (out.empty()) out = tune_file.substr(0, tune_file.size() - (tune_file.ends_with(".toml") ? 5 : 0)) + "-tuned.toml";
      const std::string text = ptmc::tune_ladders(cfg, *ptmc::find_model(cfg.model_name), tune_opts);
      (void)ptmc::parse_config_text(text, out, ptmc::model_schemas());  // the tuned file must be valid
      std::ofstream(out) << text;
      std::fprintf(stderr, "[ptmc] tuned ladders written to %s\n", out.c_str());
      return 0;
    }
    if (check->parsed()) {
      const ptmc::Config cfg = load(check_file);
      std::printf("%s: model %s, %zu point(s) x %lld sample(s), %zu temperature(s), %d replica(s)\n", check_file.c_str(),
                  cfg.model_name.c_str(), cfg.points.size(), static_cast<long long>(cfg.run.samples),
                  cfg.tempering.beta.size(), cfg.tempering.replicas);
      std::string memory;
      const int code = check_resources(cfg, *ptmc::find_model(cfg.model_name), check_ranks,
                                       std::max(1, cfg.run.ranks_per_task), check_ignore_memory, true, memory);
      if (code != 0) return code;
      std::printf("  memory: %s\n", memory.c_str());
      return 0;
    }
  } catch (const ptmc::ParamError& e) {
    if (root) std::fprintf(stderr, "%s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    if (root) std::fprintf(stderr, "ptmc: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
