#include "engine/rng.hpp"

#include <cmath>

namespace ptmc {

Rng::Rng(const StreamKey& key) noexcept {
  // Fold the key into one 64-bit word with SplitMix64 as a mixing function, then expand.
  std::uint64_t h = key.seed;
  const std::uint64_t fields[] = {static_cast<std::uint64_t>(key.purpose), key.point, key.sample, key.replica};
  for (std::uint64_t f : fields) {
    std::uint64_t m = h ^ (f * 0xd1342543de82ef95ULL + 0x2545f4914f6cdd1dULL);
    h = splitmix64_next(m);
  }
  seed_lanes(h);
}

void Rng::seed_lanes(std::uint64_t seed) noexcept {
  std::uint64_t sm = seed;
  for (int l = 0; l < kLanes; ++l)
    for (int w = 0; w < 4; ++w) s_[w][l] = splitmix64_next(sm);
  pos_ = kBlock;
}

Rng::State Rng::state() const noexcept {
  State st{};
  std::size_t k = 0;
  for (const auto& word : s_)
    for (const std::uint64_t x : word) st[k++] = x;
  for (const std::uint64_t x : buf_) st[k++] = x;
  st[k] = static_cast<std::uint64_t>(pos_);
  return st;
}

Rng Rng::from_state(const State& st) noexcept {
  Rng r;
  std::size_t k = 0;
  for (auto& word : r.s_)
    for (std::uint64_t& x : word) x = st[k++];
  for (std::uint64_t& x : r.buf_) x = st[k++];
  r.pos_ = st[k] <= kBlock ? static_cast<int>(st[k]) : kBlock;
  return r;
}

double Rng::normal() noexcept {
  for (;;) {
    const double u = 2.0 * uniform() - 1.0;
    const double v = 2.0 * uniform() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) return u * std::sqrt(-2.0 * std::log(s) / s);
  }
}

}  // namespace ptmc
