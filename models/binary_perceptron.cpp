#include "models/binary_perceptron.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>

#include "engine/dynamics.hpp"
#include "engine/simd.hpp"
#include "engine/tempering.hpp"

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
  draw_examples(p.N, P, d->binary, teacher, rng, d->zb, d->zg);
  if (d->binary) {
    const auto np = static_cast<std::size_t>(P);
    d->words = (P + 63) / 64;
    d->zbits.assign(static_cast<std::size_t>(p.N) * d->words, 0);
    for (std::size_t i = 0; i < static_cast<std::size_t>(p.N); ++i)
      for (std::size_t mu = 0; mu < np; ++mu)
        if (d->zb[i * np + mu] < 0) d->zbits[i * d->words + mu / 64] |= std::uint64_t{1} << (mu % 64);
  }
  return d;
}

struct Reference {
  std::vector<std::int8_t> spins;
  double train_error = NAN, round_trips = NAN;
};

// σ_ref, a sample of task 1 at beta_ref. ref_temperatures = 1: the last configuration of a Metropolis
// run whose β rises linearly from 0 to beta_ref over the first half of ref_sweeps sweeps and stays there
// (the original procedure, same draws). More: parallel tempering over ref_temperatures inverse
// temperatures, geometric from ref_beta_min to beta_ref, one Metropolis sweep of every configuration and
// one round of neighbour swaps per step, ref_sweeps steps, from random configurations; σ_ref is the
// configuration at beta_ref at the end. Every draw comes from `rng` (the sample's disorder stream).
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
  if (p.ref_temperatures <= 1) {
    Rng walk(rng());
    BinaryPerceptron model(p1, d1, walk);
    const int half = std::max(1, p.ref_sweeps / 2);
    for (int k = 0; k < p.ref_sweeps; ++k) {
      const double beta = p.beta_ref * std::min(1.0, static_cast<double>(k + 1) / half);
      sweep(model, beta, Dynamics::metropolis, SweepOrder::random, walk);
    }
    out.spins.assign(model.spins().begin(), model.spins().end());
    out.train_error = static_cast<double>(model.violated()) / p.P1;
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
  std::vector<double> energies(static_cast<std::size_t>(K));
  for (int k = 0; k < p.ref_sweeps; ++k) {
    for (int c = 0; c < K; ++c) {
      sweep(models[c], beta[ladder.temperature_of(c)], Dynamics::metropolis, SweepOrder::random, walks[c]);
      energies[c] = models[c].energy();
    }
    ladder.swap_round(beta, energies, swaps);
  }
  const auto& cold = models[ladder.config_at(K - 1)];
  out.spins.assign(cold.spins().begin(), cold.spins().end());
  out.train_error = static_cast<double>(cold.violated()) / p.P1;
  std::int64_t trips = 0;
  for (auto t : ladder.round_trips()) trips += t;
  out.round_trips = static_cast<double>(trips);
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
// the test examples and, while σ_ref is sampled, task 1's P1; a walker holds spins and stabilities.
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
  }
  if (p.test_size > 0) {
    Rng test_rng(rng());
    d->test_size = p.test_size;
    draw_examples(p.N, p.test_size, d->binary, d->teacher, test_rng, d->test_b, d->test_g);
  }
  return d;
}

BinaryPerceptron::BinaryPerceptron(const Params& p, std::shared_ptr<const Disorder> disorder, Rng& rng)
    : d_(std::move(disorder)), cost_(p.cost), lambda_(p.lambda), storage_(p.mode == Mode::storage),
      spins_(random_spins(d_->N, rng)) {
  const auto s = recompute_stabilities();
  if (d_->binary) sb_.assign(s.begin(), s.end());
  else sg_.assign(s.begin(), s.end());
  for (auto v : s)
    if (v <= d_->threshold) {
      const std::int64_t g = d_->threshold - v;
      ++violated_;
      gap1_ += g;
      gap2_ += static_cast<i128>(g) * g;
    }
  if (!d_->reference.empty()) ref_overlap_ = dot(spins_, d_->reference);
  rebuild_edges();
}

void BinaryPerceptron::rebuild_edges() {
  edges_ = d_->binary && cost_ == Cost::count;
  if (!edges_) return;
  const auto P = static_cast<std::size_t>(d_->P);
  const auto t = static_cast<std::int32_t>(d_->threshold);
  edge_down_.assign(static_cast<std::size_t>(d_->words), 0);
  edge_up_.assign(static_cast<std::size_t>(d_->words), 0);
  for (std::size_t w = 0; w * 64 < P; ++w) {
    std::uint64_t down = 0, up = 0;
    const std::size_t end = std::min(P, w * 64 + 64);
    for (std::size_t mu = w * 64; mu < end; ++mu) {
      const std::int32_t v = sb_[mu];
      down |= static_cast<std::uint64_t>(v > t && v <= t + 2) << (mu % 64);
      up |= static_cast<std::uint64_t>(v > t - 2 && v <= t) << (mu % 64);
    }
    edge_down_[w] = down;
    edge_up_[w] = up;
  }
}

// s_μ -= 2 σ_i z_{iμ} for every μ, and the edge bits of the new stabilities.
void BinaryPerceptron::flip_edges(int i) {
  const auto P = static_cast<std::size_t>(d_->P);
  const std::int8_t* z = d_->zb.data() + static_cast<std::size_t>(i) * P;
  std::int32_t* s = sb_.data();
  const std::int32_t two = 2 * spins_[i], t = static_cast<std::int32_t>(d_->threshold);
  std::size_t mu = 0;
#if defined(__AVX512F__) && defined(__AVX512BW__)
  using u16 = std::uint16_t __attribute__((may_alias));
  auto* down16 = reinterpret_cast<u16*>(edge_down_.data());
  auto* up16 = reinterpret_cast<u16*>(edge_up_.data());
  const __m512i tv = _mm512_set1_epi32(t), t_plus = _mm512_set1_epi32(t + 2), t_minus = _mm512_set1_epi32(t - 2);
  for (; mu + 16 <= P; mu += 16) {
    const __m512i z2 = _mm512_slli_epi32(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(z + mu))), 1);
    const __m512i old = _mm512_loadu_si512(s + mu);
    const __m512i v = two > 0 ? _mm512_sub_epi32(old, z2) : _mm512_add_epi32(old, z2);
    _mm512_storeu_si512(s + mu, v);
    const __mmask16 above = _mm512_cmpgt_epi32_mask(v, tv);
    down16[mu / 16] = static_cast<std::uint16_t>(_mm512_mask_cmple_epi32_mask(above, v, t_plus));
    up16[mu / 16] = static_cast<std::uint16_t>(_mm512_mask_cmpgt_epi32_mask(static_cast<__mmask16>(~above), v, t_minus));
  }
#endif
  for (std::size_t k = mu; k < P; ++k) s[k] -= two * z[k];
  for (std::size_t k = mu; k < P; ++k) {
    const std::uint64_t bit = std::uint64_t{1} << (k % 64);
    const std::int32_t v = s[k];
    edge_down_[k / 64] = (edge_down_[k / 64] & ~bit) | (v > t && v <= t + 2 ? bit : 0);
    edge_up_[k / 64] = (edge_up_[k / 64] & ~bit) | (v > t - 2 && v <= t ? bit : 0);
  }
}

double BinaryPerceptron::cost_from(double n, double g1, double g2) const {
  const double delta = d_->theta - static_cast<double>(d_->threshold);  // in [0, 1)
  return (n * delta * delta + 2.0 * delta * g1 + g2) / (d_->unit * d_->unit);
}

double BinaryPerceptron::general_delta(int i) const {
  const auto P = static_cast<std::size_t>(d_->P);
  const std::size_t off = static_cast<std::size_t>(i) * P;
  const int sigma = spins_[i];
  double dE = 0;
  if (edges_) {
    dE = static_cast<double>(edge_delta(i));
  } else if (cost_ == Cost::count) {
    dE = static_cast<double>(
        d_->binary ? count_delta(d_->zb.data() + off, sb_.data(), P, static_cast<std::int32_t>(d_->threshold),
                                 static_cast<std::int32_t>(2 * sigma))
                   : count_delta(d_->zg.data() + off, sg_.data(), P, d_->threshold, std::int64_t{2 * sigma}));
  } else {
    const GapDelta g =
        d_->binary ? gap_delta(d_->zb.data() + off, sb_.data(), P, static_cast<std::int32_t>(d_->threshold),
                               static_cast<std::int32_t>(2 * sigma))
                   : gap_delta(d_->zg.data() + off, sg_.data(), P, d_->threshold, std::int64_t{2 * sigma});
    dE = cost_from(static_cast<double>(g.n), static_cast<double>(g.g1), static_cast<double>(g.g2));
  }
  if (!d_->reference.empty()) dE += 2.0 * lambda_ * sigma * d_->reference[i];
  return dE;
}

void BinaryPerceptron::flip(int i) {
  const auto P = static_cast<std::size_t>(d_->P);
  const std::size_t off = static_cast<std::size_t>(i) * P;
  const int sigma = spins_[i];
  GapDelta g;
  auto update = [&](const auto* z, auto* s, auto t, auto two) {
    if (cost_ == Cost::count) g.n = count_delta(z, s, P, t, two);
    else g = gap_delta(z, s, P, t, two);
    for (std::size_t mu = 0; mu < P; ++mu) s[mu] -= two * z[mu];
  };
  if (edges_) {
    g.n = edge_delta(i);
    flip_edges(i);
  } else if (d_->binary)
    update(d_->zb.data() + off, sb_.data(), static_cast<std::int32_t>(d_->threshold),
           static_cast<std::int32_t>(2 * sigma));
  else
    update(d_->zg.data() + off, sg_.data(), d_->threshold, std::int64_t{2 * sigma});
  violated_ += g.n;
  gap1_ += g.g1;
  gap2_ += g.g2;
  if (!d_->reference.empty()) ref_overlap_ -= 2 * sigma * d_->reference[i];
  spins_[i] = static_cast<std::int8_t>(-sigma);
}

double BinaryPerceptron::energy() const {
  const double cost = cost_ == Cost::count ? static_cast<double>(violated_)
                                           : cost_from(static_cast<double>(violated_), static_cast<double>(gap1_),
                                                       static_cast<double>(gap2_));
  return cost - lambda_ * static_cast<double>(ref_overlap_);
}

std::vector<std::int64_t> BinaryPerceptron::stabilities() const {
  return d_->binary ? std::vector<std::int64_t>(sb_.begin(), sb_.end()) : sg_;
}

std::vector<std::int64_t> BinaryPerceptron::recompute_stabilities() const {
  const auto P = static_cast<std::size_t>(d_->P);
  std::vector<std::int64_t> s(P, 0);
  for (std::size_t i = 0; i < spins_.size(); ++i)
    for (std::size_t mu = 0; mu < P; ++mu)
      s[mu] += spins_[i] * static_cast<std::int64_t>(d_->binary ? d_->zb[i * P + mu] : d_->zg[i * P + mu]);
  return s;
}

double BinaryPerceptron::recompute_energy() const {
  // Straight from the definition, in floating point: Σ_μ Θ(κ - Δ_μ) or Σ_μ (κ - Δ_μ)² Θ(κ - Δ_μ).
  double e = 0;
  for (auto s : recompute_stabilities()) {
    if (s > d_->threshold) continue;
    const double gap = (d_->theta - static_cast<double>(s)) / d_->unit;
    e += cost_ == Cost::count ? 1.0 : gap * gap;
  }
  if (!d_->reference.empty()) e -= lambda_ * static_cast<double>(dot(spins_, d_->reference));
  return e;
}

void BinaryPerceptron::measure(std::span<double> out) const {
  const double n = size();
  auto overlap = [&](const std::vector<std::int8_t>& v) {
    return v.empty() ? NAN : static_cast<double>(dot(spins_, v)) / n;
  };
  const double R = overlap(d_->teacher);
  if (storage_) {
    std::int64_t m = 0;
    for (auto s : spins_) m += s;
    out[0] = static_cast<double>(m) / n;  // storage: plain magnetisation (there is no teacher)
  } else {
    out[0] = R;
  }
  out[1] = R;
  out[2] = static_cast<double>(violated_) / d_->P;
  out[3] = std::isnan(R) ? NAN : std::acos(std::clamp(R, -1.0, 1.0)) / M_PI;
  out[4] = NAN;
  if (d_->test_size > 0) {
    const auto T = static_cast<std::size_t>(d_->test_size);
    std::vector<std::int64_t> field(T, 0);
    for (std::size_t i = 0; i < spins_.size(); ++i) {
      const std::int64_t s = spins_[i];
      if (d_->binary)
        for (std::size_t k = 0; k < T; ++k) field[k] += s * d_->test_b[i * T + k];
      else
        for (std::size_t k = 0; k < T; ++k) field[k] += s * d_->test_g[i * T + k];
    }
    std::int64_t wrong = 0;
    for (auto f : field) wrong += f <= 0;
    out[4] = static_cast<double>(wrong) / static_cast<double>(T);
  }
  out[5] = violated_ == 0 ? 1.0 : 0.0;
  out[6] = overlap(d_->teacher2);
  out[7] = overlap(d_->reference);
  if (out.size() > 8) {  // continual mode: the reference's own constants
    out[8] = d_->ref_R;
    out[9] = d_->ref_train_error;
    out[10] = d_->teacher_overlap;
    out[11] = d_->ref_round_trips;
  }
}

void BinaryPerceptron::serialize(Archive& ar) {
  ar.io(spins_);
  ar.io(sb_);
  ar.io(sg_);
  ar.io(violated_);
  ar.io(gap1_);
  ar.io(gap2_);
  ar.io(ref_overlap_);
  if (!ar.saving()) rebuild_edges();
}

}  // namespace ptmc
