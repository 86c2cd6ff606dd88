#include "engine/io/summary.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "engine/measurement_row.hpp"
#include "engine/io/output.hpp"
#include "observables/binning.hpp"
#include "observables/equilibration.hpp"
#include "observables/free_energy.hpp"
#include "observables/jackknife.hpp"
#include "observables/overlap_distribution.hpp"

namespace ptmc {

const ColumnStat* PointSummary::find(const std::string& name) const {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return &columns[k];
  return nullptr;
}

std::vector<std::string> display_order(const std::vector<std::string>& names) {
  static const std::vector<std::string_view> first = {
      series::energy, series::m, series::m2, series::q, series::q2, "binder", series::acceptance, series::swap_rate};
  std::vector<std::string> out;
  for (const auto f : first)
    if (std::find(names.begin(), names.end(), f) != names.end()) out.emplace_back(f);
  for (const auto& n : names)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

namespace {

// Binder cumulant g = (3 - <x4>/<x2>^2) / 2: 1 in an ordered phase, 0 for a Gaussian.
double binder(std::span<const double> a) { return 0.5 * (3.0 - a[1] / (a[0] * a[0])); }

struct SampleSeries {
  std::vector<std::string> names;
  std::vector<std::vector<double>> data;  // [name][row * T + t]: a measurement, or a bin of bin_size of them
  std::size_t rows = 0;
  std::int64_t bin_size = 1;                // 1: the full series ([output] series = "all", or bins not yet merged)
  std::vector<std::vector<double>> stats;  // bins: [name][row * T + t], rows count, sum, mean, m2 (bin_accumulator.hpp)
  // Tempering diagnostics, present once the sample is complete.
  std::vector<std::int64_t> round_trips, swap_attempts, swap_accepts;  // [R][T], [R][T-1]
  std::vector<double> up_fraction;                                     // [T]
  std::int64_t sweeps = 0;
};

std::vector<double> column(const SampleSeries& s, std::size_t name, int t, int T) {
  std::vector<double> out(s.rows);
  for (std::size_t k = 0; k < s.rows; ++k) out[k] = s.data[name][k * T + t];
  return out;
}

std::vector<double> finite(std::vector<double> v) {
  std::erase_if(v, [](double x) { return !std::isfinite(x); });
  return v;
}

// Binning statistics of one series at one temperature, from the full series or from its bins (bitwise
// the same mean and error, observables/binning.hpp). `drop` leaves out non-finite values first (bins
// are built skipping them).
BinningResult analyse(const SampleSeries& s, std::size_t name, int t, int T, bool drop = true) {
  if (s.bin_size <= 1) return drop ? binning_analysis(finite(column(s, name, t, T))) : binning_analysis(column(s, name, t, T));
  const auto& st = s.stats[name];
  const auto at = [&](std::size_t row) { return st[row * static_cast<std::size_t>(T) + static_cast<std::size_t>(t)]; };
  const auto bins = finite(column(s, name, t, T));
  return binning_analysis(StoredBins{bins, s.bin_size, at(0), at(1), at(3)});
}

// Block means for a jackknife over one sample: 32 blocks of the full series (the oldest remainder,
// under one block, left out), or from B stored bins B / ⌊B/32⌋ blocks (32 to 39 for B in [128, 256])
// of ⌊B/32⌋ whole bins each, so that, as from the full series, less than one block is left out.
std::vector<double> blocks_of(const SampleSeries& s, std::size_t name, int t, int T) {
  const auto x = column(s, name, t, T);
  if (s.bin_size <= 1 || x.size() < 32) return block_means(x, 32);
  const std::size_t per_block = x.size() / 32;
  return block_means(x, static_cast<int>(x.size() / per_block));
}

DriftCheck drift_of_series(const SampleSeries& s, std::size_t name, int t, int T) {
  return drift_check_bins(finite(column(s, name, t, T)), s.bin_size);
}

// Swap acceptance per pair, up-walker fraction, round trips and the equilibration verdict: every
// sample drift-free (energy and m at every temperature of every sample, judged as one family:
// observables/equilibration.hpp) and every replica with enough round trips.
void tempering_diagnostics(PointSummary& out, const std::vector<SampleSeries>& samples, int T, std::ptrdiff_t energy,
                           std::ptrdiff_t m, std::int64_t min_round_trips) {
  auto col = [&](const char* name) -> ColumnStat& {
    return out.columns[std::find(out.names.begin(), out.names.end(), name) - out.names.begin()];
  };
  ColumnStat &acc = col("pair_acceptance"), &up = col("up_fraction"), &trips = col("round_trips_min"),
             &rtt = col("round_trip_time"), &eq = col("equilibrated"), &barrier = col("barrier");
  std::vector<double> up_sum(T, 0.0), up_n(T, 0.0), att(T, 0.0), ok(T, 0.0);
  std::int64_t min_trips = -1, all_trips = 0, walker_sweeps = 0;
  bool equilibrated = !samples.empty();
  DriftFamily drift;  // every sample, temperature and observable of the point: one verdict
  for (const auto& s : samples) {
    for (std::size_t k = 0; k < s.swap_attempts.size(); ++k) {
      att[k % (T - 1)] += static_cast<double>(s.swap_attempts[k]);
      ok[k % (T - 1)] += static_cast<double>(s.swap_accepts[k]);
    }
    for (int t = 0; t < T && !s.up_fraction.empty(); ++t)
      if (std::isfinite(s.up_fraction[t])) {
        up_sum[t] += s.up_fraction[t];
        up_n[t] += 1;
      }
    if (s.round_trips.empty()) {
      equilibrated = false;  // an unfinished sample cannot be judged
    } else {
      for (auto r : s.round_trips) min_trips = min_trips < 0 ? r : std::min(min_trips, r);
      for (auto r : s.round_trips) all_trips += r;
      walker_sweeps += s.sweeps * static_cast<std::int64_t>(s.round_trips.size());
    }
    for (int t = 0; t < T; ++t)
      for (std::ptrdiff_t k : {energy, m})
        if (k >= 0) drift.add(drift_of_series(s, static_cast<std::size_t>(k), t, T));
  }
  if (!drift.passed()) equilibrated = false;
  if (T > 1 && min_trips >= 0 && min_trips < min_round_trips) equilibrated = false;
  for (int t = 0; t < T; ++t) {
    acc.mean[t] = t + 1 < T && att[t] > 0 ? ok[t] / att[t] : NAN;
    up.mean[t] = up_n[t] > 0 ? up_sum[t] / up_n[t] : NAN;
    trips.mean[t] = min_trips >= 0 ? static_cast<double>(min_trips) : NAN;
    rtt.mean[t] = all_trips > 0 ? static_cast<double>(walker_sweeps) / static_cast<double>(all_trips) : NAN;
    eq.mean[t] = equilibrated ? 1.0 : 0.0;
  }
  // Communication barrier Λ(β_t) = Σ_{i<t} r_i, r_i = 1 - A_i the rejection of pair i (Syed et al.
  // 2022): 0 at the hottest temperature, the whole ladder's Λ at the coldest.
  double lambda = 0;
  for (int t = 0; t < T; ++t) {
    barrier.mean[t] = lambda;
    if (t + 1 < T) lambda += 1.0 - acc.mean[t];
  }
}

}  // namespace

PointSummary compute_point_summary(const h5::Handle& point, std::int64_t min_round_trips) {
  PointSummary out;
  auto column_of = [&](const std::string& name) -> ColumnStat& {
    return out.columns[std::find(out.names.begin(), out.names.end(), name) - out.names.begin()];
  };
  const auto beta = h5::read_doubles(point, "beta");
  const int T = static_cast<int>(beta.size());
  std::vector<SampleSeries> samples;
  if (h5::exists(point, "samples")) {
    h5::Handle sg = h5::open_group(point, "samples");
    for (const auto& name : h5::children(sg)) {
      if (!h5::resolves(sg, name)) continue;  // a task not started yet (external link to no file)
      h5::Handle g = h5::open_group(sg, name);
      if (!h5::exists(g, "series")) continue;
      h5::Handle series = h5::open_group(g, "series");
      SampleSeries s;
      s.names = h5::children(series);
      for (const auto& n : s.names) s.data.push_back(h5::read_doubles(series, n));
      s.rows = s.data.empty() ? 0 : s.data.front().size() / static_cast<std::size_t>(T);
      std::int64_t measurements = static_cast<std::int64_t>(s.rows);
      if (h5::has_attr(series, "storage") && h5::read_attr_string(series, "storage") == "bins") {
        s.bin_size = h5::read_attr_int(series, "bin_size");
        measurements = h5::read_attr_int(g, "measurements");
        if (s.bin_size > 1) {
          h5::Handle stats = h5::open_group(g, "series_stats");
          for (const auto& n : s.names) s.stats.push_back(h5::read_doubles(stats, n));
        }
      }
      if (h5::exists(g, "round_trips")) {
        s.round_trips = h5::read_ints(g, "round_trips");
        s.up_fraction = h5::read_doubles(g, "up_fraction");
        s.sweeps = h5::read_attr_int(g, "sweeps");
      }
      if (h5::exists(g, "swap_attempts")) {
        s.swap_attempts = h5::read_ints(g, "swap_attempts");
        s.swap_accepts = h5::read_ints(g, "swap_accepts");
      }
      if (measurements >= 2 && s.rows >= 1) samples.push_back(std::move(s));
    }
  }
  out.samples = static_cast<int>(samples.size());
  if (samples.empty()) return out;
  const auto& names = samples.front().names;
  auto index_of = [&](std::string_view n) -> std::ptrdiff_t {
    auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? -1 : it - names.begin();
  };
  std::vector<std::string> all = names;
  const bool has_m = index_of(series::m2) >= 0 && index_of(series::m4) >= 0;
  const bool has_q = index_of(series::q2) >= 0 && index_of(series::q4) >= 0;
  if (has_m) all.push_back("binder");
  if (has_q) all.push_back("binder_q");
  if (has_q && samples.size() >= 2) all.push_back("G");
  const bool has_f = index_of(series::energy) >= 0 && T >= 2;
  if (has_f) all.push_back("free_energy");
  for (const char* d : {"pair_acceptance", "barrier", "up_fraction", "round_trips_min", "round_trip_time", "equilibrated"})
    all.push_back(d);
  out.names = display_order(all);
  out.columns.assign(out.names.size(), ColumnStat{});
  for (auto& c : out.columns) {
    c.mean.assign(T, NAN);
    c.err.assign(T, NAN);
    c.tau.assign(T, NAN);
  }
  const std::size_t S = samples.size();
  for (int t = 0; t < T; ++t) {
    // Primary series.
    for (std::size_t k = 0; k < names.size(); ++k) {
      ColumnStat& c = out.columns[std::find(out.names.begin(), out.names.end(), names[k]) - out.names.begin()];
      std::vector<double> means, errs, taus;
      for (const auto& s : samples) {
        const auto b = analyse(s, k, t, T);
        means.push_back(b.mean);
        errs.push_back(b.error);
        taus.push_back(b.tau_int);
      }
      if (S == 1) {
        c.mean[t] = means[0];
        c.err[t] = errs[0];
      } else {
        const Estimate e = mean_over_samples(means);
        c.mean[t] = e.value;
        c.err[t] = e.error;
      }
      double tau = 0;
      for (double x : taus) tau += x / static_cast<double>(S);
      c.tau[t] = tau;
    }
    // Binder cumulants: jackknife over 32 blocks of the one sample, or over disorder samples.
    auto derived = [&](const std::string& name, std::string_view x2, std::string_view x4) {
      ColumnStat& c = out.columns[std::find(out.names.begin(), out.names.end(), name) - out.names.begin()];
      const auto i2 = static_cast<std::size_t>(index_of(x2)), i4 = static_cast<std::size_t>(index_of(x4));
      std::vector<std::vector<double>> rows;
      if (S == 1) {
        const auto b2 = blocks_of(samples[0], i2, t, T);
        const auto b4 = blocks_of(samples[0], i4, t, T);
        for (std::size_t b = 0; b < b2.size(); ++b) rows.push_back({b2[b], b4[b]});
      } else {
        for (const auto& s : samples) {
          const auto m2 = analyse(s, i2, t, T, false).mean;
          const auto m4 = analyse(s, i4, t, T, false).mean;
          rows.push_back({m2, m4});
        }
      }
      const Estimate e = jackknife(rows, binder);
      c.mean[t] = e.value;
      c.err[t] = e.error;
    };
    if (has_m) derived("binder", series::m2, series::m4);
    if (has_q) derived("binder_q", series::q2, series::q4);
    // Non-self-averaging parameter G = ([<q²>²] - [<q²>]²) / ([<q⁴>] - [<q²>]²), jackknife over samples.
    if (has_q && S >= 2) {
      ColumnStat& c = column_of("G");
      const auto i2 = static_cast<std::size_t>(index_of(series::q2)), i4 = static_cast<std::size_t>(index_of(series::q4));
      std::vector<std::vector<double>> rows;
      for (const auto& sm : samples) {
        const double q2 = analyse(sm, i2, t, T, false).mean, q4 = analyse(sm, i4, t, T, false).mean;
        rows.push_back({q2, q2 * q2, q4});
      }
      const Estimate e = jackknife(rows, [](std::span<const double> a) { return (a[1] - a[0] * a[0]) / (a[2] - a[0] * a[0]); });
      c.mean[t] = e.value;
      c.err[t] = e.error;
    }
  }
  // Free energy per spin by thermodynamic integration of the energy from β = 0, where every model's
  // ±1 variables give ln Z / N = ln 2 (observables/free_energy.hpp); jackknife over 32 blocks of the
  // one sample, or over disorder samples (the quenched average), plus the quadrature bound.
  if (has_f) {
    const auto ie = static_cast<std::size_t>(index_of(series::energy));
    std::vector<std::vector<double>> rows;
    if (S == 1) {
      for (int t = 0; t < T; ++t) {
        const auto b = blocks_of(samples[0], ie, t, T);
        if (rows.empty()) rows.assign(b.size(), std::vector<double>(T, NAN));
        for (std::size_t k = 0; k < b.size() && k < rows.size(); ++k) rows[k][t] = b[k];
      }
    } else {
      for (const auto& sm : samples) {
        std::vector<double> row(T);
        for (int t = 0; t < T; ++t) row[t] = analyse(sm, ie, t, T).mean;
        rows.push_back(std::move(row));
      }
    }
    const FreeEnergyEstimate fe = free_energy(beta, rows);
    ColumnStat& c = column_of("free_energy");
    c.mean = fe.value;
    c.err = fe.error;
  }
  tempering_diagnostics(out, samples, T, index_of(series::energy), index_of(series::m), min_round_trips);
  return out;
}

void write_overlap_distribution(const h5::Handle& point) {
  if (!h5::exists(point, "samples")) return;
  h5::Handle sg = h5::open_group(point, "samples");
  std::vector<std::vector<std::int64_t>> counts;
  std::vector<std::uint64_t> shape;
  for (const auto& name : h5::children(sg)) {
    if (!h5::resolves(sg, name)) continue;
    h5::Handle g = h5::open_group(sg, name);
    if (!h5::exists(g, "overlap_histogram")) continue;
    shape = h5::shape(g, "overlap_histogram");
    counts.push_back(h5::read_ints(g, "overlap_histogram"));
  }
  if (counts.empty() || shape.size() != 2) return;
  const auto d = average_overlap_distribution(counts, static_cast<int>(shape[0]), static_cast<int>(shape[1]));
  h5::Handle g = h5::create_group(point, "summary");
  h5::write(g, "pq", d.density, {shape[0], shape[1]});
  h5::write(g, "pq_err", d.error, {shape[0], shape[1]});
  h5::write(g, "pq_q", d.q, {shape[1]});
}

void write_point_summary(const h5::Handle& point, const PointSummary& s) {
  h5::Handle g = h5::create_group(point, "summary");
  std::string names;
  for (std::size_t k = 0; k < s.names.size(); ++k) {
    names += (k ? "," : "") + s.names[k];
    const auto& c = s.columns[k];
    h5::write(g, s.names[k], c.mean, {c.mean.size()});
    if (s.has_errors) {
      h5::write(g, s.names[k] + "_err", c.err, {c.err.size()});
      h5::write(g, s.names[k] + "_tau", c.tau, {c.tau.size()});
    }
  }
  h5::write_attr(g, "columns", names);
  h5::write_attr(g, "samples", static_cast<std::int64_t>(s.samples));
  h5::write_attr(g, "has_errors", static_cast<std::int64_t>(s.has_errors));
}

std::optional<PointSummary> read_point_summary(const h5::Handle& point) {
  if (!h5::exists(point, "summary")) return std::nullopt;
  h5::Handle g = h5::open_group(point, "summary");
  PointSummary s;
  const std::string names = h5::read_attr_string(g, "columns");
  s.has_errors = h5::read_attr_int(g, "has_errors") != 0;
  s.samples = static_cast<int>(h5::read_attr_int(g, "samples"));
  std::size_t start = 0;
  while (start < names.size()) {
    std::size_t comma = names.find(',', start);
    if (comma == std::string::npos) comma = names.size();
    s.names.push_back(names.substr(start, comma - start));
    start = comma + 1;
  }
  for (const auto& n : s.names) {
    ColumnStat c;
    c.mean = h5::read_doubles(g, n);
    if (s.has_errors) {
      c.err = h5::read_doubles(g, n + "_err");
      c.tau = h5::read_doubles(g, n + "_tau");
    }
    s.columns.push_back(std::move(c));
  }
  return s;
}

}  // namespace ptmc
