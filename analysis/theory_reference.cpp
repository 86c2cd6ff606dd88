#include "analysis/theory_reference.hpp"

#include <cmath>
#include <limits>
#include <vector>

#include "analysis/gaussian_quadrature.hpp"

namespace ptmc::theory {

CurieWeissExact curie_weiss_exact(int N, double beta) {
  // Configurations with k down spins: C(N, k) of them, M = N - 2k, E = -(M² - N) / (2N).
  std::vector<double> logw(N + 1);
  double top = -std::numeric_limits<double>::infinity();
  const double n = N;
  for (int k = 0; k <= N; ++k) {
    const double M = n - 2.0 * k;
    const double E = -(M * M - n) / (2.0 * n);
    const double entropy = std::lgamma(n + 1) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1);
    logw[k] = std::isinf(beta) ? (E == -(n - 1) / 2.0 ? entropy : -std::numeric_limits<double>::infinity())
                               : entropy - beta * E;
    top = std::max(top, logw[k]);
  }
  double Z = 0, e = 0, m1 = 0, m2 = 0, m4 = 0;
  for (int k = 0; k <= N; ++k) {
    const double w = std::exp(logw[k] - top);
    const double M = n - 2.0 * k, m = M / n;
    Z += w;
    e += w * (-(M * M - n) / (2.0 * n * n));
    m1 += w * std::abs(m);
    m2 += w * m * m;
    m4 += w * m * m * m * m;
  }
  CurieWeissExact r{e / Z, m1 / Z, m2 / Z, m4 / Z, 0};
  // <σ_i σ_j> = c for i != j by symmetry; <q²> = (1/N²) Σ_ij <σ_i σ_j>².
  const double c = (r.m2 * n * n - n) / (n * (n - 1));
  r.q2 = (n + n * (n - 1) * c * c) / (n * n);
  return r;
}

double curie_weiss_mean_field_m(double beta) {
  if (!(beta > 1)) return 0.0;
  if (std::isinf(beta)) return 1.0;
  double m = 1.0;  // iterate from the ordered side: converges to the largest root
  for (int it = 0; it < 100000; ++it) {
    const double next = std::tanh(beta * m);
    if (std::abs(next - m) < 1e-15) return next;
    m = next;
  }
  return m;
}

SkRs sk_replica_symmetric(double beta) {
  if (std::isinf(beta)) return {1.0, -std::sqrt(2.0 / M_PI)};
  if (beta <= 1) return {0.0, -beta / 2.0};
  // Iterate on the complement δ = 1 - q = E_z sech²(β√q z): exact in floating point even as q → 1,
  // where tanh² would lose every digit of δ. The peak has width 1/(β√q): sharp quadrature.
  double q = 1.0 - 1.0 / (beta * beta);
  for (int it = 0; it < 10000; ++it) {
    const double delta = sharp_gauss_average([&](double z) {
      const double c = std::cosh(beta * std::sqrt(q) * z);
      return std::isinf(c) ? 0.0 : 1.0 / (c * c);
    });
    const double next = 1.0 - delta;
    if (std::abs(next - q) < 1e-14) {
      q = next;
      break;
    }
    q = 0.5 * (q + next);
  }
  // u = -(β/2)(1 - q²): at large β, 1 - q² ≈ 2δ with δ ≈ T sqrt(2/π), so u → -sqrt(2/π).
  return {q, -beta / 2.0 * (1.0 - q * q)};
}

double sk_paramagnet_energy(int N, double beta) {
  const double n = N;
  return -beta * (n - 1) / (2 * n) + beta * beta * beta / (2 * n * (1 - beta * beta));
}

Curves curie_weiss_curves(const CurieWeiss::Params& p, std::span<const double> beta) {
  const int N = p.N;
  Curves c;
  std::vector<double> e, m, m2, q2, binder, m_inf, e_inf;
  for (double b : beta) {
    const auto x = curie_weiss_exact(N, b);
    e.push_back(x.energy);
    m.push_back(x.m_abs);
    m2.push_back(x.m2);
    q2.push_back(x.q2);
    binder.push_back(0.5 * (3 - x.m4 / (x.m2 * x.m2)));
    const double mf = curie_weiss_mean_field_m(b);
    m_inf.push_back(mf);
    e_inf.push_back(-mf * mf / 2);
  }
  c.add("energy", e);
  c.add("m", m);
  c.add("m2", m2);
  c.add("q2", q2);
  c.add("binder", binder);
  c.add("m_inf", m_inf);
  c.add("energy_inf", e_inf);
  return c;
}

Curves sk_curves(const SherringtonKirkpatrick::Params& p, std::span<const double> beta) {
  const int N = p.N;
  Curves c;
  std::vector<double> e, q, q2, e_n;
  for (double b : beta) {
    const auto rs = sk_replica_symmetric(b);
    e.push_back(rs.energy);
    q.push_back(rs.q);
    q2.push_back(rs.q * rs.q);
    e_n.push_back(b < 1 ? sk_paramagnet_energy(N, b) : NAN);
  }
  c.add("energy", e);
  c.add("q", q);
  c.add("q2", q2);
  c.add("energy_finite_n", e_n);
  return c;
}

}  // namespace ptmc::theory
