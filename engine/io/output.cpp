#include "engine/io/output.hpp"

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <stdexcept>

#include "engine/io/durable_file.hpp"
#include "observables/bin_accumulator.hpp"
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
  if (kind == "monte_carlo") {
    h5::write_attr(file_, "series", std::string(cfg.output.series == SeriesStorage::bins ? "bins" : "all"));
    if (cfg.output.series == SeriesStorage::bins) h5::write_attr(file_, "max_bins", cfg.output.max_bins);
  }
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
//
// With binned series (bins_), series/<name> holds the complete bins [B, T] of a BinAccumulator, and
// series_stats/<name> [4 + k, T] its count, sum, Welford mean and m2 and the pending partial bins; both
// are rewritten from the start when the bins merge (at most log2(n / max_bins) times), the stats at
// every write. The series group's attributes say how: storage = "bins", bin_size, max_bins. The walk
// then keeps its first binned_walk_rows measurements (a picture of the mixing; the run counts round
// trips and up_fraction over all of them), so that a task of any length has a bounded file.
constexpr std::int64_t binned_walk_rows = 1024;

class TaskFileWriter final : public TaskRecorder {
 public:
  TaskFileWriter(std::string dir, const OutputConfig& output, OutputFile::ProgressFn progress)
      : dir_(std::move(dir)), flush_seconds_(output.flush_seconds), configured_bins_(output.series == SeriesStorage::bins),
        configured_max_bins_(output.max_bins), progress_(std::move(progress)) {}

  void begin(const TaskId& id, const SeriesLayout& layout) override {
    bins_ = configured_bins_;
    max_bins_ = configured_max_bins_;
    start(id, layout);
    std::filesystem::remove(snapshot_file(task_file(dir_, id)));  // from an earlier start of this task
    std::filesystem::remove(previous_snapshot_file(task_file(dir_, id)));
    file_ = h5::open_file(task_file(dir_, id), h5::Mode::create);
    group_ = h5::create_group(file_, point_group(id.point) + "/" + sample_group(id.sample));
    h5::write_attr(group_, "complete", std::int64_t{0});
    h5::write_attr(group_, "sample", id.sample);
    h5::Handle series = h5::create_group(group_, "series");
    const auto T = static_cast<std::uint64_t>(layout.temperatures);
    if (bins_) {
      series_group_ = std::move(series);
      stats_group_ = h5::create_group(group_, "series_stats");
      h5::write_attr(series_group_, "storage", std::string("bins"));
      h5::write_attr(series_group_, "max_bins", max_bins_);
      h5::write_attr(series_group_, "bin_size", std::int64_t{1});
      for (const auto& name : layout.names) {
        series_.emplace_back(series_group_, name, h5::Appendable::Type::f64, std::vector<std::uint64_t>{T}, bin_chunk());
        stats_.emplace_back(stats_group_, name, h5::Appendable::Type::f64, std::vector<std::uint64_t>{T}, 16);
      }
    } else {
      for (const auto& name : layout.names)
        series_.emplace_back(series, name, h5::Appendable::Type::f64, std::vector<std::uint64_t>{T}, 1024);
    }
    walk_ = h5::Appendable(group_, "walk", h5::Appendable::Type::i32,
                           std::vector<std::uint64_t>{static_cast<std::uint64_t>(layout.replicas), T}, 1024);
    if (!layout.vector_names.empty()) {
      h5::Handle vectors = h5::create_group(group_, "vectors");
      for (const auto& name : layout.vector_names)
        vectors_.emplace_back(vectors, name, h5::Appendable::Type::f64,
                              std::vector<std::uint64_t>{T, layout.vector_length}, 16);
      vector_index_ = h5::Appendable(vectors, "measurement", h5::Appendable::Type::f64, {}, 256);
    }
    // Nothing is recorded yet: the layout and the count reach the disk, and the series (with their
    // stats) are written with the first rows. Writing the empty stats here cost a task 1.6-2.4 ms, a
    // fifth of a short task's time outside its sweeps.
    h5::write_attr(group_, "measurements", std::int64_t{0});
    h5::flush(file_);
  }

  void resume(const TaskId& id, const SeriesLayout& layout, std::int64_t measurements, std::int64_t vector_rows) override {
    // The task continues as its file began (a run started by a ptmc with the other default, or before
    // series = "bins" existed, keeps its storage); the parameter file decides only for a file unread.
    bins_ = configured_bins_;
    max_bins_ = configured_max_bins_;
    stored_storage(id);
    start(id, layout);
    // The copy taken with the checkpoint (or with a later one that was not written: it holds at least
    // the rows the checkpoint counts); the file as it was left only where there is no copy. Bins cannot
    // be cut back, so with bins it is the copy of exactly the checkpoint's measurements: the latest, or
    // the one before it (a kill between the copy and its checkpoint), or the file itself.
    const std::string path = task_file(dir_, id), snap = snapshot_file(path);
    if (bins_) {
      const std::string from = matching_copy(id, measurements);
      if (from != path) copy_file_durably(from, path);
    } else if (std::filesystem::exists(snap)) {
      copy_file_durably(snap, path);
    }
    file_ = h5::open_file(path, h5::Mode::read_write);
    group_ = h5::open_group(file_, point_group(id.point) + "/" + sample_group(id.sample));
    const auto rows = static_cast<std::uint64_t>(measurements), vrows = static_cast<std::uint64_t>(vector_rows);
    h5::Handle series = h5::open_group(group_, "series");
    if (bins_) {
      series_group_ = std::move(series);
      stats_group_ = h5::open_group(group_, "series_stats");
      const std::int64_t bin_size = h5::read_attr_int(series_group_, "bin_size");
      int level = 0;
      while ((std::int64_t{1} << level) < bin_size) ++level;
      const std::size_t T = static_cast<std::size_t>(layout.temperatures), names = layout.names.size();
      const std::size_t count = static_cast<std::size_t>(measurements >> level);
      std::vector<double> bins(count * names * T), stats((BinAccumulator::moments + level) * names * T);
      for (std::size_t k = 0; k < names; ++k) {
        const auto b = h5::read_doubles(series_group_, layout.names[k]), st = h5::read_doubles(stats_group_, layout.names[k]);
        if (b.size() < count * T || st.size() != (BinAccumulator::moments + level) * T)
          throw std::runtime_error(fmt::format("{}: series/{} holds {} bins, series_stats {} rows; the checkpoint's {} measurements need {} and {}",
                                               path, layout.names[k], b.size() / T, st.size() / T, measurements, count,
                                               BinAccumulator::moments + level));
        for (std::size_t i = 0; i < count; ++i) std::copy_n(b.begin() + i * T, T, bins.begin() + (i * names + k) * T);
        for (std::size_t r = 0; r < BinAccumulator::moments + level; ++r)
          std::copy_n(st.begin() + r * T, T, stats.begin() + (r * names + k) * T);
      }
      acc_.restore(measurements, level, bins, stats);
      written_bins_ = count;
      written_level_ = level;
      for (const auto& name : layout.names) {
        series_.push_back(h5::Appendable::open_existing(series_group_, name, h5::Appendable::Type::f64, count));
        stats_.push_back(h5::Appendable::open_existing(stats_group_, name, h5::Appendable::Type::f64, 0));
      }
    } else {
      for (const auto& name : layout.names)
        series_.push_back(h5::Appendable::open_existing(series, name, h5::Appendable::Type::f64, rows));
    }
    walk_ = h5::Appendable::open_existing(group_, "walk", h5::Appendable::Type::i32,
                                          bins_ ? std::min<std::uint64_t>(rows, binned_walk_rows) : rows);
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
    const std::string path = task_file(dir_, id_), snap = snapshot_file(path);
    if (bins_ && std::filesystem::exists(snap)) std::filesystem::rename(snap, previous_snapshot_file(path));
    write_snapshot(path);
  }

  void record(std::span<const double> scalars, std::span<const std::int32_t> walk) override {
    const auto T = static_cast<std::size_t>(layout_.temperatures);
    if (bins_) acc_.add(scalars);
    else
      for (std::size_t k = 0; k < layout_.names.size(); ++k)
        pending_[k].insert(pending_[k].end(), scalars.begin() + k * T, scalars.begin() + (k + 1) * T);
    if (!bins_ || acc_.measurements() <= binned_walk_rows) pending_walk_.insert(pending_walk_.end(), walk.begin(), walk.end());
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
    std::filesystem::remove(previous_snapshot_file(task_file(dir_, id_)));
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
    if (bins_) acc_ = BinAccumulator(layout.names.size() * static_cast<std::size_t>(layout.temperatures), static_cast<std::size_t>(max_bins_));
    written_bins_ = 0;
    written_level_ = 0;
    last_flush_ = std::chrono::steady_clock::now();
  }
  std::uint64_t bin_chunk() const { return static_cast<std::uint64_t>(std::min<std::int64_t>(max_bins_, 1024)); }
  // Sets bins_ and max_bins_ from the first readable of the task file's copies and the file itself.
  void stored_storage(const TaskId& id) {
    const std::string path = task_file(dir_, id);
    for (const std::string& f : {snapshot_file(path), previous_snapshot_file(path), path}) {
      if (!std::filesystem::exists(f)) continue;
      try {
        h5::Handle file = h5::open_file(f, h5::Mode::read);
        h5::Handle series = h5::open_group(file, point_group(id.point) + "/" + sample_group(id.sample) + "/series");
        bins_ = h5::has_attr(series, "storage") && h5::read_attr_string(series, "storage") == "bins";
        if (bins_) max_bins_ = h5::read_attr_int(series, "max_bins");
        return;
      } catch (const std::exception&) {
        continue;  // caught in the middle of a write, or noise
      }
    }
  }
  // The task file, or a copy of it, whose recorded measurements are the checkpoint's.
  std::string matching_copy(const TaskId& id, std::int64_t measurements) const {
    const std::string path = task_file(dir_, id);
    std::string seen;
    for (const std::string& f : {snapshot_file(path), previous_snapshot_file(path), path}) {
      if (!std::filesystem::exists(f)) continue;
      std::int64_t have = -1;
      try {
        h5::Handle file = h5::open_file(f, h5::Mode::read);
        have = h5::read_attr_int(h5::open_group(file, point_group(id.point) + "/" + sample_group(id.sample)), "measurements");
      } catch (const std::exception&) {
        continue;  // caught in the middle of a write
      }
      if (have == measurements) return f;
      seen += fmt::format("{}{} has {}", seen.empty() ? "" : ", ", f, have);
    }
    throw std::runtime_error(fmt::format("no copy of the task file holds the checkpoint's {} measurements ({})", measurements,
                                         seen.empty() ? "none readable" : seen));
  }
  // Binned series: the bins not yet in the file (all of them after a merge), then the stats.
  void write_bins() {
    const std::size_t T = static_cast<std::size_t>(layout_.temperatures), names = layout_.names.size();
    const std::size_t count = acc_.bin_count();
    if (acc_.level() != written_level_) {
      for (std::size_t k = 0; k < names; ++k)
        series_[k] = h5::Appendable::open_existing(series_group_, layout_.names[k], h5::Appendable::Type::f64, 0);
      written_bins_ = 0;
      written_level_ = acc_.level();
      h5::write_attr(series_group_, "bin_size", acc_.bin_size());
    }
    const auto bins = acc_.bins();
    std::vector<double> rows;
    for (std::size_t k = 0; k < names; ++k) {
      rows.clear();
      for (std::size_t i = written_bins_; i < count; ++i) rows.insert(rows.end(), bins.begin() + (i * names + k) * T, bins.begin() + (i * names + k + 1) * T);
      series_[k].append(std::span<const double>(rows));
    }
    written_bins_ = count;
    const auto stats = acc_.stats();
    for (std::size_t k = 0; k < names; ++k) {
      rows.clear();
      for (std::size_t r = 0; r < acc_.stats_rows(); ++r)
        rows.insert(rows.end(), stats.begin() + (r * names + k) * T, stats.begin() + (r * names + k + 1) * T);
      stats_[k] = h5::Appendable::open_existing(stats_group_, layout_.names[k], h5::Appendable::Type::f64, 0);
      stats_[k].append(std::span<const double>(rows));
    }
  }
  void close() {
    series_.clear();
    stats_.clear();
    series_group_ = {};
    stats_group_ = {};
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
    if (bins_) write_bins();
    else
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
    h5::write_attr(group_, "measurements", bins_ ? acc_.measurements() : static_cast<std::int64_t>(walk_.rows()));
    h5::flush(file_);
    last_flush_ = std::chrono::steady_clock::now();
  }

  std::string dir_;
  double flush_seconds_;
  bool configured_bins_;
  std::int64_t configured_max_bins_;
  bool bins_ = false;          // this task's storage: configured, or as its file began (resume)
  std::int64_t max_bins_ = 0;
  OutputFile::ProgressFn progress_;
  BinAccumulator acc_;
  std::size_t written_bins_ = 0;  // bins of acc_ already in the file, at level written_level_
  int written_level_ = 0;
  h5::Handle series_group_, stats_group_;
  std::vector<h5::Appendable> stats_;
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
std::string previous_snapshot_file(const std::string& task) { return task + ".snap.prev"; }

std::string task_file(const std::string& dir, const TaskId& id) {
  return fmt::format("{}/p{:04d}-s{:04d}.h5", dir, id.point, id.sample);
}

std::unique_ptr<TaskRecorder> task_file_recorder(const std::string& dir, const OutputConfig& output,
                                                 OutputFile::ProgressFn progress) {
  return std::make_unique<TaskFileWriter>(dir, output, std::move(progress));
}

}  // namespace ptmc
