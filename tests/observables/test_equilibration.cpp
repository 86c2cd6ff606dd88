// The drift check: a stationary AR(1) series fails at about the rate its p-value says, a relaxing one
// is caught, a family of many stationary series passes as one, a frozen (constant) series is not
// mistaken for a drift because of rounding, a nearly frozen one (a window with no variance at all next
// to one with a brief flip) is not mistaken for one by a zero error bar, and a frozen observable that
// moved to another frozen value still is one.
#include <cmath>
#include <doctest/doctest.h>
#include <vector>

#include "engine/sweep/rng.hpp"
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

namespace {
// A nearly frozen observable, m at 1.0 almost always: from each point, with probability `rate`, a brief
// excursion (1–4 points) to 0.998 (one spin of N = 1000 flipped), as deep in a retrieval state at low T.
std::vector<double> flickering(std::size_t n, std::uint64_t seed, double rate) {
  Rng rng(StreamKey{seed, 2, 0, 0, StreamPurpose::test_data});
  std::vector<double> x(n, 1.0);
  for (std::size_t t = 0; t < n; ++t)
    if (rng.uniform() < rate)
      for (std::size_t k = 0, len = 1 + rng.below(4); k < len && t + k < n; ++k) x[t + k] = 0.998;
  return x;
}
}  // namespace

TEST_CASE("drift check: a frozen window with one brief flip in the other passes, wherever the flip falls") {
  // m exactly 1.0 except one 3-point flip to 0.998, placed at every point of [n/4, n): a window with no
  // variance at all must not turn the other window's tiny, honest fluctuation into an infinite z. The
  // lengths are not powers of two, so each window has points beyond its last whole bin.
  for (std::size_t n : {4000, 10000, 4096 + 64}) {
    int failed = 0;
    double worst = 0;
    for (std::size_t at = n / 4; at + 3 <= n; ++at) {
      std::vector<double> x(n, 1.0);
      for (std::size_t k = at; k < at + 3; ++k) x[k] = 0.998;
      const auto d = drift_check(x);
      failed += !d.passed(0.01);
      worst = std::max(worst, d.z);
    }
    INFO("n = " << n << ", worst z = " << worst);
    CHECK(failed == 0);
    CHECK(std::isfinite(worst));
    CHECK(worst < 2.0);  // one flip among B bins moves its window's mean by one standard error (z = 1)
  }
}

TEST_CASE("drift check: nearly frozen stationary series fail no more often than alpha") {
  // 2000 series of 4000 points with a few brief excursions each (rates 1/8000 to 1/500, so from about
  // half the series with none at all to 8 per series): stationary, so at alpha = 1 % about 20 of each
  // 2000 may fail; allow 3 sigma of a binomial(2000, 0.01) (sigma = 4.4): at most 33.
  for (double rate : {1.0 / 8000, 1.0 / 2000, 1.0 / 500}) {
    int failed = 0, infinite = 0;
    for (int s = 0; s < 2000; ++s) {
      const auto d = drift_check(flickering(4000, 20000 + s, rate));
      failed += !d.passed(0.01);
      infinite += !std::isfinite(d.z);
    }
    INFO("rate " << rate << ": " << failed << " of 2000 failed, " << infinite << " with infinite z");
    CHECK(infinite == 0);
    CHECK(failed <= 33);
  }
}

TEST_CASE("drift check: a frozen observable that moved to another value is still a drift") {
  // Frozen at 1.0 early, frozen at 0.5 late: no variance anywhere, so the bound on each window's error
  // comes from its length alone, and the step must stand out even in a family of 256 comparisons and
  // in the shortest series judged (64 points).
  for (std::size_t n : {64, 4000}) {
    std::vector<double> x(n, 1.0);
    for (std::size_t t = n / 2; t < n; ++t) x[t] = 0.5;
    const auto d = drift_check(x);
    INFO("n = " << n << ": z = " << d.z << ", p = " << d.p);
    CHECK(d.enough);
    CHECK(d.p < 0.01 / 256);
    DriftFamily family;
    for (int s = 0; s < 255; ++s) family.add(drift_check(series(4000, 9000 + s, 0, 1)));
    family.add(d);
    CHECK_FALSE(family.passed());
  }
  // Frozen early, fluctuating late about another value (and the reverse): the frozen window borrows the
  // other's error bar, and the step of 0.5 is many of them.
  std::vector<double> moved = series(4000, 77, 0, 1);
  for (std::size_t t = 0; t < 4000; ++t) moved[t] = t < 2000 ? 1.0 : 0.5 + 0.01 * moved[t];
  CHECK(drift_check(moved).p < 1e-6);
  for (std::size_t t = 0; t < 4000; ++t) moved[t] = t < 2000 ? 1.0 + 0.01 * moved[t] : 0.5;
  CHECK(drift_check(moved).p < 1e-6);
  // A frozen window next to a noisy one about the same value is no drift.
  std::vector<double> same = series(4000, 78, 0, 1);
  for (std::size_t t = 2000; t < 4000; ++t) same[t] = 0.0;
  CHECK(drift_check(same).passed());
}
