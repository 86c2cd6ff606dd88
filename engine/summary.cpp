#include "engine/summary.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "engine/output.hpp"
#include "observables/binning.hpp"
#include "observables/jackknife.hpp"

namespace ptmc {

const ColumnStat* PointSummary::find(const std::string& name) const {
  for (std::size_t k = 0; k < names.size(); ++k)
    if (names[k] == name) return &columns[k];
  return nullptr;
}

std::vector<std::string> display_order(const std::vector<std::string>& names) {
  static const std::vector<std::string> first = {"energy", "m", "m2", "q", "q2", "binder", "acceptance", "swap_rate"};
  std::vector<std::string> out;
  for (const auto& f : first)
    if (std::find(names.begin(), names.end(), f) != names.end()) out.push_back(f);
  for (const auto& n : names)
    if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  return out;
}

namespace {

// Binder cumulant g = (3 - <x4>/<x2>^2) / 2: 1 in an ordered phase, 0 for a Gaussian.
double binder(std::span<const double> a) { return 0.5 * (3.0 - a[1] / (a[0] * a[0])); }

struct SampleSeries {
  std::vector<std::string> names;
  std::vector<std::vector<double>> data;  // [name][measurement * T + t]
  std::size_t rows = 0;
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

}  // namespace

PointSummary compute_point_summary(const h5::Handle& point) {
  PointSummary out;
  const auto beta = h5::read_doubles(point, "beta");
  const int T = static_cast<int>(beta.size());
  std::vector<SampleSeries> samples;
  if (h5::exists(point, "samples")) {
    h5::Handle sg = h5::open_group(point, "samples");
    for (const auto& name : h5::children(sg)) {
      h5::Handle g = h5::open_group(sg, name);
      if (!h5::exists(g, "series")) continue;
      h5::Handle series = h5::open_group(g, "series");
      SampleSeries s;
      s.names = h5::children(series);
      for (const auto& n : s.names) s.data.push_back(h5::read_doubles(series, n));
      s.rows = s.data.empty() ? 0 : s.data.front().size() / static_cast<std::size_t>(T);
      if (s.rows >= 2) samples.push_back(std::move(s));
    }
  }
  out.samples = static_cast<int>(samples.size());
  if (samples.empty()) return out;
  const auto& names = samples.front().names;
  auto index_of = [&](const std::string& n) -> std::ptrdiff_t {
    auto it = std::find(names.begin(), names.end(), n);
    return it == names.end() ? -1 : it - names.begin();
  };
  std::vector<std::string> all = names;
  const bool has_m = index_of("m2") >= 0 && index_of("m4") >= 0;
  const bool has_q = index_of("q2") >= 0 && index_of("q4") >= 0;
  if (has_m) all.push_back("binder");
  if (has_q) all.push_back("binder_q");
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
        const auto b = binning_analysis(finite(column(s, k, t, T)));
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
    auto derived = [&](const std::string& name, const char* x2, const char* x4) {
      ColumnStat& c = out.columns[std::find(out.names.begin(), out.names.end(), name) - out.names.begin()];
      const auto i2 = static_cast<std::size_t>(index_of(x2)), i4 = static_cast<std::size_t>(index_of(x4));
      std::vector<std::vector<double>> rows;
      if (S == 1) {
        const auto b2 = block_means(column(samples[0], i2, t, T), 32);
        const auto b4 = block_means(column(samples[0], i4, t, T), 32);
        for (std::size_t b = 0; b < b2.size(); ++b) rows.push_back({b2[b], b4[b]});
      } else {
        for (const auto& s : samples) {
          const auto m2 = binning_analysis(column(s, i2, t, T)).mean;
          const auto m4 = binning_analysis(column(s, i4, t, T)).mean;
          rows.push_back({m2, m4});
        }
      }
      const Estimate e = jackknife(rows, binder);
      c.mean[t] = e.value;
      c.err[t] = e.error;
    };
    if (has_m) derived("binder", "m2", "m4");
    if (has_q) derived("binder_q", "q2", "q4");
  }
  return out;
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
