#include "engine/ladder_tuning.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <numeric>
#include <stdexcept>

namespace ptmc {

namespace {

// Places `count` points along the ladder so that each new interval holds an equal share of the
// weight, the weight of old interval i being w[i], spread uniformly in β across it.
std::vector<double> equal_weight_points(std::span<const double> beta, std::span<const double> w, int count) {
  if (count < 2) throw std::invalid_argument("a ladder needs at least two temperatures");
  std::vector<double> cum(beta.size(), 0.0);
  for (std::size_t i = 0; i + 1 < beta.size(); ++i) cum[i + 1] = cum[i] + w[i];
  std::vector<double> out{beta.front()};
  std::size_t i = 0;
  for (int k = 1; k + 1 < count; ++k) {
    const double target = cum.back() * k / (count - 1);
    while (i + 2 < cum.size() && cum[i + 1] < target) ++i;
    const double frac = w[i] > 0 ? (target - cum[i]) / w[i] : 0.0;
    out.push_back(beta[i] + std::clamp(frac, 0.0, 1.0) * (beta[i + 1] - beta[i]));
  }
  out.push_back(beta.back());
  return out;
}

// Captures what the tuning needs from a pilot run: the final tempering statistics.
class PilotRecorder final : public NullRecorder {
 public:
  void finish(const TaskFinal& f) override { final = f; }
  TaskFinal final;
};

}  // namespace

std::vector<double> feedback_ladder(std::span<const double> beta, std::span<const double> f, int count) {
  // Optimal density η ∝ sqrt(|df/dβ| / Δβ): interval i gets a share of points ∝ sqrt(|Δf_i|).
  // A floor keeps intervals where the noisy f did not move from collapsing to nothing.
  std::vector<double> w(beta.size() - 1);
  for (std::size_t i = 0; i + 1 < beta.size(); ++i) {
    const double df = std::isfinite(f[i]) && std::isfinite(f[i + 1]) ? std::abs(f[i] - f[i + 1]) : 0.0;
    w[i] = std::sqrt(std::max(df, 1e-3 / static_cast<double>(beta.size())));
  }
  return equal_weight_points(beta, w, count);
}

std::vector<double> equal_acceptance_ladder(std::span<const double> beta, std::span<const double> acceptance, int count) {
  // With Gaussian energy distributions A ≈ exp(-c Δβ² σ²), so sqrt(-ln A) ∝ Δβ σ is a distance
  // additive along the ladder: equal shares of it give equal acceptance.
  std::vector<double> w(beta.size() - 1);
  for (std::size_t i = 0; i + 1 < beta.size(); ++i) w[i] = std::sqrt(-std::log(std::clamp(acceptance[i], 1e-4, 0.9999)));
  return equal_weight_points(beta, w, count);
}

int count_for_acceptance(std::span<const double> acceptance, double target) {
  // With A ≈ exp(-c Δβ²) the distance is sqrt(-ln A) (not -ln A): it is additive in β.
  double total = 0;
  for (double a : acceptance) total += std::sqrt(-std::log(std::clamp(a, 1e-4, 0.9999)));
  return std::max(2, 1 + static_cast<int>(std::ceil(total / std::sqrt(-std::log(target)))));
}

double communication_barrier(std::span<const double> acceptance) {
  double lambda = 0;
  for (double a : acceptance) lambda += 1.0 - std::clamp(a, 0.0, 1.0);
  return lambda;
}

std::vector<double> barrier_ladder(std::span<const double> beta, std::span<const double> acceptance, int count) {
  // A floor keeps a pair that happened to accept everything from collapsing to nothing.
  std::vector<double> w(beta.size() - 1);
  for (std::size_t i = 0; i + 1 < beta.size(); ++i) w[i] = std::max(1.0 - std::clamp(acceptance[i], 0.0, 1.0), 1e-3);
  return equal_weight_points(beta, w, count);
}

int count_for_barrier(std::span<const double> acceptance, double target_rejection) {
  const double lambda = communication_barrier(acceptance);
  return std::max(2, 1 + static_cast<int>(std::ceil(lambda / target_rejection - 1e-9)));
}

std::string tune_ladders(const Config& cfg, const ModelEntry& model, const TuneOptions& o) {
  std::string text = cfg.text;
  if (!text.empty() && text.back() != '\n') text += '\n';
  const char* method = o.method == TuneMethod::feedback     ? "feedback (round trips)"
                       : o.method == TuneMethod::acceptance ? "equal acceptance"
                                                            : "barrier (equal rejection along the communication barrier)";
  text += fmt::format("\n# Ladders tuned by `ptmc tune` ({} method, {} pilot iterations from {} sweeps).\n", method,
                      o.iterations, o.pilot_sweeps);
  for (std::size_t p = 0; p < cfg.points.size(); ++p) {
    std::vector<double> beta = cfg.beta_of(p);
    if (beta.size() < 2 || !std::isfinite(beta.back()))
      throw std::runtime_error(fmt::format("tune: point {} needs a finite ladder of at least two temperatures", p));
    Config pilot = cfg;
    std::int64_t sweeps = o.pilot_sweeps;
    int count = o.temperatures > 0 ? o.temperatures : static_cast<int>(beta.size());
    for (int it = 0; it < o.iterations; ++it) {
      pilot.tempering.point_beta.assign(cfg.points.size(), {});
      pilot.tempering.point_beta[p] = beta;
      pilot.tempering.swap_every = 1;
      pilot.run.thermalization = sweeps / 4;
      pilot.run.sweeps = sweeps;
      pilot.run.measure_every = std::max<std::int64_t>(1, sweeps / 100);
      pilot.run.auto_extend = false;
      PilotRecorder rec;
      model.run_task(pilot, TaskId{p, 0}, rec, {});
      const std::size_t T = beta.size();
      std::vector<double> acc(T - 1, 0.0), f = rec.final.up_fraction;
      const std::size_t R = rec.final.pair_attempts.size() / (T - 1);
      for (std::size_t t = 0; t + 1 < T; ++t) {
        double a = 0, n = 0;
        for (std::size_t r = 0; r < R; ++r) {
          a += static_cast<double>(rec.final.pair_accepts[r * (T - 1) + t]);
          n += static_cast<double>(rec.final.pair_attempts[r * (T - 1) + t]);
        }
        acc[t] = n > 0 ? a / n : 0.0;
      }
      // The barrier's estimate Σ r_i saturates on a coarse ladder (r_i <= 1): its count follows every pass.
      if (o.temperatures < 0 && o.method == TuneMethod::barrier) count = count_for_barrier(acc, o.target_rejection);
      else if (o.temperatures < 0 && it == 0) count = count_for_acceptance(acc, o.target_acceptance);
      // Walkers that never reached an end leave f undefined: fall back to acceptance for that pass.
      const bool f_usable = std::all_of(f.begin(), f.end(), [](double x) { return std::isfinite(x); });
      const double lambda = communication_barrier(acc);
      beta = o.method == TuneMethod::barrier                 ? barrier_ladder(beta, acc, count)
             : o.method == TuneMethod::feedback && f_usable ? feedback_ladder(beta, f, count)
                                                             : equal_acceptance_ladder(beta, acc, count);
      if (!o.quiet)
        std::fprintf(stderr,
                     "[ptmc] tune point %zu, pass %d/%d (%lld sweeps): min pair acceptance %.3f, barrier %.3f -> %zu "
                     "temperatures\n",
                     p, it + 1, o.iterations, static_cast<long long>(sweeps), *std::min_element(acc.begin(), acc.end()),
                     lambda, beta.size());
      sweeps *= 2;
    }
    text += fmt::format("\n[[tempering.ladder]]\npoint = {}\nbeta = [", p);
    for (std::size_t k = 0; k < beta.size(); ++k) text += fmt::format("{}{:.10g}", k ? ", " : "", beta[k]);
    text += "]\n";
  }
  return text;
}

}  // namespace ptmc
