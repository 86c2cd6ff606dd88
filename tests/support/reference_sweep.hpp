// engine/dynamics.hpp's sweep written out, so that a test compares engine/fast_sweep.hpp with the
// generic rules for certain (a model that opts in to the fast sweep would otherwise get it here too).
#pragma once
#include <cstdint>

#include "engine/dynamics.hpp"

namespace ptmc::testing {

template <class M>
std::int64_t reference_sweep(M& m, double beta, Dynamics dyn, SweepOrder order, Rng& rng) {
  std::int64_t acc = 0;
  for (int k = 0; k < m.size(); ++k) {
    const int i = order == SweepOrder::sequential ? k : static_cast<int>(rng.below(static_cast<std::uint32_t>(m.size())));
    const double dE = m.delta_energy(i);
    if (dyn == Dynamics::metropolis ? metropolis_accept(beta, dE, rng) : heat_bath_accept(beta, dE, rng)) {
      m.flip(i);
      ++acc;
    }
  }
  return acc;
}

}  // namespace ptmc::testing
