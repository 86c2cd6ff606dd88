#include "analysis/gaussian_quadrature.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

namespace ptmc::theory {

namespace {

// Golub–Welsch: nodes are the eigenvalues of the symmetric Jacobi matrix with off-diagonal b_k,
// weights mu0 times the squared first components of the eigenvectors.
GaussRule golub_welsch(int n, double (*offdiag)(int), double mu0) {
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(n, n);
  for (int k = 1; k < n; ++k) J(k, k - 1) = J(k - 1, k) = offdiag(k);
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(J);
  GaussRule rule;
  for (int k = 0; k < n; ++k) {
    rule.nodes.push_back(eig.eigenvalues()(k));
    const double v = eig.eigenvectors()(0, k);
    rule.weights.push_back(mu0 * v * v);
  }
  return rule;
}

const GaussRule& cached_rule(int family, int n, double (*offdiag)(int), double mu0) {
  static std::mutex mutex;
  static std::map<std::pair<int, int>, GaussRule> cache;
  if (n < 1 || n > 400) throw std::invalid_argument("Gauss rule: order must be in [1, 400]");
  std::lock_guard lock(mutex);
  auto it = cache.find({family, n});
  if (it != cache.end()) return it->second;
  return cache.emplace(std::pair{family, n}, golub_welsch(n, offdiag, mu0)).first->second;
}

}  // namespace

// Probabilists' Hermite polynomials: off-diagonal sqrt(k), total weight 1.
const GaussRule& gauss_hermite(int n) {
  return cached_rule(0, n, [](int k) { return std::sqrt(static_cast<double>(k)); }, 1.0);
}

// Legendre polynomials: off-diagonal k / sqrt(4k² - 1), total weight 2.
const GaussRule& gauss_legendre(int n) {
  return cached_rule(1, n, [](int k) { return k / std::sqrt(4.0 * k * k - 1.0); }, 2.0);
}

}  // namespace ptmc::theory
