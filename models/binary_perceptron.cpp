#include "models/binary_perceptron.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>

#include "engine/sweep/dynamics.hpp"
#include "engine/sweep/tempering.hpp"
#include "observables/equilibration.hpp"

namespace ptmc {

namespace {

using i128 = BinaryPerceptron::i128;

constexpr const char* kModeNames[] = {"storage", "teacher_student", "continual"};

// One set of examples labelled by `teacher` (or at random when it is empty), labels folded in,
// site-major. Gaussian inputs are rounded to the fixed-point grid before labelling, so the teacher's
// stabilities are exact integers too; a Gaussian example exactly orthogonal to the teacher is redrawn.
void draw_examples(int N, int P, bool binary, std::span<const std::int8_t> teacher, Rng& rng,
                   std::vector<std::int8_t>& zb, std::vector<std::int32_t>& zg) {
  const auto n = static_cast<std::size_t>(N), p = static_cast<std::size_t>(P);
  if (binary) zb.assign(n * p, 0);
  else zg.assign(n * p, 0);
  std::vector<std::int32_t> x(n);
  for (std::size_t mu = 0; mu < p; ++mu) {
    std::int64_t field = 0;
    do {
      field = 0;
      for (std::size_t i = 0; i < n; ++i) {
        x[i] = binary ? rng.spin()
                      : static_cast<std::int32_t>(std::llround(rng.normal() * BinaryPerceptron::gaussian_scale));
        if (!teacher.empty()) field += static_cast<std::int64_t>(teacher[i]) * x[i];
      }
    } while (!teacher.empty() && field == 0);  // impossible for ±1 inputs with N odd
    const int y = teacher.empty() ? rng.spin() : (field > 0 ? 1 : -1);
    for (std::size_t i = 0; i < n; ++i) {
      if (binary) zb[i * p + mu] = static_cast<std::int8_t>(y * x[i]);
      else zg[i * p + mu] = y * x[i];
    }
  }
}

std::vector<std::int8_t> random_spins(int N, Rng& rng) {
  std::vector<std::int8_t> s(static_cast<std::size_t>(N));
  for (auto& v : s) v = static_cast<std::int8_t>(rng.spin());
  return s;
}

std::int64_t dot(std::span<const std::int8_t> a, std::span<const std::int8_t> b) {
  std::int64_t s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// Fraction of the P examples (labels folded in, site-major, one of the two vectors filled) with
// stability σ·z^μ <= threshold: the violated fraction of a task whose examples the energy does not hold.
double violated_fraction(std::span<const std::int8_t> s, std::span<const std::int8_t> binary,
                         std::span<const std::int32_t> gaussian, int P, std::int64_t threshold) {
  const auto np = static_cast<std::size_t>(P);
  std::vector<std::int64_t> field(np, 0);
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::int64_t si = s[i];
    if (!binary.empty())
      for (std::size_t mu = 0; mu < np; ++mu) field[mu] += si * binary[i * np + mu];
    else
      for (std::size_t mu = 0; mu < np; ++mu) field[mu] += si * gaussian[i * np + mu];
  }
  std::int64_t wrong = 0;
  for (auto f : field) wrong += f <= threshold;
  return static_cast<double>(wrong) / static_cast<double>(P);
}

// Examples, threshold and units for one task; the caller adds teachers, reference and test set.
std::shared_ptr<BinaryPerceptron::Disorder> task_disorder(const BinaryPerceptron::Params& p, int P,
                                                         std::span<const std::int8_t> teacher, Rng& rng) {
  auto d = std::make_shared<BinaryPerceptron::Disorder>();
  d->N = p.N;
  d->P = P;
  d->binary = p.inputs == BinaryPerceptron::Inputs::binary;
  const double scale = d->binary ? 1.0 : BinaryPerceptron::gaussian_scale;
  d->unit = std::sqrt(static_cast<double>(p.N)) * scale;
  d->theta = p.kappa * d->unit;
  // Violated iff Δ <= κ, i.e. s <= floor(κ√N·scale); the tiny slack keeps an exactly integral κ√N
  // (κ = 0.2, N = 25) from rounding down to the integer below.
  d->threshold = static_cast<std::int64_t>(std::floor(d->theta + 1e-9 * std::max(1.0, std::abs(d->theta))));
  draw_examples(p.N, P, d->binary, teacher, rng, d->binary_examples, d->gaussian_examples);
  if (d->binary) d->sign_bits = PerceptronSignBits::pack(d->binary_examples, p.N, P);
  return d;
}

struct Reference {
  std::vector<std::int8_t> spins;
  double train_error = NAN, round_trips = NAN;
  bool equilibrated = false;
  std::vector<std::int8_t> binary_examples;     // task 1's examples, labels folded in (kept for train_error1)
  std::vector<std::int32_t> gaussian_examples;
};

// σ_ref, a sample of task 1 at beta_ref. ref_temperatures = 1: the last configuration of a Metropolis
// run whose β rises linearly from 0 to beta_ref over the first half of ref_sweeps sweeps and stays there
// (the original procedure, same draws). More: parallel tempering over ref_temperatures inverse
// temperatures, geometric from ref_beta_min to beta_ref, one Metropolis sweep of every configuration and
// one round of neighbour swaps per step, ref_sweeps steps, from random configurations; σ_ref is the
// configuration at beta_ref at the end. Every draw comes from `rng` (the sample's disorder stream).
// Its equilibration check: the task-1 energy at beta_ref, one value per step, passes the drift check of
// observables/equilibration.hpp (the last half of the run against the quarter before it; the annealed
// chain: of its constant-β half), and with a ladder every configuration made at least one round trip.
Reference reference_sample(const BinaryPerceptron::Params& p, std::span<const std::int8_t> teacher1, Rng& rng) {
  BinaryPerceptron::Params p1 = p;
  p1.mode = BinaryPerceptron::Mode::teacher_student;
  p1.P = p.P1;
  p1.cost = BinaryPerceptron::Cost::count;
  p1.lambda = 0;
  p1.test_size = 0;
  auto d1 = task_disorder(p1, p.P1, teacher1, rng);
  d1->teacher.assign(teacher1.begin(), teacher1.end());
  Reference out;
  out.binary_examples = d1->binary_examples;
  out.gaussian_examples = d1->gaussian_examples;
  if (p.ref_temperatures <= 1) {
    Rng walk(rng());
    BinaryPerceptron model(p1, d1, walk);
    const int half = std::max(1, p.ref_sweeps / 2);
    std::vector<double> cold_energy;
    for (int k = 0; k < p.ref_sweeps; ++k) {
      const double beta = p.beta_ref * std::min(1.0, static_cast<double>(k + 1) / half);
      sweep(model, beta, Dynamics::metropolis, SweepOrder::random, walk);
      if (k + 1 >= half) cold_energy.push_back(model.energy());
    }
    out.spins.assign(model.spins().begin(), model.spins().end());
    out.train_error = static_cast<double>(model.violated()) / p.P1;
    out.equilibrated = drift_check(cold_energy).passed();
    return out;
  }
  const int K = p.ref_temperatures;
  std::vector<double> beta(static_cast<std::size_t>(K));
  for (int k = 0; k < K; ++k)
    beta[k] = p.ref_beta_min * std::pow(p.beta_ref / p.ref_beta_min, static_cast<double>(k) / (K - 1));
  beta[K - 1] = p.beta_ref;
  std::vector<Rng> walks;
  std::vector<BinaryPerceptron> models;
  walks.reserve(K);
  models.reserve(K);
  for (int c = 0; c < K; ++c) {
    walks.emplace_back(rng());
    models.emplace_back(p1, d1, walks.back());
  }
  Rng swaps(rng());
  TemperatureLadder ladder(K);
  std::vector<double> energies(static_cast<std::size_t>(K)), cold_energy;
  cold_energy.reserve(static_cast<std::size_t>(p.ref_sweeps));
  for (int k = 0; k < p.ref_sweeps; ++k) {
    for (int c = 0; c < K; ++c) {
      sweep(models[c], beta[ladder.temperature_of(c)], Dynamics::metropolis, SweepOrder::random, walks[c]);
      energies[c] = models[c].energy();
    }
    ladder.swap_round(beta, energies, swaps);
    cold_energy.push_back(models[ladder.config_at(K - 1)].energy());
  }
  const auto& cold = models[ladder.config_at(K - 1)];
  out.spins.assign(cold.spins().begin(), cold.spins().end());
  out.train_error = static_cast<double>(cold.violated()) / p.P1;
  std::int64_t trips = 0, fewest = -1;
  for (auto t : ladder.round_trips()) {
    trips += t;
    fewest = fewest < 0 ? t : std::min(fewest, t);
  }
  out.round_trips = static_cast<double>(trips);
  out.equilibrated = fewest >= 1 && drift_check(cold_energy).passed();
  return out;
}

template <class Z, class S>
std::int64_t count_delta(const Z* z, const S* s, std::size_t P, S t, S two_sigma) {
  std::int64_t dn = 0;
  for (std::size_t mu = 0; mu < P; ++mu) {
    const S after = s[mu] - two_sigma * static_cast<S>(z[mu]);
    dn += static_cast<std::int64_t>(after <= t) - static_cast<std::int64_t>(s[mu] <= t);
  }
  return dn;
}

struct GapDelta {
  std::int64_t n = 0, g1 = 0;
  i128 g2 = 0;
};

// Change of (violated, Σ gaps, Σ gaps²) when the stabilities s become s - two_sigma z.
template <class Z, class S>
GapDelta gap_delta(const Z* z, const S* s, std::size_t P, S t, S two_sigma) {
  GapDelta d;
  for (std::size_t mu = 0; mu < P; ++mu) {
    const S before = s[mu], after = before - two_sigma * static_cast<S>(z[mu]);
    if (before <= t) {
      const std::int64_t g = static_cast<std::int64_t>(t - before);
      d.n -= 1;
      d.g1 -= g;
      d.g2 -= static_cast<i128>(g) * g;
    }
    if (after <= t) {
      const std::int64_t g = static_cast<std::int64_t>(t - after);
      d.n += 1;
      d.g1 += g;
      d.g2 += static_cast<i128>(g) * g;
    }
  }
  return d;
}

}  // namespace

std::span<const ParamSpec> BinaryPerceptron::parameters() {
  static const std::vector<ParamSpec> specs = {
      {.key = "N", .type = ParamType::integer, .fallback = {},
       .help = "number of binary weights (odd in teacher_student and continual modes)", .min = 1, .max = 1 << 16,
       .required = true},
      {.key = "alpha", .type = ParamType::real, .fallback = {}, .help = "load: P = round(alpha N) examples",
       .min = 0, .max = 1000, .min_open = true, .required = true},
      {.key = "mode", .type = ParamType::choice, .fallback = std::string_view{"storage"},
       .help = "random labels, labels of a binary teacher, or a second task coupled to a first-task sample",
       .choices = {"storage", "teacher_student", "continual"}},
      {.key = "kappa", .type = ParamType::real, .fallback = 0.0,
       .help = "margin: constraint μ violated iff Δ_μ = y σ·x/√N <= kappa", .min = -100, .max = 100},
      {.key = "inputs", .type = ParamType::choice, .fallback = std::string_view{"binary"},
       .help = "inputs x ∈ {±1}^N or Gaussian N(0, 1) (stored in fixed point, step 2^-16)",
       .choices = {"binary", "gaussian"}},
      {.key = "cost", .type = ParamType::choice, .fallback = std::string_view{"count"},
       .help = "energy: number of violated constraints, or Σ_violated (kappa - Δ)²", .choices = {"count", "quadratic"}},
      {.key = "test_size", .type = ParamType::integer, .fallback = std::int64_t{0},
       .help = "fresh examples of teacher 1 for the direct generalisation error eg_test (0: none)", .min = 0,
       .max = 1 << 24},
      {.key = "alpha1", .type = ParamType::real, .fallback = 1.0,
       .help = "continual: load of the first task, P1 = round(alpha1 N)", .min = 0, .max = 1000, .min_open = true},
      {.key = "r0", .type = ParamType::real, .fallback = 1.0,
       .help = "continual: teacher correlation, teacher2 = teacher1 ∘ χ with P(χ = +1) = (1 + r0)/2", .min = -1,
       .max = 1},
      {.key = "lambda", .type = ParamType::real, .fallback = 0.0,
       .help = "continual: coupling, energy term -lambda σ·σ_ref", .min = -1e6, .max = 1e6},
      {.key = "beta_ref", .type = ParamType::real, .fallback = 5.0,
       .help = "continual: inverse temperature at which σ_ref samples task 1", .min = 0, .max = 1e3, .min_open = true},
      {.key = "ref_sweeps", .type = ParamType::integer, .fallback = std::int64_t{2000},
       .help = "continual: sweeps of every configuration of σ_ref's tempering run on task 1 (ref_temperatures "
               "= 1: of one Metropolis chain, β ramped 0 → beta_ref over the first half)",
       .min = 1, .max = 100000000},
      {.key = "ref_temperatures", .type = ParamType::integer, .fallback = std::int64_t{16},
       .help = "continual: inverse temperatures of σ_ref's tempering run, geometric from ref_beta_min to beta_ref "
               "(1: one annealed Metropolis chain)",
       .min = 1, .max = 1024},
      {.key = "ref_beta_min", .type = ParamType::real, .fallback = 0.5,
       .help = "continual: hottest inverse temperature of σ_ref's tempering run (below beta_ref)", .min = 0,
       .max = 1e3, .min_open = true},
  };
  return specs;
}

BinaryPerceptron::Params BinaryPerceptron::parse(const ParamReader& r) {
  Params p;
  p.N = static_cast<int>(r.integer("N"));
  p.alpha = r.real("alpha");
  const std::string mode = r.text("mode");
  p.mode = mode == "storage" ? Mode::storage : mode == "teacher_student" ? Mode::teacher_student : Mode::continual;
  p.kappa = r.real("kappa");
  p.inputs = r.text("inputs") == "gaussian" ? Inputs::gaussian : Inputs::binary;
  p.cost = r.text("cost") == "quadratic" ? Cost::quadratic : Cost::count;
  p.test_size = static_cast<int>(r.integer("test_size"));
  p.alpha1 = r.real("alpha1");
  p.r0 = r.real("r0");
  p.lambda = r.real("lambda");
  p.beta_ref = r.real("beta_ref");
  p.ref_sweeps = static_cast<int>(r.integer("ref_sweeps"));
  p.ref_temperatures = static_cast<int>(r.integer("ref_temperatures"));
  p.ref_beta_min = r.real("ref_beta_min");
  const double P = std::round(p.alpha * p.N);
  if (P < 1) r.fail("alpha", fmt::format("gives P = round(alpha N) = 0 examples at N = {}", p.N));
  if (P * p.N > 4e9) r.fail("alpha", "alpha N² is too large: the examples would need more than 4 GB");
  p.P = static_cast<int>(P);
  if (p.mode != Mode::storage && p.N % 2 == 0)
    r.fail("N", fmt::format("must be odd in mode = \"{}\" (the teacher's label sign(σ*·x) must never be 0), got {}",
                            kModeNames[static_cast<int>(p.mode)], p.N));
  if (p.mode == Mode::storage && p.test_size > 0)
    r.fail("test_size", "needs a teacher: storage labels are random, so there is nothing to generalise");
  if (p.mode == Mode::continual) {
    p.P1 = static_cast<int>(std::round(p.alpha1 * p.N));
    if (p.P1 < 1) r.fail("alpha1", fmt::format("gives P1 = round(alpha1 N) = 0 examples at N = {}", p.N));
    if (p.ref_temperatures > 1 && !(p.ref_beta_min < p.beta_ref))
      r.fail("ref_beta_min", fmt::format("must be below beta_ref = {} (the tempering ladder of σ_ref runs from "
                                         "ref_beta_min up to beta_ref), got {}",
                                         p.beta_ref, p.ref_beta_min));
  } else {
    for (const char* key : {"alpha1", "r0", "lambda", "beta_ref", "ref_sweeps", "ref_temperatures", "ref_beta_min"})
      if (r.has(key)) r.fail(key, "is only used in mode = \"continual\"");
  }
  return p;
}

std::vector<std::pair<std::string, Scalar>> BinaryPerceptron::derived_attributes(const Params& p) {
  std::vector<std::pair<std::string, Scalar>> a = {{"P", std::int64_t{p.P}}};
  if (p.mode == Mode::continual) a.emplace_back("P1", std::int64_t{p.P1});
  return a;
}

// Examples per site: a byte and a bit (binary inputs) or an int32 (Gaussian), for the P examples,
// the test examples and task 1's P1 (sampled for σ_ref, then kept for train_error1); a walker holds spins and stabilities.
double BinaryPerceptron::disorder_bytes(const Params& p) {
  const double per = p.inputs == Inputs::binary ? 1.125 : 4.0;
  const double examples = p.P + p.test_size + (p.mode == Mode::continual ? p.P1 : 0);
  return static_cast<double>(p.N) * (per * examples + 3);
}

double BinaryPerceptron::walker_bytes(const Params& p) {
  return p.N + (p.inputs == Inputs::binary ? 4.0 : 8.0) * p.P + 64;
}

std::shared_ptr<const BinaryPerceptron::Disorder> BinaryPerceptron::make_disorder(const Params& p, Rng& rng) {
  // Draw order (fixed, so a sample is reproducible): teacher 1; [continual: task-1 examples and the
  // σ_ref run (one seed), χ]; the examples of the sampled task; the test set (one seed).
  std::vector<std::int8_t> teacher1, teacher2, reference;
  Reference ref;
  if (p.mode != Mode::storage) teacher1 = random_spins(p.N, rng);
  if (p.mode == Mode::continual) {
    Rng ref_rng(rng());
    ref = reference_sample(p, teacher1, ref_rng);
    reference = ref.spins;
    teacher2 = teacher1;
    const double plus = (1.0 + p.r0) / 2.0;
    for (auto& s : teacher2)
      if (!(rng.uniform() < plus)) s = static_cast<std::int8_t>(-s);
  }
  const auto& labeller = p.mode == Mode::continual ? teacher2 : teacher1;
  auto d = task_disorder(p, p.P, labeller, rng);
  d->teacher = std::move(teacher1);
  d->teacher2 = std::move(teacher2);
  d->reference = std::move(reference);
  if (p.mode == Mode::continual) {
    d->ref_R = static_cast<double>(dot(d->reference, d->teacher)) / p.N;
    d->ref_train_error = ref.train_error;
    d->teacher_overlap = static_cast<double>(dot(d->teacher, d->teacher2)) / p.N;
    d->ref_round_trips = ref.round_trips;
    d->ref_equilibrated = ref.equilibrated ? 1.0 : 0.0;
    d->P1 = p.P1;
    d->task1_binary_examples = std::move(ref.binary_examples);
    d->task1_gaussian_examples = std::move(ref.gaussian_examples);
  }
  if (p.test_size > 0) {
    Rng test_rng(rng());
    d->test_size = p.test_size;
    draw_examples(p.N, p.test_size, d->binary, d->teacher, test_rng, d->test_binary, d->test_gaussian);
  }
  return d;
}

BinaryPerceptron::BinaryPerceptron(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
    : disorder_(std::move(disorder)), cost_(p.cost), lambda_(p.lambda), storage_mode_(p.mode == Mode::storage),
      spins_(random_spins(disorder_->N, rng)) {
  const auto s = recompute_stabilities();
  if (disorder_->binary) binary_stabilities_.assign(s.begin(), s.end());
  else gaussian_stabilities_.assign(s.begin(), s.end());
  for (auto v : s)
    if (v <= disorder_->threshold) {
      const std::int64_t g = disorder_->threshold - v;
      ++violated_;
      gap_sum_ += g;
      gap_square_sum_ += static_cast<i128>(g) * g;
    }
  if (!disorder_->reference.empty()) reference_overlap_ = dot(spins_, disorder_->reference);
  rebuild_edge_masks();
}

void BinaryPerceptron::rebuild_edge_masks() {
  edge_path_ = disorder_->binary && cost_ == Cost::count;
  if (!edge_path_) return;
  edges_.rebuild(binary_stabilities_, disorder_->sign_bits.words, static_cast<std::int32_t>(disorder_->threshold), disorder_->N);
}

double BinaryPerceptron::quadratic_cost(double n, double g1, double g2) const {
  const double delta = disorder_->theta - static_cast<double>(disorder_->threshold);  // in [0, 1)
  return (n * delta * delta + 2.0 * delta * g1 + g2) / (disorder_->unit * disorder_->unit);
}

double BinaryPerceptron::reference_delta(int i) const {
  const auto P = static_cast<std::size_t>(disorder_->P);
  const std::size_t off = static_cast<std::size_t>(i) * P;
  const int sigma = spins_[i];
  double dE = 0;
  if (edge_path_) {
    dE = static_cast<double>(edge_violated_change(i));
  } else if (cost_ == Cost::count) {
    dE = static_cast<double>(
        disorder_->binary ? count_delta(disorder_->binary_examples.data() + off, binary_stabilities_.data(), P, static_cast<std::int32_t>(disorder_->threshold),
                                 static_cast<std::int32_t>(2 * sigma))
                   : count_delta(disorder_->gaussian_examples.data() + off, gaussian_stabilities_.data(), P, disorder_->threshold, std::int64_t{2 * sigma}));
  } else {
    const GapDelta g =
        disorder_->binary ? gap_delta(disorder_->binary_examples.data() + off, binary_stabilities_.data(), P, static_cast<std::int32_t>(disorder_->threshold),
                               static_cast<std::int32_t>(2 * sigma))
                   : gap_delta(disorder_->gaussian_examples.data() + off, gaussian_stabilities_.data(), P, disorder_->threshold, std::int64_t{2 * sigma});
    dE = quadratic_cost(static_cast<double>(g.n), static_cast<double>(g.g1), static_cast<double>(g.g2));
  }
  if (!disorder_->reference.empty()) dE += 2.0 * lambda_ * sigma * disorder_->reference[i];
  return dE;
}

void BinaryPerceptron::flip_any(int i) {
  const auto P = static_cast<std::size_t>(disorder_->P);
  const std::size_t off = static_cast<std::size_t>(i) * P;
  const int sigma = spins_[i];
  GapDelta g;
  auto update = [&](const auto* z, auto* s, auto t, auto two) {
    if (cost_ == Cost::count) g.n = count_delta(z, s, P, t, two);
    else g = gap_delta(z, s, P, t, two);
    for (std::size_t mu = 0; mu < P; ++mu) s[mu] -= two * z[mu];
  };
  if (disorder_->binary)
    update(disorder_->binary_examples.data() + off, binary_stabilities_.data(), static_cast<std::int32_t>(disorder_->threshold),
           static_cast<std::int32_t>(2 * sigma));
  else
    update(disorder_->gaussian_examples.data() + off, gaussian_stabilities_.data(), disorder_->threshold, std::int64_t{2 * sigma});
  violated_ += g.n;
  gap_sum_ += g.g1;
  gap_square_sum_ += g.g2;
  if (!disorder_->reference.empty()) reference_overlap_ -= 2 * sigma * disorder_->reference[i];
  spins_[i] = static_cast<std::int8_t>(-sigma);
}

double BinaryPerceptron::energy() const {
  const double cost = cost_ == Cost::count ? static_cast<double>(violated())
                                           : quadratic_cost(static_cast<double>(violated()), static_cast<double>(gap_sum_),
                                                       static_cast<double>(gap_square_sum_));
  return cost - lambda_ * static_cast<double>(reference_overlap_);
}

std::vector<std::int64_t> BinaryPerceptron::stabilities() const {
  if (!disorder_->binary) return gaussian_stabilities_;
  std::vector<std::int32_t> s = binary_stabilities_;
  if (edge_path_) edges_.to_stabilities(s);
  return {s.begin(), s.end()};
}

std::vector<std::int64_t> BinaryPerceptron::recompute_stabilities() const {
  const auto P = static_cast<std::size_t>(disorder_->P);
  std::vector<std::int64_t> s(P, 0);
  if (disorder_->binary) {  // |s_μ| ≤ N < 2^31: int32 lanes, one vectorised pass per site (each walker's start)
    std::vector<std::int32_t> s32(P, 0);
    const std::int8_t* z = disorder_->binary_examples.data();
    for (std::size_t i = 0; i < spins_.size(); ++i) {
      const std::int32_t sigma = spins_[i];
      const std::int8_t* row = z + i * P;
      for (std::size_t mu = 0; mu < P; ++mu) s32[mu] += sigma * row[mu];
    }
    std::copy(s32.begin(), s32.end(), s.begin());
    return s;
  }
  const std::int32_t* z = disorder_->gaussian_examples.data();
  for (std::size_t i = 0; i < spins_.size(); ++i)
    for (std::size_t mu = 0; mu < P; ++mu) s[mu] += spins_[i] * static_cast<std::int64_t>(z[i * P + mu]);
  return s;
}

double BinaryPerceptron::recompute_energy() const {
  // Straight from the definition, in floating point: Σ_μ Θ(κ - Δ_μ) or Σ_μ (κ - Δ_μ)² Θ(κ - Δ_μ).
  double e = 0;
  for (auto s : recompute_stabilities()) {
    if (s > disorder_->threshold) continue;
    const double gap = (disorder_->theta - static_cast<double>(s)) / disorder_->unit;
    e += cost_ == Cost::count ? 1.0 : gap * gap;
  }
  if (!disorder_->reference.empty()) e -= lambda_ * static_cast<double>(dot(spins_, disorder_->reference));
  return e;
}

void BinaryPerceptron::measure(std::span<double> out) const {
  const double n = size();
  auto overlap = [&](const std::vector<std::int8_t>& v) {
    return v.empty() ? NAN : static_cast<double>(dot(spins_, v)) / n;
  };
  const double R = overlap(disorder_->teacher);
  if (storage_mode_) {
    std::int64_t m = 0;
    for (auto s : spins_) m += s;
    out[0] = static_cast<double>(m) / n;  // storage: plain magnetisation (there is no teacher)
  } else {
    out[0] = R;
  }
  out[1] = R;
  out[2] = static_cast<double>(violated()) / disorder_->P;
  out[3] = std::isnan(R) ? NAN : std::acos(std::clamp(R, -1.0, 1.0)) / M_PI;
  out[4] = NAN;
  if (disorder_->test_size > 0) {
    const auto T = static_cast<std::size_t>(disorder_->test_size);
    std::vector<std::int64_t> field(T, 0);
    for (std::size_t i = 0; i < spins_.size(); ++i) {
      const std::int64_t s = spins_[i];
      if (disorder_->binary)
        for (std::size_t k = 0; k < T; ++k) field[k] += s * disorder_->test_binary[i * T + k];
      else
        for (std::size_t k = 0; k < T; ++k) field[k] += s * disorder_->test_gaussian[i * T + k];
    }
    std::int64_t wrong = 0;
    for (auto f : field) wrong += f <= 0;
    out[4] = static_cast<double>(wrong) / static_cast<double>(T);
  }
  out[5] = violated() == 0 ? 1.0 : 0.0;
  out[6] = overlap(disorder_->teacher2);
  out[7] = overlap(disorder_->reference);
  if (out.size() > 8) {  // continual mode: the reference's own constants and the student's task-1 error
    out[8] = disorder_->ref_R;
    out[9] = disorder_->ref_train_error;
    out[10] = disorder_->teacher_overlap;
    out[11] = disorder_->ref_round_trips;
    out[12] = disorder_->ref_equilibrated;
    out[13] = violated_fraction(spins_, disorder_->task1_binary_examples, disorder_->task1_gaussian_examples,
                                disorder_->P1, disorder_->threshold);
  }
}

void BinaryPerceptron::serialize(Archive& ar) {
  if (ar.saving() && edge_path_) {
    edges_.to_stabilities(binary_stabilities_);  // the layout keeps int32
    violated_ = violated();
  }
  ar.io(spins_);
  ar.io(binary_stabilities_);
  ar.io(gaussian_stabilities_);
  ar.io(violated_);
  ar.io(gap_sum_);
  ar.io(gap_square_sum_);
  ar.io(reference_overlap_);
  if (!ar.saving()) rebuild_edge_masks();
}

}  // namespace ptmc
