// Runs one task: R independent parallel-tempering chains of T temperatures on one disorder sample.
// OpenMP threads take whole configurations; every configuration has its own random stream, so the
// numbers do not depend on the thread count. Models are compile-time: no virtual call per flip.
#pragma once
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <vector>

#include "engine/params/config.hpp"
#include "engine/sweep/dynamics.hpp"
#include "engine/sweep/lane_sweep.hpp"
#include "engine/sweep/paired_sweep.hpp"
#include "engine/measurement_row.hpp"
#include "engine/model.hpp"
#include "engine/parallel/mpi_context.hpp"
#include "engine/parallel/pattern_split.hpp"
#include "engine/task.hpp"
#include "engine/sweep/tempering.hpp"
#include "engine/parallel/walker_threads.hpp"
#include "observables/equilibration.hpp"
#include "observables/histogram.hpp"

namespace ptmc {

struct EngineSettings {
  std::vector<double> beta;  // ascending
  int replicas = 1;
  std::int64_t swap_every = 1;
  RunConfig run;
  std::int64_t vector_every = 0;
  std::int64_t histogram_bins = 0;
  SwapScheme swaps = SwapScheme::sequential;  // which pairs a swap round attempts
};

inline EngineSettings engine_settings(const Config& c, std::size_t point) {
  return EngineSettings{c.beta_of(point), c.tempering.replicas, c.tempering.swap_every, c.run,
                        c.output.vector_every, c.output.histogram_bins, c.tempering.swaps};
}

// Stream keys: the replica field packs (chain, configuration) so that every walker is distinct.
inline StreamKey walker_key(std::uint64_t seed, TaskId id, int chain, int config, StreamPurpose purpose) {
  return StreamKey{seed, id.point, static_cast<std::uint64_t>(id.sample),
                   (static_cast<std::uint64_t>(chain) << 32) | static_cast<std::uint64_t>(config), purpose};
}

template <Model M>
class Simulation {
 public:
  using Params = typename M::Params;

  // With a TaskGroup of several ranks, each rank sweeps only its own walkers and the group shares
  // energies, acceptances and measurements (exact sums), so every rank holds the same ladder state
  // and the numbers equal those of one rank.
  Simulation(const Params& params, EngineSettings settings, TaskId id, const TaskGroup* group = nullptr)
      : params_(params), s_(std::move(settings)), id_(id), T_(static_cast<int>(s_.beta.size())), R_(s_.replicas),
        group_(group && group->size() > 1 ? group : nullptr) {
    Rng disorder_rng(StreamKey{s_.run.seed, id.point, static_cast<std::uint64_t>(id.sample), 0, StreamPurpose::disorder});
    disorder_ = M::make_disorder(params_, disorder_rng);
    for (int r = 0; r < R_; ++r) {
      ladders_.emplace_back(T_, s_.swaps);
      swap_rng_.emplace_back(StreamKey{s_.run.seed, id.point, static_cast<std::uint64_t>(id.sample),
                                       static_cast<std::uint64_t>(r), StreamPurpose::swaps});
      for (int c = 0; c < T_; ++c) {
        Rng init(walker_key(s_.run.seed, id, r, c, StreamPurpose::initial_state));
        walkers_.emplace_back(params_, disorder_, init);
        rng_.emplace_back(walker_key(s_.run.seed, id, r, c, StreamPurpose::dynamics));
      }
    }
    N_ = walkers_.front().size();
    model_names_ = M::observable_names(params_);
    if (model_names_.empty() || model_names_.front() != "m")
      throw std::logic_error("a model's first observable must be \"m\"");
    accepted_.assign(walkers_.size(), 0);
    row_layout_ = MeasurementRow{model_names_.size() - 1, R_ >= 2};
    threads_ = WalkerThreads(walkers_in_threads<M>(), static_cast<long long>(walkers_.size()));
    energies_.assign(walkers_.size(), 0.0);
    interval_accepted_.assign(static_cast<std::size_t>(T_), 0);
    interval_attempted_.assign(static_cast<std::size_t>(T_), 0);
    const int bins = s_.histogram_bins > 0 ? static_cast<int>(s_.histogram_bins) : N_ + 1;
    if (R_ >= 2) histograms_.assign(static_cast<std::size_t>(T_), OverlapHistogram(bins));
  }

  // Everything a measurement row holds, in order.
  SeriesLayout layout() const {
    SeriesLayout l;
    l.names = row_layout_.names(model_names_);
    l.temperatures = T_;
    l.replicas = R_;
    if constexpr (HasVectorObservables<M>) {
      if (s_.vector_every > 0) {
        l.vector_names = M::vector_names(params_);
        l.vector_length = M::vector_length(params_);
      }
    }
    l.histogram_bins = histograms_.empty() ? 0 : histograms_.front().bins();
    return l;
  }

  // Runs the task to the end, or from a checkpoint's state (bytes written by save_state) when given.
  // With a RunControl, checkpoints are taken when it asks, and a stop request ends the task there by
  // throwing TaskStopped after the checkpoint is saved.
  void run(TaskRecorder& out, RunControl* control = nullptr, const std::vector<std::uint8_t>* state = nullptr) {
    const auto start = std::chrono::steady_clock::now();
    const SeriesLayout l = layout();
    std::int64_t first_sweep = 0;
    measurements_ = 0;
    if (state) {
      Archive ar = Archive::reader(*state);
      serialize_state(ar);
      first_sweep = sweeps_done_;
      out.resume(id_, l, measurements_, vector_rows(l));
    } else {
      out.begin(id_, l);
    }
    row_.assign(l.names.size() * static_cast<std::size_t>(T_), 0.0);
    walk_.assign(static_cast<std::size_t>(R_) * T_, 0);
    if (!state) target_ = s_.run.thermalization + s_.run.sweeps;
    std::int64_t& total = target_;  // grows when auto_extend finds the run not yet equilibrated
    std::int64_t& measurements = measurements_;
    std::chrono::steady_clock::duration sweeping{};
    for (std::int64_t sweep_index = first_sweep; sweep_index < total; ++sweep_index) {
      bool due = control && sweep_index > first_sweep && control->checkpoint_due();
      if (group_) due = group_->share(due) != 0;  // the leader decides for the whole group
      if (due && control) {
        out.flush();
        sweeps_done_ = sweep_index;
        control->save(sweep_index, save_state());
        bool stop = control->stop_requested();
        if (group_) stop = group_->share(stop) != 0;
        if (stop) throw TaskStopped{};
      }
      const auto sweep_start = std::chrono::steady_clock::now();
      sweep_all();
      sweeping += std::chrono::steady_clock::now() - sweep_start;
      if (s_.swap_every > 0 && T_ > 1 && (sweep_index + 1) % s_.swap_every == 0) swap_all();
      const std::int64_t after = sweep_index + 1 - s_.run.thermalization;
      if (after > 0 && after % s_.run.measure_every == 0) {
        measure(l);
        out.record(row_, walk_);
        if (s_.run.auto_extend) remember(l);
        if (!l.vector_names.empty() && measurements % s_.vector_every == 0) out.record_vectors(measurements, vectors());
        ++measurements;
      } else if (after == 0) {
        reset_intervals();  // acceptance and swap rates count from the end of thermalization
      }
      if (sweep_index + 1 == total && s_.run.auto_extend && total < s_.run.max_sweeps && !equilibrated())
        total = std::min(s_.run.max_sweeps, s_.run.thermalization + 2 * (total - s_.run.thermalization));
      if ((sweep_index & 15) == 15 || sweep_index + 1 == total) out.progress(sweep_index + 1, total);
    }
    TaskFinal f;
    for (const auto& h : histograms_) f.histogram.insert(f.histogram.end(), h.counts().begin(), h.counts().end());
    for (const auto& lad : ladders_) {
      f.pair_attempts.insert(f.pair_attempts.end(), lad.pair_attempts().begin(), lad.pair_attempts().end());
      f.pair_accepts.insert(f.pair_accepts.end(), lad.pair_accepts().begin(), lad.pair_accepts().end());
      f.round_trips.insert(f.round_trips.end(), lad.round_trips().begin(), lad.round_trips().end());
    }
    f.up_fraction.assign(static_cast<std::size_t>(T_), NAN);
    for (int t = 0; t < T_; ++t) {
      std::int64_t up = 0, labelled = 0;
      for (const auto& lad : ladders_) {
        up += lad.up_count()[t];
        labelled += lad.labelled_count()[t];
      }
      if (labelled > 0) f.up_fraction[t] = static_cast<double>(up) / static_cast<double>(labelled);
    }
    f.swap_rounds = ladders_.front().rounds();
    f.sweeps = total;
    f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    f.sweep_seconds = std::chrono::duration<double>(sweeping).count();
    out.finish(f);
  }

  // The complete dynamical state: spins and caches, every random stream, the ladders, the
  // accumulators and the position in the schedule. Disorder is not saved: it is redrawn from its key.
  std::vector<std::uint8_t> save_state() {
    sync_walkers();
    Archive ar = Archive::writer();
    serialize_state(ar);
    return ar.bytes();
  }

  // Access for tests.
  const M& walker(int chain, int config) const { return walkers_[index(chain, config)]; }
  M& walker(int chain, int config) { return walkers_[index(chain, config)]; }
  const TemperatureLadder& ladder(int chain) const { return ladders_[chain]; }
  const typename M::Disorder& disorder() const { return *disorder_; }

 private:
  std::size_t index(int chain, int config) const { return static_cast<std::size_t>(chain) * T_ + config; }

  void serialize_state(Archive& ar) {
    std::uint64_t shape[3] = {static_cast<std::uint64_t>(T_), static_cast<std::uint64_t>(R_),
                              static_cast<std::uint64_t>(N_)};
    const std::uint64_t expected[3] = {shape[0], shape[1], shape[2]};
    ar.io(shape[0]);  // one by one: GCC 12 read the loop as writing past shape (-Wstringop-overflow)
    ar.io(shape[1]);
    ar.io(shape[2]);
    if (!std::equal(shape, shape + 3, expected)) throw std::runtime_error("checkpoint does not match this task's shape");
    ar.io(sweeps_done_);
    ar.io(measurements_);
    ar.io(target_);
    ar.io(history_);
    for (auto& w : walkers_) w.serialize(ar);
    for (auto& r : rng_) io_rng(ar, r);
    for (auto& r : swap_rng_) io_rng(ar, r);
    for (auto& lad : ladders_) lad.serialize(ar);
    ar.io(interval_accepted_);
    ar.io(interval_attempted_);
    for (auto& h : histograms_) ar.io(h.counts());
  }
  static void io_rng(Archive& ar, Rng& r) {
    auto st = r.state();
    ar.io(st);
    if (!ar.saving()) r = Rng::from_state(st);
  }
  // auto_extend keeps energy and m per temperature of every measurement: [measurement][2][T].
  void remember(const SeriesLayout& l) {
    (void)l;
    static_assert(MeasurementRow::energy == 0 && MeasurementRow::m == 1, "energy and m lead the row");
    history_.insert(history_.end(), row_.begin(), row_.begin() + 2 * T_);
  }
  // The run's own equilibration check (the summary applies the same one to the stored series).
  bool equilibrated() const {
    const std::size_t n = history_.size() / (2 * static_cast<std::size_t>(T_));
    std::vector<double> x(n);
    DriftFamily drift;
    for (int k = 0; k < 2; ++k)
      for (int t = 0; t < T_; ++t) {
        for (std::size_t i = 0; i < n; ++i) x[i] = history_[(i * 2 + k) * T_ + t];
        drift.add(drift_check(x));
      }
    if (!drift.passed()) return false;
    if (T_ > 1)
      for (const auto& lad : ladders_)
        for (auto trips : lad.round_trips())
          if (trips < s_.run.min_round_trips) return false;
    return true;
  }
  std::int64_t vector_rows(const SeriesLayout& l) const {
    if (l.vector_names.empty()) return 0;
    return (measurements_ + s_.vector_every - 1) / s_.vector_every;
  }

  void sweep_all() {
    const auto W = static_cast<std::int64_t>(walkers_.size());
    const bool calibrating = threads_.calibrating();
    const auto start = calibrating ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    bool swept = false;
    if constexpr (features_of<M>().lane_kernel)
      if (lanes_apply()) swept = sweep_in_lanes();
    if (!swept) {
      if constexpr (features_of<M>().resident_kernel) {
        sweep_in_pairs();
      } else {
#pragma omp parallel for schedule(monotonic : dynamic, 1) if (threads_.use())
        for (std::int64_t w = 0; w < W; ++w) accepted_[w] = sweep_walker(w);
      }
    }
    if (calibrating) threads_.record(std::chrono::steady_clock::now() - start);
    if (group_) group_->sum(accepted_);  // others' entries are zero here: the sum gathers them
    for (int r = 0; r < R_; ++r)
      for (int c = 0; c < T_; ++c) {
        const int t = ladders_[r].temperature_of(c);
        interval_accepted_[t] += accepted_[index(r, c)];
        interval_attempted_[t] += N_;
      }
  }

  // One sweep of walker w; 0 for a walker another rank of the group owns (filled in by the group sum).
  std::int64_t sweep_walker(std::int64_t w) {
    if (!owns(w)) return 0;
    return sweep(walkers_[w], beta_of(w), s_.run.dynamics, s_.run.order, rng_[w]);
  }
  double beta_of(std::int64_t w) const {
    const int r = static_cast<int>(w / T_), c = static_cast<int>(w % T_);
    return s_.beta[ladders_[r].temperature_of(c)];
  }
  // Walkers two at a time (engine/sweep/paired_sweep.hpp: the same attempts as one at a time, faster),
  // in the order of their temperatures, replica by replica: the replicas of one temperature go
  // together, or with one replica, neighbouring temperatures, so that the two usually choose the same
  // loop. A pair whose walkers two ranks of a group own is swept one by one.
  void sweep_in_pairs() {
    walker_order_.clear();
    for (int t = 0; t < T_; ++t)
      for (int r = 0; r < R_; ++r) walker_order_.push_back(static_cast<std::int64_t>(index(r, ladders_[r].config_at(t))));
    const auto pairs = static_cast<std::int64_t>((walker_order_.size() + 1) / 2);
#pragma omp parallel for schedule(monotonic : dynamic, 1) if (threads_.use())
    for (std::int64_t p = 0; p < pairs; ++p) {
      const std::int64_t a = walker_order_[2 * p];
      const std::int64_t b = 2 * p + 1 < static_cast<std::int64_t>(walker_order_.size()) ? walker_order_[2 * p + 1] : -1;
      if (b >= 0 && owns(a) && owns(b)) {
        const auto both = sweep_pair(walkers_[a], walkers_[b], {beta_of(a), beta_of(b)}, s_.run.dynamics, s_.run.order, rng_[a], rng_[b]);
        accepted_[a] = both[0];
        accepted_[b] = both[1];
      } else {
        accepted_[a] = sweep_walker(a);
        if (b >= 0) accepted_[b] = sweep_walker(b);
      }
    }
  }

  // Whether the model's lane kernel takes these walkers (it may decline a form it does not cover, or
  // lack AVX-512), asked of the first walker once: the form is fixed for the run.
  bool lanes_apply() {
    if (lanes_apply_ < 0) {
      M* first = &walkers_.front();
      lanes_apply_ = M::with_lane_kernel(std::span<M* const>(&first, 1), [](const auto&) -> std::int64_t { return 0; }) >= 0 ? 1 : 0;
    }
    return lanes_apply_ > 0;
  }
  // This rank's walkers in the lanes of one loop (engine/sweep/lane_sweep.hpp: the same attempts as
  // one at a time), up to eight at a time, in the order of their temperatures, replica by replica; a
  // walker whose last sweep accepted less than 1/16 of its attempts alone, as its rejections are then
  // settled faster one walker at a time (Curie–Weiss N = 4096, bench_acceptance: in lanes 282–340 M
  // flips/s from 99.9 % to 0.2 % acceptance; alone 130 M at 50 %, 217 M at 14 %, 421 M at 4 %, 805 M
  // at 0.2 %). The walkers are split into at least as many groups as the sweep has threads, of sizes
  // that differ by at most one; false, with nothing swept, where that leaves fewer than
  // kMinLaneWalkers to a group: a step of the lanes costs the same for one walker as for eight, and
  // below five that is slower than one at a time or in pairs (multitasking N = 4096, K = 4: eight in
  // lanes 250 M flips/s, two in pairs 140 M).
  static constexpr std::int64_t kMinLaneWalkers = 5;
  bool sweep_in_lanes() {
    walker_order_.clear();
    alone_.clear();
    for (int t = 0; t < T_; ++t)
      for (int r = 0; r < R_; ++r) {
        const auto w = static_cast<std::int64_t>(index(r, ladders_[r].config_at(t)));
        if (!owns(w)) continue;
        if (16 * accepted_[w] >= N_) walker_order_.push_back(w);
        else alone_.push_back(w);
      }
    const auto walkers = static_cast<std::int64_t>(walker_order_.size());
    const std::int64_t groups = walkers == 0 ? 0 : std::max<std::int64_t>((walkers + kSweepLanes - 1) / kSweepLanes, threads_.threads());
    if (walkers < kMinLaneWalkers * groups) return false;
    for (std::size_t w = 0; w < walkers_.size(); ++w)
      if (!owns(static_cast<std::int64_t>(w))) accepted_[w] = 0;  // another rank's: filled in by the group sum
#pragma omp parallel for schedule(monotonic : dynamic, 1) if (threads_.use())
    for (std::int64_t g = 0; g < groups; ++g) {
      const std::int64_t first = g * walkers / groups, count = (g + 1) * walkers / groups - first;
      std::array<M*, kSweepLanes> lane{};
      std::array<double, kSweepLanes> beta{};
      std::array<Rng*, kSweepLanes> stream{};
      for (std::int64_t l = 0; l < count; ++l) {
        const std::int64_t w = walker_order_[first + l];
        lane[l] = &walkers_[w];
        beta[l] = beta_of(w);
        stream[l] = &rng_[w];
      }
      const auto n = static_cast<std::size_t>(count);
      const auto accepted = sweep_lanes<M>(std::span<M* const>(lane.data(), n), std::span<const double>(beta.data(), n), s_.run.dynamics,
                                           s_.run.order, std::span<Rng* const>(stream.data(), n));
      for (std::int64_t l = 0; l < count; ++l) accepted_[walker_order_[first + l]] = accepted[l];
    }
    const auto single = static_cast<std::int64_t>(alone_.size());
#pragma omp parallel for schedule(monotonic : dynamic, 1) if (threads_.use())
    for (std::int64_t k = 0; k < single; ++k) accepted_[alone_[k]] = sweep_walker(alone_[k]);
    return true;
  }

  void swap_all() {
    refresh_energies();
    for (int r = 0; r < R_; ++r)
      ladders_[r].swap_round(s_.beta, std::span<const double>(energies_).subspan(index(r, 0), T_), swap_rng_[r]);
  }

  bool owns(std::int64_t w) const { return !group_ || group_->owns(w); }

  // Every walker's energy on every rank of the group, in parallel where the sweeps are (as measure()):
  // a model may sum its energy over its channels when asked (dense P = 4, N = 32, K = 1310: 6 % of a
  // one-thread ladder's time), which in a serial loop would not shrink with the thread count.
  void refresh_energies() {
#pragma omp parallel for schedule(static) if (threads_.use())
    for (std::int64_t w = 0; w < static_cast<std::int64_t>(walkers_.size()); ++w) energies_[w] = owns(w) ? walkers_[w].energy() : 0.0;
    if (group_) group_->sum(energies_);
  }

  // Spins of walker w: its own, or the group's shared copy (filled by share_spins).
  std::span<const std::int8_t> spins_of(std::size_t w) const {
    if (!group_) return walkers_[w].spins();
    return std::span<const std::int8_t>(shared_spins_).subspan(w * N_, N_);
  }
  void share_spins() {
    if (!group_) return;
    shared_spins_.assign(walkers_.size() * N_, 0);
    for (std::size_t w = 0; w < walkers_.size(); ++w)
      if (owns(w)) std::copy(walkers_[w].spins().begin(), walkers_[w].spins().end(), shared_spins_.begin() + w * N_);
    group_->sum(shared_spins_);
  }

  // Before a checkpoint: every rank gets the owner's full state of every walker (model and stream).
  void sync_walkers() {
    if (!group_) return;
    for (std::size_t w = 0; w < walkers_.size(); ++w) {
      const int owner = static_cast<int>(w % group_->size());
      std::vector<std::uint8_t> bytes;
      if (owns(w)) {
        Archive out = Archive::writer();
        walkers_[w].serialize(out);
        io_rng(out, rng_[w]);
        bytes = out.bytes();
      }
      group_->broadcast(bytes, owner);
      if (!owns(w)) {
        Archive in = Archive::reader(std::move(bytes));
        walkers_[w].serialize(in);
        io_rng(in, rng_[w]);
      }
    }
  }

  void reset_intervals() {
    std::fill(interval_accepted_.begin(), interval_accepted_.end(), 0);
    std::fill(interval_attempted_.begin(), interval_attempted_.end(), 0);
    for (auto& lad : ladders_) lad.reset_interval();
  }

  void measure(const SeriesLayout& l) {
    const std::size_t nm = model_names_.size();
    std::vector<double> obs(nm * walkers_.size(), 0.0);
#pragma omp parallel for schedule(static) if (threads_.use())
    for (std::int64_t w = 0; w < static_cast<std::int64_t>(walkers_.size()); ++w)
      if (owns(w)) walkers_[w].measure(std::span<double>(obs).subspan(static_cast<std::size_t>(w) * nm, nm));
    if (group_) group_->sum(obs);
    refresh_energies();
    if (R_ >= 2) share_spins();
    std::fill(row_.begin(), row_.end(), 0.0);
    auto at = [&](std::size_t name, int t) -> double& { return row_[name * T_ + t]; };
    const double inv_r = 1.0 / R_;
    for (int t = 0; t < T_; ++t) {
      for (int r = 0; r < R_; ++r) {
        const std::size_t w = index(r, ladders_[r].config_at(t));
        const double m = std::abs(obs[w * nm]);
        at(MeasurementRow::energy, t) += energies_[w] / N_ * inv_r;
        at(MeasurementRow::m, t) += m * inv_r;
        at(MeasurementRow::m2, t) += m * m * inv_r;
        at(MeasurementRow::m4, t) += m * m * m * m * inv_r;
        for (std::size_t k = 1; k < nm; ++k) at(MeasurementRow::model_first + k - 1, t) += obs[w * nm + k] * inv_r;
      }
      if (R_ >= 2) {
        const double pairs = R_ * (R_ - 1) / 2.0;
        for (int a = 0; a < R_; ++a)
          for (int b = a + 1; b < R_; ++b) {
            const double q = overlap(index(a, ladders_[a].config_at(t)), index(b, ladders_[b].config_at(t)));
            histograms_[t].add(q);
            at(row_layout_.q(), t) += std::abs(q) / pairs;
            at(row_layout_.q2(), t) += q * q / pairs;
            at(row_layout_.q4(), t) += q * q * q * q / pairs;
          }
      }
      at(row_layout_.acceptance(), t) = interval_attempted_[t] > 0
                        ? static_cast<double>(interval_accepted_[t]) / static_cast<double>(interval_attempted_[t])
                        : NAN;
      std::int64_t sw_att = 0, sw_acc = 0;
      for (const auto& lad : ladders_) {
        for (int p : {t - 1, t}) {
          if (p < 0 || p + 1 >= T_) continue;
          sw_att += lad.interval_attempts()[p];
          sw_acc += lad.interval_accepts()[p];
        }
      }
      at(row_layout_.swap_rate(), t) = sw_att > 0 ? static_cast<double>(sw_acc) / static_cast<double>(sw_att) : NAN;
    }
    for (int r = 0; r < R_; ++r)
      for (int c = 0; c < T_; ++c) walk_[index(r, c)] = ladders_[r].temperature_of(c);
    (void)l;
    reset_intervals();
  }

  double overlap(std::size_t a, std::size_t b) const {
    const auto sa = spins_of(a), sb = spins_of(b);
    std::int64_t s = 0;
    for (int i = 0; i < N_; ++i) s += sa[i] * sb[i];
    return static_cast<double>(s) / N_;
  }

  std::vector<double> vectors() const {
    std::vector<double> v;
    if constexpr (HasVectorObservables<M>) {
      const std::size_t len = M::vector_names(params_).size() * M::vector_length(params_);
      v.assign(len * T_, 0.0);
      for (int t = 0; t < T_; ++t) {
        const std::size_t w = index(0, ladders_[0].config_at(t));
        if (owns(w)) walkers_[w].measure_vectors(std::span<double>(v).subspan(t * len, len));
      }
      if (group_) group_->sum(v);
    }
    return v;
  }

  Params params_;
  EngineSettings s_;
  TaskId id_;
  int T_, R_;
  const TaskGroup* group_ = nullptr;
  int N_ = 0;
  std::shared_ptr<const typename M::Disorder> disorder_;
  std::vector<M> walkers_;  // [chain][configuration]
  std::vector<Rng> rng_;    // one dynamics stream per walker
  std::vector<TemperatureLadder> ladders_;
  std::vector<Rng> swap_rng_;  // one swap stream per chain
  ObservableNames model_names_;
  std::vector<std::int64_t> accepted_, interval_accepted_, interval_attempted_;
  std::vector<std::int64_t> walker_order_;  // walkers in the order sweep_in_pairs and sweep_in_lanes group them
  std::vector<std::int64_t> alone_;         // walkers sweep_in_lanes sweeps one by one
  int lanes_apply_ = -1;                    // lanes_apply(): not asked yet, no, yes
  std::vector<OverlapHistogram> histograms_;
  std::vector<double> row_;
  std::vector<std::int32_t> walk_;
  std::int64_t sweeps_done_ = 0, measurements_ = 0, target_ = 0;
  std::vector<double> energies_;          // [walker], shared over the group
  std::vector<std::int8_t> shared_spins_;  // [walker][N] at measurements, groups only
  std::vector<double> history_;
  MeasurementRow row_layout_;
  WalkerThreads threads_{false, 0};  // set once the walkers exist
};

}  // namespace ptmc
