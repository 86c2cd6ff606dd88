// Parallel tempering bookkeeping for one chain: which configuration sits at which temperature,
// neighbour swaps that exchange temperature labels (never configurations), swap statistics,
// and each configuration's walk between the ends of the ladder (round trips, up/down labels).
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "engine/io/archive.hpp"
#include "engine/sweep/rng.hpp"
#include "engine/sweep/swap_scheme.hpp"

namespace ptmc {

// Exchange acceptance for configurations with energies e_lo at β_lo and e_hi at β_hi:
// min(1, exp((β_lo - β_hi)(e_lo - e_hi))), with +inf temperatures handled without NaN.
bool swap_accept(double beta_lo, double beta_hi, double e_lo, double e_hi, double uniform);

class TemperatureLadder {
 public:
  explicit TemperatureLadder(int temperatures = 1, SwapScheme scheme = SwapScheme::sequential);

  int size() const { return static_cast<int>(config_at_.size()); }
  int config_at(int t) const { return config_at_[t]; }       // configuration at temperature index t
  int temperature_of(int c) const { return temperature_of_[c]; }

  // One round of swaps over the pairs the scheme visits this round, in ascending order; one uniform
  // drawn per attempted pair. energies[c] is configuration c's energy.
  void swap_round(std::span<const double> beta, std::span<const double> energies, Rng& rng);

  // Per pair t <-> t+1: attempts and acceptances since construction, and since the last reset_interval().
  const std::vector<std::int64_t>& pair_attempts() const { return pair_attempts_; }
  const std::vector<std::int64_t>& pair_accepts() const { return pair_accepts_; }
  const std::vector<std::int64_t>& interval_attempts() const { return interval_attempts_; }
  const std::vector<std::int64_t>& interval_accepts() const { return interval_accepts_; }
  void reset_interval();

  // Walk diagnostics. A configuration is labelled "up" (+1) after visiting the hottest temperature
  // (index 0) and "down" (-1) after visiting the coldest; a round trip is hot -> cold -> hot.
  const std::vector<std::int64_t>& up_count() const { return up_count_; }  // per temperature, per swap round
  const std::vector<std::int64_t>& labelled_count() const { return labelled_count_; }
  const std::vector<std::int64_t>& round_trips() const { return round_trips_; }  // per configuration
  std::int64_t rounds() const { return rounds_; }
  SwapScheme scheme() const { return scheme_; }

  void serialize(Archive& ar);

 private:
  void update_labels();
  std::vector<int> config_at_, temperature_of_;
  std::vector<std::int64_t> pair_attempts_, pair_accepts_, interval_attempts_, interval_accepts_;
  std::vector<int> label_;  // per configuration: 0 none, +1 last visited hot end, -1 cold end
  std::vector<std::int64_t> up_count_, labelled_count_, round_trips_;
  std::int64_t rounds_ = 0;
  SwapScheme scheme_ = SwapScheme::sequential;
};

}  // namespace ptmc
