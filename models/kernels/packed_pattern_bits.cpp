#include "models/kernels/packed_pattern_bits.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <type_traits>

namespace ptmc::kernels {

namespace {
__extension__ typedef __int128 i128;

i128 binomial(std::int64_t a, int m) {
  if (m < 0 || m > a) return 0;
  i128 c = 1;
  for (int t = 0; t < m; ++t) c = c * (a - t) / (t + 1);  // exact at every step
  return c;
}

// Z(k) = P! e_P of N entries ±1 with k of them +1 (or S^P, S = 2k - N, with self-interactions):
// e_P is the coefficient of t^P in (1 + t)^k (1 - t)^(N - k).
i128 channel_units(int P, bool self, std::int64_t N, std::int64_t k) {
  if (self) {
    i128 z = 1;
    for (int j = 0; j < P; ++j) z *= 2 * k - N;
    return z;
  }
  i128 e = 0, f = 1;
  for (int j = 0; j < P; ++j) f *= j + 1;
  for (int j = 0; j <= P; ++j) e += ((j & 1) ? -1 : 1) * binomial(k, P - j) * binomial(N - k, j);
  return f * e;
}

// Polynomials in k with i128 coefficients, lowest first.
using Polynomial = std::vector<i128>;
// p(k) (a + b k)
Polynomial times_linear(const Polynomial& p, i128 a, i128 b) {
  Polynomial r(p.size() + 1, 0);
  for (std::size_t j = 0; j < p.size(); ++j) {
    r[j] += a * p[j];
    r[j + 1] += b * p[j];
  }
  return r;
}
// p(k + a)
Polynomial shifted(const Polynomial& p, i128 a) {
  Polynomial r(p.size(), 0);
  for (std::size_t j = 0; j < p.size(); ++j) {
    i128 binom = 1, power = 1;  // C(j, j - i) a^(j - i), from i = j down
    for (std::size_t i = j + 1; i-- > 0;) {
      r[i] += p[j] * binom * power;
      binom = binom * static_cast<i128>(i) / static_cast<i128>(j - i + 1);
      power *= a;
    }
  }
  return r;
}
// Z(k) as channel_units computes it, as a polynomial: P! C(k, P - j) C(N - k, j) = C(P, j) times the
// two falling factorials, so every coefficient is an integer.
Polynomial channel_polynomial(int P, bool self, std::int64_t N) {
  if (self) {
    Polynomial z{1};
    for (int j = 0; j < P; ++j) z = times_linear(z, -N, 2);
    return z;
  }
  Polynomial z(static_cast<std::size_t>(P) + 1, 0);
  for (int j = 0; j <= P; ++j) {
    Polynomial term{((j & 1) ? -1 : 1) * binomial(P, j)};
    for (int t = 0; t < P - j; ++t) term = times_linear(term, -t, 1);
    for (int t = 0; t < j; ++t) term = times_linear(term, N - t, -1);
    for (std::size_t i = 0; i < term.size(); ++i) z[i] += term[i];
  }
  return z;
}
// The first `count` coefficients mod 2^w (Word: w-bit unsigned), if the rest are 0 and their wrapping
// w-bit evaluation equals `table` at every k in [first, last]; else none.
template <class Word>
std::vector<Word> wrapped_if_exact(Polynomial p, const std::vector<i128>& table, std::size_t count, std::size_t first, std::size_t last) {
  using Signed = std::make_signed_t<Word>;
  if (std::any_of(p.begin() + static_cast<std::ptrdiff_t>(std::min(count, p.size())), p.end(), [](i128 x) { return x != 0; })) return {};
  p.resize(count, 0);
  std::vector<Word> c(p.size());
  for (std::size_t j = 0; j < p.size(); ++j) c[j] = static_cast<Word>(p[j]);  // mod 2^w (C++20)
  for (std::size_t k = first; k <= last; ++k) {
    Word v = 0;
    for (std::size_t j = c.size(); j-- > 0;) v = static_cast<Word>(v * static_cast<Word>(k) + c[j]);
    if (static_cast<Signed>(v) != static_cast<Signed>(table[k])) return {};
  }
  return c;
}

long double factorial(int P) {
  long double f = 1;
  for (int k = 2; k <= P; ++k) f *= k;
  return f;
}
}  // namespace

PackedPatternBits build_packed_pattern_bits(int N_sites, int P, bool self, int C_held, long all_channels,
                                            long double coef, std::span<const std::int8_t> w) {
  PackedPatternBits D;
  if (C_held == 0 || P * std::log2(static_cast<double>(N_sites) + 1) > 60) return D;
  const std::int64_t N = N_sites;
  std::vector<i128> z(static_cast<std::size_t>(N) + 1);
  for (std::int64_t k = 0; k <= N; ++k) z[k] = channel_units(P, self, N, k);
  i128 gmax = 1, hmax = 0;
  std::vector<i128> g(z.size()), h(z.size());
  for (std::int64_t k = 0; k <= N; ++k) {
    const i128 up = k < N ? z[k + 1] - z[k] : 0, down = k > 0 ? z[k - 1] - z[k] : 0;
    g[k] = up - down;
    h[k] = up + down;
    gmax = std::max(gmax, g[k] < 0 ? -g[k] : g[k]);
    hmax = std::max(hmax, h[k] < 0 ? -h[k] : h[k]);
  }
  const i128 C = all_channels, limit = i128{1} << 62;
  if (gmax > 0x7fffffff || hmax > 0x7fffffff || C * gmax >= limit || C * hmax >= limit) return D;
  i128 zmax = 0;
  for (const i128 v : z) zmax = std::max(zmax, v < 0 ? -v : v);
  D.exact = C * zmax < limit;
  if (D.exact) D.channel_units.assign(z.begin(), z.end());
  D.step_odd.assign(g.begin(), g.end());
  D.step_even.assign(h.begin(), h.end());
  if (P == 3 || P == 4) {
    const Polynomial zp = channel_polynomial(P, self, N), up = shifted(zp, 1), down = shifted(zp, -1);
    const auto n = static_cast<std::size_t>(N);
    if (D.exact && N < (std::int64_t{1} << 16))  // k^2 < 2^32: channel_units_sum's products exact
      D.channel_poly = wrapped_if_exact<std::uint64_t>(zp, z, static_cast<std::size_t>(P) + 1, 0, n);
    Polynomial gp(zp.size()), hp(zp.size());
    for (std::size_t j = 0; j < zp.size(); ++j) {
      gp[j] = up[j] - down[j];
      hp[j] = up[j] + down[j] - 2 * zp[j];
    }
    D.step_even_poly = wrapped_if_exact<std::uint32_t>(hp, h, static_cast<std::size_t>(P) - 1, 1, n - 1);
    if (P == 3) D.step_odd_poly = wrapped_if_exact<std::uint32_t>(gp, g, static_cast<std::size_t>(P), 1, n - 1);
    if (P == 3 && D.step_odd_poly.empty()) D.step_even_poly.clear();
    D.sum_flush = static_cast<int>(std::min<i128>(1 << 20, 0x7fffffff / std::max<i128>(1, P == 3 ? std::max(gmax, hmax) : hmax)));
  }
  // The masked sums run over G (or, for P = 2, over S with |S| ≤ N).
  D.quadratic = P == 2;
  const i128 vmax = D.quadratic ? i128{std::max<std::int64_t>(N, 1)} : gmax;
  D.flush_words = 2 * static_cast<int>(0x7fffffff / static_cast<std::int64_t>(vmax));
  D.sums_fit_int32 = C * vmax <= 0x7fffffff;
  D.unit = static_cast<double>(self ? coef : coef / factorial(P));
  D.int16_overlaps = D.quadratic && N <= PackedPatternBits::kInt16MaxN && C * (2 * i128{N} + 128) <= 0x7fffffff;
  D.groups = (C_held + 127) / 128;
  // Even, so rows also read as 32-bit masks; int16 rows fill whole groups of 128 channels, so the
  // kernels find row i at i × 8 groups, a shift when the group count is known at compile time.
  D.row_words = D.int16_overlaps ? 8 * D.groups : (C_held + 31) / 32 * 2;
  D.int16_flush_groups = std::max(1, static_cast<int>(0x7fff / std::max<std::int64_t>(N, 1)));  // |S| ≤ N
  D.negative_bits.assign(static_cast<std::size_t>(N) * D.row_words + 8, 0);  // slack: int16 rows read up to 6 words on
  for (std::size_t i = 0; i < static_cast<std::size_t>(N); ++i)
    for (std::size_t c = 0; c < static_cast<std::size_t>(C_held); ++c)
      if (w[i * C_held + c] < 0) D.negative_bits[i * D.row_words + c / 16] |= static_cast<std::uint16_t>(1u << (c % 16));
  D.negatives.assign(static_cast<std::size_t>(N), 0);
  for (std::size_t i = 0; i < static_cast<std::size_t>(N); ++i)
    for (int b = 0; b < D.row_words; ++b) D.negatives[i] += std::popcount(D.negative_bits[i * D.row_words + b]);
  D.present = true;
  return D;
}

std::int64_t channel_units_sum(const PackedPatternBits& layout, const std::int32_t* S, int N, int C) {
  std::uint64_t power[5] = {static_cast<std::uint64_t>(C), 0, 0, 0, 0};  // Σ_c k_c^j
  int c = 0;
#if defined(__AVX512F__)
  __m512i p1 = _mm512_setzero_si512(), p2 = p1, p3 = p1, p4 = p1;
  const __m256i n = _mm256_set1_epi32(N);
  for (; c + 8 <= C; c += 8) {
    const __m512i k = _mm512_cvtepu32_epi64(_mm256_srai_epi32(_mm256_add_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(S + c)), n), 1));
    const __m512i k2 = _mm512_mul_epu32(k, k);
    p1 = _mm512_add_epi64(p1, k);
    p2 = _mm512_add_epi64(p2, k2);
    p3 = _mm512_add_epi64(p3, _mm512_mul_epu32(k2, k));
    p4 = _mm512_add_epi64(p4, _mm512_mul_epu32(k2, k2));
  }
  power[1] = static_cast<std::uint64_t>(_mm512_reduce_add_epi64(p1));
  power[2] = static_cast<std::uint64_t>(_mm512_reduce_add_epi64(p2));
  power[3] = static_cast<std::uint64_t>(_mm512_reduce_add_epi64(p3));
  power[4] = static_cast<std::uint64_t>(_mm512_reduce_add_epi64(p4));
#endif
  for (; c < C; ++c) {
    const auto k = static_cast<std::uint64_t>((S[c] + N) >> 1);
    power[1] += k;
    power[2] += k * k;
    power[3] += k * k * k;
    power[4] += k * k * k * k;
  }
  std::uint64_t total = 0;
  for (std::size_t j = 0; j < layout.channel_poly.size(); ++j) total += layout.channel_poly[j] * power[j];
  return static_cast<std::int64_t>(total);
}

void PackedSums::refresh(const PackedPatternBits& layout, const std::int32_t* S, int N, int C) {
  const std::int32_t* g = layout.step_odd.data();
  const std::int32_t* h = layout.step_even.data();
  step_odd_.assign(layout.quadratic ? 0 : static_cast<std::size_t>(layout.row_words) * 16, 0);
  std::int64_t gs = 0, hs = 0, ss = 0;
  edges_.clear();
  for (int c = 0; c < C; ++c) {
    const auto k = static_cast<std::size_t>((S[c] + N) >> 1);
    if (!layout.quadratic) step_odd_[c] = g[k];
    if (S[c] == N || S[c] == -N) edges_.push_back(c);
    gs += g[k];
    hs += h[k];
    ss += S[c];
  }
  step_odd_sum_ = gs;
  step_even_sum_ = hs;
  overlap_sum_ = ss;
}

#if defined(__AVX512F__)
namespace {
// p(k) in wrapping int32 lanes (Horner), `Count` coefficients lowest first.
template <int Count>
[[gnu::always_inline]] inline __m512i wrapped_polynomial(const __m512i (&coefficient)[Count], __m512i k) {
  __m512i v = coefficient[Count - 1];
#pragma GCC unroll 8
  for (int j = Count - 2; j >= 0; --j) v = _mm512_add_epi32(_mm512_mullo_epi32(v, k), coefficient[j]);
  return v;
}
__m512i widened(__m512i a) {
  return _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(a)), _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1)));
}
}  // namespace

// PackedSums::flip's steps for P = 3 and 4 (PackedPatternBits::step_even_poly): H from its
// polynomial, G from its polynomial for P = 3 and gathered from the table for P = 4, the tables' values
// at k = 0 and N put in by mask; the polynomials' values summed in int32 lanes for `sum_flush` words at
// a time. Returns the channels done (whole words of 16).
template <int P>
int PackedSums::flip_polynomial_steps(const PackedPatternBits& layout, const std::uint16_t* row, int s, std::int32_t* S, int N, int C,
                                      std::int64_t& gs, std::int64_t& hs) {
  static_assert(P == 3 || P == 4);
  __m512i odd[3], even[P - 1];
  if constexpr (P == 3)
    for (int j = 0; j < 3; ++j) odd[j] = _mm512_set1_epi32(static_cast<int>(layout.step_odd_poly[j]));
  for (int j = 0; j < P - 1; ++j) even[j] = _mm512_set1_epi32(static_cast<int>(layout.step_even_poly[j]));
  const __m512i plus = _mm512_set1_epi32(-2 * s), minus = _mm512_set1_epi32(2 * s), n = _mm512_set1_epi32(N), zero = _mm512_setzero_si512();
  const std::int32_t* g = layout.step_odd.data();
  const std::int32_t* h = layout.step_even.data();
  const __m512i g_bottom = _mm512_set1_epi32(g[0]), g_top = _mm512_set1_epi32(g[N]), h_bottom = _mm512_set1_epi32(h[0]),
                h_top = _mm512_set1_epi32(h[N]);
  __m512i ga = zero, ha = zero;
  int c = 0;
  while (c + 16 <= C) {
    __m512i g32 = zero, h32 = zero;
    for (int words = 0; words < layout.sum_flush && c + 16 <= C; ++words, c += 16) {
      const __m512i V = _mm512_add_epi32(_mm512_loadu_si512(&S[c]), _mm512_mask_blend_epi32(row[c / 16], plus, minus));
      _mm512_storeu_si512(&S[c], V);
      const __m512i k = _mm512_srai_epi32(_mm512_add_epi32(V, n), 1);
      const __mmask16 bottom = _mm512_cmpeq_epi32_mask(k, zero), top = _mm512_cmpeq_epi32_mask(k, n);
      __m512i G, H = wrapped_polynomial(even, k);
      if constexpr (P == 3) {
        G = wrapped_polynomial(odd, k);
        G = _mm512_mask_mov_epi32(_mm512_mask_mov_epi32(G, bottom, g_bottom), top, g_top);
        g32 = _mm512_add_epi32(g32, G);
      } else {
        G = _mm512_i32gather_epi32(k, g, 4);
        ga = _mm512_add_epi64(ga, widened(G));
      }
      H = _mm512_mask_mov_epi32(_mm512_mask_mov_epi32(H, bottom, h_bottom), top, h_top);
      _mm512_storeu_si512(&step_odd_[c], G);
      h32 = _mm512_add_epi32(h32, H);
    }
    if constexpr (P == 3) ga = _mm512_add_epi64(ga, widened(g32));
    ha = _mm512_add_epi64(ha, widened(h32));
  }
  gs = _mm512_reduce_add_epi64(ga);
  hs = _mm512_reduce_add_epi64(ha);
  return c;
}
#endif

void PackedSums::flip(const PackedPatternBits& layout, const std::uint16_t* row, int s, std::int32_t* S, int N, int C) {
  const std::int32_t* g = layout.step_odd.data();
  const std::int32_t* h = layout.step_even.data();
  const bool quadratic = layout.quadratic;
  int c = 0;
  std::int64_t gs = 0, hs = 0, sum_s = 0;
  edges_.clear();
#if defined(__AVX512F__)
  const __m512i plus = _mm512_set1_epi32(-2 * s), minus = _mm512_set1_epi32(2 * s), n = _mm512_set1_epi32(N);
  if (quadratic) {
    const __m512i neg_n = _mm512_set1_epi32(-N);
    __m512i acc = _mm512_setzero_si512();
    for (; c + 16 <= C; c += 16) {
      const __m512i V = _mm512_add_epi32(_mm512_loadu_si512(&S[c]), _mm512_mask_blend_epi32(row[c / 16], plus, minus));
      _mm512_storeu_si512(&S[c], V);
      acc = _mm512_add_epi64(acc, _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(V)),
                                                   _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(V, 1))));
      unsigned edge = _mm512_cmpeq_epi32_mask(V, n) | _mm512_cmpeq_epi32_mask(V, neg_n);
      for (; edge; edge &= edge - 1) edges_.push_back(c + std::countr_zero(edge));
    }
    sum_s = _mm512_reduce_add_epi64(acc);
  } else if (!layout.step_even_poly.empty()) {
    c = layout.step_odd_poly.empty() ? flip_polynomial_steps<4>(layout, row, s, S, N, C, gs, hs)
                                     : flip_polynomial_steps<3>(layout, row, s, S, N, C, gs, hs);
  } else {
    __m512i ga = _mm512_setzero_si512(), ha = _mm512_setzero_si512();
    for (; c + 16 <= C; c += 16) {
      const __m512i V = _mm512_add_epi32(_mm512_loadu_si512(&S[c]), _mm512_mask_blend_epi32(row[c / 16], plus, minus));
      _mm512_storeu_si512(&S[c], V);
      const __m512i k = _mm512_srai_epi32(_mm512_add_epi32(V, n), 1);
      const __m512i G = _mm512_i32gather_epi32(k, g, 4), H = _mm512_i32gather_epi32(k, h, 4);
      _mm512_storeu_si512(&step_odd_[c], G);
      ga = _mm512_add_epi64(ga, _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(G)),
                                                 _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(G, 1))));
      ha = _mm512_add_epi64(ha, _mm512_add_epi64(_mm512_cvtepi32_epi64(_mm512_castsi512_si256(H)),
                                                 _mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(H, 1))));
    }
    gs = _mm512_reduce_add_epi64(ga);
    hs = _mm512_reduce_add_epi64(ha);
  }
#endif
  for (; c < C; ++c) {
    S[c] += ((row[c / 16] >> (c % 16)) & 1) ? 2 * s : -2 * s;  // w = -1 : +1
    if (S[c] == N || S[c] == -N) edges_.push_back(c);
    if (quadratic) {
      sum_s += S[c];
    } else {
      const auto k = static_cast<std::size_t>((S[c] + N) >> 1);
      step_odd_[c] = g[k];
      gs += g[k];
      hs += h[k];
    }
  }
  if (quadratic) {
    overlap_sum_ = sum_s;
    const auto top = std::count_if(edges_.begin(), edges_.end(), [S](int k) { return S[k] > 0; });
    return quadratic_sums(top, static_cast<std::int64_t>(edges_.size()) - top, N, C);
  }
  step_odd_sum_ = gs;
  step_even_sum_ = hs;
}

void PackedSums::quadratic_sums(std::int64_t top, std::int64_t bottom, int N, int C) {
  const std::int64_t corr = 4 * std::int64_t{N} + 4;
  step_odd_sum_ = 8 * overlap_sum_ + (bottom - top) * corr;
  step_even_sum_ = 8 * std::int64_t{C} - (top + bottom) * corr;
}

}  // namespace ptmc::kernels
