// End-of-run statistics of a sweep point: per temperature, the mean, error and τ_int of every series,
// binning within a sample and jackknife across disorder samples; derived Binder cumulants.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "engine/io/h5.hpp"

namespace ptmc {

struct ColumnStat {
  std::vector<double> mean, err, tau;  // one entry per temperature; err and tau empty for theory
};

struct PointSummary {
  std::vector<std::string> names;  // display order
  std::vector<ColumnStat> columns;
  int samples = 0;                 // disorder samples that contributed
  bool has_errors = true;

  const ColumnStat* find(const std::string& name) const;
};

// Statistics from the time series stored under a point group (works on interrupted runs too:
// it uses whatever was flushed).
// Adds the tempering diagnostics (pair_acceptance, up_fraction, round_trips_min, round_trip_time in
// sweeps, and equilibrated = 1/0 from the drift check and min_round_trips) and G over samples.
PointSummary compute_point_summary(const h5::Handle& point, std::int64_t min_round_trips = 1);
void write_point_summary(const h5::Handle& point, const PointSummary& s);
std::optional<PointSummary> read_point_summary(const h5::Handle& point);

// summary/pq [T][bins] (P(q) averaged over samples, normalised), pq_err and pq_q (bin centres),
// from the samples' overlap histograms; nothing when the run had one replica.
void write_overlap_distribution(const h5::Handle& point);

// Preferred display order: the contract's columns first, then the rest in the order given.
std::vector<std::string> display_order(const std::vector<std::string>& names);

}  // namespace ptmc
