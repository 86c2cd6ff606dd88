// Up to eight walkers of one model swept together, one walker in each 64-bit lane of AVX-512 vectors,
// for models whose attempt is a few operations (features.lane_kernel). Each walker makes the same
// attempts with the same draws and decisions as its own sweep() (engine/sweep/fast_sweep.hpp): its
// stream is read at its own position and its table of integer thresholds (engine/sweep/acceptance_table.hpp)
// at its own β, both by gathers, and the rare attempt a table does not settle goes to that walker's
// exact rule alone, which may draw from its stream as decide() does. Why: alone, such an attempt is a
// chain of steps of one or two instructions each (draw, site, spin, ΔE, threshold, decision, flip)
// with a coin-flip accept branch at moderate acceptance; in lanes, one pass of the loop makes eight
// attempts with no branch on any draw.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "engine/sweep/fast_sweep.hpp"
#include "engine/sweep/simd.hpp"

namespace ptmc {

inline constexpr int kSweepLanes = 8;

#if defined(PTMC_LANE_SWEEP)
namespace detail {

// Value of lane l of v.
inline std::int64_t lane_value(__m512i v, int l) {
  alignas(64) std::int64_t x[kSweepLanes];
  _mm512_store_si512(x, v);
  return x[l];
}
// v with lane l set to x.
inline __m512i with_lane(__m512i v, int l, std::int64_t x) {
  return _mm512_mask_set1_epi64(v, static_cast<__mmask8>(1u << l), x);
}

// The lanes' streams, copied in for the sweep (no call can reach the copies) and written back: lane l
// draws from its own stream's block at its own position.
class LaneStreams {
 public:
  explicit LaneStreams(std::span<Rng* const> streams) : streams_(streams) {
    alignas(64) std::int64_t offset[kSweepLanes] = {}, position[kSweepLanes] = {};
    for (std::size_t l = 0; l < streams.size(); ++l) {
      local_[l] = *streams[l];
      offset[l] = reinterpret_cast<const char*>(local_[l].block()) - reinterpret_cast<const char*>(local_);
      position[l] = local_[l].position();
    }
    offset_ = _mm512_load_si512(offset);
    position_ = _mm512_load_si512(position);
  }
  LaneStreams(const LaneStreams&) = delete;
  LaneStreams& operator=(const LaneStreams&) = delete;

  // The next draw of each lane in `take` (0 in the others), as each stream's operator() gives it.
  [[gnu::always_inline]] __m512i take(__mmask8 take) {
    const __mmask8 used_up = _mm512_mask_cmpeq_epi64_mask(take, position_, _mm512_set1_epi64(Rng::kBlock));
    if (used_up) [[unlikely]]
      refill(used_up);
    const __m512i at = _mm512_add_epi64(offset_, _mm512_slli_epi64(position_, 3));
    position_ = _mm512_mask_add_epi64(position_, take, position_, _mm512_set1_epi64(1));
    return _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), take, at, local_, 1);
  }
  // Lane l's stream at its position, for a call that may draw from it; resume(l) after the call.
  Rng& stream(int l) {
    local_[l].skip_to(static_cast<int>(lane_value(position_, l)));
    return local_[l];
  }
  void resume(int l) { position_ = with_lane(position_, l, local_[l].position()); }
  // The streams, moved on by the draws taken, back to their owners.
  void write_back() {
    for (std::size_t l = 0; l < streams_.size(); ++l) *streams_[l] = stream(static_cast<int>(l));
  }

 private:
  [[gnu::noinline]] void refill(__mmask8 used_up) {
    for (int l = 0; l < kSweepLanes; ++l)
      if (used_up >> l & 1) {
        local_[l].skip_to(Rng::kBlock);
        local_[l].refill_if_used_up();
        resume(l);
      }
  }
  Rng local_[kSweepLanes];
  std::span<Rng* const> streams_;
  __m512i offset_, position_;  // lane l: bytes from local_ to its block; its next draw in the block
};

// The lanes' acceptance tables (one per β, of this thread's AcceptanceTables): each lane's entry for
// its d found in its own table.
class LaneTables {
 public:
  LaneTables(std::span<const double> beta, double unit, bool metropolis) {
    alignas(64) std::int64_t lo[kSweepLanes] = {}, top[kSweepLanes] = {}, shift[kSweepLanes] = {}, offset[kSweepLanes] = {};
    for (std::size_t l = 0; l < beta.size(); ++l) table_[l] = &AcceptanceTables::local().get(beta[l], unit, metropolis);
    base_ = reinterpret_cast<const char*>(table_[0]->coarse_entries());
    for (std::size_t l = 0; l < beta.size(); ++l) {
      const AcceptanceTable::Layout layout = table_[l]->layout();
      lo[l] = layout.lo;
      top[l] = layout.top;
      shift[l] = layout.shift;
      // As integers: the tables are separate arrays, and the gather adds this to base_.
      offset[l] = static_cast<std::int64_t>(reinterpret_cast<std::uintptr_t>(table_[l]->coarse_entries()) - reinterpret_cast<std::uintptr_t>(base_));
    }
    lo_ = _mm512_load_si512(lo);
    top_ = _mm512_load_si512(top);
    shift_ = _mm512_load_si512(shift);
    offset_ = _mm512_load_si512(offset);
  }
  AcceptanceTable& table(int l) const { return *table_[l]; }
  // Each lane's entry for its d, as AcceptanceTable::entry(d), in its coarse form (one gather; two
  // gathers of the whole bounds: see docs/performance.md): its accept and reject bounds on
  // m >> AcceptanceTable::kCoarseShift.
  [[gnu::always_inline]] void lookup(__m512i d, __mmask8 lanes, __m512i& accept, __m512i& reject) const {
    const __m512i off = _mm512_min_epi64(_mm512_max_epi64(_mm512_sub_epi64(d, lo_), _mm512_set1_epi64(-1)), top_);
    const __m512i index = _mm512_add_epi64(_mm512_srav_epi64(off, shift_), _mm512_set1_epi64(1));
    const __m512i at = _mm512_add_epi64(offset_, _mm512_slli_epi64(index, 3));  // 8-byte words
    const __m512i word = _mm512_mask_i64gather_epi64(_mm512_setzero_si512(), lanes, at, base_, 1);
    accept = _mm512_and_si512(word, _mm512_set1_epi64(0xffffffff));
    reject = _mm512_srli_epi64(word, 32);
  }

 private:
  AcceptanceTable* table_[kSweepLanes] = {};
  const char* base_ = nullptr;
  __m512i lo_, top_, shift_, offset_;
};

// The lanes in `unsettled`, decided one by one by their walker's exact rule (table_decide_slow: the
// same outcome and draws as the table would give); `ok` with their outcomes.
template <bool metropolis>
[[gnu::noinline]] __mmask8 decide_lanes_slowly(__mmask8 ok, __mmask8 unsettled, __m512i d, __m512i bits, std::uint64_t unknown, double unit,
                                                std::span<const double> beta, LaneTables& tables, LaneStreams& streams) {
  for (int l = 0; l < kSweepLanes; ++l)
    if (unsettled >> l & 1) {
      const std::int64_t dl = lane_value(d, l);
      const PartialUniform u{static_cast<std::uint64_t>(lane_value(bits, l)), unknown};
      const bool accepted = table_decide_slow<metropolis>(tables.table(l), dl, unit * static_cast<double>(dl), beta[l], u, streams.stream(l));
      streams.resume(l);
      ok = static_cast<__mmask8>((ok & ~(1u << l)) | (static_cast<unsigned>(accepted) << l));
    }
  return ok;
}

// One vector of lanes through its kernel, an attempt at a time. The kernel offers fetch(site) (what
// each lane's ΔE reads at its site, loaded: a Kernel::Fetched), delta(fetched) (each lane's
// delta_units there, int64 lanes), flip_if(fetched, ok, next) (the flips of the lanes in ok, with
// `next`, fetched before them, brought up to date) and store() (the state written back to the
// walkers). The next attempt's site is fetched before this attempt's flips are stored, so that its
// loads never wait for those stores (a gather after a scatter waited for it: Curie–Weiss N = 4096,
// eight walkers, 195 -> 400 M flips/s at 50 % acceptance); the kernel corrects what it fetched where
// a lane's next site shares its storage with a site just flipped. `negative`: the model's unit is
// negative, so the tables are asked with -d.
template <bool metropolis, bool negative, bool sequential, class Kernel>
class LaneGroup {
 public:
  LaneGroup(const Kernel& kernel, int n, __mmask8 lanes, double unit, std::span<const double> beta, LaneStreams& streams, LaneTables& tables)
      : kernel_(kernel), lanes_(lanes), n_(n), unit_(unit), beta_(beta), streams_(streams), tables_(tables) {
    at_ = kernel_.fetch(site_of(0));
  }

  // Attempt k of every lane.
  [[gnu::always_inline]] void attempt(int k) {
    __m512i d = kernel_.delta(at_);
    if constexpr (negative) d = _mm512_sub_epi64(_mm512_setzero_si512(), d);
    __m512i bits;
    if constexpr (sequential) {
      // Metropolis draws the uniform, whole, only for ΔE > 0; heat bath always.
      bits = streams_.take(metropolis ? _mm512_mask_cmpgt_epi64_mask(lanes_, d, _mm512_setzero_si512()) : lanes_);
    } else {
      bits = _mm512_slli_epi64(draw_, 32);
    }
    constexpr std::uint64_t unknown = sequential ? 0 : PartialUniform::kSiteShared;
    __m512i accept, reject;
    tables_.lookup(d, lanes_, accept, reject);
    // As table_accept: accepted when the largest m the known bits allow is below accept, rejected
    // when the smallest is at or above reject; else the exact rule.
    const __m512i m_min = _mm512_srli_epi64(bits, 11 + AcceptanceTable::kCoarseShift);
    const __m512i m_max = _mm512_srli_epi64(_mm512_or_si512(bits, _mm512_set1_epi64(static_cast<long long>(unknown))), 11 + AcceptanceTable::kCoarseShift);
    __mmask8 ok = _mm512_mask_cmplt_epu64_mask(lanes_, m_max, accept);
    const __mmask8 unsettled = static_cast<__mmask8>(lanes_ & ~(ok | _mm512_cmpge_epu64_mask(m_min, reject)));
    if (unsettled) [[unlikely]]
      ok = decide_lanes_slowly<metropolis>(ok, unsettled, d, bits, unknown, unit_, beta_, tables_, streams_);
    accepted_ = _mm512_mask_add_epi64(accepted_, ok, accepted_, _mm512_set1_epi64(1));
    if (k + 1 == n_) {
      auto none = at_;  // no next attempt to bring up to date
      kernel_.flip_if(at_, ok, none);
      return;
    }
    auto next = kernel_.fetch(site_of(k + 1));  // after this attempt's draws, before its flips
    kernel_.flip_if(at_, ok, next);
    at_ = next;
  }

  // The state back to the walkers; each lane's acceptances.
  __m512i finish() {
    kernel_.store();
    return accepted_;
  }

 private:
  // The site of attempt k and, in random order, its draw: one per attempt, its high 32 bits pick the
  // site (Rng::scale), its low 32 bits lead the uniform.
  [[gnu::always_inline]] __m512i site_of(int k) {
    if constexpr (sequential) return _mm512_set1_epi64(k);
    draw_ = streams_.take(lanes_);
    return _mm512_srli_epi64(_mm512_mul_epu32(_mm512_srli_epi64(draw_, 32), _mm512_set1_epi64(n_)), 32);
  }

  Kernel kernel_;  // a copy, held by the loop: its state can stay in registers
  typename Kernel::Fetched at_;
  __m512i draw_ = _mm512_setzero_si512(), accepted_ = _mm512_setzero_si512();
  __mmask8 lanes_;
  int n_;
  double unit_;
  std::span<const double> beta_;
  LaneStreams& streams_;
  LaneTables& tables_;
};

}  // namespace detail
#endif

// One sweep of each of up to eight walkers (distinct, of one model, each with its own β and stream),
// as sweep() makes them one by one: same sites, draws and decisions. Their acceptances. Walkers the
// model's lane kernel declines (sizes or units that differ, a ΔE that is not an integer number of
// units now, no AVX-512) are swept one by one. One vector of walkers per loop: two vectors attempt by
// attempt in turn (independent chains) were no faster on the Intel host, whose loop is bound by its
// gathers (Curie–Weiss N = 4096, 16 walkers 305–400 against 8 walkers 362–415 M flips/s).
template <class M>
std::array<std::int64_t, kSweepLanes> sweep_lanes(std::span<M* const> walkers, std::span<const double> beta, Dynamics dynamics,
                                                  SweepOrder order, std::span<Rng* const> streams) {
  std::array<std::int64_t, kSweepLanes> accepted{};
  const auto count = walkers.size();
#if defined(PTMC_LANE_SWEEP)
  if constexpr (FastSweepModel<M> && features_of<M>().lane_kernel) {
    bool same = count > 0 && count <= kSweepLanes;
    for (std::size_t l = 0; same && l < count; ++l)
      same = walkers[l]->integer_delta() && walkers[l]->size() == walkers[0]->size() && walkers[l]->energy_unit() == walkers[0]->energy_unit() &&
             walkers[0]->energy_unit() != 0;
    if (same) {
      if constexpr (features_of<M>().before_sweep)
        for (std::size_t l = 0; l < count; ++l) walkers[l]->before_sweep();
      const std::int64_t done = M::with_lane_kernel(walkers, [&](const auto& kernel) -> std::int64_t {
        using Kernel = std::remove_cvref_t<decltype(kernel)>;
        const double unit = walkers[0]->energy_unit();
        const int n = walkers[0]->size();
        const bool metropolis = dynamics == Dynamics::metropolis, sequential = order == SweepOrder::sequential;
        detail::LaneStreams lane_streams(streams);
        detail::LaneTables tables(beta, std::abs(unit), metropolis);
        // The group is a plain local of the loop, so that its state stays in registers.
        const auto run = [&]<bool m, bool neg, bool seq>() {
          detail::LaneGroup<m, neg, seq, Kernel> group(kernel, n, static_cast<__mmask8>((1u << count) - 1), std::abs(unit), beta, lane_streams,
                                                       tables);
          for (int k = 0; k < n; ++k) group.attempt(k);
          return group.finish();
        };
        __m512i counts;
        if (unit > 0) {
          if (metropolis) counts = sequential ? run.template operator()<true, false, true>() : run.template operator()<true, false, false>();
          else counts = sequential ? run.template operator()<false, false, true>() : run.template operator()<false, false, false>();
        } else {
          if (metropolis) counts = sequential ? run.template operator()<true, true, true>() : run.template operator()<true, true, false>();
          else counts = sequential ? run.template operator()<false, true, true>() : run.template operator()<false, true, false>();
        }
        lane_streams.write_back();
        _mm512_storeu_si512(accepted.data(), counts);
        return 0;
      });
      if (done >= 0) return accepted;
    }
  }
#endif
  for (std::size_t l = 0; l < count; ++l) accepted[l] = sweep(*walkers[l], beta[l], dynamics, order, *streams[l]);
  return accepted;
}

}  // namespace ptmc
