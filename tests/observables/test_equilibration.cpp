// The drift check: a stationary AR(1) series passes at the rate z ≤ 3.5 implies, a relaxing one is
// caught, and a frozen (constant) series is not mistaken for a drift because of rounding.
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
  int passed = 0, caught = 0;
  const int repeats = 50;
  for (int s = 0; s < repeats; ++s) {
    passed += drift_check(series(n, s, 0, 1)).passed;
    // Offset 6 e^{-t/τ} with τ = n/4: its mean is 6(e^-1 - e^-2) = 1.40 over [n/4, n/2) and
    // 3(e^-2 - e^-4) = 0.35 over [n/2, n), a difference of 1.05 against a combined error
    // sqrt(var · 2τ_int · (4/n + 2/n)) = sqrt(2.78 · 9 · 6/16384) = 0.096 for the stationary part
    // (z ≈ 11); the trend inside each window inflates the binned errors, which is why a drift must
    // be several error bars to be seen.
    caught += !drift_check(series(n, 1000 + s, 6.0, n / 4.0)).passed;
  }
  // P(|z| > 3.5) ≈ 5e-4 for a Gaussian z (binning error estimates add a little): all 50 should pass,
  // allow one. The drift is caught in nearly every repeat (49 of these 50; the inflated errors put
  // z near 5 rather than 11); allow 6 misses.
  CHECK(passed >= repeats - 1);
  CHECK(caught >= repeats - 6);
}

TEST_CASE("drift check: a frozen observable passes, a too-short series does not") {
  std::vector<double> frozen(4096, 0.1);  // 0.1 is not exact in binary: window means differ by rounding
  const auto d = drift_check(frozen);
  CHECK(d.passed);
  CHECK(d.z == 0);
  std::vector<double> stepped(4096, 0.1);
  for (std::size_t t = 0; t < 2048; ++t) stepped[t] = 0.2;  // frozen at two levels: a drift
  CHECK_FALSE(drift_check(stepped).passed);
  CHECK_FALSE(drift_check(std::vector<double>(32, 1.0)).passed);  // fewer than 64 points
}
