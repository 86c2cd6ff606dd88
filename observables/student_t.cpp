#include "observables/student_t.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace ptmc {

double student_t_two_sided_p(double t, int dof) {
  if (dof < 1) throw std::invalid_argument("student_t_two_sided_p: dof must be at least 1");
  t = std::abs(t);
  if (std::isinf(t)) return 0.0;
  // θ = atan(t/√ν); A = P(|T| < t) is a finite series in cos²θ.
  const double theta = std::atan(t / std::sqrt(static_cast<double>(dof)));
  const double s = std::sin(theta), c2 = std::cos(theta) * std::cos(theta);
  double A;
  if (dof % 2 == 0) {  // A = sinθ [1 + (1/2)cos²θ + (1·3)/(2·4)cos⁴θ + … up to cos^{ν−2}θ]
    double term = 1.0, sum = 1.0;
    for (int k = 2; k <= dof - 2; k += 2) {
      term *= c2 * (k - 1) / k;
      sum += term;
    }
    A = s * sum;
  } else {  // A = (2/π)[θ + sinθ cosθ (1 + (2/3)cos²θ + (2·4)/(3·5)cos⁴θ + … up to cos^{ν−3}θ)]
    double sum = 0.0;
    if (dof > 1) {
      double term = 1.0;
      sum = 1.0;
      for (int k = 3; k <= dof - 2; k += 2) {
        term *= c2 * (k - 1) / k;
        sum += term;
      }
    }
    A = 2.0 / std::numbers::pi * (theta + s * std::cos(theta) * sum);
  }
  return std::clamp(1.0 - A, 0.0, 1.0);
}

}  // namespace ptmc
