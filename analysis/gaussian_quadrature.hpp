// Gauss–Hermite quadrature for Gaussian averages E_z[f(z)], z ~ N(0, 1): the workhorse of every
// RS solver. Nodes and weights come from the Golub–Welsch eigenvalue method and are cached per order.
#pragma once
#include <vector>

namespace ptmc::theory {

struct GaussRule {
  std::vector<double> nodes;    // z_k
  std::vector<double> weights;  // w_k, sum to 1
};

// Rule exact for polynomials of degree < 2n under the standard normal weight. n in [1, 400].
const GaussRule& gauss_hermite(int n);

// E_z[f(z)] with an n-point rule (default 101 points: ample for the smooth integrands of RS theory).
template <class F>
double gauss_average(F&& f, int n = 101) {
  const GaussRule& r = gauss_hermite(n);
  double s = 0;
  for (std::size_t k = 0; k < r.nodes.size(); ++k) s += r.weights[k] * f(r.nodes[k]);
  return s;
}

}  // namespace ptmc::theory
