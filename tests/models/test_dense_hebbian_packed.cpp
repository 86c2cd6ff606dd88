// The dense Hebbian model's packed integer path (bit rows, masked sums, P = 2 closed forms with the
// S = ±N edges, 16-bit V = G/4 split into bytes in groups of 128 channels, gathered tables for P > 2, widened sums) on sizes that use every
// vector branch: ΔE against the change of the cached energy after each flip and the cached energy
// against direct evaluation, with flips that return to the archetype so that the edges are visited.
#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <utility>

#include "models/dense_hebbian.hpp"
#include "tests/support/reference_sweep.hpp"

using namespace ptmc;

namespace {

void check_packed(int N, int P, int K, HebbianMode data, int M, bool self, bool pair16, int v_scale = 4) {
  CAPTURE(N);
  CAPTURE(P);
  CAPTURE(K);
  CAPTURE(static_cast<int>(data));
  CAPTURE(self);
  DenseHebbian::Params p;
  p.N = N;
  p.P = P;
  p.K = K;
  p.data = data;
  p.M = M;
  p.r = 0.8;
  p.self_interaction = self;
  p.init.kind = HebbianInit::Kind::archetype;  // ξ^1: its storage channel sits at S = N
  Rng dis(21), init(22), moves(23);
  const auto D = DenseHebbian::make_disorder(p, dis);
  REQUIRE(D->packed);
  CHECK(D->pair16 == pair16);
  if (pair16) CHECK(D->v_scale == v_scale);
  DenseHebbian m(p, D, init);
  CHECK(m.integer_delta());
  // Energies are O(N) near retrieval; the cached one sums long double tables, ΔE is unit × an exact
  // integer, so they agree to rounding: 1e-9 N is far above it and far below any wrong term (≥ 1/N^(P-1)).
  const double tol = 1e-9 * N;
  CHECK(std::abs(m.energy() - m.recompute_energy()) < tol);
  double before = m.energy();
  for (int k = 0; k < 3000; ++k) {
    const int i = static_cast<int>(moves.below(static_cast<std::uint32_t>(N)));
    for (int twice = 0; twice < (k % 3 == 0 ? 2 : 1); ++twice) {  // flip and flip back: edges again
      const double dE = m.delta_energy(i);
      REQUIRE(dE == m.energy_unit() * static_cast<double>(m.delta_units(i)));  // the sweep's integer path
      m.flip(i);
      const double after = m.energy();
      REQUIRE(std::abs(after - before - dE) < tol);
      before = after;
    }
    if (k % 500 == 0) REQUIRE(std::abs(m.recompute_energy() - before) < tol);
  }
  CHECK(std::abs(m.recompute_energy() - m.energy()) < tol);
}

}  // namespace

TEST_CASE("dense_hebbian packed path: P = 2 with split 16-bit V, int32 sums, and unsupervised channels") {
  for (bool self : {false, true}) {
    check_packed(100, 2, 40, HebbianMode::storage, 1, self, true);        // one group of 128, mostly padding
    check_packed(100, 2, 300, HebbianMode::storage, 1, self, true);       // three groups, the last partial
    check_packed(60, 2, 700, HebbianMode::storage, 1, self, true);        // six groups: the run-time loop
    check_packed(100, 2, 12, HebbianMode::unsupervised, 5, self, true);   // 60 example channels
    // V must stay within ±(127·256 + 127) = ±32639 for its high byte (V + 128) >> 8 to fit.
    check_packed(16319, 2, 4, HebbianMode::storage, 1, self, true, 4);    // 2N ≤ 32639: V = G/4 = 2S still fits
    check_packed(16320, 2, 4, HebbianMode::storage, 1, self, true, 8);    // 2N > 32639: V = S and the edge list
    check_packed(32639, 2, 4, HebbianMode::storage, 1, self, true, 8);
    check_packed(32640, 2, 4, HebbianMode::storage, 1, self, false);      // N > 32639: int32 sums
    check_packed(40000, 2, 20, HebbianMode::storage, 1, self, false);     // N ≥ 2^15: int32 sums
  }
}

TEST_CASE("dense_hebbian packed path: P = 3 and 4 with gathered tables, narrow and widened sums") {
  for (bool self : {false, true}) {
    check_packed(60, 3, 40, HebbianMode::storage, 1, self, false);
    check_packed(60, 4, 20, HebbianMode::storage, 1, self, false);
    check_packed(100, 4, 200, HebbianMode::storage, 1, self, false);   // C max|G| > 2^31: widened sums
    check_packed(100, 4, 5000, HebbianMode::storage, 1, self, false);  // and more blocks than one int32 pass holds
    check_packed(40, 3, 8, HebbianMode::unsupervised, 4, self, false);
  }
}

namespace {

DenseHebbian::Params hopfield(int N, int K) {
  DenseHebbian::Params p;
  p.N = N;
  p.K = K;
  p.init.kind = HebbianInit::Kind::archetype;
  return p;
}

}  // namespace

TEST_CASE("dense_hebbian: the sweep's specialised ΔE functor equals delta_units, for every group count") {
  // K = 40, 200, 300, 500: 1 to 4 groups of 128 (counts fixed at compile time); 700: six groups
  // (counted at run time); N = 16320: V = S, on delta_units itself.
  for (const auto& [N, K] : {std::pair{100, 40}, {100, 200}, {90, 300}, {80, 500}, {60, 700}, {16320, 4}}) {
    CAPTURE(N);
    CAPTURE(K);
    const auto p = hopfield(N, K);
    Rng dis(31), init(32), moves(33);
    DenseHebbian m(p, DenseHebbian::make_disorder(p, dis), init);
    const int sites = std::min(N, 400);
    m.with_delta_kernel([&](const auto& delta) {
      for (int round = 0; round < 30; ++round) {
        for (int i = 0; i < sites; ++i) REQUIRE(delta(i) == m.delta_units(i));
        for (int k = 0; k < 7; ++k) m.flip(static_cast<int>(moves.below(static_cast<std::uint32_t>(N))));
      }
      return 0;
    });
  }
}

TEST_CASE("dense_hebbian: fast sweeps equal engine/dynamics.hpp's loop, spin for spin") {
  // β = 3 from the archetype: few acceptances, so after the 64-attempt probe the integer loop runs
  // with the specialised functor; β = 0.5: the floating-point loop. Both rules, both orders.
  for (const auto& [N, K] : {std::pair{300, 40}, {300, 200}, {200, 500}, {200, 700}})
    for (double beta : {0.5, 3.0})
      for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
        for (auto order : {SweepOrder::random, SweepOrder::sequential}) {
          CAPTURE(N);
          CAPTURE(K);
          CAPTURE(beta);
          CAPTURE(static_cast<int>(dyn));
          CAPTURE(static_cast<int>(order));
          const auto p = hopfield(N, K);
          Rng dis(41), ia(42), ib(42);
          const auto D = DenseHebbian::make_disorder(p, dis);
          DenseHebbian a(p, D, ia), b(p, D, ib);
          testing::check_same_sweeps(a, b, beta, dyn, order, 10, 43);
        }
}
