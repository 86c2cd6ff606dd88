// Known-answer tests pin the generators (values from an independent Python implementation of the
// published algorithms), and statistical checks with stated tolerances guard the derived draws.
#include <array>
#include <cmath>
#include <doctest/doctest.h>
#include <set>
#include <vector>

#include "engine/sweep/rng.hpp"

using namespace ptmc;

TEST_CASE("splitmix64 matches the reference sequence for seed 0") {
  std::uint64_t s = 0;
  CHECK(splitmix64_next(s) == 0xe220a8397b1dcdafULL);
  CHECK(splitmix64_next(s) == 0x6e789e6aa1b965f4ULL);
  CHECK(splitmix64_next(s) == 0x06c45d188009454fULL);
}

TEST_CASE("xoshiro256++ matches the reference sequence from state {1, 2, 3, 4}") {
  Xoshiro256pp x{{1, 2, 3, 4}};
  const std::uint64_t expected[] = {0x2800001ULL,         0x3800067ULL,         0xcc00003800067ULL,
                                    0xcc201994400b2ULL,   0x8012a2019ac433cdULL, 0x8a69978acdee33baULL};
  for (auto e : expected) CHECK(x() == e);
}

TEST_CASE("Rng interleaves its lanes: draw 8t + l is lane l's t-th xoshiro256++ output") {
  std::array<std::array<std::uint64_t, 4>, Rng::kLanes> lanes{};
  std::array<Xoshiro256pp, Rng::kLanes> ref{};
  for (int l = 0; l < Rng::kLanes; ++l) {
    lanes[l] = {1 + 4u * l, 2 + 4u * l, 3 + 4u * l, 4 + 4u * l};
    ref[l].s = lanes[l];
  }
  Rng r = Rng::from_lanes(lanes);
  // Three buffers' worth, and one draw into the fourth: refills continue each lane where it stopped.
  for (int t = 0; t < 3 * Rng::kSteps; ++t)
    for (int l = 0; l < Rng::kLanes; ++l) REQUIRE(r() == ref[l]());
  CHECK(r() == ref[0]());
  // Lane 0 of a seeded stream is the scalar generator of the same seed (SplitMix64 words 0..3).
  std::uint64_t sm = 12345;
  Xoshiro256pp scalar{};
  for (auto& w : scalar.s) w = splitmix64_next(sm);
  Rng seeded(12345);
  for (int t = 0; t < 20; ++t) {
    CHECK(seeded() == scalar());
    for (int l = 1; l < Rng::kLanes; ++l) seeded();
  }
}

TEST_CASE("Rng: peek is the next draw; a copy and a state round trip continue the same stream") {
  Rng r(StreamKey{3, 1, 4, 1, StreamPurpose::dynamics});
  for (int k = 0; k < 200; ++k) {  // across refills, from every position in the buffer
    const std::uint64_t next = r.peek();
    REQUIRE(r() == next);
  }
  for (int skip = 0; skip < 70; ++skip) {
    Rng a(StreamKey{3, 1, 4, 2, StreamPurpose::dynamics});
    for (int k = 0; k < skip; ++k) a();
    Rng b = a, c = Rng::from_state(a.state());
    CHECK(b == a);
    CHECK(c == a);
    for (int k = 0; k < 100; ++k) {
      const std::uint64_t x = a();
      REQUIRE(b() == x);
      REQUIRE(c() == x);
    }
  }
}

TEST_CASE("Rng: take_if(true) is the next draw, take_if(false) takes none and leaves the state as it was") {
  Rng a(StreamKey{3, 1, 4, 3, StreamPurpose::dynamics}), b = a;
  Rng coins(5);
  for (int k = 0; k < 300; ++k) {  // across refills, skipping at every position, the buffer's end included
    const bool take = (coins() >> 63) != 0;
    const Rng before = a;
    const std::uint64_t x = a.take_if(take);
    if (take) {
      REQUIRE(x == b());
    } else {
      REQUIRE(x == 0);
      REQUIRE(a == before);
    }
    REQUIRE(a == b);
  }
}

TEST_CASE("streams with different keys differ, equal keys agree") {
  std::set<std::uint64_t> firsts;
  int n = 0;
  for (std::uint64_t point = 0; point < 4; ++point)
    for (std::uint64_t sample = 0; sample < 4; ++sample)
      for (std::uint64_t replica = 0; replica < 4; ++replica)
        for (auto purpose : {StreamPurpose::disorder, StreamPurpose::dynamics, StreamPurpose::swaps}) {
          Rng r(StreamKey{7, point, sample, replica, purpose});
          firsts.insert(r());
          ++n;
        }
  CHECK(firsts.size() == static_cast<std::size_t>(n));
  Rng a(StreamKey{7, 1, 2, 3, StreamPurpose::dynamics}), b(StreamKey{7, 1, 2, 3, StreamPurpose::dynamics});
  for (int k = 0; k < 100; ++k) CHECK(a() == b());
  Rng c(StreamKey{8, 1, 2, 3, StreamPurpose::dynamics});
  CHECK(Rng(StreamKey{7, 1, 2, 3, StreamPurpose::dynamics})() != c());
}

TEST_CASE("uniform, below, spin and normal have the right moments") {
  Rng r(StreamKey{1, 0, 0, 0, StreamPurpose::test_data});
  const int n = 1 << 20;
  // Uniform on [0,1): mean 1/2, variance 1/12; standard error of the mean sqrt(1/12/n) = 2.8e-4.
  double s = 0, s2 = 0;
  for (int k = 0; k < n; ++k) {
    const double u = r.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    s += u;
    s2 += u * u;
  }
  CHECK(std::abs(s / n - 0.5) < 5 * std::sqrt(1.0 / 12 / n));
  CHECK(std::abs(s2 / n - 1.0 / 3) < 5 * std::sqrt(4.0 / 45 / n));
  // below(7): chi-square with 6 degrees of freedom; mean 6, sd 3.5; 40 is beyond p = 1e-6.
  std::vector<double> counts(7, 0);
  for (int k = 0; k < n; ++k) counts[r.below(7)] += 1;
  double chi2 = 0;
  for (double c : counts) chi2 += (c - n / 7.0) * (c - n / 7.0) / (n / 7.0);
  CHECK(chi2 < 40);
  // spin: mean 0 with standard error 1/sqrt(n).
  double m = 0;
  for (int k = 0; k < n; ++k) m += r.spin();
  CHECK(std::abs(m / n) < 5 / std::sqrt(static_cast<double>(n)));
  // normal: mean 0, variance 1, fourth moment 3 (standard errors 1/sqrt(n), sqrt(2/n), sqrt(96/n)).
  double z1 = 0, z2 = 0, z4 = 0;
  for (int k = 0; k < n; ++k) {
    const double z = r.normal();
    z1 += z;
    z2 += z * z;
    z4 += z * z * z * z;
  }
  CHECK(std::abs(z1 / n) < 5 / std::sqrt(static_cast<double>(n)));
  CHECK(std::abs(z2 / n - 1) < 5 * std::sqrt(2.0 / n));
  CHECK(std::abs(z4 / n - 3) < 5 * std::sqrt(96.0 / n));
}
