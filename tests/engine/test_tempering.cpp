// Parallel-tempering bookkeeping: the swap rule, label permutations, and round-trip counting.
#include <cmath>
#include <doctest/doctest.h>
#include <limits>
#include <numeric>
#include <vector>

#include "engine/sweep/tempering.hpp"

using namespace ptmc;

TEST_CASE("swap acceptance is min(1, exp((b_lo - b_hi)(e_lo - e_hi)))") {
  // A hot configuration with lower energy than the cold one always moves down.
  CHECK(swap_accept(0.5, 1.0, -10.0, -5.0, 0.999999));
  // Otherwise the probability is exp(-0.5 * 5) = 0.0821.
  const double p = std::exp((0.5 - 1.0) * (-5.0 - -10.0));
  CHECK(swap_accept(0.5, 1.0, -5.0, -10.0, p * 0.999));
  CHECK_FALSE(swap_accept(0.5, 1.0, -5.0, -10.0, p * 1.001));
  // Zero temperature at the cold end: accepted iff the hot configuration is at least as low.
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(swap_accept(1.0, inf, -7.0, -7.0, 0.5));
  CHECK(swap_accept(1.0, inf, -8.0, -7.0, 0.5));
  CHECK_FALSE(swap_accept(1.0, inf, -6.0, -7.0, 1e-300));
}

TEST_CASE("swaps permute temperatures and count round trips") {
  const int T = 5;
  TemperatureLadder lad(T);
  std::vector<double> beta = {0.1, 0.2, 0.3, 0.4, 0.5};
  std::vector<double> energies(T, 0.0);  // equal energies: every swap is accepted
  Rng rng(3);
  for (int round = 0; round < 200; ++round) {
    lad.swap_round(beta, energies, rng);
    std::vector<int> seen(T, 0);
    for (int t = 0; t < T; ++t) {
      ++seen[lad.config_at(t)];
      REQUIRE(lad.temperature_of(lad.config_at(t)) == t);
    }
    for (int c : seen) REQUIRE(c == 1);
  }
  for (int p = 0; p + 1 < T; ++p) {
    CHECK(lad.pair_attempts()[p] == 200);
    CHECK(lad.pair_accepts()[p] == 200);
  }
  // Sequential sweeps of accepted swaps from the bottom move configuration 0 up by one level each
  // round and shift everything else down, so every configuration keeps cycling through both ends.
  const auto trips = std::accumulate(lad.round_trips().begin(), lad.round_trips().end(), std::int64_t{0});
  CHECK(trips > 0);
  CHECK(lad.rounds() == 200);
  // Nothing is ever accepted when energies strongly favour the current order.
  TemperatureLadder frozen(T);
  std::vector<double> e = {4e4, 2e4, 0, -2e4, -4e4};  // cold temperatures hold the low energies
  for (int round = 0; round < 50; ++round) frozen.swap_round(beta, e, rng);
  for (int t = 0; t < T; ++t) CHECK(frozen.config_at(t) == t);
  CHECK(std::accumulate(frozen.round_trips().begin(), frozen.round_trips().end(), std::int64_t{0}) == 0);
}
