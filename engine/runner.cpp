#include "engine/runner.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <optional>
#include <fmt/format.h>
#include <hdf5.h>
#include <omp.h>

#include "engine/io/checkpoint.hpp"
#include "engine/io/input_files.hpp"
#include "engine/io/output_assembly.hpp"
#include "engine/io/output_guard.hpp"
#include "engine/parallel/mpi_context.hpp"
#include "engine/parallel/stop_signals.hpp"
#include "engine/io/summary.hpp"

namespace ptmc {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string eta_text(double s) {
  if (!(s >= 0) || s > 1e9) return "?";
  const auto t = static_cast<long long>(s + 0.5);
  if (t < 120) return fmt::format("{} s", t);
  if (t < 7200) return fmt::format("{} min", (t + 30) / 60);
  if (t < 172800) return fmt::format("{} h {:02d} min", t / 3600, static_cast<int>(t / 60 % 60));
  return fmt::format("{} d {:02d} h", t / 86400, static_cast<int>(t / 3600 % 24));
}

// The whole run's progress: every group leader adds the sweeps its tasks have done to a board on
// rank 0 (at most once a second, and at each task's end); rank 0 alone prints one line to stderr, at
// most every two seconds: the run's share of its planned sweeps, the rate since the run started,
// the ETA, and rank 0's own task. Sweeps a resumed run had done before (finished tasks it skips, a
// task's checkpoint) count as done but not towards the rate; auto_extend adds to the plan.
class Progress {
 public:
  Progress(bool print, bool report, std::int64_t tasks, std::int64_t task_sweeps)
      : print_(print), report_(report), tasks_(tasks), task_sweeps_(task_sweeps), start_(Clock::now()),
        printed_(start_) {}  // the first line after two seconds: a rate over less says little
  void task_started(std::int64_t task) {
    started_ = task + 1;
    task_done_ = 0;
    task_extra_ = 0;
  }
  // A finished task that --resume skips, or a task resumed at a checkpoint `sweeps` in.
  void task_skipped() { add(task_sweeps_, 0, task_sweeps_); }
  void task_resumed(std::int64_t sweeps) {
    task_done_ = sweeps;
    add(sweeps, 0, sweeps);
  }
  void update(const TaskId& id, std::int64_t sweep, std::int64_t total) {
    if (!report_) return;
    const auto now = Clock::now();
    pending_[0] += sweep - task_done_;
    task_done_ = sweep;
    if (total - task_sweeps_ > task_extra_) {  // auto_extend doubled this task's sweeps
      pending_[1] += total - task_sweeps_ - task_extra_;
      task_extra_ = total - task_sweeps_;
    }
    if (now - pushed_ >= std::chrono::seconds(1) || sweep == total) {
      pushed_ = now;
      board_.add(pending_);
      pending_[0] = pending_[1] = pending_[2] = 0;
    }
    if (!print_ || (now - printed_ < std::chrono::seconds(2) && sweep != total)) return;
    printed_ = now;
    std::int64_t run[3];
    board_.read(run);
    const double planned = static_cast<double>(tasks_ * task_sweeps_ + run[1]);
    const double done = static_cast<double>(run[0]), fresh = static_cast<double>(run[0] - run[2]);
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? fresh / elapsed : 0;
    std::fprintf(stderr,
                 "\r[ptmc] run %5.1f%% of %.3g sweeps, %.3g sweeps/s, ETA %s | task %lld/%lld (point %zu sample %lld) "
                 "%3.0f%%   ",
                 planned > 0 ? 100.0 * done / planned : 0.0, planned, rate,
                 rate > 0 ? eta_text((planned - done) / rate).c_str() : "?", static_cast<long long>(started_),
                 static_cast<long long>(tasks_), id.point, static_cast<long long>(id.sample),
                 100.0 * static_cast<double>(sweep) / static_cast<double>(total));
    std::fflush(stderr);
  }
  void done() {
    if (print_) std::fprintf(stderr, "\n");
  }

 private:
  void add(std::int64_t done, std::int64_t extra, std::int64_t resumed) {
    if (!report_) return;
    const std::int64_t v[3] = {done, extra, resumed};
    board_.add(v);
  }
  bool print_, report_;
  std::int64_t tasks_, task_sweeps_, started_ = 0, task_done_ = 0, task_extra_ = 0;
  std::int64_t pending_[3] = {0, 0, 0};
  ProgressBoard board_;  // collective: every rank builds one
  Clock::time_point start_, pushed_{}, printed_{};
};

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
// How long before --max-time a run stops: time for the checkpoint and the final barrier, 2 % of the
// limit and at least 5 s.
double stop_margin(double max_time) { return std::max(5.0, 0.02 * max_time); }

// Checkpoints on a timer, at a signal and before the wall-time limit; stops after the last two.
class Control final : public RunControl {
 public:
  Control(std::string dir, std::uint64_t fingerprint, double every, double max_time, Clock::time_point start,
          bool writes)
      : dir_(std::move(dir)), fingerprint_(fingerprint), every_(every), max_time_(max_time), start_(start),
        writes_(writes) {}
  void set_task(const TaskId& id) {
    id_ = id;
    last_ = Clock::now();
  }
  bool checkpoint_due() override {
    const auto now = Clock::now();
    return stop_requested() || std::chrono::duration<double>(now - last_).count() >= every_;
  }
  bool stop_requested() override {
    if (job_stop_signal() != 0) return true;  // this rank's, or another's
    return max_time_ > 0 && seconds_since(start_) >= max_time_ - stop_margin(max_time_);
  }
  void save(std::int64_t sweeps, std::vector<std::uint8_t> state) override {
    if (writes_)
      write_checkpoint(checkpoint_file(dir_, id_), Checkpoint{id_, fingerprint_, sweeps, std::move(state)});
    last_ = Clock::now();
  }

 private:
  std::string dir_;
  std::uint64_t fingerprint_;
  double every_, max_time_;
  Clock::time_point start_, last_{};
  bool writes_;  // only a group's leader writes the checkpoint
  TaskId id_;
};

std::uint64_t fingerprint(const Config& cfg) {
  const std::string key = cfg.model_name + "\n" + cfg.text;
  return fnv1a(key.data(), key.size());
}

// The checkpoint a task resumes from; nothing (the task starts from its first sweep) when there is
// none, or when it or the task file it continues cannot be read: that task alone starts again.
std::optional<Checkpoint> resumable_checkpoint(const std::string& dir, const TaskId& id, std::uint64_t fingerprint) {
  const std::string ckpt = checkpoint_file(dir, id), file = task_file(dir, id);
  try {
    auto c = read_checkpoint(ckpt, fingerprint);
    if (!c) return std::nullopt;
    const std::string snap = snapshot_file(file);
    h5::Handle f = h5::open_file(fs::exists(snap) ? snap : file, h5::Mode::read);
    (void)h5::open_group(f, point_group(id.point) + "/" + sample_group(id.sample));
    return c;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\n[ptmc] warning: %s; task p%04zu-s%04lld starts again from its first sweep (the other tasks are kept)\n",
                 e.what(), id.point, static_cast<long long>(id.sample));
    std::error_code ec;
    fs::remove(ckpt, ec);
    return std::nullopt;
  }
}

// Writes the sweep points (and, when `links`, the external links to the task files) that OUT lacks.
// Returns false when `stop` said yes first (a million tasks take half a minute): the file is then
// closed consistent, and --resume writes the rest. The links only let OUT show running tasks.
bool write_points(OutputFile& out, const Config& cfg, const ModelEntry& model, const std::string& dir, bool links,
                  const std::function<bool()>& stop) {
  for (std::size_t p = 0; p < cfg.points.size(); ++p) {
    if (p % 256 == 0 && stop()) return false;
    if (!h5::exists(out.handle(), point_group(p))) out.write_point(cfg, p, model.attributes(cfg.point_reader(p)));
  }
  if (!links) return true;
  const std::string rel = fs::path(dir).filename().string();
  for (std::size_t p = 0; p < cfg.points.size(); ++p)
    for (std::int64_t s = 0; s < cfg.run.samples; ++s) {
      if (s % 256 == 0 && stop()) return false;
      const TaskId id{p, s};
      const std::string group = point_group(p) + "/" + sample_group(s);
      h5::external_link(out.handle(), group, rel + "/" + fs::path(task_file(dir, id)).filename().string(), group);
    }
  return true;
}

// Returns false when stopped (by a signal or the --max-time deadline) before OUT was fully prepared.
bool prepare_output(const Config& cfg, const ModelEntry& model, const RunOptions& options, const std::string& dir,
                    const std::function<bool()>& stop) {
  fs::remove(assembling_file(options.output));  // from a final step that was interrupted
  if (options.resume) {
    if (!fs::exists(options.output))
      throw std::runtime_error(fmt::format("--resume: {} does not exist (nothing to resume)", options.output));
    OutputFile out(options.output, h5::Mode::read_write);
    if (!h5::has_attr(out.handle(), "parameter_text") || h5::read_attr_string(out.handle(), "parameter_text") != cfg.text)
      throw std::runtime_error(fmt::format("--resume: {} was written by a different parameter file", options.output));
    const bool finished = h5::has_attr(out.handle(), "end_time") &&
                          h5::read_attr_string(out.handle(), "end_time") != "(running)";
    if (finished) {
      fs::remove_all(dir);  // left by a stop after the final file was in place: it holds nothing more
      throw std::runtime_error(fmt::format("--resume: {} is already complete", options.output));
    }
    if (!fs::exists(dir))
      std::fprintf(stderr, "[ptmc] warning: the task folder %s is missing: every task of %s starts again\n", dir.c_str(),
                   options.output.c_str());
    if (h5::has_attr(out.handle(), "input_files"))
      check_input_files_unchanged(h5::read_attr_string(out.handle(), "input_files"), cfg, options.output);
    fs::create_directories(dir);
    return write_points(out, cfg, model, dir, false, stop);  // those a stop during preparation left out
  }
  const ExistingOutput there = describe_existing_output(options.output, dir);
  if (!there.what.empty()) {
    if (!options.overwrite)
      throw std::runtime_error(
          there.resumable ? fmt::format("{}.\n  Continue it:  ptmc run {} -o {} --resume\n  Replace it:   add --overwrite",
                                        there.what, cfg.path, options.output)
                          : fmt::format("{}; refusing to replace it.\n  Replace it: add --overwrite; keep it: choose another -o",
                                        there.what));
    std::fprintf(stderr, "[ptmc] --overwrite: replacing what was there (%s)\n", there.what.c_str());
    fs::remove(options.output);
  }
  fs::remove_all(dir);
  const std::string inputs = format_input_files(input_files(cfg));  // read before anything is written
  fs::create_directories(dir);
  OutputFile out(options.output, h5::Mode::create);
  out.write_header(cfg, "monte_carlo");
  h5::write_attr(out.handle(), "input_files", inputs);
  // While the run goes on (or after a crash), OUT shows every task's data through external links to
  // the task files; at the end the links are replaced by copies and the task files removed.
  const bool whole = write_points(out, cfg, model, dir, true, stop);
  out.flush();
  return whole;
}

std::unique_ptr<TaskRecorder> null_recorder() { return std::make_unique<NullRecorder>(); }

// Ranks per task group: as configured (it must divide the rank count: 0 is returned otherwise), or
// with ranks_per_task = 0 the largest divisor of the rank count that is at most ranks / tasks (spare
// ranks join groups only when there are more ranks than tasks) and at most the task's walkers.
int ranks_per_task(const Config& cfg, int size, std::int64_t tasks) {
  if (cfg.run.ranks_per_task > 0) return size % cfg.run.ranks_per_task == 0 ? cfg.run.ranks_per_task : 0;
  const std::int64_t walkers = static_cast<std::int64_t>(cfg.tempering.replicas) *
                               static_cast<std::int64_t>(cfg.tempering.beta.size());
  const std::int64_t cap = std::min<std::int64_t>(walkers, std::max<std::int64_t>(1, size / std::max<std::int64_t>(tasks, 1)));
  int best = 1;
  for (int g = 1; g <= cap; ++g)
    if (size % g == 0) best = g;
  return best;
}

}  // namespace

int run_sweep(const Config& cfg, const ModelEntry& model, const RunOptions& options) {
  const auto start = Clock::now();
  const int rank = mpi_rank(), size = mpi_size();
  const std::int64_t tasks = static_cast<std::int64_t>(cfg.points.size()) * cfg.run.samples;
  const std::string dir = task_dir(options.output);
  if (rank == 0) {
    std::fprintf(stderr, "[ptmc] %s: %zu point(s) x %lld sample(s) = %lld task(s) on %d rank(s) x %d thread(s) -> %s%s\n",
                 cfg.model_name.c_str(), cfg.points.size(), static_cast<long long>(cfg.run.samples),
                 static_cast<long long>(tasks), size, omp_get_max_threads(), options.output.c_str(),
                 options.resume ? " (resuming)" : "");
  }
  bool ok = true;
  std::string problem;
  const int per_task = ranks_per_task(cfg, size, tasks);
  if (per_task < 1) {
    if (rank == 0)
      std::fprintf(stderr, "ptmc: error: %s: [run] ranks_per_task = %d does not divide the %d MPI ranks\n",
                   cfg.path.c_str(), cfg.run.ranks_per_task, size);
    return 2;
  }
  // --max-time holds from the start: while OUT is prepared, and while a task is set up (a timer).
  const double deadline = options.max_time > 0 ? options.max_time - stop_margin(options.max_time) : 0;
  if (deadline > 0) arm_setup_deadline(std::max(deadline - seconds_since(start), 0.001));
  const auto stop_now = [&] { return stop_signal() != 0 || (deadline > 0 && seconds_since(start) >= deadline); };
  std::optional<OutputLock> lock;  // rank 0 holds it until the run ends
  bool prepared = true;
  if (rank == 0) {
    try {
      check_output_path(options.output, cfg.path);  // before anything is created
      const auto parent = fs::path(options.output).parent_path();
      if (!parent.empty()) fs::create_directories(parent);
      lock.emplace(options.output);
      prepared = prepare_output(cfg, model, options, dir, stop_now);
    } catch (const std::exception& e) {
      ok = false;
      problem = e.what();
    }
  }
  if (!mpi_all(ok)) {
    if (rank == 0) std::fprintf(stderr, "ptmc: error: %s\n", problem.c_str());
    return 1;
  }
  if (!mpi_all(prepared)) {
    const std::string why = job_stop_reason();  // collective
    if (rank == 0)
      std::fprintf(stderr, "[ptmc] stopped at a checkpoint (%s): %s was being prepared, before any task ran; continue with: "
                           "ptmc run %s --resume -o %s\n",
                   why.empty() ? "--max-time" : why.c_str(), options.output.c_str(), cfg.path.c_str(), options.output.c_str());
    return exit_checkpointed;
  }

  TaskGroup group(per_task);
  if (rank == 0 && per_task > 1)
    std::fprintf(stderr, "[ptmc] %d rank(s) per task: %s\n", per_task,
                 cfg.run.split == GroupSplit::patterns ? "each holds a slice of every walker's patterns"
                                                       : "each task's walkers are dealt over the group");
  SignalGuard signals;
  SharedStop shared_stop;  // a signal that reaches one rank stops every rank
  Control control(dir, fingerprint(cfg), cfg.output.checkpoint_seconds, options.max_time, start, group.leader());
  Progress progress(rank == 0 && !options.quiet, group.leader(), tasks, cfg.run.thermalization + cfg.run.sweeps);
  // Only a group's leader writes; the other ranks of a group compute and record nothing.
  auto recorder = group.leader() ? task_file_recorder(dir, cfg.output,
                                                      [&](const TaskId& id, std::int64_t s, std::int64_t n) {
                                                        progress.update(id, s, n);
                                                      })
                                 : null_recorder();
  bool stopped = false;
  {
    TaskCounter counter;
    try {
      for (;;) {
        const std::int64_t task = group.share(group.leader() ? counter.next() : 0);
        if (task >= tasks) break;
        const TaskId id = task_of(task, cfg.run.samples);
        progress.task_started(task);
        if (group.share(options.resume && group.leader() && task_complete(task_file(dir, id)))) {
          progress.task_skipped();
          continue;
        }
        if (group.share(control.stop_requested())) {
          stopped = true;  // this task is left for --resume
          break;
        }
        std::vector<std::uint8_t> state;
        bool have_state = false;
        if (options.resume && group.leader()) {
          if (auto ckpt = resumable_checkpoint(dir, id, fingerprint(cfg))) {
            state = std::move(ckpt->state);
            have_state = true;
            progress.task_resumed(ckpt->sweeps);
          }
        }
        if (group.share(have_state)) group.broadcast(state, 0);
        control.set_task(id);
        try {
          model.run_task(cfg, id, *recorder,
                         {.control = &control, .checkpoint = !state.empty() ? &state : nullptr, .group = &group});
        } catch (const TaskStopped&) {
          stopped = true;
          break;
        }
        if (group.leader()) fs::remove(checkpoint_file(dir, id));
      }
    } catch (const std::exception& e) {
      mpi_abort(fmt::format("run failed: {}\n  What was checkpointed is kept: once the cause is fixed, continue with "
                            "ptmc run {} -o {} --resume",
                            e.what(), cfg.path, options.output));
    }
  }
  recorder.reset();
  progress.done();
  const bool finished = mpi_all(!stopped);
  if (!finished) {
    const std::string why = job_stop_reason();  // collective
    if (rank == 0)
      std::fprintf(stderr, "[ptmc] stopped at a checkpoint (%s); continue with: ptmc run %s --resume -o %s\n",
                   why.empty() ? "--max-time" : why.c_str(), cfg.path.c_str(), options.output.c_str());
    return exit_checkpointed;
  }
  // The final file: built aside and renamed into place (engine/io/output_assembly.hpp). A signal
  // during it stops cleanly; a failure (a full disk) loses nothing: every task file stays.
  int code = 0;
  if (rank == 0) {
    try {
      if (assemble_output(options.output, dir, cfg.run.min_round_trips, [] { return stop_signal() != 0; }) ==
          Assembly::stopped) {
        std::fprintf(stderr, "[ptmc] stopped by a signal while writing %s; every task is complete: finish with ptmc run %s --resume -o %s\n",
                     options.output.c_str(), cfg.path.c_str(), options.output.c_str());
        code = exit_checkpointed;
      } else {
        std::fprintf(stderr, "[ptmc] done: %s\n", options.output.c_str());
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "ptmc: error: writing the output failed: %s\n  Once the cause is fixed, finish with ptmc run %s --resume -o %s\n",
                   e.what(), cfg.path.c_str(), options.output.c_str());
      code = 1;
    }
  }
  if (!mpi_all(code != 1)) return 1;
  if (!mpi_all(code != exit_checkpointed)) return exit_checkpointed;
  return 0;
}

}  // namespace ptmc
