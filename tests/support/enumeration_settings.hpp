// Engine settings shared by the exact-enumeration tests: Metropolis, random site order, tempering over
// the given β with 2 replicas and a swap round every sweep.
#pragma once
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/simulation.hpp"

namespace ptmc::testing {

inline EngineSettings enumeration_settings(std::vector<double> beta, std::int64_t sweeps, std::int64_t thermalization,
                                           std::int64_t measure_every, std::uint64_t seed) {
  EngineSettings es;
  es.beta = std::move(beta);
  es.replicas = 2;
  es.swap_every = 1;
  es.run.dynamics = Dynamics::metropolis;
  es.run.order = SweepOrder::random;
  es.run.sweeps = sweeps;
  es.run.thermalization = thermalization;
  es.run.measure_every = measure_every;
  es.run.seed = seed;
  return es;
}

}  // namespace ptmc::testing
