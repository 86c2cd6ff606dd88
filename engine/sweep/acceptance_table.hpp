// Exact acceptance from integer thresholds, for energy changes ΔE = unit × d with an integer d (unit
// > 0: the sweep hands over |unit| and d negated where the model's unit is negative). Both rules accept
// the uniforms of an interval [0, t): u = m 2^-53 with m = the draw's top 53 bits, and
//   Metropolis: u < p = std::exp(-β ΔE)  ⇔  m < ⌈p 2^53⌉ (scaling by 2^53 is exact), every m for ΔE ≤ 0;
//   heat bath:  fl(u c) < 1, c = 1 + std::exp(βΔE) (0 for ΔE = 0)  ⇔  m < T, T found on the grid itself.
// T(d) is computed once with std::exp exactly as engine/sweep/dynamics.hpp computes p and c, so comparing m with
// it is the reference decision. The table holds, for each bucket of d, a bound below which the largest m
// the known bits of the uniform allow is surely accepted and a bound at or above which the smallest is
// surely rejected; a bucket of one d holds T(d) twice, so only a partial uniform whose unknown bits
// straddle T (probability ~2^-32) goes on to the exact rule, which draws the rest as decide() does. Wider
// buckets (when the d with T > 0 span more than kMaxBuckets values) leave the d whose T varies inside the
// bucket to the exact rule. Entries are filled on first use, and tables are kept per thread across sweeps
// (AcceptanceTables): with temperature swaps a walker sweeps at every β of its ladder.
#pragma once
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <memory>
#include <vector>

namespace ptmc {

class AcceptanceTable {
 public:
  struct Entry {
    std::uint64_t accept;  // m_max < accept: accepted whatever the unknown bits
    std::uint64_t reject;  // m_min ≥ reject: rejected whatever the unknown bits
  };
  static constexpr int kMaxBuckets = 4096;
  static constexpr std::uint64_t kOne = std::uint64_t{1} << 53;  // every m < 2^53

  // `continuous`: for ΔE of any real value, with d = ⌊ΔE / unit⌋ (unit a power of two, so the
  // quotient is exact): the entry of d then bounds every ΔE in [d unit, (d + 1) unit), and a
  // Metropolis table also holds a bucket for d = 0 (ΔE in [0, unit) is not always accepted).
  AcceptanceTable(double beta, double unit, bool metropolis, bool continuous = false)
      : beta_(beta), unit_(unit), metropolis_(metropolis), continuous_(continuous) {
    // d beyond ±span has T(d) < 2^13 (p < 2^-40; heat bath alike) or > 2^53 - 2^13: the end buckets.
    const double bu = beta * unit;
    double span = bu > 0 ? std::ceil(40 * 0.6931471805599453 / bu) : 0x1.0p60;  // β unit = 0: T = 2^53 everywhere
    span = std::clamp(span, 1.0, 0x1.0p60);
    const auto s = static_cast<std::int64_t>(span);
    lo_ = metropolis ? (continuous ? 0 : 1) : -s;  // Metropolis: every d ≤ 0 (continuous: < 0) is accepted (entry 0)
    const std::int64_t range = s - lo_ + 1;
    while ((range - 1) >> shift_ >= kMaxBuckets) ++shift_;
    buckets_ = ((range - 1) >> shift_) + 1;
    top_ = buckets_ << shift_;
    entries_.assign(static_cast<std::size_t>(buckets_ + 2), Entry{0, kUnfilled});
    if (metropolis) entries_[0] = Entry{kOne, kUnfilled};  // ΔE ≤ 0: accepted, no uniform needed
    coarse_.resize(entries_.size());
    for (std::size_t j = 0; j < entries_.size(); ++j) coarse_[j] = coarse(entries_[j]);
  }

  // Where entry() finds the entry of d: entries[(min(max(d - lo, -1), top) >> shift) + 1], that is 0
  // below lo, 1 + (d - lo) >> shift inside, buckets + 1 above (branch-free). A loop holds it, as its
  // own copy (the table's fields are read again after every store of a spin, which may alias them),
  // or looks up several tables in the lanes of one vector (engine/sweep/lane_sweep.hpp).
  struct Layout {
    std::int64_t lo, top;
    int shift;
    const Entry* entries;
    const Entry& entry(std::int64_t d) const { return entries[(std::min(std::max(d - lo, std::int64_t{-1}), top) >> shift) + 1]; }
  };
  Layout layout() const { return {lo_, top_, shift_, entries_.data()}; }
  // The entry for d.
  const Entry& entry(std::int64_t d) const { return layout().entry(d); }
  // Whether e is an entry not computed yet (it then settles nothing: accept 0, reject never).
  static bool unfilled(const Entry& e) { return e.accept == 0 && e.reject == kUnfilled; }
  // Computes the entry of d (call when unfilled(entry(d))) and returns it.
  const Entry& fill(std::int64_t d) {
    const auto j = static_cast<std::size_t>(&entry(d) - entries_.data());
    Entry& e = entries_[j];
    if (j == 0) {  // d < lo (heat bath): T(d) ≥ T(lo)
      e = Entry{margin_below(threshold(lo_)), kUnfilled - 1};
    } else if (static_cast<std::int64_t>(j) == buckets_ + 1) {  // d ≥ lo + top: T(d) ≤ T(lo + top)
      e = Entry{0, threshold(lo_ + top_) + kMargin};
    } else {
      const std::int64_t first = lo_ + (static_cast<std::int64_t>(j - 1) << shift_);
      const std::int64_t last = first + (std::int64_t{1} << shift_) - 1;
      if (continuous_) {  // ΔE in [first unit, (last + 1) unit)
        e = Entry{margin_below(threshold(last + 1)), threshold(first) + kMargin};
      } else if (shift_ == 0) {
        const std::uint64_t t = threshold(first);
        e = Entry{t, t};
      } else {  // T is nonincreasing in d; the margins cover a std::exp that is not monotone by an ulp
        e = Entry{margin_below(threshold(last)), threshold(first) + kMargin};
      }
    }
    coarse_[j] = coarse(e);
    return e;
  }
  // Each entry's bounds in one word, for loops that gather one word per lane (lane_sweep.hpp): low
  // half accept >> kCoarseShift (rounded down), high half reject >> kCoarseShift (rounded up, and
  // 2^31 + 1 where nothing is rejected); m >> kCoarseShift below the low half is accepted, at or above
  // the high half rejected, as the entry decides, and ~2^-30 more attempts are left to the exact rule.
  static constexpr int kCoarseShift = 22;
  const std::uint64_t* coarse_entries() const { return coarse_.data(); }

  // T(d): the reference rule accepts exactly the m < T(d) (unit × d is ΔE bit for bit).
  std::uint64_t threshold(std::int64_t d) const {
    const double dE = unit_ * static_cast<double>(d);
    if (metropolis_) {
      if (dE <= 0.0) return kOne;
      const double p = std::exp(-beta_ * dE);
      return static_cast<std::uint64_t>(std::ceil(p * 0x1.0p53));
    }
    const double c = 1.0 + std::exp(dE == 0.0 ? 0.0 : beta_ * dE);
    return heat_bath_threshold(c);
  }
  // The least m with fl(m 2^-53 c) ≥ 1 (2^53 if none): the products are monotone in m.
  static std::uint64_t heat_bath_threshold(double c) {
    if (!(c < INFINITY)) return 0;  // c = inf: 0 × inf is NaN, also rejected
    const auto below = [c](std::uint64_t m) { return static_cast<double>(m) * 0x1.0p-53 * c < 1.0; };
    auto m = static_cast<std::uint64_t>(std::min(std::floor(0x1.0p53 / c), 0x1.0p53));
    while (m > 0 && !below(m - 1)) --m;
    while (m < kOne && below(m)) ++m;
    return m;
  }

 private:
  static constexpr std::uint64_t kUnfilled = ~std::uint64_t{0};
  static constexpr std::uint64_t kMargin = 4;
  static std::uint64_t margin_below(std::uint64_t t) { return t > kMargin ? t - kMargin : 0; }
  static std::uint64_t coarse(const Entry& e) {
    const std::uint64_t never = (std::uint64_t{1} << 31) + 1, step = std::uint64_t{1} << kCoarseShift;
    const std::uint64_t reject = e.reject > kOne ? never : (e.reject + step - 1) >> kCoarseShift;
    return (e.accept >> kCoarseShift) | (reject << 32);
  }
  double beta_, unit_;
  bool metropolis_, continuous_;
  std::int64_t lo_ = 0, top_ = 0, buckets_ = 0;
  int shift_ = 0;
  std::vector<Entry> entries_;
  std::vector<std::uint64_t> coarse_;  // coarse(entries_[j])
};

// The tables of one thread, kept across sweeps: the last kSlots (β, unit, rule, continuous) in use,
// the least recently used replaced. A sweep at a (β, unit) seen before reuses its table as filled so
// far. kSlots covers a ladder of 64 temperatures on one thread (a model takes one kind of table):
// with fewer slots than temperatures every sweep rebuilds a table. The keys are held beside the
// slots, so the search per sweep reads one short array. At most 96 KiB per table (4098 entries
// of 16 bytes and their coarse words).
class AcceptanceTables {
 public:
  static constexpr int kSlots = 64;
  AcceptanceTable& get(double beta, double unit, bool metropolis, bool continuous = false) {
    ++clock_;
    int victim = 0;
    const Key key = key_of(beta, unit, metropolis, continuous);
    for (int k = 0; k < kSlots; ++k) {
      if (slots_[k].key == key && slots_[k].table) {
        slots_[k].used = clock_;
        return *slots_[k].table;
      }
      if (slots_[k].used < slots_[victim].used) victim = k;
    }
    slots_[victim].table = std::make_unique<AcceptanceTable>(beta, unit, metropolis, continuous);
    slots_[victim].key = key;
    slots_[victim].used = clock_;
    return *slots_[victim].table;
  }
  // The table of (β, unit, rule) if this thread holds one (tests), else null.
  const AcceptanceTable* find(double beta, double unit, bool metropolis, bool continuous = false) const {
    const Key key = key_of(beta, unit, metropolis, continuous);
    for (const Slot& slot : slots_)
      if (slot.key == key && slot.table) return slot.table.get();
    return nullptr;
  }
  // This thread's tables.
  static AcceptanceTables& local() {
    thread_local AcceptanceTables tables;
    return tables;
  }

 private:
  struct Key {
    std::uint64_t beta = 0, unit = 0;  // bit patterns
    int kind = -1;                     // metropolis + 2 continuous
    bool operator==(const Key&) const = default;
  };
  static Key key_of(double beta, double unit, bool metropolis, bool continuous) {
    return {std::bit_cast<std::uint64_t>(beta), std::bit_cast<std::uint64_t>(unit), static_cast<int>(metropolis) + 2 * static_cast<int>(continuous)};
  }
  struct Slot {
    Key key;
    std::uint64_t used = 0;
    std::unique_ptr<AcceptanceTable> table;
  };
  Slot slots_[kSlots];
  std::uint64_t clock_ = 0;
};

}  // namespace ptmc
