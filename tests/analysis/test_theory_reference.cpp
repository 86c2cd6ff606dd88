// Reference-model theory: finite-N Curie–Weiss against brute force, its N → ∞ limit against the
// mean-field root, SK's RS solution against its known limits.
#include <cmath>
#include <doctest/doctest.h>

#include "analysis/theory_reference.hpp"

using namespace ptmc::theory;

TEST_CASE("finite-N Curie-Weiss equals a brute-force sum over 2^N states") {
  const int N = 12;
  for (double beta : {0.3, 1.0, 2.0}) {
    double Z = 0, e = 0, m = 0;
    for (unsigned s = 0; s < (1u << N); ++s) {
      const int M = N - 2 * __builtin_popcount(s);
      const double E = -(static_cast<double>(M) * M - N) / (2.0 * N);
      const double w = std::exp(-beta * E);
      Z += w;
      e += w * E / N;
      m += w * std::abs(M) / N;
    }
    const auto x = curie_weiss_exact(N, beta);
    CHECK(x.energy == doctest::Approx(e / Z).epsilon(1e-12));
    CHECK(x.m_abs == doctest::Approx(m / Z).epsilon(1e-12));
  }
}

TEST_CASE("Curie-Weiss at large N approaches the mean-field root of m = tanh(βm)") {
  for (double beta : {1.2, 1.5, 3.0}) {
    const double m = curie_weiss_mean_field_m(beta);
    CHECK(m == doctest::Approx(std::tanh(beta * m)).epsilon(1e-12));
    // Finite-size correction to <|m|> is O(1/N): 1e-3 is ample at N = 20000.
    CHECK(curie_weiss_exact(20000, beta).m_abs == doctest::Approx(m).epsilon(1e-3));
  }
  CHECK(curie_weiss_mean_field_m(0.9) == 0.0);
  // Paramagnet: <m²> = 1/(N(1 − β)) to leading order.
  CHECK(curie_weiss_exact(20000, 0.5).m2 * 20000 == doctest::Approx(2.0).epsilon(0.01));
}

TEST_CASE("SK replica-symmetric solution: paramagnet above T = 1, q ≈ 1 - T near T = 0") {
  CHECK(sk_replica_symmetric(0.5).q == 0.0);
  CHECK(sk_replica_symmetric(0.5).energy == doctest::Approx(-0.25));
  // Just below T_c, q ≈ τ = 1 - T to first order (τ = 0.01 here).
  CHECK(sk_replica_symmetric(1.0 / 0.99).q == doctest::Approx(0.01).epsilon(0.05));
  // RS ground-state energy -sqrt(2/π) = -0.7979 (the exact Parisi value is -0.7633).
  CHECK(sk_replica_symmetric(INFINITY).energy == doctest::Approx(-std::sqrt(2 / M_PI)));
  CHECK(sk_replica_symmetric(50.0).energy == doctest::Approx(-std::sqrt(2 / M_PI)).epsilon(0.01));
}
