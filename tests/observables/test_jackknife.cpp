// Jackknife: equals the standard error for a mean, and handles a nonlinear estimator (a ratio).
#include <cmath>
#include <doctest/doctest.h>
#include <vector>

#include "engine/sweep/rng.hpp"
#include "observables/histogram.hpp"
#include "observables/jackknife.hpp"

using namespace ptmc;

TEST_CASE("jackknife of a mean is the standard error") {
  std::vector<double> v = {1.0, 2.0, 4.0, 7.0, 11.0};
  const Estimate e = mean_over_samples(v);
  double mean = 5.0, ss = 0;
  for (double x : v) ss += (x - mean) * (x - mean);
  CHECK(e.value == doctest::Approx(mean));
  CHECK(e.error == doctest::Approx(std::sqrt(ss / (5 * 4))));
}

TEST_CASE("jackknife error of a ratio matches error propagation") {
  // x ~ N(10, 1), y ~ N(5, 1) independent: r = <x>/<y> = 2, σ_r ≈ r sqrt(1/100 + 1/25) / sqrt(n).
  Rng rng(StreamKey{3, 0, 0, 0, StreamPurpose::test_data});
  const int n = 4000;
  std::vector<std::vector<double>> rows;
  for (int k = 0; k < n; ++k) rows.push_back({10 + rng.normal(), 5 + rng.normal()});
  const Estimate e = jackknife(rows, [](std::span<const double> a) { return a[0] / a[1]; });
  const double expected_err = 2 * std::sqrt(0.01 + 0.04) / std::sqrt(static_cast<double>(n));
  CHECK(e.value == doctest::Approx(2.0).epsilon(4 * expected_err / 2));
  // The error of an error estimate from n points is ~1/sqrt(2n) = 1 %.
  CHECK(e.error == doctest::Approx(expected_err).epsilon(0.05));
}

TEST_CASE("overlap histogram bins cover [-1, 1] with exact edges") {
  OverlapHistogram h(5);  // N = 4: q in {-1, -1/2, 0, 1/2, 1}, one bin each
  for (double q : {-1.0, -0.5, 0.0, 0.5, 1.0}) h.add(q);
  for (int b = 0; b < 5; ++b) CHECK(h.counts()[b] == 1);
  CHECK(h.center(0) == doctest::Approx(-0.8));
  CHECK(h.center(2) == doctest::Approx(0.0));
}
