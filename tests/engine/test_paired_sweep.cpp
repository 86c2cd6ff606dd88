// sweep_pair (engine/sweep/paired_sweep.hpp) makes each walker's sweep exactly as sweep() makes it
// alone: the same acceptances, spins, generator states and cached energies, whichever loops the two
// probes choose (both resident, one resident, neither), with either rule, in either order.
#include <array>
#include <cstdint>
#include <doctest/doctest.h>
#include <utility>
#include <vector>

#include "engine/sweep/paired_sweep.hpp"
#include "models/dense_hebbian.hpp"
#include "models/multitasking.hpp"

namespace {

using namespace ptmc;

// Walkers a0, a1 swept together and b0, b1 (the same states) one by one, `sweeps` times, in `order`.
template <class M>
void check_pair_equals_two_sweeps(M a0, M a1, double beta0, double beta1, Dynamics dyn, SweepOrder order, int sweeps) {
  M b0 = a0, b1 = a1;
  Rng ra0(11), ra1(12), rb0(11), rb1(12);
  const auto spins = [](const M& m) { return std::vector<std::int8_t>(m.spins().begin(), m.spins().end()); };
  for (int k = 0; k < sweeps; ++k) {
    CAPTURE(k);
    const auto both = sweep_pair(a0, a1, {beta0, beta1}, dyn, order, ra0, ra1);
    REQUIRE(both[0] == sweep(b0, beta0, dyn, order, rb0));
    REQUIRE(both[1] == sweep(b1, beta1, dyn, order, rb1));
    REQUIRE(spins(a0) == spins(b0));
    REQUIRE(spins(a1) == spins(b1));
    REQUIRE(ra0 == rb0);
    REQUIRE(ra1 == rb1);
    REQUIRE(a0.energy() == b0.energy());
    REQUIRE(a1.energy() == b1.energy());
  }
}

// Both orders.
template <class M>
void check_pair_equals_two_sweeps(const M& a0, const M& a1, double beta0, double beta1, Dynamics dyn, int sweeps) {
  for (auto order : {SweepOrder::random, SweepOrder::sequential}) {
    CAPTURE(static_cast<int>(order));
    check_pair_equals_two_sweeps(a0, a1, beta0, beta1, dyn, order, sweeps);
  }
}

// β pairs: both walkers at moderate or high acceptance (the resident pair loop), one of them cold (each
// its own loop), both cold.
constexpr std::array<std::pair<double, double>, 5> kBetas{{{0.5, 0.5}, {1.0, 1.0}, {0.5, 1.2}, {1.0, 4.0}, {4.0, 5.0}}};

}  // namespace

TEST_CASE("sweep_pair: dense_hebbian walkers swept together as each alone") {
  // K = 40 and 300 with padding lanes, 256 without, 500 in four groups.
  for (const auto& [N, K] : {std::pair{300, 40}, {300, 256}, {300, 300}, {200, 500}})
    for (const auto& [beta0, beta1] : kBetas)
      for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath}) {
        CAPTURE(K);
        CAPTURE(beta0);
        CAPTURE(beta1);
        CAPTURE(static_cast<int>(dyn));
        DenseHebbian::Params p;
        p.N = N;
        p.K = K;
        p.init.kind = HebbianInit::Kind::random;
        Rng dis(21), i0(22), i1(23);
        const auto D = DenseHebbian::make_disorder(p, dis);
        DenseHebbian a0(p, D, i0), a1(p, D, i1);
        a0.set_form(DenseHebbian::Form::two_bytes);
        a1.set_form(DenseHebbian::Form::two_bytes);
        check_pair_equals_two_sweeps(a0, a1, beta0, beta1, dyn, 6);
      }
}

TEST_CASE("sweep_pair: multitasking walkers swept together as each alone") {
  for (const auto& [beta0, beta1] : kBetas)
    for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath}) {
      CAPTURE(beta0);
      CAPTURE(beta1);
      CAPTURE(static_cast<int>(dyn));
      Multitasking::Params p;
      p.N = 400;
      p.K = 4;
      p.d = 0.3;
      Rng dis(31), i0(32), i1(33);
      const auto D = Multitasking::make_disorder(p, dis);
      check_pair_equals_two_sweeps(Multitasking(p, D, i0), Multitasking(p, D, i1), beta0, beta1, dyn, 6);
    }
}
