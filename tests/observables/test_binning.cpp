// Binning errors and autocorrelation times on an AR(1) process, whose τ_int = (1 + φ)/(2(1 − φ))
// and variance 1/(1 − φ²) are known exactly.
#include <cmath>
#include <doctest/doctest.h>
#include <vector>

#include "engine/sweep/rng.hpp"
#include "observables/autocorrelation.hpp"
#include "observables/binning.hpp"

using namespace ptmc;

namespace {
std::vector<double> ar1(double phi, std::size_t n, std::uint64_t seed) {
  Rng rng(StreamKey{seed, 0, 0, 0, StreamPurpose::test_data});
  std::vector<double> x(n);
  double v = rng.normal() / std::sqrt(1 - phi * phi);  // start in the stationary state
  for (auto& xi : x) {
    xi = v;
    v = phi * v + rng.normal();
  }
  return x;
}
}  // namespace

TEST_CASE("binning recovers the AR(1) autocorrelation time and error bar") {
  const double phi = 0.9, tau = (1 + phi) / (2 * (1 - phi));  // 9.5
  const std::size_t n = 1 << 17;
  // The exact standard error of the mean of n correlated points: sqrt(var · 2τ / n).
  const double exact_err = std::sqrt(1 / (1 - phi * phi) * 2 * tau / n);
  double tau_sum = 0, err_sum = 0, tau_w_sum = 0;
  const int repeats = 8;
  for (int r = 0; r < repeats; ++r) {
    const auto x = ar1(phi, n, static_cast<std::uint64_t>(r));
    const auto b = binning_analysis(x);
    CHECK(b.reliable);
    tau_sum += b.tau_int;
    err_sum += b.error;
    tau_w_sum += integrated_autocorrelation_time(x);
    // Naive error ignores the correlation: smaller by sqrt(2τ) ≈ 4.4.
    CHECK(b.naive_error < b.error / 3);
  }
  // With >= 32 bins at the plateau the relative error of one estimate is ~1/sqrt(64) = 12 %;
  // averaged over 8 repeats ~4 %; the binning estimate is biased low by a few % at finite levels.
  CHECK(tau_sum / repeats == doctest::Approx(tau).epsilon(0.15));
  CHECK(err_sum / repeats == doctest::Approx(exact_err).epsilon(0.1));
  // Sokal's windowed sum has a relative error ~ sqrt(2(2W+1)/n) ≈ 2 % per series.
  CHECK(tau_w_sum / repeats == doctest::Approx(tau).epsilon(0.05));
}

TEST_CASE("uncorrelated data give tau = 1/2 and the naive error") {
  const auto x = ar1(0.0, 1 << 15, 42);
  const auto b = binning_analysis(x);
  CHECK(b.tau_int == doctest::Approx(0.5).epsilon(0.3));
  CHECK(b.error == doctest::Approx(b.naive_error).epsilon(0.2));
  CHECK(std::abs(b.mean) < 5 * b.error);  // mean 0 within 5 standard errors
}

TEST_CASE("block means partition the series") {
  std::vector<double> x = {1, 2, 3, 4, 5, 6, 7};
  const auto b = block_means(x, 3);  // the first point is dropped: blocks {2,3}, {4,5}, {6,7}
  REQUIRE(b.size() == 3);
  CHECK(b[0] == 2.5);
  CHECK(b[1] == 4.5);
  CHECK(b[2] == 6.5);
}
