// Curie–Weiss: the O(1) flip from the cached magnetisation agrees with the pair sum.
#include <cmath>
#include <doctest/doctest.h>

#include "models/curie_weiss.hpp"

using namespace ptmc;

TEST_CASE("Curie-Weiss delta_energy and cached energy agree with the pair sum") {
  Rng init(4), moves(5);
  CurieWeiss m({33, CurieWeiss::Init::random}, std::make_shared<CurieWeiss::Disorder>(), init);
  for (int k = 0; k < 5000; ++k) {
    const int i = static_cast<int>(moves.below(33));
    const double before = m.recompute_energy();
    const double dE = m.delta_energy(i);
    m.flip(i);
    REQUIRE(std::abs(m.recompute_energy() - before - dE) < 1e-12);
  }
  CHECK(std::abs(m.energy() - m.recompute_energy()) < 1e-12);
  CurieWeiss up({8, CurieWeiss::Init::up}, std::make_shared<CurieWeiss::Disorder>(), init);
  CHECK(up.energy() == doctest::Approx(-(64.0 - 8.0) / 16.0));  // -(M² - N)/(2N) with M = N = 8
}
