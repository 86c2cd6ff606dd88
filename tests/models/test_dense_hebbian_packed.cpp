// The dense Hebbian model's packed integer path (bit rows, masked sums, P = 2 closed forms with the
// S = ±N edges, int16 overlaps summed in groups of 128 channels or the one-byte form with its moving
// centres, for P > 2 steps from polynomials or gathered tables, widened sums) on sizes that use every vector branch: ΔE
// against the change of the cached energy after each flip and the cached energy against direct
// evaluation, with flips that return to the archetype so that the edges are visited, and a walk of
// pattern 1's overlap from N to -N and back (every centre it passes, both edges, where the P > 2 steps leave their polynomials).
#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <utility>
#include <vector>

#include "models/dense_hebbian.hpp"
#include "tests/support/reference_sweep.hpp"

using namespace ptmc;

namespace {

void check_packed(int N, int P, int K, HebbianMode data, int M, bool self, bool pair16,
                  DenseHebbian::Form form = DenseHebbian::Form::automatic) {
  CAPTURE(N);
  CAPTURE(static_cast<int>(form));
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
  CHECK(D->packed.int16_overlaps == pair16);
  // A flip's steps from their polynomials: G for P = 3, H for P = 3 and 4; from the tables elsewhere.
  CHECK(D->packed.step_odd_poly.empty() == (P != 3));
  CHECK(D->packed.step_even_poly.empty() == (P != 3 && P != 4));
  CHECK(D->packed.channel_poly.empty() == !(D->packed.exact && (P == 3 || P == 4) && N < 65536));  // the energy's polynomial
  DenseHebbian m(p, D, init);
  m.set_form(form);
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
  if (data != HebbianMode::storage) return;
  // Every site to ξ^1, then every site against it: S_1 runs from N to -N in steps of 2.
  const auto walk = [&](int sign) {
    for (int i = 0; i < N; ++i) {
      if (m.spins()[i] * D->data.xi[static_cast<std::size_t>(i) * K] != sign) continue;
      const double dE = m.delta_energy(i);
      REQUIRE(dE == m.energy_unit() * static_cast<double>(m.delta_units(i)));
      m.flip(i);
      const double after = m.energy();
      REQUIRE(std::abs(after - before - dE) < tol);
      before = after;
    }
  };
  walk(-1);
  CHECK(m.archetype_overlaps()[0] == N);
  walk(1);
  CHECK(m.archetype_overlaps()[0] == -N);
  walk(-1);
  CHECK(std::abs(m.recompute_energy() - m.energy()) < tol);
}

void check_packed_forms(int N, int P, int K, HebbianMode data, int M, bool self, bool pair16) {
  for (auto form : {DenseHebbian::Form::one_byte, DenseHebbian::Form::two_bytes})
    check_packed(N, P, K, data, M, self, pair16, form);
}

}  // namespace

TEST_CASE("dense_hebbian packed path: P = 2 with V as one or two bytes, int32 sums, and unsupervised channels") {
  for (bool self : {false, true}) {
    check_packed_forms(100, 2, 40, HebbianMode::storage, 1, self, true);        // one group of 128, mostly padding
    check_packed_forms(100, 2, 300, HebbianMode::storage, 1, self, true);       // three groups, the last partial
    check_packed_forms(60, 2, 700, HebbianMode::storage, 1, self, true);        // six groups: the run-time loop
    check_packed_forms(100, 2, 12, HebbianMode::unsupervised, 5, self, true);   // 60 example channels
    // int16 overlaps up to N = 32639; the int16 lanes are widened every 32767 / N groups.
    check_packed_forms(12000, 2, 300, HebbianMode::storage, 1, self, true);     // every 2 of 3 groups
    check_packed_forms(6000, 2, 700, HebbianMode::storage, 1, self, true);      // every 5 of 6 (run-time count)
    check_packed_forms(16320, 2, 4, HebbianMode::storage, 1, self, true);
    check_packed_forms(32639, 2, 4, HebbianMode::storage, 1, self, true);
    check_packed_forms(32640, 2, 4, HebbianMode::storage, 1, self, false);      // N > 32639: int32 sums
    check_packed_forms(40000, 2, 20, HebbianMode::storage, 1, self, false);     // N ≥ 2^15: int32 sums
  }
}

TEST_CASE("dense_hebbian packed path: P = 3 to 5, steps from polynomials (P = 3, 4) or gathered tables, narrow and widened sums") {
  for (bool self : {false, true}) {
    check_packed(40, 5, 24, HebbianMode::storage, 1, self, false);
    // P = 3, N = 10^4: 40 examples of archetype 1 at overlap ~0.8 N from the start, G ~ 8e8 each, three
    // to an int32 lane in 5 words: the sums must be widened every word.
    check_packed(10000, 3, 2, HebbianMode::unsupervised, 40, self, false);
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
  // (counted at run time); N = 12000 and 6000: int16 sums widened before the last group.
  for (const auto& [N, K] : {std::pair{100, 40}, {100, 200}, {90, 300}, {80, 500}, {60, 700}, {16320, 4}, {12000, 300}, {6000, 700}})
  for (auto form : {DenseHebbian::Form::one_byte, DenseHebbian::Form::two_bytes}) {
    CAPTURE(N);
    CAPTURE(K);
    CAPTURE(static_cast<int>(form));
    const auto p = hopfield(N, K);
    Rng dis(31), init(32), moves(33);
    DenseHebbian m(p, DenseHebbian::make_disorder(p, dis), init);
    m.set_form(form);
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

TEST_CASE("dense_hebbian: delta_units_after_flip equals delta_units recomputed after the flip") {
  // P = 2 storage with int16 overlaps in both forms, with self-interactions, unsupervised examples, and
  // int32 overlaps (N beyond the int16 limit); every site i against flips of random j, i = j included.
  struct Case {
    int N, K, M;
    HebbianMode data;
    bool self;
  };
  for (const Case c : {Case{300, 40, 1, HebbianMode::storage, false}, Case{301, 200, 1, HebbianMode::storage, true},
                       Case{200, 7, 5, HebbianMode::unsupervised, false}, Case{33001, 5, 1, HebbianMode::storage, false}})
    for (auto form : {DenseHebbian::Form::one_byte, DenseHebbian::Form::two_bytes}) {
      CAPTURE(c.N);
      CAPTURE(c.K);
      CAPTURE(static_cast<int>(form));
      DenseHebbian::Params p = hopfield(c.N, c.K);
      p.data = c.data;
      p.M = c.M;
      p.r = 0.8;
      p.self_interaction = c.self;
      p.init.kind = HebbianInit::Kind::random;
      Rng dis(61), init(62), moves(63);
      const auto D = DenseHebbian::make_disorder(p, dis);
      DenseHebbian m(p, D, init);
      m.set_form(form);
      REQUIRE(m.pair_delta());
      const int sites = std::min(c.N, 400);
      std::vector<std::int64_t> before(static_cast<std::size_t>(sites));
      for (int round = 0; round < 20; ++round) {
        for (int i = 0; i < sites; ++i) before[static_cast<std::size_t>(i)] = m.delta_units(i);
        const int j = round % 5 == 0 ? round % sites : static_cast<int>(moves.below(static_cast<std::uint32_t>(sites)));
        m.flip(j);
        for (int i = 0; i < sites; ++i) REQUIRE(m.delta_units_after_flip(i, before[static_cast<std::size_t>(i)], j) == m.delta_units(i));
      }
    }
  // P = 3: the correction does not apply, and the model says so.
  DenseHebbian::Params p3 = hopfield(100, 5);
  p3.P = 3;
  Rng dis(64), init(65);
  CHECK_FALSE(DenseHebbian(p3, DenseHebbian::make_disorder(p3, dis), init).pair_delta());
}

TEST_CASE("dense_hebbian: fast sweeps equal engine/sweep/dynamics.hpp's loop, spin for spin") {
  // β = 3 from the archetype: few acceptances, so after the 64-attempt probe the integer loop runs
  // with the specialised functor; β = 1 (about half accepted) and β = 0.5 (most accepted): in the
  // two-byte form with up to 512 channels the loop with the overlaps in registers (K = 40, 200, 300 and
  // 500 with padding lanes, 256 without, N = 17000 with each channel widened alone), beyond it the
  // lookahead loop that corrects the next ΔE for a flip and the table loop. Both rules, both orders.
  for (const auto& [N, K] : {std::pair{300, 40}, {300, 200}, {300, 256}, {300, 300}, {17000, 40}, {200, 500}, {200, 700}})
    for (double beta : {0.5, 1.0, 3.0})
      for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
        for (auto order : {SweepOrder::random, SweepOrder::sequential})
          for (auto form : {DenseHebbian::Form::one_byte, DenseHebbian::Form::two_bytes}) {
            CAPTURE(N);
            CAPTURE(K);
            CAPTURE(beta);
            CAPTURE(static_cast<int>(dyn));
            CAPTURE(static_cast<int>(order));
            CAPTURE(static_cast<int>(form));
            const auto p = hopfield(N, K);
            Rng dis(41), ia(42), ib(42);
            const auto D = DenseHebbian::make_disorder(p, dis);
            DenseHebbian a(p, D, ia), b(p, D, ib);
            a.set_form(form);
            testing::check_same_sweeps(a, b, beta, dyn, order, 10, 43);
          }
}

TEST_CASE("dense_hebbian: the automatic choice of form switches both ways and changes no trajectory") {
  // As under tempering, the walker's β jumps: cold from the archetype (acceptance near 0: one byte),
  // hot and cold in turn (acceptance far above Form::kLeaveOneByte: two bytes), then cold from the disordered
  // state it reached (acceptance falls: one byte again, entered with centres moved away from N mod 2,
  // as the overlaps wander by about √N = 63 > 126 / 2 while hot). The same chain, pinned to two bytes
  // and swept by engine/sweep/dynamics.hpp's rules, must agree spin for spin.
  auto p = hopfield(4000, 200);
  Rng dis(51), ia(52), ib(52), ra(53), rb(53);
  const auto D = DenseHebbian::make_disorder(p, dis);
  DenseHebbian a(p, D, ia), b(p, D, ib);
  b.set_form(DenseHebbian::Form::two_bytes);
  int to_two = 0, to_one = 0;
  bool was = a.one_byte_form();
#if defined(__AVX512BW__)
  const bool switches = true;  // the one-byte form is there from the start
#else
  const bool switches = false;  // the int16 path (and with it both forms) needs AVX-512 BW
#endif
  CHECK(was == switches);
  for (int k = 0; k < 70; ++k) {
    CAPTURE(k);
    const double beta = k < 10 ? 5.0 : k < 30 ? (k % 2 ? 5.0 : 0.05) : 5.0;
    REQUIRE(sweep(a, beta, Dynamics::metropolis, SweepOrder::random, ra) ==
            testing::reference_sweep(b, beta, Dynamics::metropolis, SweepOrder::random, rb));
    REQUIRE(std::equal(a.spins().begin(), a.spins().end(), b.spins().begin()));
    // The switch happens in sweep(), before the sweep.
    to_two += was && !a.one_byte_form();
    to_one += !was && a.one_byte_form();
    was = a.one_byte_form();
  }
  CHECK((to_two >= 1) == switches);
  CHECK((to_one >= 1) == switches);
  CHECK(was == switches);  // cold at the end: one byte
  CHECK(std::abs(a.recompute_energy() - a.energy()) < 1e-9 * p.N);
}
