// Two walkers of one model swept together, one attempt of each in turn, for models with a resident
// kernel (features.resident_kernel). Each walker makes the same attempts with the same draws as its
// own sweep() (engine/sweep/fast_sweep.hpp) would: only the interleaving is new. Why: one walker's
// resident loop waits on its own chain (the flip, the next ΔE's sum, the table entry), which leaves
// the core idle; two independent chains in one loop fill it. bench_acceptance, sweep() against
// sweep_pair(), flips/s per walker: Hopfield N = 4096, K = 256 at 29-86 % acceptance 75-77 -> 79-85 M;
// multitasking N = 4096, K = 4 at 42-97 % 92-94 -> 131 M.
#pragma once
#include <array>
#include <cstdint>
#include <type_traits>

#include "engine/sweep/fast_sweep.hpp"

namespace ptmc {

namespace detail {

// Attempts k0..k1-1 of two walkers through their resident kernels, alternating; their acceptances.
template <bool metropolis, bool negative, bool sequential, class Kernel>
std::array<std::int64_t, 2> resident_pair_loop(const Kernel& first, const Kernel& second, int n, double unit, std::array<double, 2> beta,
                                               std::array<AcceptanceTable*, 2> table, std::array<Rng*, 2> stream, int k0, int k1) {
  if (k0 >= k1) return {0, 0};
  // Plain locals, as in resident_sweep_loop.
  Kernel kernel_a = first, kernel_b = second;
  Rng rng_a = *stream[0], rng_b = *stream[1];
  ResidentPosition at_a = resident_start<sequential>(kernel_a, rng_a, n, k0), at_b = resident_start<sequential>(kernel_b, rng_b, n, k0);
  const auto parked = [&](const auto& f) { return resident_parked(f, kernel_a, kernel_b); };
  const AcceptanceTable::Layout lookup_a = table[0]->layout(), lookup_b = table[1]->layout();
  for (int k = k0; k < k1; ++k) {
    const bool last = k + 1 == k1;
    resident_attempt<metropolis, negative, sequential>(kernel_a, rng_a, lookup_a, *table[0], unit, beta[0], n, at_a, last, parked);
    resident_attempt<metropolis, negative, sequential>(kernel_b, rng_b, lookup_b, *table[1], unit, beta[1], n, at_b, last, parked);
  }
  kernel_a.store(at_a.accepted);
  kernel_b.store(at_b.accepted);
  *stream[0] = rng_a;
  *stream[1] = rng_b;
  return {at_a.accepted, at_b.accepted};
}

// Both walkers' sweeps after their probes, through one resident_pair_loop when both probes chose a
// resident kernel and the two kernels have one type; else each walker's own rest.
template <class M, bool metropolis, bool sequential>
std::array<std::int64_t, 2> probed_pair_sweep(std::array<M*, 2> walker, std::array<double, 2> beta, std::array<Rng*, 2> rng) {
  std::array<SweepProbe, 2> probe;
  for (int w = 0; w < 2; ++w)
    probe[w] = with_energy_kernel(*walker[w], [&](const auto& energy) {
      return probe_sweep<M, metropolis, sequential>(*walker[w], energy, beta[w], *rng[w]);
    });
  std::array<std::int64_t, 2> rest{-1, -1};
  const double unit = walker[0]->energy_unit();
  if (probe[0].resident() && probe[1].resident() && walker[0]->size() == walker[1]->size() && unit == walker[1]->energy_unit()) {
    std::array<AcceptanceTable*, 2> table{};
    for (int w = 0; w < 2; ++w) table[w] = &AcceptanceTables::local().get(beta[w], std::abs(unit), metropolis);
    walker[0]->with_resident_kernel([&](auto first) -> std::int64_t {
      return walker[1]->with_resident_kernel([&](auto second) -> std::int64_t {
        // remove_cvref: here GCC 12's decltype of the captured `first` differs from `second`'s by a
        // qualifier, and without it no pair loop ran.
        if constexpr (std::is_same_v<std::remove_cvref_t<decltype(first)>, std::remove_cvref_t<decltype(second)>>) {
          const int n = walker[0]->size(), k0 = probe[0].attempts;
          rest = unit > 0 ? resident_pair_loop<metropolis, false, sequential>(first, second, n, unit, beta, table, rng, k0, n)
                          : resident_pair_loop<metropolis, true, sequential>(first, second, n, -unit, beta, table, rng, k0, n);
        }
        return 0;
      });
    });
  }
  for (int w = 0; w < 2; ++w)
    if (rest[w] < 0)
      rest[w] = with_energy_kernel(*walker[w], [&](const auto& energy) {
        return sweep_after_probe<M, metropolis, sequential>(*walker[w], energy, beta[w], *rng[w], probe[w]);
      });
  return {probe[0].accepted + rest[0], probe[1].accepted + rest[1]};
}

}  // namespace detail

// One sweep of each of two walkers (distinct, of one model, each with its own β and stream), as two
// calls of sweep() make them: same sites, draws and decisions, in either order. The walkers of a model
// without a resident kernel are swept one after the other.
template <class M>
std::array<std::int64_t, 2> sweep_pair(M& first, M& second, std::array<double, 2> beta, Dynamics dynamics, SweepOrder order, Rng& first_rng,
                                       Rng& second_rng) {
  if constexpr (FastSweepModel<M> && features_of<M>().resident_kernel) {
    if constexpr (features_of<M>().before_sweep) {
      first.before_sweep();
      second.before_sweep();
    }
    const std::array<M*, 2> walkers{&first, &second};
    const std::array<Rng*, 2> streams{&first_rng, &second_rng};
    const bool sequential = order == SweepOrder::sequential;
    if (dynamics == Dynamics::metropolis)
      return sequential ? detail::probed_pair_sweep<M, true, true>(walkers, beta, streams) : detail::probed_pair_sweep<M, true, false>(walkers, beta, streams);
    return sequential ? detail::probed_pair_sweep<M, false, true>(walkers, beta, streams) : detail::probed_pair_sweep<M, false, false>(walkers, beta, streams);
  }
  return {sweep(first, beta[0], dynamics, order, first_rng), sweep(second, beta[1], dynamics, order, second_rng)};
}

}  // namespace ptmc
