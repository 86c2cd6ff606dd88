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

TEST_CASE("barrier: equal rejections keep the ladder, the count follows Λ, and points move to the rejections") {
  const std::vector<double> beta = {0.1, 0.4, 0.9, 1.3};
  const std::vector<double> acc = {0.5, 0.5, 0.5};
  CHECK(communication_barrier(acc) == doctest::Approx(1.5));
  const auto same = barrier_ladder(beta, acc, 4);
  for (int k = 0; k < 4; ++k) CHECK(same[k] == doctest::Approx(beta[k]));
  // Λ = 1.5: a rejection of 0.5 per pair needs 3 pairs, 4 temperatures; 0.25 needs 6 pairs.
  CHECK(count_for_barrier(acc, 0.5) == 4);
  CHECK(count_for_barrier(acc, 0.25) == 7);
  CHECK(count_for_barrier(std::vector<double>{0.99}, 0.5) == 2);  // never fewer than two
  // Rejections 0.2, 0.6, 0.2 (Λ = 1): cumulative Λ(β) = 0, .2, .8, 1 at β = 1, 2, 3, 4. Three
  // points of equal rejection 1/3 sit where Λ = 1/3 and 2/3, both inside the middle interval.
  const std::vector<double> b2 = {1, 2, 3, 4};
  const auto out = barrier_ladder(b2, std::vector<double>{0.8, 0.4, 0.8}, 4);
  REQUIRE(out.size() == 4);
  CHECK(out[0] == 1.0);
  CHECK(out[1] == doctest::Approx(2 + (1.0 / 3 - 0.2) / 0.6));
  CHECK(out[2] == doctest::Approx(2 + (2.0 / 3 - 0.2) / 0.6));
  CHECK(out[3] == 4.0);
}
