// Binary perceptron: cached integer stabilities and energies against recomputation, exact enumeration
// of small systems against the tempering engine, the teacher's zero energy, the test-set error against
// arccos(R)/π, the continual-learning teachers, and parameter-file errors.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <doctest/doctest.h>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "analysis/rs_continual.hpp"
#include "engine/params/config.hpp"
#include "engine/params/param_error.hpp"
#include "engine/simulation.hpp"
#include "models/binary_perceptron.hpp"
#include "models/kernels/perceptron_stability_planes.hpp"
#include "tests/support/enumeration_settings.hpp"
#include "models/registry.hpp"
#include "tests/support/memory_recorder.hpp"
#include "tests/support/reference_sweep.hpp"
#include "tests/support/archive_round_trip.hpp"

using namespace ptmc;
using BP = BinaryPerceptron;

namespace {

BP::Params params(int N, double alpha, BP::Mode mode, BP::Inputs inputs, BP::Cost cost, double kappa = 0) {
  BP::Params p;
  p.N = N;
  p.alpha = alpha;
  p.P = static_cast<int>(std::lround(alpha * N));
  p.mode = mode;
  p.inputs = inputs;
  p.cost = cost;
  p.kappa = kappa;
  if (mode == BP::Mode::continual) {
    p.alpha1 = alpha;
    p.P1 = p.P;
    p.r0 = 0.5;
    p.lambda = 0.3;
    p.beta_ref = 3;
    p.ref_sweeps = 50;
  }
  return p;
}

// Energy of a configuration straight from the disorder's examples (independent of the model's caches).
double direct_energy(const BP::Disorder& d, const BP::Params& p, const std::vector<std::int8_t>& s) {
  const auto P = static_cast<std::size_t>(d.P);
  double e = 0;
  for (std::size_t mu = 0; mu < P; ++mu) {
    double h = 0;
    for (std::size_t i = 0; i < s.size(); ++i)
      h += s[i] * static_cast<double>(d.binary ? d.binary_examples[i * P + mu] : d.gaussian_examples[i * P + mu]);
    const double delta = h / d.unit;
    if (delta <= p.kappa + 1e-12) e += p.cost == BP::Cost::count ? 1.0 : (p.kappa - delta) * (p.kappa - delta);
  }
  return e;
}

void check_caches(const BP::Params& p, std::uint64_t seed) {
  Rng dis(seed), init(seed + 1), moves(seed + 2);
  const auto d = BP::make_disorder(p, dis);
  BP m(p, d, init);
  double e = m.energy();
  for (int k = 0; k < 20000; ++k) {
    const int i = static_cast<int>(moves.below(static_cast<std::uint32_t>(p.N)));
    const double before = m.energy(), dE = m.delta_energy(i);
    m.flip(i);
    // ΔE is the difference of the cached energies (exactly for the integer count cost alone).
    if (p.cost == BP::Cost::count && p.mode != BP::Mode::continual) REQUIRE(m.energy() - before == dE);
    else REQUIRE(std::abs(m.energy() - before - dE) < 1e-9 * (1 + std::abs(before)));
    e += dE;
  }
  CHECK(m.stabilities() == m.recompute_stabilities());  // integers: exact, no drift
  CHECK(std::abs(m.energy() - m.recompute_energy()) < 1e-9 * (1 + std::abs(m.energy())));
  CHECK(std::abs(e - m.recompute_energy()) < 1e-7 * (1 + std::abs(m.energy())));
}

}  // namespace

TEST_CASE("perceptron stabilities and energies stay exact over 20000 flips") {
  for (auto inputs : {BP::Inputs::binary, BP::Inputs::gaussian})
    for (auto cost : {BP::Cost::count, BP::Cost::quadratic})
      for (auto mode : {BP::Mode::storage, BP::Mode::teacher_student, BP::Mode::continual}) {
        CAPTURE(static_cast<int>(inputs));
        CAPTURE(static_cast<int>(cost));
        CAPTURE(static_cast<int>(mode));
        check_caches(params(51, 1.3, mode, inputs, cost, 0.3), 11);
        check_caches(params(51, 0.7, mode, inputs, cost, 0.0), 12);
      }
}

TEST_CASE("perceptron: bit-plane and int32 edge-path stabilities stay exact, and a checkpoint carries them") {
  // N = 301 keeps the stabilities in bit planes (P = 47, 301, 700: a part of one block of 512, and a
  // whole block with a part of the next; κ = 0.4: a threshold t > 0); N = 32001 needs more than 16
  // planes and updates the int32 stabilities in place (P = 40, 47: whole vector steps and a scalar tail).
  for (const auto& [N, P, kappa] : {std::tuple{301, 301, 0.0}, {301, 47, 0.0}, {301, 700, 0.0}, {301, 700, 0.4}, {32001, 40, 0.0}, {32001, 47, 0.0}}) {
    CAPTURE(N);
    CAPTURE(P);
    CAPTURE(kappa);
    const auto p = params(N, P / static_cast<double>(N), BP::Mode::teacher_student, BP::Inputs::binary, BP::Cost::count, kappa);
    check_caches(p, 31);
    Rng dis(32), ia(33), ib(34), moves(35);
    const auto d = BP::make_disorder(p, dis);
    BP a(p, d, ia), b(p, d, ib);
    for (int k = 0; k < 3000; ++k) a.flip(static_cast<int>(moves.below(static_cast<std::uint32_t>(N))));
    testing::restore_through_archive(a, b);
    CHECK(b.stabilities() == a.recompute_stabilities());
    CHECK(b.energy() == a.energy());
    for (int k = 0; k < 2000; ++k) {
      const int i = static_cast<int>(moves.below(static_cast<std::uint32_t>(N)));
      REQUIRE(a.delta_energy(i) == b.delta_energy(i));
      a.flip(i);
      b.flip(i);
    }
    CHECK(b.stabilities() == b.recompute_stabilities());
  }
}

TEST_CASE("perceptron stability planes: the extremes ±N round-trip, and a flip is s -= 2σz with its edge masks") {
  // Against plain integers, at both ends of the range the planes are sized for (s = ±N) and around
  // thresholds t = 0, 3 and -2, for P = 600 (a whole block of 8 words and a part of the next).
  for (const std::int32_t t : {0, 3, -2}) {
    CAPTURE(t);
    const int N = 101, P = 600, words = (P + 63) / 64;
    Rng rng(40 + static_cast<std::uint64_t>(t + 2));
    std::vector<std::int32_t> s(P);
    for (int mu = 0; mu < P; ++mu) s[static_cast<std::size_t>(mu)] = mu < 4 ? (mu % 2 ? N : -N) + (mu < 2 ? 0 : (mu % 2 ? -2 : 2)) : static_cast<std::int32_t>(rng.below(2 * N + 1)) - N;
    PerceptronStabilityPlanes planes;
    const int B = PerceptronStabilityPlanes::planes_for(N, t);
    REQUIRE(B > 0);
    planes.assign(s, words, t, B);
    std::vector<std::int32_t> back(P);
    planes.read(back);
    CHECK(back == s);
    // The masks before the first flip, as PerceptronEdgeMasks::rebuild leaves them (a flip counts the
    // crossings from them).
    std::vector<std::uint64_t> satisfied(static_cast<std::size_t>(planes.words)), violated(static_cast<std::size_t>(planes.words));
    for (int mu = 0; mu < P; ++mu) {
      const std::int32_t v = s[static_cast<std::size_t>(mu)];
      satisfied[static_cast<std::size_t>(mu / 64)] |= static_cast<std::uint64_t>(v > t && v <= t + 2) << (mu % 64);
      violated[static_cast<std::size_t>(mu / 64)] |= static_cast<std::uint64_t>(v > t - 2 && v <= t) << (mu % 64);
    }
    for (int k = 0; k < 200; ++k) {
      std::vector<std::uint64_t> row(static_cast<std::size_t>(words));
      for (auto& w : row) w = rng();
      row.back() &= (std::uint64_t{1} << (P % 64)) - 1;  // padding bits are 0, as PerceptronSignBits keeps them
      const int sigma = rng.spin();
      // A stability leaves [-N, N] in no real flip: where this row would take one out, its sign is
      // turned so that it moves inward (the ends ±N are then reached and left again).
      for (int mu = 0; mu < P; ++mu) {
        const int z = (row[static_cast<std::size_t>(mu / 64)] >> (mu % 64)) & 1 ? -1 : 1;
        if (std::abs(s[static_cast<std::size_t>(mu)] - 2 * sigma * z) > N) row[static_cast<std::size_t>(mu / 64)] ^= std::uint64_t{1} << (mu % 64);
      }
      std::int64_t violated_after = 0;
      for (int mu = 0; mu < P; ++mu) {
        const int z = (row[static_cast<std::size_t>(mu / 64)] >> (mu % 64)) & 1 ? -1 : 1;
        const std::int32_t after = s[static_cast<std::size_t>(mu)] - 2 * sigma * z;
        violated_after += after <= t;
        s[static_cast<std::size_t>(mu)] = after;
      }
      planes.flip(row.data(), words, sigma, satisfied.data(), violated.data());
      REQUIRE(planes.violated() == violated_after);
      planes.read(back);
      REQUIRE(back == s);
      for (int mu = 0; mu < planes.words * 64; ++mu) {
        const bool in = mu < P;
        const std::int32_t v = in ? s[static_cast<std::size_t>(mu)] : 0;
        CHECK(static_cast<bool>((satisfied[static_cast<std::size_t>(mu / 64)] >> (mu % 64)) & 1) == (in && v > t && v <= t + 2));
        CHECK(static_cast<bool>((violated[static_cast<std::size_t>(mu / 64)] >> (mu % 64)) & 1) == (in && v > t - 2 && v <= t));
      }
    }
  }
}

TEST_CASE("perceptron: the sweep's edge functors equal delta_energy and delta_units, and fast sweeps equal the generic loop") {
  // Binary inputs, count cost: P = 500, 1000, 1500, 2000 constraints are 8 to 32 words (block counts
  // fixed at compile time), 100 and 3000 are 2 and 47 (counted at run time); a Gaussian-input network
  // takes delta_energy itself.
  for (const auto& [P, inputs] : {std::pair{500, BP::Inputs::binary}, {1000, BP::Inputs::binary}, {1500, BP::Inputs::binary},
                                  {2000, BP::Inputs::binary}, {100, BP::Inputs::binary}, {3000, BP::Inputs::binary},
                                  {500, BP::Inputs::gaussian}}) {
    CAPTURE(P);
    const int N = 101;
    const auto p = params(N, P / static_cast<double>(N), BP::Mode::teacher_student, inputs, BP::Cost::count);
    Rng dis(5), ia(6), ib(6), ic(6), moves(7);
    const auto d = BP::make_disorder(p, dis);
    BP a(p, d, ia), b(p, d, ib), c(p, d, ic);
    c.with_energy_kernel([&](const auto& energy) {
      for (int round = 0; round < 20; ++round) {
        for (int i = 0; i < N; ++i) REQUIRE(energy(i) == c.delta_energy(i));
        for (int k = 0; k < 5; ++k) c.flip(static_cast<int>(moves.below(N)));
      }
      return 0;
    });
    // Binary inputs: ΔE is 1 × an integer, and the integer loop's functor gives it.
    CHECK(c.integer_delta() == (inputs == BP::Inputs::binary));
    if (c.integer_delta())
      c.with_delta_kernel([&](const auto& delta) {
        for (int round = 0; round < 20; ++round) {
          for (int i = 0; i < N; ++i) {
            REQUIRE(delta(i) == c.delta_units(i));
            REQUIRE(c.delta_energy(i) == c.energy_unit() * static_cast<double>(c.delta_units(i)));
          }
          for (int k = 0; k < 5; ++k) c.flip(static_cast<int>(moves.below(N)));
        }
        return 0;
      });
    for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
      for (auto order : {SweepOrder::random, SweepOrder::sequential})
        for (double beta : {0.3, 3.0, 8.0})  // moderate, few and almost no acceptances (the integer loop)
          testing::check_same_sweeps(a, b, beta, dyn, order, 10, 8);
  }
}

TEST_CASE("the teacher has zero energy at kappa = 0 and the stability convention counts Δ = κ as violated") {
  for (auto inputs : {BP::Inputs::binary, BP::Inputs::gaussian}) {
    const auto p = params(31, 1.5, BP::Mode::teacher_student, inputs, BP::Cost::count);
    Rng dis(3), init(4);
    const auto d = BP::make_disorder(p, dis);
    BP m(p, d, init);
    for (int i = 0; i < p.N; ++i)
      if (m.spins()[i] != d->teacher[i]) m.flip(i);
    CHECK(m.violated() == 0);
    CHECK(m.energy() == 0.0);
    std::vector<double> obs(BP::observable_names(p).size());
    m.measure(obs);
    CHECK(obs[0] == 1.0);  // m = R
    CHECK(obs[3] == 0.0);  // eg
    CHECK(obs[5] == 1.0);  // solved
  }
  // N = 25, κ = 0.2: κ√N = 1 exactly, so a stability s = σ·x y = 1 sits on the margin and is violated.
  auto p = params(25, 2.0, BP::Mode::storage, BP::Inputs::binary, BP::Cost::count, 0.2);
  Rng dis(5), init(6);
  const auto d = BP::make_disorder(p, dis);
  CHECK(d->threshold == 1);
  BP m(p, d, init);
  std::int64_t expected = 0;
  for (auto s : m.recompute_stabilities()) expected += s <= 1;
  CHECK(m.violated() == expected);
}

TEST_CASE("direct test-set error equals arccos(R)/π for Gaussian inputs") {
  // For Gaussian inputs the error of any fixed σ against the teacher is exactly arccos(R)/π at every N.
  // 40000 test examples: standard error sqrt(ε(1-ε)/40000) <= 0.0025; we allow 4 of them.
  const int N = 101;
  auto p = params(N, 0.5, BP::Mode::teacher_student, BP::Inputs::gaussian, BP::Cost::count);
  p.test_size = 40000;
  Rng dis(7), init(8);
  const auto d = BP::make_disorder(p, dis);
  BP m(p, d, init);
  for (int i = 0; i < N; ++i)
    if ((i < 70) == (m.spins()[i] != d->teacher[i])) m.flip(i);  // agree on 70 sites, disagree on 31
  std::vector<double> obs(BP::observable_names(p).size());
  m.measure(obs);
  const double R = (70.0 - 31.0) / N, eg = std::acos(R) / M_PI;
  CHECK(obs[1] == doctest::Approx(R).epsilon(1e-12));
  CHECK(obs[3] == doctest::Approx(eg).epsilon(1e-12));
  CHECK(std::abs(obs[4] - eg) < 4 * std::sqrt(eg * (1 - eg) / p.test_size));
}

TEST_CASE("continual learning: teacher 2 = teacher 1 ∘ χ with mean χ = r0, and σ_ref is a task-1 sample") {
  // Overlap of the teachers: mean r0, standard deviation sqrt((1 - r0²)/N) = 0.0092 at N = 10001.
  auto p = params(10001, 0.01, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  p.r0 = 0.4;
  p.ref_sweeps = 1;
  Rng dis(9);
  const auto d = BP::make_disorder(p, dis);
  double overlap = 0;
  for (int i = 0; i < p.N; ++i) overlap += d->teacher[i] * d->teacher2[i];
  CHECK(std::abs(overlap / p.N - 0.4) < 4 * std::sqrt((1 - 0.16) / p.N));
  REQUIRE(d->reference.size() == static_cast<std::size_t>(p.N));

  // σ_ref at α1 = 3, beta_ref = 4 after 2000 sweeps: the RS theory puts equilibrium at perfect
  // generalisation (R = 1) for α1 > 1.25, and a 2000-sweep anneal at N = 31 reaches it; a random σ
  // would have |R| ~ 0.18. We only ask for R_ref > 0.8, i.e. a sample that learnt task 1.
  auto q = params(31, 0.5, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  q.alpha1 = 3.0;
  q.P1 = 93;
  q.beta_ref = 4;
  q.ref_sweeps = 2000;
  Rng dis2(10);
  const auto d2 = BP::make_disorder(q, dis2);
  double r = 0;
  for (int i = 0; i < q.N; ++i) r += d2->teacher[i] * d2->reference[i];
  CHECK(r / q.N > 0.8);
}

TEST_CASE("continual learning: the reference's own quantities are recorded as constant observables") {
  auto p = params(41, 1.0, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  p.ref_temperatures = 4;
  p.ref_beta_min = 1;
  p.ref_sweeps = 100;
  const auto names = BP::observable_names(p);
  REQUIRE(names.size() == 14);
  CHECK(names[8] == "ref_R");
  CHECK(names[9] == "ref_train_error");
  CHECK(names[10] == "teacher_overlap");
  CHECK(names[11] == "ref_round_trips");
  CHECK(names[12] == "ref_equilibrated");
  CHECK(names[13] == "train_error1");
  // Other modes keep their eight columns (their outputs are unchanged).
  CHECK(BP::observable_names(params(41, 1.0, BP::Mode::teacher_student, BP::Inputs::binary, BP::Cost::count)).size() == 8);
  Rng dis(3), init(4), moves(5);
  const auto d = BP::make_disorder(p, dis);
  BP m(p, d, init);
  std::vector<double> a(names.size()), b(names.size());
  m.measure(a);
  for (int k = 0; k < 5; ++k) sweep(m, 2.0, Dynamics::metropolis, SweepOrder::random, moves);
  m.measure(b);
  double r = 0, t12 = 0;
  for (int i = 0; i < p.N; ++i) {
    r += d->teacher[i] * d->reference[i];
    t12 += d->teacher[i] * d->teacher2[i];
  }
  for (std::size_t k = 8; k < 13; ++k) CHECK(a[k] == b[k]);  // constant per sample
  // train_error1: the student's violated fraction of task 1's examples, recomputed here from the stored
  // examples; the same examples give the reference its ref_train_error, so they are task 1's.
  auto task1_error = [&](std::span<const std::int8_t> s) {
    const auto P1 = static_cast<std::size_t>(d->P1);
    REQUIRE(d->task1_binary_examples.size() == P1 * static_cast<std::size_t>(p.N));
    int wrong = 0;
    for (std::size_t mu = 0; mu < P1; ++mu) {
      long f = 0;
      for (std::size_t i = 0; i < s.size(); ++i) f += s[i] * d->task1_binary_examples[i * P1 + mu];
      wrong += f <= 0;
    }
    return static_cast<double>(wrong) / static_cast<double>(P1);
  };
  CHECK(d->P1 == p.P1);
  CHECK(task1_error(d->reference) == a[9]);
  CHECK(b[13] == task1_error(m.spins()));
  CHECK(a[8] == doctest::Approx(r / p.N));
  CHECK(a[10] == doctest::Approx(t12 / p.N));
  const double violated = a[9] * p.P1;  // a fraction of the P1 task-1 examples
  CHECK(a[9] >= 0);
  CHECK(a[9] <= 1);
  CHECK(std::abs(violated - std::round(violated)) < 1e-9);
  CHECK(a[11] >= 0);
  CHECK(a[11] == std::round(a[11]));
  CHECK((a[12] == 0.0 || a[12] == 1.0));
  // Deterministic: the same disorder stream gives the same reference.
  Rng dis_again(3);
  CHECK(BP::make_disorder(p, dis_again)->reference == d->reference);
  // ref_temperatures = 1 is the annealed chain: no ladder, so no round trips.
  p.ref_temperatures = 1;
  Rng dis1(3);
  const auto d1 = BP::make_disorder(p, dis1);
  CHECK(std::isnan(d1->ref_round_trips));
  CHECK((d1->ref_equilibrated == 0.0 || d1->ref_equilibrated == 1.0));
}

TEST_CASE("continual learning: the reference's own equilibration check (ref_equilibrated)") {
  // Passes when the tempering run is long at easy temperatures; fails when a walker made no round trip
  // (a ladder too long for the run), and when the energy at beta_ref still falls. Counted over 20
  // samples each.
  auto fraction = [](BP::Params p) {
    double n = 0;
    for (int k = 0; k < 20; ++k) {
      Rng dis(static_cast<std::uint64_t>(500 + k));
      n += BP::make_disorder(p, dis)->ref_equilibrated;
    }
    return n / 20;
  };
  auto p = params(41, 1.0, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  p.ref_temperatures = 4;
  p.ref_beta_min = 0.5;
  p.beta_ref = 1.0;
  p.ref_sweeps = 2000;
  const double easy = fraction(p);
  CHECK(easy >= 0.85);  // a stationary run fails the drift check 1 % of the time
  auto no_trips = p;
  no_trips.ref_temperatures = 24;
  no_trips.ref_beta_min = 0.05;
  no_trips.beta_ref = 6;
  no_trips.ref_sweeps = 80;
  CHECK(fraction(no_trips) <= 0.1);
  // Two close temperatures make round trips easily, but 100 steps at N = 801 from random configurations
  // leave the energy at beta_ref still falling: the drift check fails (measured 0 of 20; 0.1 at 150 steps).
  auto relaxing = params(801, 1.0, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  relaxing.ref_temperatures = 2;
  relaxing.ref_beta_min = 1;
  relaxing.beta_ref = 2;
  relaxing.ref_sweeps = 100;
  CHECK(fraction(relaxing) <= 0.2);
}

namespace {

// Mean and standard error over samples of σ_ref's overlap with teacher 1 and its task-1 training error.
struct RefStats {
  double R = 0, R_err = 0, et = 0, et_err = 0;
};
RefStats reference_stats(const BP::Params& p, int samples) {
  double s = 0, s2 = 0, e = 0, e2 = 0;
  for (int k = 0; k < samples; ++k) {
    Rng dis(static_cast<std::uint64_t>(1000 + k));
    const auto d = BP::make_disorder(p, dis);
    s += d->ref_R;
    s2 += d->ref_R * d->ref_R;
    e += d->ref_train_error;
    e2 += d->ref_train_error * d->ref_train_error;
  }
  const double n = samples;
  RefStats r;
  r.R = s / n;
  r.et = e / n;
  r.R_err = std::sqrt((s2 / n - r.R * r.R) / (n - 1));
  r.et_err = std::sqrt((e2 / n - r.et * r.et) / (n - 1));
  return r;
}

}  // namespace

TEST_CASE("continual learning: σ_ref from tempering is an equilibrium sample of task 1 (RS at alpha1 = 1, beta_ref = 4)") {
  // RS (teacher–student at α1 = 1, β = 4, stable: AT product 0.31): R = 0.532, train error 0.0151.
  // 100 samples at N = 51, 16 temperatures 0.5 → 4, 1000 sweeps (43 round trips per sample): measured
  // R = 0.561(13), train error 0.0163(16). We ask for both within 3 standard errors of RS (finite-size
  // shifts at N = 51 are below one error here: 200 samples, 8000 sweeps gave 0.535(9), 0.0164(11)).
  const auto ref = theory::continual_reference(1.0, 0.0, 4.0);
  auto p = params(51, 1.0, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  p.beta_ref = 4;
  p.ref_temperatures = 16;
  p.ref_beta_min = 0.5;
  p.ref_sweeps = 1000;
  const RefStats pt = reference_stats(p, 100);
  MESSAGE("tempering: R = " << pt.R << " +- " << pt.R_err << " (RS " << ref.R << "), train error " << pt.et << " +- "
                            << pt.et_err << " (RS " << ref.train_error << ")");
  CHECK(std::abs(pt.R - ref.R) < 3 * pt.R_err);
  CHECK(std::abs(pt.et - ref.train_error) < 3 * pt.et_err);
  // The original procedure (ref_temperatures = 1: one chain annealed 0 → beta_ref over 2000 of 4000
  // sweeps) fails the same check: train error 0.028(3), 4.8 errors above RS - it is stuck above equilibrium.
  p.ref_temperatures = 1;
  p.ref_sweeps = 4000;
  const RefStats anneal = reference_stats(p, 100);
  MESSAGE("annealed chain: R = " << anneal.R << " +- " << anneal.R_err << ", train error " << anneal.et << " +- "
                                 << anneal.et_err);
  CHECK(anneal.et - ref.train_error > 3 * anneal.et_err);
}

namespace {

struct Exact {
  double energy = 0, R = 0, R_abs = 0, train_error = 0;
  double R2 = 0, R_ref = 0, train_error1 = 0;  // continual mode
};

// Violated fraction of a task's examples (labels folded in, site-major) at margin 0 in stability units:
// stability <= threshold, from the raw examples.
double task_error(const std::vector<std::int8_t>& zb, const std::vector<std::int32_t>& zg, int P,
                  std::int64_t threshold, const std::vector<std::int8_t>& s) {
  const auto np = static_cast<std::size_t>(P);
  int wrong = 0;
  for (std::size_t mu = 0; mu < np; ++mu) {
    std::int64_t f = 0;
    for (std::size_t i = 0; i < s.size(); ++i) f += s[i] * (zb.empty() ? std::int64_t{zg[i * np + mu]} : zb[i * np + mu]);
    wrong += f <= threshold;
  }
  return static_cast<double>(wrong) / P;
}

// Boltzmann averages over all 2^N configurations (energies from the raw examples, not the model). In
// continual mode for the disorder's fixed σ_ref and data: E = cost(task 2) − λ σ·σ_ref.
Exact enumerate(const BP::Disorder& d, const BP::Params& p, double beta) {
  const int N = p.N;
  const bool continual = p.mode == BP::Mode::continual;
  std::vector<double> E(std::size_t{1} << N), Rv(E.size()), viol(E.size()), R2v(E.size()), Rrefv(E.size()),
      viol1(E.size());
  double emin = INFINITY;
  std::vector<std::int8_t> s(static_cast<std::size_t>(N));
  BP::Params count = p;
  count.cost = BP::Cost::count;
  for (std::size_t c = 0; c < E.size(); ++c) {
    for (int i = 0; i < N; ++i) s[i] = static_cast<std::int8_t>((c >> i) & 1 ? 1 : -1);
    E[c] = direct_energy(d, p, s);
    viol[c] = direct_energy(d, count, s);
    double r = 0;
    for (int i = 0; i < N && !d.teacher.empty(); ++i) r += s[i] * d.teacher[i];
    Rv[c] = r / N;
    if (continual) {
      double r2 = 0, rr = 0;
      for (int i = 0; i < N; ++i) {
        r2 += s[i] * d.teacher2[i];
        rr += s[i] * d.reference[i];
      }
      E[c] -= p.lambda * rr;
      R2v[c] = r2 / N;
      Rrefv[c] = rr / N;
      viol1[c] = task_error(d.task1_binary_examples, d.task1_gaussian_examples, d.P1, d.threshold, s);
    }
    emin = std::min(emin, E[c]);
  }
  Exact x;
  double Z = 0;
  for (std::size_t c = 0; c < E.size(); ++c) {
    const double w = std::exp(-beta * (E[c] - emin));
    Z += w;
    x.energy += w * E[c] / N;
    x.R += w * Rv[c];
    x.R_abs += w * std::abs(Rv[c]);
    x.train_error += w * viol[c] / d.P;
    x.R2 += w * R2v[c];
    x.R_ref += w * Rrefv[c];
    x.train_error1 += w * viol1[c];
  }
  x.R2 /= Z;
  x.R_ref /= Z;
  x.train_error1 /= Z;
  x.energy /= Z;
  x.R /= Z;
  x.R_abs /= Z;
  x.train_error /= Z;
  return x;
}

void compare_with_enumeration(const BP::Params& p, const std::vector<double>& betas) {
  const EngineSettings es = testing::enumeration_settings(betas, 60000, 2000, 5, 2024);
  Simulation<BP> sim(p, es, TaskId{0, 0});
  testing::MemoryRecorder rec;
  sim.run(rec);
  for (std::size_t t = 0; t < betas.size(); ++t) {
    const Exact x = enumerate(sim.disorder(), p, betas[t]);
    CAPTURE(betas[t]);
    // Error bars: binning analysis of the replica-averaged series (about 12000 measurements);
    // 4 standard errors, and the binning must have reached its plateau for the bar to be trusted.
    auto check = [&](const char* name, double exact) {
      const auto st = rec.stats(name, static_cast<int>(t));
      const std::string column = name;
      CAPTURE(column);
      CAPTURE(st.mean);
      CAPTURE(st.error);
      CAPTURE(exact);
      CHECK(st.error > 0);
      CHECK(std::abs(st.mean - exact) < 4 * st.error + 1e-12);
    };
    check("energy", x.energy);
    check("train_error", x.train_error);
    if (p.mode != BP::Mode::storage) {
      check("R", x.R);
      check("m", x.R_abs);
    }
    if (p.mode == BP::Mode::continual) {
      check("R2", x.R2);
      check("R_ref", x.R_ref);
      check("train_error1", x.train_error1);
    }
  }
}

}  // namespace

TEST_CASE("teacher-student, binary inputs, N = 13: tempering agrees with exact enumeration") {
  compare_with_enumeration(params(13, 1.0, BP::Mode::teacher_student, BP::Inputs::binary, BP::Cost::count),
                           {0.5, 1.0, 2.0});
}

TEST_CASE("storage, binary inputs with ties (N = 12, kappa = 0): tempering agrees with exact enumeration") {
  compare_with_enumeration(params(12, 1.0, BP::Mode::storage, BP::Inputs::binary, BP::Cost::count),
                           {0.5, 1.0, 2.0});
}

TEST_CASE("teacher-student, Gaussian inputs, quadratic cost, kappa = 0.3, N = 11: agrees with enumeration") {
  compare_with_enumeration(
      params(11, 1.5, BP::Mode::teacher_student, BP::Inputs::gaussian, BP::Cost::quadratic, 0.3), {0.5, 2.0, 5.0});
}

TEST_CASE("continual, binary inputs, N = 13, r0 = 0.5, lambda = 0.5: tempering agrees with exact enumeration") {
  // σ_ref and both tasks' data fixed by the sample; the sum runs over all 2^13 students.
  auto p = params(13, 1.0, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  p.lambda = 0.5;
  compare_with_enumeration(p, {0.5, 1.0, 2.0});
}

TEST_CASE("continual, Gaussian inputs, quadratic cost, kappa = 0.3, N = 11, r0 = -0.5, lambda = 1: agrees with enumeration") {
  auto p = params(11, 1.5, BP::Mode::continual, BP::Inputs::gaussian, BP::Cost::quadratic, 0.3);
  p.r0 = -0.5;
  p.lambda = 1.0;
  p.alpha1 = 1.0;
  p.P1 = 11;
  compare_with_enumeration(p, {0.5, 2.0, 5.0});
}

namespace {

// Disorder-averaged double enumeration of the continual setting: for one sample's data, σ_ref summed over
// its Gibbs measure on task 1 (β_ref, count cost) and the student over its Gibbs measure given σ_ref.
// Configurations are bit patterns (bit i set: σ_i = +1), so σ·σ' = N − 2 popcount(c ^ c').
struct DoubleSum {
  double ref_R = 0, ref_train_error = 0;  // ⟨·⟩ over σ_ref ~ P1
  double R = 0, R_ref = 0;                // E_{σ_ref}[⟨·⟩_student]
  double drawn_R = 0, drawn_R_ref = 0;    // ⟨·⟩_student at the drawn σ_ref
};

DoubleSum double_sum(const BP::Disorder& d, const BP::Params& p, double beta, double beta_ref) {
  const int N = p.N;
  const std::size_t M = std::size_t{1} << N;
  std::vector<double> w1(M), a2(M), t1(M), e1(M);
  std::vector<std::int8_t> s(static_cast<std::size_t>(N));
  const std::vector<std::int32_t> none;
  double e1min = INFINITY, e2min = INFINITY;
  std::vector<double> E2(M);
  for (std::size_t c = 0; c < M; ++c) {
    double r = 0;
    for (int i = 0; i < N; ++i) {
      s[i] = static_cast<std::int8_t>((c >> i) & 1 ? 1 : -1);
      r += s[i] * d.teacher[i];
    }
    t1[c] = r / N;
    e1[c] = task_error(d.task1_binary_examples, none, d.P1, d.threshold, s);
    E2[c] = task_error(d.binary_examples, none, d.P, d.threshold, s) * d.P;
    e1min = std::min(e1min, e1[c] * d.P1);
    e2min = std::min(e2min, E2[c]);
  }
  double Z1 = 0;
  for (std::size_t c = 0; c < M; ++c) {
    w1[c] = std::exp(-beta_ref * (e1[c] * d.P1 - e1min));
    a2[c] = std::exp(-beta * (E2[c] - e2min));
    Z1 += w1[c];
  }
  std::vector<double> field(static_cast<std::size_t>(2 * N + 1));  // e^{βλ k}, k = σ·σ_ref
  for (int k = -N; k <= N; ++k) field[static_cast<std::size_t>(k + N)] = std::exp(beta * p.lambda * (k - N));
  std::size_t drawn = 0;
  for (int i = 0; i < N; ++i)
    if (d.reference[i] > 0) drawn |= std::size_t{1} << i;
  DoubleSum out;
  for (std::size_t r = 0; r < M; ++r) {
    out.ref_R += w1[r] * t1[r] / Z1;
    out.ref_train_error += w1[r] * e1[r] / Z1;
    double z = 0, R = 0, Rr = 0;
    for (std::size_t c = 0; c < M; ++c) {
      const int k = N - 2 * std::popcount(c ^ r);
      const double w = a2[c] * field[static_cast<std::size_t>(k + N)];
      z += w;
      R += w * t1[c];
      Rr += w * k;
    }
    out.R += w1[r] / Z1 * R / z;
    out.R_ref += w1[r] / Z1 * Rr / z / N;
    if (r == drawn) {
      out.drawn_R = R / z;
      out.drawn_R_ref = Rr / z / N;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("continual, N = 11: σ_ref is a Gibbs sample of task 1 (disorder-averaged double enumeration)") {
  // Per sample (fresh teachers, examples and σ_ref): the drawn σ_ref's ref_R and ref_train_error and the
  // student's exact ⟨R⟩, ⟨R_ref⟩ given it, minus their averages over σ_ref ~ e^{−β_ref E1} summed exactly.
  // If σ_ref is an equilibrium sample of task 1 the differences average to zero over samples; we ask for
  // within 4 standard errors of the mean over 300 samples. A reference from the wrong β_ref (the exact
  // sums at 0.7 β_ref) must be detected by the same statistic.
  auto p = params(11, 1.0, BP::Mode::continual, BP::Inputs::binary, BP::Cost::count);
  p.beta_ref = 2.0;
  p.lambda = 0.5;
  p.r0 = 0.5;
  p.ref_temperatures = 8;
  p.ref_beta_min = 0.5;
  p.ref_sweeps = 300;
  const double beta = 1.5;
  const int samples = 300;
  struct Acc {
    double s = 0, s2 = 0;
    void add(double x) { s += x, s2 += x * x; }
    double mean(int n) const { return s / n; }
    double err(int n) const { return std::sqrt((s2 / n - mean(n) * mean(n)) / (n - 1)); }
  };
  Acc dR, dE, dSR, dSRr, wrong_beta;
  for (int k = 0; k < samples; ++k) {
    Rng dis(static_cast<std::uint64_t>(5000 + k));
    const auto d = BP::make_disorder(p, dis);
    const DoubleSum x = double_sum(*d, p, beta, p.beta_ref);
    dR.add(d->ref_R - x.ref_R);
    dE.add(d->ref_train_error - x.ref_train_error);
    dSR.add(x.drawn_R - x.R);
    dSRr.add(x.drawn_R_ref - x.R_ref);
    if (k < 100) wrong_beta.add(d->ref_train_error - double_sum(*d, p, beta, 0.7 * p.beta_ref).ref_train_error);
  }
  auto check = [&](const std::string& name, const Acc& a) {
    MESSAGE(name << ": drawn - exact = " << a.mean(samples) << " +- " << a.err(samples));
    CHECK(std::abs(a.mean(samples)) < 4 * a.err(samples));
  };
  check("ref_R", dR);
  check("ref_train_error", dE);
  check("student R", dSR);
  check("student R_ref", dSRr);
  MESSAGE("ref_train_error against the sums at 0.7 beta_ref: " << wrong_beta.mean(100) << " +- " << wrong_beta.err(100));
  CHECK(wrong_beta.mean(100) < -4 * wrong_beta.err(100));
}

TEST_CASE("storage, N = 15: tempering reaches zero energy exactly in the samples that have a solution") {
  // At α = 0.9 (P = 14) some instances are solvable and some are not (finite-N capacity ~0.8-1);
  // exhaustive search decides each one. 12 temperatures down to T = 0.1 and 3000 sweeps explore far more
  // than the 2^15 states, so a miss would be a bug (in the energy, the caches or the solved flag).
  const auto p = params(15, 0.9, BP::Mode::storage, BP::Inputs::binary, BP::Cost::count);
  int solvable = 0;
  for (int sample = 0; sample < 8; ++sample) {
    EngineSettings es;
    es.beta = {0.5, 0.65, 0.85, 1.1, 1.4, 1.8, 2.4, 3.1, 4.0, 5.3, 7.0, 10.0};
    es.replicas = 1;
    es.run.sweeps = 3000;
    es.run.thermalization = 0;
    es.run.measure_every = 1;
    es.run.seed = 31;
    Simulation<BP> sim(p, es, TaskId{0, sample});
    testing::MemoryRecorder rec;
    sim.run(rec);
    bool reached = false;
    for (int t = 0; t < 12; ++t)
      for (double v : rec.series("solved", t)) reached = reached || v > 0;
    std::vector<std::int8_t> s(15);
    bool exists = false;
    for (std::uint32_t c = 0; c < (1u << 15) && !exists; ++c) {
      for (int i = 0; i < 15; ++i) s[i] = static_cast<std::int8_t>((c >> i) & 1 ? 1 : -1);
      exists = direct_energy(sim.disorder(), p, s) == 0;
    }
    CAPTURE(sample);
    CHECK(reached == exists);
    solvable += exists;
  }
  // The test means something only if both kinds of instance occur.
  CHECK(solvable > 0);
  CHECK(solvable < 8);
}

namespace {

void expect_error(const std::string& model_lines, const std::string& key, const std::string& fragment) {
  const std::string text = "[model]\nname = \"binary_perceptron\"\n" + model_lines +
                           "\n[tempering]\nbeta = [1.0]\n[run]\nsweeps = 10\n";
  CAPTURE(text);
  try {
    parse_config_text(text, "test.toml", model_schemas());
    FAIL("expected a ParamError");
  } catch (const ParamError& e) {
    const std::string what = e.what();
    CAPTURE(what);
    CHECK(what.rfind("test.toml:", 0) == 0);
    CHECK(what.find(key) != std::string::npos);
    CHECK(what.find(fragment) != std::string::npos);
  }
}

}  // namespace

TEST_CASE("perceptron parameter errors name the key") {
  expect_error("N = 20\nalpha = 1.0\nmode = \"teacher_student\"", "N", "odd");
  expect_error("N = 20\nalpha = 1.0\nmode = \"continual\"", "N", "odd");
  expect_error("N = 21\nalpha = 0.0", "alpha", "out of range");
  expect_error("N = 21\nalpha = -1.0", "alpha", "out of range");
  expect_error("N = 21\nalpha = 0.01", "alpha", "P = round(alpha N) = 0");
  expect_error("N = 21\nalpha = 1.0\ntest_size = 100", "test_size", "teacher");
  expect_error("N = 21\nalpha = 1.0\nlambda = 0.5", "lambda", "continual");
  expect_error("N = 21\nalpha = 1.0\nmode = \"continual\"\nalpha1 = 0.01", "alpha1", "P1");
  expect_error("N = 21\nalpha = 1.0\nmode = \"continual\"\nbeta_ref = 0.4", "ref_beta_min", "below beta_ref");
  expect_error("N = 21\nalpha = 1.0\nref_temperatures = 4", "ref_temperatures", "continual");
  expect_error("N = 21\nalpha = 1.0\ninputs = \"ternary\"", "inputs", "");
  // A valid file parses, and the derived P is recorded.
  const Config c = parse_config_text(
      "[model]\nname = \"binary_perceptron\"\nN = 21\nalpha = 1.24\nmode = \"teacher_student\"\n"
      "[tempering]\nbeta = [1.0]\n[run]\nsweeps = 10\n",
      "test.toml", model_schemas());
  const auto p = BP::parse(c.point_reader(0));
  CHECK(p.P == 26);
}
