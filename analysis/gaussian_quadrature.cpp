#include "analysis/gaussian_quadrature.hpp"

#include <Eigen/Eigenvalues>
#include <cmath>
#include <map>
#include <mutex>
#include <stdexcept>

namespace ptmc::theory {

const GaussRule& gauss_hermite(int n) {
  static std::mutex mutex;
  static std::map<int, GaussRule> cache;
  if (n < 1 || n > 400) throw std::invalid_argument("gauss_hermite: order must be in [1, 400]");
  std::lock_guard lock(mutex);
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  // Jacobi matrix of the probabilists' Hermite polynomials: zero diagonal, off-diagonal sqrt(k).
  Eigen::MatrixXd J = Eigen::MatrixXd::Zero(n, n);
  for (int k = 1; k < n; ++k) J(k, k - 1) = J(k - 1, k) = std::sqrt(static_cast<double>(k));
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(J);
  GaussRule rule;
  for (int k = 0; k < n; ++k) {
    rule.nodes.push_back(eig.eigenvalues()(k));
    const double v = eig.eigenvectors()(0, k);
    rule.weights.push_back(v * v);
  }
  return cache.emplace(n, std::move(rule)).first->second;
}

}  // namespace ptmc::theory
