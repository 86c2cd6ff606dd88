// sweep_lanes (engine/sweep/lane_sweep.hpp) makes each walker's sweep exactly as sweep() makes it
// alone: the same acceptances, spins, magnetisations and generator states, for one to eight walkers at
// temperatures from hot to frozen (tables with one d per entry and wider buckets, entries filled on
// first use, attempts that go on to the exact rule), with either rule, in either order.
#include <array>
#include <cstdint>
#include <doctest/doctest.h>
#include <limits>
#include <vector>

#include "engine/sweep/lane_sweep.hpp"
#include "models/curie_weiss.hpp"
#include "models/multitasking.hpp"

namespace {

using namespace ptmc;

template <class M>
void check_lanes_equal_sweeps(std::vector<M> lanes, const std::vector<double>& beta, Dynamics dyn, SweepOrder order, int sweeps) {
  std::vector<M> alone = lanes;
  std::vector<Rng> lane_rng, alone_rng;
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    lane_rng.emplace_back(100 + l);
    alone_rng.emplace_back(100 + l);
  }
  std::vector<M*> walkers;
  std::vector<Rng*> streams;
  for (std::size_t l = 0; l < lanes.size(); ++l) {
    walkers.push_back(&lanes[l]);
    streams.push_back(&lane_rng[l]);
  }
  for (int k = 0; k < sweeps; ++k) {
    CAPTURE(k);
    const auto accepted = sweep_lanes<M>(walkers, beta, dyn, order, streams);
    for (std::size_t l = 0; l < lanes.size(); ++l) {
      CAPTURE(l);
      REQUIRE(accepted[l] == sweep(alone[l], beta[l], dyn, order, alone_rng[l]));
      REQUIRE(std::vector<std::int8_t>(lanes[l].spins().begin(), lanes[l].spins().end()) ==
              std::vector<std::int8_t>(alone[l].spins().begin(), alone[l].spins().end()));
      REQUIRE(lanes[l].energy() == alone[l].energy());
      REQUIRE(lane_rng[l] == alone_rng[l]);
      if constexpr (requires { lanes[l].archetype_overlaps(); }) {
        const auto a = lanes[l].archetype_overlaps(), b = alone[l].archetype_overlaps();
        REQUIRE(std::vector<std::int64_t>(a.begin(), a.end()) == std::vector<std::int64_t>(b.begin(), b.end()));
      }
    }
  }
}

}  // namespace

TEST_CASE("sweep_lanes: Curie-Weiss walkers swept in lanes as each alone") {
  // Eight temperatures across the transition (β = 1), with two replicas at one β; N = 333 leaves a
  // partial last word.
  const std::vector<double> all_beta{0.2, 0.6, 0.95, 0.95, 1.05, 1.5, 3.0, 40.0};
  for (int N : {333, 2048})
    for (std::size_t count : {1u, 3u, 8u})
      for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
        for (auto order : {SweepOrder::random, SweepOrder::sequential}) {
          CAPTURE(N);
          CAPTURE(count);
          CAPTURE(static_cast<int>(dyn));
          CAPTURE(static_cast<int>(order));
          std::vector<CurieWeiss> walkers;
          std::vector<double> beta;
          for (std::size_t l = 0; l < count; ++l) {
            Rng init(7 + l);
            walkers.emplace_back(CurieWeiss::Params{N, CurieWeiss::Init::random}, nullptr, init);
            beta.push_back(all_beta[(l * 3) % all_beta.size()]);
          }
          check_lanes_equal_sweeps(walkers, beta, dyn, order, 5);
        }
}

TEST_CASE("sweep_lanes: zero temperature (β = inf) in some lanes, as alone") {
  const double inf = std::numeric_limits<double>::infinity();
  for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath}) {
    CAPTURE(static_cast<int>(dyn));
    std::vector<CurieWeiss> walkers;
    for (std::uint64_t l = 0; l < 6; ++l) {
      Rng init(30 + l);
      walkers.emplace_back(CurieWeiss::Params{200, CurieWeiss::Init::random}, nullptr, init);
    }
    check_lanes_equal_sweeps(walkers, {inf, 0.5, inf, 1.2, inf, 3.0}, dyn, SweepOrder::random, 4);
  }
}

TEST_CASE("sweep_lanes: walkers of different sizes are swept one by one, as alone") {
  Rng a(1), b(2);
  std::vector<CurieWeiss> walkers{CurieWeiss({100, CurieWeiss::Init::random}, nullptr, a), CurieWeiss({101, CurieWeiss::Init::up}, nullptr, b)};
  check_lanes_equal_sweeps(walkers, {0.5, 1.5}, Dynamics::metropolis, SweepOrder::random, 3);
}

TEST_CASE("sweep_lanes: multitasking walkers swept in lanes as each alone") {
  // Stored patterns in 1, 4 (the 4-channel kernel) and 7 channels (the 8-channel one), with the
  // walkers from the archetype state (moderate acceptance) and random ones.
  const std::vector<double> all_beta{0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 8.0, 30.0};
  for (int K : {1, 4, 7})
    for (auto dyn : {Dynamics::metropolis, Dynamics::heat_bath})
      for (auto order : {SweepOrder::random, SweepOrder::sequential}) {
        CAPTURE(K);
        CAPTURE(static_cast<int>(dyn));
        CAPTURE(static_cast<int>(order));
        Multitasking::Params p;
        p.N = 301;
        p.K = K;
        p.d = 0.3;
        Rng dis(41);
        const auto D = Multitasking::make_disorder(p, dis);
        std::vector<Multitasking> walkers;
        std::vector<double> beta;
        for (std::size_t l = 0; l < 8; ++l) {
          p.init.kind = l % 2 ? HebbianInit::Kind::archetype : HebbianInit::Kind::random;
          Rng init(50 + l);
          walkers.emplace_back(p, D, init);
          beta.push_back(all_beta[(l * 5) % all_beta.size()]);
        }
        check_lanes_equal_sweeps(walkers, beta, dyn, order, 5);
      }
}

TEST_CASE("sweep_lanes: multitasking walkers by their weights (learnt, or more than 8 stored) swept in lanes as each alone") {
  // Supervised K = 3 (the 4-channel weight kernel, sums of M = 5 examples), unsupervised K = 2, M = 3
  // (6 channels: the 8-channel one), unsupervised K = 3, M = 4 and stored K = 11 (12 and 11 channels:
  // the 16-channel one), and unsupervised K = 3, M = 6 (18 channels: no lanes, one by one).
  struct Case {
    HebbianMode mode;
    int K, M;
  };
  for (const Case& c : {Case{HebbianMode::supervised, 3, 5}, Case{HebbianMode::unsupervised, 2, 3}, Case{HebbianMode::unsupervised, 3, 4},
                        Case{HebbianMode::storage, 11, 1}, Case{HebbianMode::unsupervised, 3, 6}})
    for (auto order : {SweepOrder::random, SweepOrder::sequential}) {
      CAPTURE(static_cast<int>(c.mode));
      CAPTURE(c.K);
      CAPTURE(static_cast<int>(order));
      Multitasking::Params p;
      p.N = 203;
      p.K = c.K;
      p.d = 0.2;
      p.data = c.mode;
      p.M = c.M;
      p.r = 0.5;
      Rng dis(61);
      const auto D = Multitasking::make_disorder(p, dis);
      std::vector<Multitasking> walkers;
      for (std::uint64_t l = 0; l < 5; ++l) {
        Rng init(62 + l);
        walkers.emplace_back(p, D, init);
      }
      check_lanes_equal_sweeps(walkers, {0.3, 0.7, 1.4, 3.0, 9.0}, Dynamics::metropolis, order, 4);
      check_lanes_equal_sweeps(walkers, {0.3, 0.7, 1.4, 3.0, 9.0}, Dynamics::heat_bath, order, 2);
    }
}
