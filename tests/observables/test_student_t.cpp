// Student's t tail probabilities against closed forms (ν = 1, 2) and printed critical values.
#include <cmath>
#include <initializer_list>
#include <doctest/doctest.h>
#include <numbers>

#include "observables/student_t.hpp"

using namespace ptmc;

TEST_CASE("student t: closed forms for one and two degrees of freedom") {
  for (double t : {0.0, 0.3, 1.0, 2.5, 10.0, 300.0}) {
    CHECK(student_t_two_sided_p(t, 1) == doctest::Approx(1 - 2 * std::atan(t) / std::numbers::pi).epsilon(1e-12));
    CHECK(student_t_two_sided_p(t, 2) == doctest::Approx(1 - t / std::sqrt(2 + t * t)).epsilon(1e-12));
    CHECK(student_t_two_sided_p(-t, 7) == student_t_two_sided_p(t, 7));
  }
  CHECK(student_t_two_sided_p(INFINITY, 5) == 0.0);
  CHECK_THROWS(student_t_two_sided_p(1.0, 0));
}

TEST_CASE("student t: two-sided critical values of the printed tables") {
  // t_{0.975,ν} and t_{0.995,ν} (two-sided 5 % and 1 %), to the tables' six or seven digits.
  struct Row { int dof; double t05, t01; };
  for (const Row r : {Row{3, 3.182446, 5.840909}, Row{5, 2.570582, 4.032143}, Row{10, 2.228139, 3.169273},
                      Row{14, 2.144787, 2.976843}, Row{30, 2.042272, 2.749996}}) {
    CAPTURE(r.dof);
    CHECK(student_t_two_sided_p(r.t05, r.dof) == doctest::Approx(0.05).epsilon(1e-5));
    CHECK(student_t_two_sided_p(r.t01, r.dof) == doctest::Approx(0.01).epsilon(1e-5));
  }
  // Large ν: the Gaussian, 2Φ(−z) = erfc(z/√2).
  CHECK(student_t_two_sided_p(3.0, 4000) == doctest::Approx(std::erfc(3.0 / std::sqrt(2.0))).epsilon(2e-3));
}
