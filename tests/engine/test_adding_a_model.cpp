// docs/adding-a-model.md, followed to the letter: a model new to ptmc (the Ising ring, whose answer is
// exact at any N) written as the guide says, bound by the one make_model_entry call that a line of
// models/registry.cpp makes, and run end to end from a parameter file through that entry: its schema
// validates the file, run_task simulates a task, theory gives the exact curve.
#include <cmath>
#include <doctest/doctest.h>
#include <memory>
#include <span>
#include <vector>

#include "engine/params/config.hpp"
#include "engine/model.hpp"
#include "engine/model_entry.hpp"
#include "engine/params/param_error.hpp"
#include "tests/support/memory_recorder.hpp"

using namespace ptmc;

namespace {

// H = -Σ_i σ_i σ_{i+1} on a ring of N spins.
class IsingRing {
 public:
  struct Params {
    int N = 0;
  };
  struct Disorder {};  // none: every sample is the same system

  static std::span<const ParamSpec> parameters() {
    static const std::vector<ParamSpec> specs = {
        {.key = "N", .type = ParamType::integer, .fallback = {}, .help = "number of spins", .min = 3, .max = 1 << 26,
         .required = true},
    };
    return specs;
  }
  static Params parse(const ParamReader& r) { return Params{static_cast<int>(r.integer("N"))}; }
  static std::shared_ptr<const Disorder> make_disorder(const Params&, Rng&) { return std::make_shared<Disorder>(); }
  static ObservableNames observable_names(const Params&) { return {"m"}; }
  static double disorder_bytes(const Params&) { return 0; }
  static double walker_bytes(const Params& p) { return p.N; }

  IsingRing(const Params& p, std::shared_ptr<const Disorder>, Rng& rng) : spins_(static_cast<std::size_t>(p.N)) {
    for (auto& s : spins_) s = static_cast<std::int8_t>(rng.spin());
  }
  int size() const { return static_cast<int>(spins_.size()); }
  double delta_energy(int i) const { return 2.0 * spins_[i] * (spins_[left(i)] + spins_[right(i)]); }
  void flip(int i) { spins_[i] = static_cast<std::int8_t>(-spins_[i]); }
  double energy() const { return recompute_energy(); }  // O(N), but only called at measurements and swaps
  double recompute_energy() const {
    double e = 0;
    for (int i = 0; i < size(); ++i) e -= spins_[i] * spins_[right(i)];
    return e;
  }
  std::span<const std::int8_t> spins() const { return spins_; }
  void measure(std::span<double> out) const {
    double m = 0;
    for (auto s : spins_) m += s;
    out[0] = m / size();
  }
  void serialize(Archive& ar) { ar.io(spins_); }

 private:
  int left(int i) const { return i == 0 ? size() - 1 : i - 1; }
  int right(int i) const { return i + 1 == size() ? 0 : i + 1; }
  std::vector<std::int8_t> spins_;
};

// Its theory: with t = tanh β the transfer matrix gives the energy per spin exactly at any N,
// u = -(t + t^(N-1)) / (1 + t^N).
theory::Curves ising_ring_theory(const IsingRing::Params& p, std::span<const double> beta) {
  std::vector<double> u;
  for (double b : beta) {
    const double t = std::tanh(b);
    u.push_back(-(t + std::pow(t, p.N - 1)) / (1 + std::pow(t, p.N)));
  }
  theory::Curves c;
  c.add("energy", u);
  return c;
}

// The registry line.
const ModelEntry ring = make_model_entry<IsingRing>("ising_ring", "Ising ring H = -Σ σ_i σ_{i+1}", ising_ring_theory,
                                                    "exact at finite N (transfer matrix)");

}  // namespace

TEST_CASE("adding a model: the guide's Ising ring runs from a parameter file and matches its exact energy") {
  const std::vector<ModelSchema> schemas = {ring.schema()};
  // A bad value is refused by the schema, naming the key.
  CHECK_THROWS_WITH_AS(parse_config_text("[model]\nname = \"ising_ring\"\nN = 2\n[tempering]\nbeta = [1.0]\n", "ring.toml",
                                         schemas),
                       doctest::Contains("N"), ParamError);

  const Config cfg = parse_config_text(
      "[model]\nname = \"ising_ring\"\nN = 12\n[tempering]\nbeta = [0.3, 0.7, 1.2]\n[run]\nsweeps = 20000\n"
      "thermalization = 500\nseed = 7\n",
      "ring.toml", schemas);
  testing::MemoryRecorder rec;
  ring.run_task(cfg, TaskId{0, 0}, rec, {});
  const auto exact = ring.theory(cfg.point_reader(0), cfg.beta_of(0));
  REQUIRE(exact.names.front() == "energy");
  for (int t = 0; t < 3; ++t) {
    const auto e = rec.stats("energy", t);
    CAPTURE(cfg.beta_of(0)[t]);
    CAPTURE(e.mean);
    CAPTURE(exact.values[0][t]);
    // 20 000 measurements; the binning error is ~0.003–0.006 per spin here.
    CHECK(e.error < 0.01);
    CHECK(std::abs(e.mean - exact.values[0][t]) < 4 * e.error);
  }
}
