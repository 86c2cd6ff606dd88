// engine/sweep/dynamics.hpp's sweep written out, so that a test compares engine/sweep/fast_sweep.hpp with the
// generic rules for certain (a model that opts in to the fast sweep would otherwise get it here too),
// and the comparison itself.
#pragma once
#include <algorithm>
#include <cstdint>
#include <doctest/doctest.h>
#include <vector>

#include "engine/sweep/dynamics.hpp"
#include "engine/sweep/fast_sweep.hpp"

namespace ptmc::testing {

template <class M>
std::int64_t reference_sweep(M& m, double beta, Dynamics dyn, SweepOrder order, Rng& rng) {
  std::int64_t acc = 0;
  const bool sequential = order == SweepOrder::sequential;
  for (int k = 0; k < m.size(); ++k) {
    const std::uint64_t draw = sequential ? 0 : rng();
    const int i = sequential ? k : attempt_site(draw, m.size());
    const double dE = m.delta_energy(i);
    const auto uniform = [&] { return attempt_uniform(sequential, draw, rng); };
    if (dyn == Dynamics::metropolis ? metropolis_accept(beta, dE, uniform, rng) : heat_bath_accept(beta, dE, uniform, rng)) {
      m.flip(i);
      ++acc;
    }
  }
  return acc;
}

// `sweeps` sweeps of a by sweep() (the fast sweep for a model that opts in) and of b, in the same
// state, by reference_sweep, each with a stream seeded `seed`: the same accepted counts, the same
// spins (spins() or a member s), the same generator states and the same cached energy after every sweep.
template <class A, class B>
void check_same_sweeps(A& a, B& b, double beta, Dynamics dyn, SweepOrder order, int sweeps, std::uint64_t seed) {
  auto spins = [](const auto& m) {
    if constexpr (requires { m.spins(); }) return std::vector<std::int8_t>(m.spins().begin(), m.spins().end());
    else return m.s;
  };
  Rng ra(seed), rb(seed);
  for (int k = 0; k < sweeps; ++k) {
    CAPTURE(k);
    REQUIRE(sweep(a, beta, dyn, order, ra) == reference_sweep(b, beta, dyn, order, rb));
    REQUIRE(spins(a) == spins(b));
    REQUIRE(ra == rb);
    // The cached energy too (a kernel that holds state for a sweep writes it back at the end).
    if constexpr (requires { a.energy(); b.energy(); }) REQUIRE(a.energy() == b.energy());
  }
}

}  // namespace ptmc::testing
