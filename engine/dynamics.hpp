// Single-spin-flip acceptance rules and the sweep loop. β = +inf is zero-temperature dynamics.
#pragma once
#include <cmath>
#include <cstdint>

#include "engine/config.hpp"
#include "engine/rng.hpp"

namespace ptmc {

// Metropolis: accept with min(1, e^{-βΔE}); a uniform is drawn only when ΔE > 0.
inline bool metropolis_accept(double beta, double dE, Rng& rng) {
  return dE <= 0.0 || rng.uniform() < std::exp(-beta * dE);
}

// Heat bath (Glauber): accept with 1 / (1 + e^{βΔE}); at β = inf, ΔE = 0 is accepted with 1/2.
inline bool heat_bath_accept(double beta, double dE, Rng& rng) {
  const double x = dE == 0.0 ? 0.0 : beta * dE;
  return rng.uniform() * (1.0 + std::exp(x)) < 1.0;
}

// One sweep: N attempted flips, sites in random or sequential order. Returns accepted flips.
// The generator is copied into a local for the loop (the model cannot alias it, so its state stays
// in registers, as in engine/fast_sweep.hpp) and written back: the same draws.
template <class M>
std::int64_t sweep(M& model, double beta, Dynamics dynamics, SweepOrder order, Rng& stream) {
  Rng rng = stream;
  const int n = model.size();
  std::int64_t accepted = 0;
  for (int k = 0; k < n; ++k) {
    const int i = order == SweepOrder::sequential ? k : static_cast<int>(rng.below(static_cast<std::uint32_t>(n)));
    const double dE = model.delta_energy(i);
    const bool ok = dynamics == Dynamics::metropolis ? metropolis_accept(beta, dE, rng) : heat_bath_accept(beta, dE, rng);
    if (ok) {
      model.flip(i);
      ++accepted;
    }
  }
  stream = rng;
  return accepted;
}

}  // namespace ptmc
