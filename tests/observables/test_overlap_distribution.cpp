// P(q) averaging: every sample's density integrates to one, and the error is the standard error
// over samples.
#include <cmath>
#include <doctest/doctest.h>

#include "observables/overlap_distribution.hpp"

using namespace ptmc;

TEST_CASE("overlap distributions are normalised per temperature and averaged over samples") {
  // Two temperatures, four bins (width 0.5); two samples with different total counts.
  const std::vector<std::vector<std::int64_t>> counts = {{1, 1, 1, 1, 0, 0, 4, 0}, {0, 2, 2, 0, 0, 0, 0, 40}};
  const auto d = average_overlap_distribution(counts, 2, 4);
  REQUIRE(d.q.size() == 4);
  CHECK(d.q[0] == doctest::Approx(-0.75));
  for (int t = 0; t < 2; ++t) {
    double integral = 0;
    for (int b = 0; b < 4; ++b) integral += d.density[t * 4 + b] * 0.5;
    CHECK(integral == doctest::Approx(1.0));
  }
  // Bin 1 at t = 0: densities 0.5 and 1.0 -> mean 0.75, standard error |0.5 - 1.0| / 2 = 0.25.
  CHECK(d.density[1] == doctest::Approx(0.75));
  CHECK(d.error[1] == doctest::Approx(0.25));
  // Bin 3 at t = 1: densities 0 and 2 -> mean 1, error 1.
  CHECK(d.density[7] == doctest::Approx(1.0));
  CHECK(d.error[7] == doctest::Approx(1.0));
}
