// A whole run described by one parameter file: the model and its sweep points, the temperature ladder,
// the run schedule and the output. Parsed and validated once, at the edge; nothing deeper sees TOML.
#pragma once
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/params/param_reader.hpp"
#include "engine/sweep/swap_scheme.hpp"

namespace ptmc {

enum class Dynamics { metropolis, heat_bath };
// What the ranks of a task group divide: the task's walkers (temperature level), or every walker's
// patterns (data domain: dense networks at high load).
enum class GroupSplit { walkers, patterns };
enum class SweepOrder { random, sequential };

struct TemperingConfig {
  std::vector<double> beta;  // ascending; +inf means zero temperature
  std::vector<std::vector<double>> point_beta;  // per sweep point ([[tempering.ladder]]); empty = beta
  int replicas = 2;          // independent PT chains sharing the disorder
  std::int64_t swap_every = 1;
  SwapScheme swaps = SwapScheme::sequential;  // engine/sweep/tempering.hpp
};

struct RunConfig {
  Dynamics dynamics = Dynamics::metropolis;
  SweepOrder order = SweepOrder::random;
  std::int64_t sweeps = 10000;  // measurement sweeps, after thermalization
  std::int64_t thermalization = 1000;
  std::int64_t measure_every = 1;
  std::int64_t samples = 1;  // disorder samples per sweep point
  std::uint64_t seed = 1;
  int ranks_per_task = 0;            // 0 = automatic (spare ranks share tasks)
  GroupSplit split = GroupSplit::walkers;
  std::int64_t min_round_trips = 1;  // equilibration check
  bool auto_extend = false;
  std::int64_t max_sweeps = 0;       // auto_extend budget, thermalization included
};

// How a task stores its scalar time series: every measurement, or bins of 2^k measurements built while
// it runs (at most max_bins per series and temperature: observables/bin_accumulator.hpp).
enum class SeriesStorage { all, bins };

struct OutputConfig {
  std::string file;  // may be overridden on the command line
  double flush_seconds = 30;
  double checkpoint_seconds = 600;
  std::int64_t vector_every = 0;  // stride (in measurements) of per-pattern vectors; 0 = never
  std::int64_t histogram_bins = 0;  // P(q) bins; 0 = N + 1 bins (one per possible overlap value)
  SeriesStorage series = SeriesStorage::bins;
  std::int64_t max_bins = 256;  // series = bins: bins kept per series and temperature (even, >= 128)
};

// One point of the model-parameter sweep: the model keys with their values for this point.
struct SweepPoint {
  std::size_t index = 0;
  ParamReader::Entries values;
};

// What a model contributes to parsing: its parameter table and a validator for one point.
struct ModelSchema {
  std::string_view name;
  std::span<const ParamSpec> params;
  std::function<void(const ParamReader&)> validate;  // throws ParamError on impossible combinations
};

struct Config {
  std::string path;  // the parameter file
  std::string text;  // its full text, recorded in the output
  std::string model_name;
  SourcePos model_pos;
  std::span<const ParamSpec> model_params;
  std::vector<std::string> swept_keys;  // keys given as a list or range, in file order
  std::vector<SweepPoint> points;
  TemperingConfig tempering;
  RunConfig run;
  OutputConfig output;

  ParamReader point_reader(std::size_t point) const;
  const std::vector<double>& beta_of(std::size_t point) const;  // the ladder of one sweep point
};

// Parses and validates a parameter file. Throws ParamError naming file, line, key and expectation.
Config parse_config_file(const std::string& path, std::span<const ModelSchema> models);
Config parse_config_text(const std::string& text, const std::string& path, std::span<const ModelSchema> models);

// Engine parameter tables, for --help.
std::span<const ParamSpec> tempering_params();
std::span<const ParamSpec> run_params();
std::span<const ParamSpec> output_params();

}  // namespace ptmc
