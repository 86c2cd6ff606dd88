#include "engine/io/output.hpp"

#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <map>

#include "engine/io/durable_file.hpp"
#include "ptmc/version.hpp"

namespace ptmc {

std::string point_group(std::size_t point) { return fmt::format("points/p{:04d}", point); }
std::string sample_group(std::int64_t sample) { return fmt::format("samples/s{:04d}", sample); }

std::string iso_time_now() {
  const std::time_t t = std::time(nullptr);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S%z", std::localtime(&t));
  return buf;
}

OutputFile::OutputFile(const std::string& path, h5::Mode mode) : path_(path), file_(h5::open_file(path, mode)) {}

void OutputFile::write_header(const Config& cfg, const std::string& kind) {
  h5::write_attr(file_, "ptmc_version", std::string(ptmc::version));
  h5::write_attr(file_, "git_revision", std::string(ptmc::git_revision));
  h5::write_attr(file_, "kind", kind);  // "monte_carlo" or "theory"
  h5::write_attr(file_, "model", cfg.model_name);
  h5::write_attr(file_, "parameter_file", cfg.path);
  h5::write_attr(file_, "parameter_text", cfg.text);
  h5::write_attr(file_, "seed", static_cast<std::int64_t>(cfg.run.seed));
  h5::write_attr(file_, "start_time", iso_time_now());
  h5::write_attr(file_, "end_time", std::string("(running)"));
  h5::write_attr(file_, "points", static_cast<std::int64_t>(cfg.points.size()));
  h5::write_attr(file_, "samples", cfg.run.samples);
  h5::write_attr(file_, "replicas", static_cast<std::int64_t>(cfg.tempering.replicas));
  h5::write_attr(file_, "dynamics", std::string(cfg.run.dynamics == Dynamics::metropolis ? "metropolis" : "heat_bath"));
  h5::write_attr(file_, "sweeps", cfg.run.sweeps);
  h5::write_attr(file_, "thermalization", cfg.run.thermalization);
  h5::write_attr(file_, "min_round_trips", cfg.run.min_round_trips);
  h5::write_attr(file_, "auto_extend", static_cast<std::int64_t>(cfg.run.auto_extend));
  h5::write_attr(file_, "measure_every", cfg.run.measure_every);
  h5::write_attr(file_, "swap_every", cfg.tempering.swap_every);
  std::string swept;
  for (const auto& k : cfg.swept_keys) swept += (swept.empty() ? "" : ",") + k;
  h5::write_attr(file_, "swept", swept);
  h5::flush(file_);
}

void OutputFile::write_point(const Config& cfg, std::size_t point, const Attributes& attributes) {
  h5::Handle g = h5::create_group(file_, point_group(point));
  std::string names;
  for (const auto& [k, v] : attributes) {
    names += (names.empty() ? "" : ",") + k;
    std::visit(
        [&](const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, bool>) h5::write_attr(g, k, static_cast<std::int64_t>(x));
          else if constexpr (std::is_same_v<X, std::string>) h5::write_attr(g, k, x);
          else if constexpr (std::is_same_v<X, double>) h5::write_attr(g, k, x);
          else h5::write_attr(g, k, static_cast<std::int64_t>(x));
        },
        v);
  }
  h5::write_attr(g, "parameters", names);
  h5::write_attr(g, "index", static_cast<std::int64_t>(point));
  const auto& beta = cfg.beta_of(point);
  h5::write(g, "beta", beta, {beta.size()});
}

void OutputFile::mark_end() {
  h5::write_attr(file_, "end_time", iso_time_now());
  h5::flush(file_);
}

namespace {

// A copy of a task file taken when a checkpoint is (next to it, PATH.snap): a process killed while
// HDF5 was writing can leave the file itself inconsistent, and HDF5 1.10 does not always notice before
// it crashes. Written to a temporary name, synced and renamed, so a copy is whole or absent.
void write_snapshot(const std::string& task) { copy_file_durably(task, snapshot_file(task)); }

// Writes one task at a time, each into its own file DIR/pPPPP-sSSSS.h5 holding the group
// points/pPPPP/samples/sSSSS, so that a task can move between ranks on resume and no two processes
// ever write one file. Rank 0 merges the task files into the run's output at the end. At each
// checkpoint the task file is copied (write_snapshot); a resumed task starts from that copy.
class TaskFileWriter final : public TaskRecorder {
 public:
  TaskFileWriter(std::string dir, double flush_seconds, OutputFile::ProgressFn progress)
      : dir_(std::move(dir)), flush_seconds_(flush_seconds), progress_(std::move(progress)) {}

  void begin(const TaskId& id, const SeriesLayout& layout) override {
    start(id, layout);
    std::filesystem::remove(snapshot_file(task_file(dir_, id)));  // from an earlier start of this task
    file_ = h5::open_file(task_file(dir_, id), h5::Mode::create);
    group_ = h5::create_group(file_, point_group(id.point) + "/" + sample_group(id.sample));
    h5::write_attr(group_, "complete", std::int64_t{0});
    h5::write_attr(group_, "sample", id.sample);
    h5::Handle series = h5::create_group(group_, "series");
    const auto T = static_cast<std::uint64_t>(layout.temperatures);
    for (const auto& name : layout.names)
      series_.emplace_back(series, name, h5::Appendable::Type::f64, std::vector<std::uint64_t>{T}, 1024);
    walk_ = h5::Appendable(group_, "walk", h5::Appendable::Type::i32,
                           std::vector<std::uint64_t>{static_cast<std::uint64_t>(layout.replicas), T}, 1024);
    if (!layout.vector_names.empty()) {
      h5::Handle vectors = h5::create_group(group_, "vectors");
      for (const auto& name : layout.vector_names)
        vectors_.emplace_back(vectors, name, h5::Appendable::Type::f64,
                              std::vector<std::uint64_t>{T, layout.vector_length}, 16);
      vector_index_ = h5::Appendable(vectors, "measurement", h5::Appendable::Type::f64, {}, 256);
    }
    write_pending();
  }

  void resume(const TaskId& id, const SeriesLayout& layout, std::int64_t measurements, std::int64_t vector_rows) override {
    start(id, layout);
    // The copy taken with the checkpoint (or with a later one that was not written: it holds at least
    // the rows the checkpoint counts); the file as it was left only where there is no copy.
    const std::string path = task_file(dir_, id), snap = snapshot_file(path);
    if (std::filesystem::exists(snap)) copy_file_durably(snap, path);
    file_ = h5::open_file(path, h5::Mode::read_write);
    group_ = h5::open_group(file_, point_group(id.point) + "/" + sample_group(id.sample));
    const auto rows = static_cast<std::uint64_t>(measurements), vrows = static_cast<std::uint64_t>(vector_rows);
    h5::Handle series = h5::open_group(group_, "series");
    for (const auto& name : layout.names)
      series_.push_back(h5::Appendable::open_existing(series, name, h5::Appendable::Type::f64, rows));
    walk_ = h5::Appendable::open_existing(group_, "walk", h5::Appendable::Type::i32, rows);
    if (!layout.vector_names.empty()) {
      h5::Handle vectors = h5::open_group(group_, "vectors");
      for (const auto& name : layout.vector_names)
        vectors_.push_back(h5::Appendable::open_existing(vectors, name, h5::Appendable::Type::f64, vrows));
      vector_index_ = h5::Appendable::open_existing(vectors, "measurement", h5::Appendable::Type::f64, vrows);
    }
    write_pending();
  }

  void flush() override {  // before a checkpoint: the rows so far, flushed, then a copy of the file
    write_pending();
    write_snapshot(task_file(dir_, id_));
  }

  void record(std::span<const double> scalars, std::span<const std::int32_t> walk) override {
    const auto T = static_cast<std::size_t>(layout_.temperatures);
    for (std::size_t k = 0; k < layout_.names.size(); ++k)
      pending_[k].insert(pending_[k].end(), scalars.begin() + k * T, scalars.begin() + (k + 1) * T);
    pending_walk_.insert(pending_walk_.end(), walk.begin(), walk.end());
    maybe_flush();
  }

  void record_vectors(std::int64_t measurement, std::span<const double> values) override {
    const std::size_t T = static_cast<std::size_t>(layout_.temperatures), len = layout_.vector_length;
    const std::size_t names = layout_.vector_names.size();
    for (std::size_t k = 0; k < names; ++k)
      for (std::size_t t = 0; t < T; ++t) {
        const auto* row = values.data() + (t * names + k) * len;
        pending_vectors_[k].insert(pending_vectors_[k].end(), row, row + len);
      }
    pending_vector_index_.push_back(static_cast<double>(measurement));
  }

  void progress(std::int64_t sweep, std::int64_t total) override {
    if (progress_) progress_(id_, sweep, total);
    maybe_flush();
  }

  void finish(const TaskFinal& f) override {
    write_pending();
    const auto T = static_cast<std::uint64_t>(layout_.temperatures), R = static_cast<std::uint64_t>(layout_.replicas);
    if (layout_.histogram_bins > 0)
      h5::write(group_, "overlap_histogram", f.histogram, {T, static_cast<std::uint64_t>(layout_.histogram_bins)});
    if (T > 1) {
      h5::write(group_, "swap_attempts", f.pair_attempts, {R, T - 1});
      h5::write(group_, "swap_accepts", f.pair_accepts, {R, T - 1});
    }
    h5::write(group_, "round_trips", f.round_trips, {R, T});
    h5::write(group_, "up_fraction", f.up_fraction, {T});
    h5::write_attr(group_, "sweeps", f.sweeps);
    h5::write_attr(group_, "swap_rounds", f.swap_rounds);
    h5::write_attr(group_, "seconds", f.seconds);
    h5::write_attr(group_, "sweep_seconds", f.sweep_seconds);
    h5::write_attr(group_, "complete", std::int64_t{1});
    h5::flush(file_);
    close();
    std::filesystem::remove(snapshot_file(task_file(dir_, id_)));
  }

 private:
  void start(const TaskId& id, const SeriesLayout& layout) {
    close();
    id_ = id;
    layout_ = layout;
    pending_.assign(layout.names.size(), {});
    pending_vectors_.assign(layout.vector_names.size(), {});
    pending_walk_.clear();
    pending_vector_index_.clear();
    last_flush_ = std::chrono::steady_clock::now();
  }
  void close() {
    series_.clear();
    vectors_.clear();
    walk_ = {};
    vector_index_ = {};
    group_ = {};
    file_ = {};
  }
  void maybe_flush() {
    const auto now = std::chrono::steady_clock::now();
    if (std::chrono::duration<double>(now - last_flush_).count() >= flush_seconds_) write_pending();
  }
  void write_pending() {
    for (std::size_t k = 0; k < series_.size(); ++k) {
      series_[k].append(std::span<const double>(pending_[k]));
      pending_[k].clear();
    }
    walk_.append(std::span<const std::int32_t>(pending_walk_));
    pending_walk_.clear();
    for (std::size_t k = 0; k < vectors_.size(); ++k) {
      vectors_[k].append(std::span<const double>(pending_vectors_[k]));
      pending_vectors_[k].clear();
    }
    if (!vectors_.empty()) vector_index_.append(std::span<const double>(pending_vector_index_));
    pending_vector_index_.clear();
    h5::write_attr(group_, "measurements", static_cast<std::int64_t>(walk_.rows()));
    h5::flush(file_);
    last_flush_ = std::chrono::steady_clock::now();
  }

  std::string dir_;
  double flush_seconds_;
  OutputFile::ProgressFn progress_;
  TaskId id_;
  SeriesLayout layout_;
  h5::Handle file_, group_;
  std::vector<h5::Appendable> series_, vectors_;
  h5::Appendable walk_, vector_index_;
  std::vector<std::vector<double>> pending_, pending_vectors_;
  std::vector<double> pending_vector_index_;
  std::vector<std::int32_t> pending_walk_;
  std::chrono::steady_clock::time_point last_flush_;
};

}  // namespace

std::string snapshot_file(const std::string& task) { return task + ".snap"; }

std::string task_file(const std::string& dir, const TaskId& id) {
  return fmt::format("{}/p{:04d}-s{:04d}.h5", dir, id.point, id.sample);
}

std::unique_ptr<TaskRecorder> task_file_recorder(const std::string& dir, double flush_seconds,
                                                 OutputFile::ProgressFn progress) {
  return std::make_unique<TaskFileWriter>(dir, flush_seconds, std::move(progress));
}

}  // namespace ptmc
