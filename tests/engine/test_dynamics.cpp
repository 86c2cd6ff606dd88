// engine/sweep/dynamics.hpp: an attempt's site and uniform from one draw, and decide(), which draws the
// uniform's unknown low bits only when the known ones leave the decision open, and then decides as
// the whole uniform does.
#include <cmath>
#include <doctest/doctest.h>

#include "engine/sweep/dynamics.hpp"

using namespace ptmc;

TEST_CASE("decide: settled by the known bits without a draw, else by the whole uniform after one") {
  Rng r(17);
  int open = 0, settled = 0, accepted_open = 0;
  for (int k = 0; k < 200000; ++k) {
    const double p = r.uniform();
    const auto accepts = [p](double u) { return u < p; };
    // Leading 32 bits at p (the open case) or random (almost always settled).
    const std::uint64_t lead = k % 2 ? static_cast<std::uint64_t>(std::ldexp(p, 32)) : r() >> 32;
    const PartialUniform u{lead << 32, PartialUniform::kSiteShared};
    const double lo = Rng::to_uniform(u.bits), hi = Rng::to_uniform(u.bits | u.unknown);
    Rng stream(static_cast<std::uint64_t>(k)), before = stream;
    const bool got = decide(u, stream, accepts);
    if (accepts(lo) == accepts(hi)) {
      ++settled;
      REQUIRE(stream == before);  // nothing drawn
      REQUIRE(got == accepts(lo));
    } else {
      ++open;
      const double whole = Rng::to_uniform(u.bits | (before() >> 32));
      REQUIRE(stream == before);  // exactly one draw
      REQUIRE(got == accepts(whole));
      accepted_open += got;
    }
  }
  // Random leading bits settle all but about 2^-32 of the draws; those at p leave all open but p = 0
  // and the p on the 2^-32 grid.
  CHECK(settled > 99000);
  REQUIRE(open > 99000);
  // In the open case u is uniform on [lo, hi]: the fraction accepted is the mean of (p - lo)/(hi - lo),
  // uniform on (0, 1) here: 1/2 within 5 standard errors (0.29/√open).
  CHECK(std::abs(static_cast<double>(accepted_open) / open - 0.5) < 5 * 0.29 / std::sqrt(open));
}

TEST_CASE("a whole uniform (sequential order) is never refined") {
  Rng r(5);
  for (int k = 0; k < 10000; ++k) {
    const double p = r.uniform();
    Rng stream(9), before = stream;
    const PartialUniform u{r(), 0};
    CHECK(decide(u, stream, [p](double x) { return x < p; }) == (Rng::to_uniform(u.bits) < p));
    CHECK(stream == before);
  }
}

TEST_CASE("one draw per attempt: the site and the uniform it leads are uniform and uncorrelated") {
  // 10^6 attempts at n = 7 sites: each site's count within 5 sigma of n^-1, the mean uniform within
  // 5 sigma of 1/2 on each site, and Metropolis with p = 0.3 accepts 0.3 of the attempts.
  const int n = 7, draws = 1000000;
  Rng rng(23);
  std::vector<double> count(n, 0.0), sum(n, 0.0);
  int accepted = 0;
  for (int k = 0; k < draws; ++k) {
    const std::uint64_t draw = rng();
    const int i = attempt_site(draw, n);
    REQUIRE(i >= 0);
    REQUIRE(i < n);
    const PartialUniform u = attempt_uniform(false, draw, rng);
    count[i] += 1;
    sum[i] += Rng::to_uniform(u.bits);
    accepted += metropolis_accept(1.0, -std::log(0.3), [u] { return u; }, rng);
  }
  for (int i = 0; i < n; ++i) {
    CAPTURE(i);
    const double q = 1.0 / n, sigma = std::sqrt(q * (1 - q) / draws);
    CHECK(std::abs(count[i] / draws - q) < 5 * sigma);
    CHECK(std::abs(sum[i] / count[i] - 0.5) < 5 * std::sqrt(1.0 / 12 / count[i]));
  }
  CHECK(std::abs(accepted / double(draws) - 0.3) < 5 * std::sqrt(0.21 / draws));
}
