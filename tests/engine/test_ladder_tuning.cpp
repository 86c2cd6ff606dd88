// Ladder tuning rules: fixed points and closed-form cases.
#include <cmath>
#include <doctest/doctest.h>
#include <vector>

#include "engine/ladder_tuning.hpp"

using namespace ptmc;

TEST_CASE("a ladder on which f falls linearly is a fixed point of the feedback rule") {
  const std::vector<double> beta = {0.2, 0.5, 0.7, 1.5, 3.0};
  const std::vector<double> f = {1.0, 0.75, 0.5, 0.25, 0.0};  // equal steps: optimal already
  const auto out = feedback_ladder(beta, f, 5);
  REQUIRE(out.size() == 5);
  for (int k = 0; k < 5; ++k) CHECK(out[k] == doctest::Approx(beta[k]).epsilon(1e-12));
}

TEST_CASE("the feedback rule moves temperatures towards the bottleneck") {
  // f drops by 0.81 across the third interval and 0.0625 across the others: sqrt weights 0.9 vs 0.25.
  const std::vector<double> beta = {1, 2, 3, 4, 5};
  const std::vector<double> f = {1.0, 0.9375, 0.875, 0.065, 0.0025};
  const auto out = feedback_ladder(beta, f, 5);
  // Cumulative weights 0, .25, .5, 1.4, 1.65; targets k/4 * 1.65 = .4125, .825, 1.2375.
  CHECK(out[1] == doctest::Approx(2 + (0.4125 - 0.25) / 0.25));
  CHECK(out[2] == doctest::Approx(3 + (0.825 - 0.5) / 0.9));
  CHECK(out[3] == doctest::Approx(3 + (1.2375 - 0.5) / 0.9));
  CHECK(out.front() == 1.0);
  CHECK(out.back() == 5.0);
}

TEST_CASE("equal acceptance: uniform acceptances keep the ladder, and the count follows the target") {
  const std::vector<double> beta = {0.1, 0.4, 0.9, 1.3};
  const std::vector<double> acc = {0.5, 0.5, 0.5};
  const auto same = equal_acceptance_ladder(beta, acc, 4);
  for (int k = 0; k < 4; ++k) CHECK(same[k] == doctest::Approx(beta[k]));
  // Three intervals at A = 0.5 hold a distance 3 sqrt(ln 2); at a target A = 0.5^(1/4) each new
  // interval covers sqrt(ln 2)/2, so 6 intervals, 7 temperatures.
  CHECK(count_for_acceptance(acc, std::pow(0.5, 0.25)) == 7);
  CHECK(count_for_acceptance(acc, 0.5) == 4);
  CHECK(equal_acceptance_ladder(beta, acc, 7).size() == 7);
}
