// Gauss–Hermite quadrature for Gaussian averages E_z[f(z)], z ~ N(0, 1): the workhorse of every
// RS solver. Nodes and weights come from the Golub–Welsch eigenvalue method and are cached per order.
#pragma once
#include <cmath>
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

// Gauss–Legendre rule on [-1, 1] (Golub–Welsch), weights summing to 2. n in [1, 400].
const GaussRule& gauss_legendre(int n);

// E_z[f(z)] for integrands with sharp features (tanh(βz) at large β, step functions at T = 0):
// composite 8-point Gauss–Legendre over [-10, 10] in `panels` equal panels, Gaussian density
// included. Resolves features down to a width of about 20 / panels.
template <class F>
double sharp_gauss_average(F&& f, int panels = 2000) {
  const GaussRule& r = gauss_legendre(8);
  const double lo = -10.0, h = 20.0 / panels, norm = 0.3989422804014327;  // 1/sqrt(2π)
  double s = 0;
  for (int p = 0; p < panels; ++p) {
    const double mid = lo + (p + 0.5) * h;
    for (std::size_t k = 0; k < r.nodes.size(); ++k) {
      const double z = mid + 0.5 * h * r.nodes[k];
      s += 0.5 * h * r.weights[k] * norm * std::exp(-0.5 * z * z) * f(z);
    }
  }
  return s;
}

}  // namespace ptmc::theory
