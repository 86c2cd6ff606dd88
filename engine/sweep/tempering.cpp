#include "engine/sweep/tempering.hpp"

#include <cmath>
#include <numeric>

namespace ptmc {

bool swap_accept(double beta_lo, double beta_hi, double e_lo, double e_hi, double uniform) {
  if (beta_lo == beta_hi || e_lo == e_hi) return true;
  const double x = (beta_lo - beta_hi) * (e_lo - e_hi);  // may be ±inf, never NaN here
  return x >= 0.0 || uniform < std::exp(x);
}

TemperatureLadder::TemperatureLadder(int temperatures, SwapScheme scheme)
    : config_at_(temperatures), temperature_of_(temperatures),
      pair_attempts_(std::max(temperatures - 1, 0), 0), pair_accepts_(pair_attempts_),
      interval_attempts_(pair_attempts_), interval_accepts_(pair_attempts_), label_(temperatures, 0),
      up_count_(temperatures, 0), labelled_count_(temperatures, 0), round_trips_(temperatures, 0), scheme_(scheme) {
  std::iota(config_at_.begin(), config_at_.end(), 0);
  std::iota(temperature_of_.begin(), temperature_of_.end(), 0);
  update_labels();
}

void TemperatureLadder::swap_round(std::span<const double> beta, std::span<const double> energies, Rng& rng) {
  const bool deo = scheme_ == SwapScheme::deo;
  for (int t = deo ? static_cast<int>(rounds_ & 1) : 0; t + 1 < size(); t += deo ? 2 : 1) {
    const int a = config_at_[t], b = config_at_[t + 1];
    const double u = rng.uniform();  // always drawn: the stream advances the same way whatever happens
    ++pair_attempts_[t];
    ++interval_attempts_[t];
    if (swap_accept(beta[t], beta[t + 1], energies[a], energies[b], u)) {
      ++pair_accepts_[t];
      ++interval_accepts_[t];
      config_at_[t] = b;
      config_at_[t + 1] = a;
      temperature_of_[a] = t + 1;
      temperature_of_[b] = t;
    }
  }
  ++rounds_;
  update_labels();
}

void TemperatureLadder::update_labels() {
  const int T = size();
  if (T < 2) return;
  const int hot = config_at_[0], cold = config_at_[T - 1];
  if (label_[hot] == -1) ++round_trips_[hot];  // came back from the cold end
  label_[hot] = +1;
  label_[cold] = -1;
  for (int t = 0; t < T; ++t) {
    const int c = config_at_[t];
    if (label_[c] != 0) ++labelled_count_[t];
    if (label_[c] == +1) ++up_count_[t];
  }
}

void TemperatureLadder::reset_interval() {
  std::fill(interval_attempts_.begin(), interval_attempts_.end(), 0);
  std::fill(interval_accepts_.begin(), interval_accepts_.end(), 0);
}

void TemperatureLadder::serialize(Archive& ar) {
  ar.io(config_at_);
  ar.io(temperature_of_);
  ar.io(pair_attempts_);
  ar.io(pair_accepts_);
  ar.io(interval_attempts_);
  ar.io(interval_accepts_);
  ar.io(label_);
  ar.io(up_count_);
  ar.io(labelled_count_);
  ar.io(round_trips_);
  ar.io(rounds_);
}

}  // namespace ptmc
