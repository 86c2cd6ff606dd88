// Quenched data shared by the Hebbian models: archetypes ξ^μ (optionally diluted, or read from an
// HDF5 dataset) and M noisy examples η^{μa} = χ^{μa} ξ^μ of quality r, drawn from the disorder stream.
//
// Layout (site-major, so a flip at site i reads everything of site i contiguously):
//   xi[i*K + μ]              archetype entries in {-1, 0, +1}                      (always)
//   sums[i*K + μ]            Σ_a η^{μa}_i = M ξ̂^μ_i, integers in [-M, M]         (supervised, unsupervised)
//   examples[(i*K + μ)*M + a] η^{μa}_i in {-1, 0, +1}                             (unsupervised only)
// Random stream order (fixed, so a sample is the same whatever mode reads it): archetypes pattern-major
// (μ outer, i inner; per entry one uniform for the dilution, then one spin), then the examples in
// (μ, a, i) order, one uniform per entry (χ = +1 when uniform < (1 + r)/2). Zeros stay zeros.
// With a data set (HebbianDataSet, models/data_set.hpp) the archetypes are the classes' empirical
// archetypes, read not drawn, and the stream only picks the M images of each class (draw_examples).
#pragma once
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <span>
#include <string_view>
#include <vector>

#include "engine/params/param_reader.hpp"
#include "engine/params/param_spec.hpp"
#include "engine/sweep/rng.hpp"
#include "models/data_set.hpp"

namespace ptmc {

enum class HebbianMode { storage, supervised, unsupervised };

// Examples from a labelled data set (models/data_set.hpp) instead of random ones: archetype μ is the
// empirical archetype of class classes[μ] (over all its training images), the M examples of class μ
// are drawn from its images with the disorder stream, and r is the data set's measured quality.
struct HebbianDataSet {
  DataSetSource train, test;  // train.images empty: no data set
  std::vector<int> classes;   // the K labels, archetype order
  Preprocess pp;
  double r = 1.0;             // measured over all training images of the classes (class_statistics)
  bool on() const { return !train.images.empty(); }
};

struct HebbianDataParams {
  int N = 0;                 // sites
  int K = 1;                 // archetypes
  HebbianMode mode = HebbianMode::storage;
  int M = 1;                 // examples per archetype (learning modes), 1..32767
  double r = 1.0;            // example quality in (0, 1]: P(χ = ±1) = (1 ± r)/2
  double dilution = 0.0;     // P(ξ_i = 0) in [0, 1)
  std::string data_file{};   // optional: archetypes read from this HDF5 file (then not drawn) ...
  std::string data_dataset{};  // ... dataset of shape K x N, values in {-1, 0, +1} (integer or float)
  // Storage only: keep the archetypes [first, first + held) (held = 0: all). The stream is consumed
  // exactly as for all K, so a slice holds the same numbers; memory is O(N held).
  int first = 0, held = 0;
  HebbianDataSet dataset{};  // dataset.on(): archetypes and examples from it (r, dilution, data_file unused)
};

struct HebbianData {
  int N = 0, K = 0, M = 1;
  HebbianMode mode = HebbianMode::storage;
  std::vector<std::int8_t> xi;        // [i*K + μ]
  std::vector<std::int16_t> sums;     // [i*K + μ], learning modes
  std::vector<std::int8_t> examples;  // [(i*K + μ)*M + a], unsupervised
  std::vector<std::int64_t> informative;  // [μ] #{i : ξ^μ_i ≠ 0}
  std::vector<std::int8_t> xi1;       // [i] ξ^1 (the initial conditions start from it), even in a slice
  // A data set's held-out images of the K classes (when it names a test file): init = "test" starts
  // each walker from one of them, and the walker classifies it.
  std::vector<std::int8_t> tests;     // [t*N + i]
  std::vector<std::int32_t> test_class;  // [t] archetype index μ of test image t
};

// Dataset entropy ρ = (1 - r²)/(M r²) and its inverse r = 1/√(1 + ρ M).
inline double hebbian_rho(double r, int M) { return (1 - r * r) / (M * r * r); }
inline double hebbian_r_from_rho(double rho, int M) { return 1.0 / std::sqrt(1.0 + rho * M); }
// 𝓡 = r²(1 + ρ) = r² + (1 - r²)/M = E[ξ̂²] for ξ ≠ 0 (docs/conventions.md).
inline double hebbian_example_power(double r, int M) { return r * r + (1 - r * r) / M; }

// A bad data file (missing, wrong shape, values outside {-1, 0, +1}); parse() turns it into a
// ParamError on the data_file key.
struct HebbianDataError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads K x N archetypes from an HDF5 dataset into site-major order; throws HebbianDataError.
std::vector<std::int8_t> load_hebbian_archetypes(const std::string& file, const std::string& dataset, int N, int K);

// The data-set keys of the Hebbian models' parameter tables (examples_file, labels_file, test_file,
// test_labels_file, images_dataset, labels_dataset, classes, binarise, threshold, crop, pool).
std::vector<ParamSpec> hebbian_dataset_specs();
// Reads those keys. With examples_file given: reads the data set, checks that N and K match it and
// that every class has M images, and measures r; errors name the key. N must equal the images' size
// after crop and pool.
HebbianDataSet parse_hebbian_dataset(const ParamReader& r, int N, int K, HebbianMode mode, int M);
// Empirical archetypes and r of the data set's classes, computed once per process and shared.
std::shared_ptr<const ClassStatistics> hebbian_class_statistics(const HebbianDataSet& s);

// Draws (or loads, then draws the examples) the data of one disorder sample. With a slice
// (p.held > 0), K and xi describe only the archetypes held, μ counted from p.first.
HebbianData draw_hebbian_data(const HebbianDataParams& p, Rng& rng);

// Initial condition of a Hebbian network: random spins, archetype ξ^1, or ξ^1 with each spin kept
// with probability (1 + quality)/2 (a noisy archetype of overlap ≈ quality). Sites where ξ^1 = 0 are
// random.
struct HebbianInit {
  enum class Kind { random, archetype, quality, test };
  Kind kind = Kind::random;
  double quality = 1.0;
};
// Parses a choice_or_table key: "random" | "archetype" | "test" | { quality = q0 }, q0 in [0, 1]
// ("test" needs a data set with a test file: the caller checks).
HebbianInit parse_hebbian_init(const ParamReader& r, std::string_view key);
// Spins for that initial condition (one uniform per spin, from the replica's own stream).
// cascade = true (multitasking): where ξ^1_i = 0 the archetype start takes the first nonzero ξ^μ_i,
// μ = 2..K (the T = 0 hierarchical state), and is random only where every ξ^μ_i = 0.
// init = test: a held-out image drawn uniformly (one rng.below), its archetype index in *test_class.
std::vector<std::int8_t> hebbian_initial_spins(const HebbianInit& init, const HebbianData& D, Rng& rng,
                                               bool cascade = false, int* test_class = nullptr);
// The classification of spins: the archetype μ of largest ξ^μ·σ (the first on a tie).
int hebbian_classify(std::span<const std::int64_t> overlaps);

}  // namespace ptmc
