// The drift check: a stationary AR(1) series fails at about the rate its p-value says, a relaxing one
// is caught, a family of many stationary series passes as one, and a frozen (constant) series is not
// mistaken for a drift because of rounding.
#include <cmath>
#include <doctest/doctest.h>
#include <vector>

#include "engine/rng.hpp"
#include "observables/equilibration.hpp"

using namespace ptmc;

namespace {
// AR(1) with φ = 0.8 (τ_int = 4.5), started in its stationary state, plus an offset a·exp(−t/τ_relax).
std::vector<double> series(std::size_t n, std::uint64_t seed, double a, double tau_relax) {
  const double phi = 0.8;
  Rng rng(StreamKey{seed, 1, 0, 0, StreamPurpose::test_data});
  std::vector<double> x(n);
  double v = rng.normal() / std::sqrt(1 - phi * phi);
  for (std::size_t t = 0; t < n; ++t) {
    x[t] = v + a * std::exp(-static_cast<double>(t) / tau_relax);
    v = phi * v + rng.normal();
  }
  return x;
}
}  // namespace

TEST_CASE("drift check: stationary series pass, relaxing ones fail") {
  const std::size_t n = 1 << 14;
  int false_alarms = 0, caught = 0;
  const int repeats = 50;
  DriftFamily family;
  for (int s = 0; s < repeats; ++s) {
    const auto d = drift_check(series(n, s, 0, 1));
    CHECK(d.dof >= 7);  // 15 bins per window at the level used: Welch gives 14–28
    false_alarms += !d.passed(0.01);
    family.add(d);
    // Offset 6 e^{-t/τ} with τ = n/4: its mean is 6(e^-1 - e^-2) = 1.40 over [n/4, n/2) and
    // 3(e^-2 - e^-4) = 0.35 over [n/2, n), a difference of 1.05 against a combined error
    // sqrt(var · 2τ_int · (4/n + 2/n)) = sqrt(2.78 · 9 · 6/16384) = 0.096 for the stationary part
    // (z ≈ 11); the trend inside each window inflates the binned errors, which is why a drift must
    // be several error bars to be seen.
    caught += !drift_check(series(n, 1000 + s, 6.0, n / 4.0)).passed(0.01);
  }
  // At α = 1 % a stationary series fails with probability 0.01 if the p-values are right: 0.5 of 50
  // expected, P(more than 3) = 0.2 %. The family of all 50 fails with probability ≤ 1 %.
  CHECK(false_alarms <= 3);
  CHECK(family.count() == repeats);
  CHECK(family.passed(0.01));
  // The drift puts z near 5 against a 1 % cut near 2.8: caught in nearly every repeat; allow 6 misses.
  CHECK(caught >= repeats - 6);
}

TEST_CASE("drift check: p-values of stationary series are calibrated, so a family of many is judged fairly") {
  // 4000 short series (4000 points, the length of a quick-start sample's series): the number with
  // p < 0.01 must be 40 within 3σ of a binomial(4000, 0.01) (σ = 6.3): 21–59. Reading z as a Gaussian
  // instead (ignoring that the error bars come from ~15 bins per window) gives about 70 (measured: a
  // 1.8 % rate at a nominal 1 %, and 0.19 % beyond z = 3.5 against a nominal 0.05 %).
  const int count = 4000;
  int below = 0, gaussian_below = 0;
  for (int s = 0; s < count; ++s) {
    const auto d = drift_check(series(4000, 5000 + s, 0, 1));
    below += d.p < 0.01;
    gaussian_below += std::erfc(d.z / std::sqrt(2.0)) < 0.01;
  }
  CHECK(below >= 21);
  CHECK(below <= 59);
  CHECK(gaussian_below > 59);  // the correction matters at this length
}

TEST_CASE("drift family: one clear drift among many stationary series fails the family") {
  DriftFamily family;
  for (int s = 0; s < 255; ++s) family.add(drift_check(series(4000, 9000 + s, 0, 1)));
  CHECK(family.passed());
  family.add(drift_check(series(4000, 9999, 20.0, 1000.0)));  // relaxing over a quarter of the run
  CHECK_FALSE(family.passed());
  CHECK(DriftFamily{}.passed());  // nothing to judge: nothing contradicts equilibrium
}

TEST_CASE("drift check: a frozen observable passes, a too-short series does not") {
  std::vector<double> frozen(4096, 0.1);  // 0.1 is not exact in binary: window means differ by rounding
  const auto d = drift_check(frozen);
  CHECK(d.passed());
  CHECK(d.z == 0);
  CHECK(d.p == 1);
  std::vector<double> stepped(4096, 0.1);
  for (std::size_t t = 0; t < 2048; ++t) stepped[t] = 0.2;  // frozen at two levels: a drift
  CHECK_FALSE(drift_check(stepped).passed());
  CHECK_FALSE(drift_check(std::vector<double>(32, 1.0)).passed());  // fewer than 64 points
}
