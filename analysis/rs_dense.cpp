// RS solvers of the dense Hebbian network; the equations and their derivation are in rs_dense.hpp.
// Numerics: every Gaussian average of tanh(β·) uses composite Gauss–Legendre panels graded towards the
// zero of the field (width 1/β there), so that large β stays exact; 1 − q is carried as E sech² so
// that β(1 − q) keeps its digits; roots in n̄ (or y) are bracketed by a descending scan.
#include "analysis/rs_dense.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "analysis/gaussian_quadrature.hpp"
#include "analysis/rsb_dense.hpp"

namespace ptmc::theory::dense {

namespace {

constexpr double kLn2 = 0.69314718055994530942;
constexpr double kInvSqrt2Pi = 0.39894228040143267794;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double phi(double x) { return kInvSqrt2Pi * std::exp(-0.5 * x * x); }
double sgn(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }
double factorial(int n) {
  double f = 1;
  for (int k = 2; k <= n; ++k) f *= k;
  return f;
}
double binom(int n, int k) { return std::exp(std::lgamma(n + 1.0) - std::lgamma(k + 1.0) - std::lgamma(n - k + 1.0)); }

// ---- E_z F(β(a + b z)) for tanh-like F -----------------------------------------------------------
struct Mom {
  double t1 = 0, t2 = 0, s2 = 0, lc = 0;  // E tanh, E tanh², E sech², E ln cosh
};

void add_point(Mom& M, double x, double w) {
  const double ax = std::abs(x), e = std::exp(-2 * ax), t = std::tanh(x), d = 1 + e;
  M.t1 += w * t;
  M.t2 += w * t * t;
  M.s2 += w * 4 * e / (d * d);
  M.lc += w * (ax + std::log1p(e) - kLn2);
}

// Panels: unit panels on [−9, 9] plus a graded family around z* = −a/b (widths h0, h0, 2h0, 4h0, ...,
// h0 = half the feature width 1/(βb)); 8-point Gauss–Legendre on each. tanh(x) has its poles at
// Re x = 0, |Im x| = π/2, so the panels next to z* see them at ≥ 3 half-widths: ~1e-15 accuracy.
Mom moments(double beta, double a, double b) {
  Mom M;
  if (!(b > 0) || beta == 0) {
    add_point(M, beta * a, 1.0);
    return M;
  }
  constexpr double L = 9.0;
  double cuts[80];
  int n = 0;
  for (int k = -9; k <= 9; ++k) cuts[n++] = k;
  const double zs = -a / b, h0 = std::min(0.5, 0.5 / (beta * b));
  if (zs > -L && zs < L) {
    cuts[n++] = zs;
    for (double off = h0; off < 1.0 && n < 78; off *= 2) {
      if (zs + off < L) cuts[n++] = zs + off;
      if (zs - off > -L) cuts[n++] = zs - off;
    }
  }
  std::sort(cuts, cuts + n);
  const GaussRule& g = gauss_legendre(8);
  for (int i = 0; i + 1 < n; ++i) {
    const double lo = cuts[i], hi = cuts[i + 1];
    if (!(hi > lo)) continue;
    const double hw = 0.5 * (hi - lo), mid = 0.5 * (hi + lo);
    for (std::size_t k = 0; k < g.nodes.size(); ++k) {
      const double z = mid + hw * g.nodes[k];
      add_point(M, beta * (a + b * z), hw * g.weights[k] * phi(z));
    }
  }
  return M;
}

// ---- averages over Y and z at finite β -----------------------------------------------------------
struct Agg {
  double m = 0, ytanh = 0, t2 = 0, s2 = 0, lc = 0;  // E tanh, E[Y tanh], E tanh², E sech², E ln cosh
};

Agg average(const Problem& pb, double beta, double s, double v) {
  Agg A;
  if (pb.y.empty()) {  // Y ~ N(1, ρ): h = s + τ w, E[Y tanh βh] = m + ρ s β E sech² (Stein)
    const Mom M = moments(beta, s, std::sqrt(s * s * pb.rho + v));
    return {M.t1, M.t1 + pb.rho * s * beta * M.s2, M.t2, M.s2, M.lc};
  }
  const double b = std::sqrt(v);
  for (std::size_t k = 0; k < pb.y.size(); ++k) {
    const Mom M = moments(beta, s * pb.y[k], b);
    A.m += pb.w[k] * M.t1;
    A.ytanh += pb.w[k] * pb.y[k] * M.t1;
    A.t2 += pb.w[k] * M.t2;
    A.s2 += pb.w[k] * M.s2;
    A.lc += pb.w[k] * M.lc;
  }
  return A;
}

// ---- averages at T = 0 ------------------------------------------------------------------------------
struct Agg0 {
  double m = 0, ysign = 0, dens = 0, pzero = 0;  // E sign h, E[Y sign h], E_Y 2 p_h(0), P(h ≡ 0)
};

Agg0 average_t0(const Problem& pb, double s, double v) {
  Agg0 A;
  if (pb.y.empty()) {
    const double tau = std::sqrt(s * s * pb.rho + v);
    if (!(tau > 0)) {
      A.m = A.ysign = sgn(s);
      A.pzero = s == 0 ? 1.0 : 0.0;
      A.dens = s == 0 ? kInf : 0.0;
      return A;
    }
    const double kappa = s / tau;
    A.m = std::erf(kappa / std::sqrt(2.0));
    A.ysign = A.m + pb.rho * s * 2 * phi(kappa) / tau;
    A.dens = 2 * phi(kappa) / tau;
    return A;
  }
  for (std::size_t k = 0; k < pb.y.size(); ++k) {
    const double a = s * pb.y[k], w = pb.w[k];
    if (v > 0) {
      const double e = std::erf(a / std::sqrt(2 * v));
      A.m += w * e;
      A.ysign += w * pb.y[k] * e;
      A.dens += w * 2 * phi(a / std::sqrt(v)) / std::sqrt(v);
    } else {
      A.m += w * sgn(a);
      A.ysign += w * pb.y[k] * sgn(a);
      if (a == 0) A.pzero += w;
    }
  }
  if (A.pzero > 0) A.dens = kInf;
  return A;
}

// ---- problem-level helpers --------------------------------------------------------------------------
double signal(const Problem& pb, double nbar) {
  return 0.5 * pb.P * std::pow(1 + pb.rho, 0.5 * pb.P - 1) * std::pow(nbar, pb.P - 1);
}
double amplitude(const Problem& pb) { return std::pow(1 + pb.rho, 0.5 * pb.P); }  // A

double mean_abs_y(const Problem& pb) {
  if (pb.y.empty()) {
    if (!(pb.rho > 0)) return 1.0;
    return std::erf(1 / std::sqrt(2 * pb.rho)) + std::sqrt(2 * pb.rho / M_PI) * std::exp(-0.5 / pb.rho);
  }
  double s = 0;
  for (std::size_t k = 0; k < pb.y.size(); ++k) s += pb.w[k] * std::abs(pb.y[k]);
  return s;
}

bool has_noise(const Problem& pb) {
  if (pb.ags) {
    for (const auto& [a, l] : pb.spectrum)
      if (a > 0 && l != 0) return true;
    return false;
  }
  for (double c : pb.gamma)
    if (c != 0) return true;
  return false;
}

double lambda_max(const Problem& pb) {
  double l = 0;
  for (const auto& [a, lam] : pb.spectrum)
    if (a > 0) l = std::max(l, lam);
  return l;
}

// Γ(q), Γ'(q), Γ(1) − Γ(q) and Γ(1) − Γ(q) − (1 − q)Γ'(q), with q = 1 − δ (accurate for small δ).
struct GammaVals {
  double d1 = 0, diff = 0, diff2 = 0, g1 = 0;
};
GammaVals gamma_vals(const Problem& pb, double delta) {
  GammaVals G;
  const double q = 1 - delta, lq = std::log1p(-delta);
  for (std::size_t k = 1; k < pb.gamma.size(); ++k) {
    const double c = pb.gamma[k], kd = static_cast<double>(k);
    if (c == 0) continue;
    const double qk1 = k == 1 ? 1.0 : std::pow(q, static_cast<double>(k - 1));
    const double one_minus_qk = delta >= 1 ? 1.0 : -std::expm1(kd * lq);
    G.d1 += c * kd * qk1;
    G.diff += c * one_minus_qk;
    G.diff2 += c * (one_minus_qk - kd * delta * qk1);
    G.g1 += c;
  }
  return G;
}

// Noise variance at (q = 1 − δ) and β; NaN where the AGS determinant is not positive.
double noise_var(const Problem& pb, double beta, double delta) {
  if (!pb.ags) return gamma_vals(pb, delta).d1;
  const double q = 1 - delta;
  double R = 0;
  for (const auto& [a, l] : pb.spectrum) {
    if (!(a > 0)) continue;
    const double D = 1 - beta * l * delta;
    if (!(D > 0)) return kNaN;
    R += a * l * l * q / (D * D);
  }
  return R;
}

// ---- finite β: q at fixed n̄ ------------------------------------------------------------------------
struct Inner {
  bool ok = false;
  double delta = 1, v = 0;
  Agg agg;
};

// δ = 1 − q solving δ = g(δ) ≡ E sech²(β h(δ)). The map is increasing in δ for the gaussian kind
// (more q, more noise) and decreasing for the AGS kind (the 1/D² of R), where plain iteration
// oscillates. So: iterate; when an iterate crosses the root (h = g − δ changes sign) finish by
// false position in that bracket; while it does not, extrapolate the monotone tail (Aitken Δ²),
// checking that the extrapolation does not jump over a root.
Inner solve_delta(const Problem& pb, double beta, double s, double delta0) {
  auto H = [&](double d, Inner& out) {
    out = Inner{};
    out.delta = d;
    out.v = noise_var(pb, beta, d);
    if (std::isnan(out.v)) return kNaN;
    out.agg = average(pb, beta, s, out.v);
    return out.agg.s2 - d;
  };
  const double lmax = pb.ags ? lambda_max(pb) : 0.0;
  const double dmax = lmax > 0 ? std::min(1.0, (1 - 1e-12) / (beta * lmax)) : 1.0;
  auto tol = [](double d) { return 1e-15 + 1e-13 * d; };
  auto bracket = [&](double a, double ha, Inner ia, double b, double hb, Inner ib) {
    // ha > 0 > hb (or the reverse); false position (Illinois) until the bracket is tight.
    int side = 0;
    for (int it = 0; it < 200; ++it) {
      if (std::abs(b - a) < tol(std::min(a, b))) break;
      double c = (a * hb - b * ha) / (hb - ha);
      if (!(c > std::min(a, b) && c < std::max(a, b)) || it % 10 == 9) c = 0.5 * (a + b);
      Inner ic;
      const double hc = H(c, ic);
      if (hc == 0 || std::isnan(hc)) {
        ic.ok = !std::isnan(hc);
        return ic;
      }
      if ((hc > 0) == (ha > 0)) {
        a = c, ha = hc, ia = ic;
        if (side == 1) hb *= 0.5;
        side = 1;
      } else {
        b = c, hb = hc, ib = ic;
        if (side == -1) ha *= 0.5;
        side = -1;
      }
    }
    Inner out = std::abs(ha) < std::abs(hb) ? ia : ib;
    out.ok = true;
    return out;
  };
  double x = std::clamp(delta0, 0.0, dmax);
  Inner ix;
  double hx = H(x, ix);
  for (int it = 0; it < 2000; ++it) {
    if (std::isnan(hx)) return ix;
    if (std::abs(hx) < tol(x)) {
      ix.ok = true;
      return ix;
    }
    const double y = std::clamp(x + hx, 0.0, dmax);
    Inner iy;
    const double hy = H(y, iy);
    if (std::isnan(hy)) return iy;
    if ((hx > 0) != (hy > 0) || hy == 0) return hy == 0 ? (iy.ok = true, iy) : bracket(x, hx, ix, y, hy, iy);
    if (std::abs(hy) < tol(y)) {
      iy.ok = true;
      return iy;
    }
    const double ratio = hy / (y - x);
    double next = std::clamp(y + hy, 0.0, dmax);
    if (ratio > 0 && ratio < 0.999 && y != x) {
      // x → y → y + hy converges geometrically with ratio hy/hx: extrapolate to its limit.
      const double r = hy / hx;
      if (r > 0 && r < 0.999) next = std::clamp(y + hy / (1 - r), 0.0, dmax);
    }
    Inner in;
    const double hn = H(next, in);
    if (std::isnan(hn)) return in;
    if ((hn > 0) != (hy > 0) && hn != 0) return bracket(y, hy, iy, next, hn, in);
    x = next, hx = hn, ix = in;
  }
  return ix;
}

// ---- root search -------------------------------------------------------------------------------------
// Root of G in [a, b] with G(a) ≥ 0 > G(b) (Illinois false position with bisection safeguard).
double refine(const std::function<double(double)>& G, double a, double ga, double b, double gb) {
  int side = 0;
  for (int it = 0; it < 200 && std::abs(b - a) > 1e-13 * std::max(1.0, std::abs(b)); ++it) {
    double c = (a * gb - b * ga) / (gb - ga);
    if (!(c > std::min(a, b) && c < std::max(a, b)) || it % 8 == 7) c = 0.5 * (a + b);
    const double gc = G(c);
    if (std::isnan(gc) || gc < 0) {
      b = c;
      gb = std::isnan(gc) ? -1.0 : gc;
      if (side == -1) ga *= 0.5;
      side = -1;
    } else {
      a = c;
      ga = gc;
      if (side == 1) gb *= 0.5;
      side = 1;
    }
    if (gc == 0) return c;
  }
  return 0.5 * (a + b);
}

// Largest x on the descending grid where G(x) = 0 with G ≥ 0 just below (the stable root of a
// fixed-point map x = F(x) with G = F − x). A pair of roots closer than the grid spacing (near a
// spinodal, where G can be sharply peaked) shows as a discrete local maximum of G below zero: each one
// met (the top point included) is maximised by golden section before the scan goes on. NaN: no root;
// NaN values of G count as negative.
double largest_root(const std::function<double(double)>& Graw, const std::vector<double>& grid) {
  auto G = [&](double x) {
    const double g = Graw(x);
    return std::isnan(g) ? -1e300 : g;
  };
  // Golden-section search for a point with G ≥ 0 in [lo, hi]; NaN if the maximum stays negative.
  auto peak = [&](double lo, double hi) {
    const double gr = 0.5 * (std::sqrt(5.0) - 1);
    double c = hi - gr * (hi - lo), d = lo + gr * (hi - lo);
    double gc = G(c), gd = G(d);
    for (int it = 0; it < 60 && gc < 0 && gd < 0 && hi - lo > 1e-13 * std::max(1.0, hi); ++it) {
      if (gc > gd) {
        hi = d, d = c, gd = gc;
        c = hi - gr * (hi - lo);
        gc = G(c);
      } else {
        lo = c, c = d, gc = gd;
        d = lo + gr * (hi - lo);
        gd = G(d);
      }
    }
    return gc >= 0 ? c : gd >= 0 ? d : kNaN;
  };
  std::vector<double> gs;
  gs.reserve(grid.size());
  gs.push_back(G(grid[0]));
  if (gs[0] >= 0) return grid[0];
  for (std::size_t j = 1; j < grid.size(); ++j) {
    gs.push_back(G(grid[j]));
    if (gs[j] >= 0) return refine(G, grid[j], gs[j], grid[j - 1], gs[j - 1]);
    // Discrete local maximum at j − 1 (for j = 1: the top point, a maximum in the first cell).
    if (gs[j - 1] > gs[j] && (j == 1 || gs[j - 1] > gs[j - 2]) && gs[j - 1] > -1e299) {
      const double hi = j == 1 ? grid[0] : grid[j - 2], ghi = j == 1 ? gs[0] : gs[j - 2];
      const double xm = peak(grid[j], hi);
      if (!std::isnan(xm)) return refine(G, xm, G(xm), hi, ghi);
    }
  }
  return kNaN;
}

// ---- states -----------------------------------------------------------------------------------------
State finish(const Problem& pb, double beta, double nbar, const Inner& in) {
  State st;
  st.exists = true;
  st.nbar = nbar;
  st.m = nbar == 0 ? 0.0 : in.agg.m;  // exactly 0 by z → −z symmetry
  st.q = 1 - in.delta;
  st.C = beta * in.delta;
  st.v = in.v;
  const double A = amplitude(pb), P = pb.P, delta = in.delta, q = 1 - delta;
  const double lnz = kLn2 + in.agg.lc;  // E ln 2cosh βh
  if (!pb.ags) {
    const GammaVals G = gamma_vals(pb, delta);
    st.free_energy = pb.c0 + 0.5 * (P - 1) * A * std::pow(nbar, P) - lnz / beta - 0.5 * beta * G.diff2;
    st.energy = pb.c0 - 0.5 * A * std::pow(nbar, P) - beta * G.diff;
  } else {
    double fn = 0, un = 0;
    for (const auto& [a, l] : pb.spectrum) {
      if (!(a > 0)) continue;
      const double D = 1 - beta * l * delta;
      fn += a / (2 * beta) * (std::log(D) - beta * l * q / D);
      un += 0.5 * a * l * (1 / D + beta * l * q * delta / (D * D));
    }
    st.free_energy = pb.c0 + 0.5 * A * nbar * nbar + fn + 0.5 * beta * in.v * delta - lnz / beta;
    st.energy = pb.c0 - 0.5 * A * nbar * nbar - un;
  }
  st.entropy = beta * (st.energy - st.free_energy);
  return st;
}

Solution solve_finite(const Problem& pb, double beta) {
  Solution sol;
  const double norm = 1 + pb.rho, nmax = mean_abs_y(pb) / norm;
  // Retrieval: descending scan in n̄ with q continued from q = 1.
  double warm = 0.0;
  Inner last;
  auto G = [&](double nb) {
    last = solve_delta(pb, beta, signal(pb, nb), warm);
    if (!last.ok && std::isnan(last.v)) return kNaN;
    warm = last.delta;
    return last.agg.ytanh / norm - nb;
  };
  constexpr int J = 60;
  std::vector<double> grid;
  for (int j = J; j >= 1; --j) grid.push_back(nmax * j / J);
  double root = largest_root(G, grid);
  if (std::isnan(root) && pb.P == 2) {
    // Continuous onset (P = 2): a root below the grid shows as G > 0 near n̄ = 0.
    const double tiny = 1e-7 * nmax, gt = G(tiny);
    if (gt > 0) root = refine(G, tiny, gt, grid.back(), G(grid.back()));
  }
  if (!std::isnan(root) && root > 1e-6 * nmax) {
    warm = 0.0;
    const Inner in = solve_delta(pb, beta, signal(pb, root), 0.0);
    if (!std::isnan(in.v)) {
      // Polish (n̄, q) jointly by a few fixed-point steps (the stable root attracts).
      double nb = root;
      Inner cur = in;
      for (int it = 0; it < 50; ++it) {
        const double nn = cur.agg.ytanh / norm;
        if (std::abs(nn - nb) < 1e-14) break;
        nb = nn;
        cur = solve_delta(pb, beta, signal(pb, nb), cur.delta);
      }
      sol.retrieval = finish(pb, beta, nb, cur);
    }
  }
  // m = 0: spin glass (largest q, from q = 1) and paramagnet (q = 0).
  const Inner sg = solve_delta(pb, beta, 0.0, 0.0);
  if (!std::isnan(sg.v) && 1 - sg.delta > 1e-7) sol.spin_glass = finish(pb, beta, 0.0, sg);
  // The AGS paramagnet needs βλ < 1 (else its Gaussian integral over the overlaps diverges).
  const Inner pm = solve_delta(pb, beta, 0.0, 1.0);
  if (!std::isnan(pm.v) && pm.ok && !(pb.ags && beta * lambda_max(pb) >= 1)) {
    State p = finish(pb, beta, 0.0, pm);
    if (sol.spin_glass.exists && std::abs(sol.spin_glass.q - p.q) < 1e-7) sol.spin_glass = State{};
    sol.paramagnet = p;
  }
  return sol;
}

Solution solve_zero_t(const Problem& pb) {
  Solution sol;
  const double norm = 1 + pb.rho, nmax = mean_abs_y(pb) / norm, A = amplitude(pb);
  const int P = pb.P;
  if (!has_noise(pb)) {
    const Agg0 a = average_t0(pb, signal(pb, nmax), 0.0);
    State& r = sol.retrieval;
    r.exists = nmax > 0;
    r.nbar = nmax;
    r.m = a.m;
    r.q = 1 - a.pzero;
    r.C = a.pzero > 0 ? kInf : 0.0;
    r.energy = r.free_energy = pb.c0 - 0.5 * A * std::pow(nmax, P);
    r.entropy = a.pzero * kLn2;
    State& p = sol.paramagnet;
    p.exists = true;
    p.C = kInf;
    p.energy = p.free_energy = pb.c0;
    p.entropy = kLn2;
    return sol;
  }
  if (!pb.ags) {
    const double v = gamma_vals(pb, 0.0).d1, g1 = v;  // Γ'(1)
    auto G = [&](double nb) { return average_t0(pb, signal(pb, nb), v).ysign / norm - nb; };
    constexpr int J = 40;
    std::vector<double> grid;
    for (int j = J; j >= 1; --j) grid.push_back(nmax * j / J);
    const double root = largest_root(G, grid);
    if (!std::isnan(root) && root > 1e-6 * nmax) {
      const Agg0 a = average_t0(pb, signal(pb, root), v);
      State& r = sol.retrieval;
      r.exists = true;
      r.nbar = root;
      r.m = a.m;
      r.q = 1;
      r.C = a.dens;
      r.v = v;
      r.energy = r.free_energy = pb.c0 - 0.5 * A * std::pow(root, P) - a.dens * g1;
    }
    State& s = sol.spin_glass;
    s.exists = true;
    s.q = 1;
    s.v = v;
    s.C = std::sqrt(2 / (M_PI * v));
    s.energy = s.free_energy = pb.c0 - s.C * g1;
    return sol;  // the P ≥ 3 paramagnet has entropy −∞ at T = 0: not a state
  }
  // AGS kind: parametrise by y = n̄/√(2R).
  auto rhs = [&](double C) {
    double R = 0;
    for (const auto& [a, l] : pb.spectrum) {
      if (!(a > 0)) continue;
      const double D = 1 - l * C;
      if (!(D > 0)) return kInf;
      R += a * l * l / (D * D);
    }
    return R;
  };
  struct AtY {
    double nb, R, C, m;
  };
  auto at_y = [&](double y) {
    AtY o{};
    if (pb.y.empty()) {
      const double kappa = 1 / std::sqrt(pb.rho + 0.5 / (y * y));
      o.m = std::erf(kappa / std::sqrt(2.0));
      o.nb = (o.m + 2 * pb.rho * kappa * phi(kappa)) / norm;
      o.R = o.nb * o.nb / (2 * y * y);
      o.C = 2 * kappa * phi(kappa) / o.nb;
    } else {
      double ys = 0, d = 0;
      for (std::size_t k = 0; k < pb.y.size(); ++k) {
        const double e = std::erf(y * pb.y[k]);
        o.m += pb.w[k] * e;
        ys += pb.w[k] * pb.y[k] * e;
        d += pb.w[k] * 2 * phi(std::sqrt(2.0) * y * pb.y[k]);
      }
      o.nb = ys / norm;
      o.R = o.nb * o.nb / (2 * y * y);
      o.C = d / std::sqrt(o.R);
    }
    return o;
  };
  auto G = [&](double y) {
    const AtY o = at_y(y);
    const double R = rhs(o.C);
    if (std::isinf(R)) return kNaN;
    return std::sqrt(o.R) - std::sqrt(R);
  };
  double s2 = 0;  // Σ α_k λ_k² = R at C = 0
  for (const auto& [a, l] : pb.spectrum) s2 += a > 0 ? a * l * l : 0.0;
  const double ymax = std::max(8.0, 4 * nmax / std::sqrt(2 * s2));
  std::vector<double> grid;
  constexpr int J = 80;
  for (int j = 0; j <= J; ++j) grid.push_back(ymax * std::pow(8e-3 / ymax, static_cast<double>(j) / J));  // down to y = 0.008
  const double y = largest_root(G, grid);
  auto energy = [&](double nb, double C) {
    double un = 0;
    for (const auto& [a, l] : pb.spectrum) {
      if (!(a > 0)) continue;
      const double D = 1 - l * C;
      un += 0.5 * a * l * (1 / D + l * C / (D * D));
    }
    return pb.c0 - 0.5 * A * nb * nb - un;
  };
  if (!std::isnan(y)) {
    const AtY o = at_y(y);
    State& r = sol.retrieval;
    r.exists = true;
    r.nbar = o.nb;
    r.m = o.m;
    r.q = 1;
    r.C = o.C;
    r.v = o.R;
    r.energy = r.free_energy = energy(o.nb, o.C);
  }
  // Spin glass: C √R(C) = √(2/π), increasing in C on [0, 1/λ_max).
  double lo = 0, hi = 1 / lambda_max(pb);
  for (int it = 0; it < 200; ++it) {
    const double c = 0.5 * (lo + hi), R = rhs(c);
    if (std::isinf(R) || c * std::sqrt(R) > std::sqrt(2 / M_PI)) hi = c;
    else lo = c;
  }
  State& s = sol.spin_glass;
  s.exists = true;
  s.q = 1;
  s.C = 0.5 * (lo + hi);
  s.v = rhs(s.C);
  s.energy = s.free_energy = energy(0.0, s.C);
  return sol;
}

// Stable state (see the header): the m = 0 state is the admissible m = 0 solution of largest f (the
// replica rule of extremising over q as n → 0: the spin glass below T_g at P = 2), then the lower f of
// it and the retrieval state.
void choose_stable(const Problem& pb, double beta, Solution& sol) {
  bool para = sol.paramagnet.exists;
  if (para && !pb.ags && std::isfinite(beta) && sol.paramagnet.entropy < 0) para = false;
  Phase zero = Phase::paramagnet;
  if (sol.spin_glass.exists && (!para || sol.spin_glass.free_energy >= sol.paramagnet.free_energy))
    zero = Phase::spin_glass;
  const bool admissible = zero == Phase::spin_glass || para;
  const State& z = zero == Phase::spin_glass ? sol.spin_glass : sol.paramagnet;
  sol.stable = zero;
  if (sol.retrieval.exists && (!admissible || sol.retrieval.free_energy < z.free_energy)) sol.stable = Phase::retrieval;
}

// Moments E[S^P] of a sum of N independent ±1 (cumulants N κ_n of one spin, then moments).
double sum_pm1_moment(long long N, int P) {
  std::vector<double> mu1(P + 1), kappa(P + 1), mu(P + 1);
  for (int n = 0; n <= P; ++n) mu1[n] = n % 2 ? 0.0 : 1.0;
  for (int n = 1; n <= P; ++n) {
    double k = mu1[n];
    for (int j = 1; j < n; ++j) k -= binom(n - 1, j - 1) * kappa[j] * mu1[n - j];
    kappa[n] = k;
  }
  mu[0] = 1;
  for (int n = 1; n <= P; ++n) {
    double m = 0;
    for (int j = 1; j <= n; ++j) m += binom(n - 1, j - 1) * static_cast<double>(N) * kappa[j] * mu[n - j];
    mu[n] = m;
  }
  return mu[P];
}

}  // namespace

Problem make_problem(const Setup& s) {
  Problem pb;
  pb.P = s.P;
  const double alpha = s.alpha, alpha_all = s.alpha_all < 0 ? s.alpha : s.alpha_all;
  const bool learning = s.data != Data::storage;
  double R = 1;  // 𝓡
  if (learning) {
    const int M = s.M;
    const double r = s.r;
    pb.rho = (1 - r * r) / (M * r * r);
    R = r * r * (1 + pb.rho);
    // Exact law of Y = (M − 2k)/(M r), k ~ Bin(M, (1 − r)/2), atoms of negligible weight dropped.
    std::vector<double> y, w;
    const double pm = 0.5 * (1 - r);
    for (int k = 0; k <= M; ++k) {
      double lw;
      if (pm == 0) lw = k == 0 ? 0.0 : -kInf;
      else lw = std::lgamma(M + 1.0) - std::lgamma(k + 1.0) - std::lgamma(M - k + 1.0) + k * std::log(pm) +
                (M - k) * std::log1p(-pm);
      if (lw < -40) continue;
      y.push_back((M - 2.0 * k) / (M * r));
      w.push_back(std::exp(lw));
    }
    double tot = 0;
    for (double x : w) tot += x;
    for (double& x : w) x /= tot;
    const std::size_t cap = alpha > 0 ? 101 : 5001;
    const bool exact = s.law == LawChoice::binomial || (s.law == LawChoice::automatic && y.size() <= cap);
    if (exact) {
      pb.y = std::move(y);
      pb.w = std::move(w);
    }
  }
  if (s.P == 2) {
    pb.ags = true;
    if (s.data == Data::unsupervised) {
      pb.spectrum = {{alpha, 1.0}, {(s.M - 1) * alpha, (1 - s.r * s.r) / (s.M * R)}};
      pb.c0 = s.self_interaction ? 0.0 : alpha_all / (2 * R);
    } else {
      pb.spectrum = {{alpha, 1.0}};
      pb.c0 = s.self_interaction ? 0.0 : alpha_all / 2;
    }
    return pb;
  }
  const int P = s.P;
  pb.gamma.assign(P + 1, 0.0);
  double lambda = 1;
  if (s.data == Data::unsupervised)
    lambda = (1 + (s.M - 1) * std::pow(s.r, 2.0 * P)) / (s.M * std::pow(R, static_cast<double>(P)));
  if (!s.self_interaction) {
    pb.gamma[P] = 0.25 * factorial(P) * alpha * lambda;
  } else if (!learning) {
    // x^P = Σ_j a_{P−2j} He_{P−2j}(x), a_{P−2j} = P!/(2^j j! (P−2j)!); Γ = (α/4) Σ a_k² k! q^k.
    for (int j = 0; 2 * j < P; ++j) {
      const int k = P - 2 * j;
      const double a = factorial(P) / (std::pow(2.0, j) * factorial(j) * factorial(k));
      pb.gamma[k] = 0.25 * alpha * a * a * factorial(k);
    }
    if (s.N > 0) pb.c0 = -alpha_all * sum_pm1_moment(s.N, P) / (2.0 * static_cast<double>(s.N));
  } else {
    pb.covered = alpha == 0;  // learning with self-interactions at high load: not derived here
  }
  return pb;
}

State state_at(const Problem& pb, double beta, double nbar, double q_start) {
  const Inner in = solve_delta(pb, beta, signal(pb, nbar), 1 - q_start);
  if (std::isnan(in.v)) return State{};
  State st = finish(pb, beta, nbar, in);
  st.nbar = in.agg.ytanh / (1 + pb.rho);  // the right-hand side F(n̄)
  st.exists = in.ok;
  return st;
}

Solution solve(const Problem& pb, double beta) {
  Solution sol;
  if (!(beta > 0)) {  // T = ∞
    sol.paramagnet.exists = true;
    sol.paramagnet.energy = pb.c0;
    sol.paramagnet.free_energy = -kInf;
    sol.paramagnet.entropy = kLn2;
    sol.paramagnet.C = 0;
    return sol;
  }
  sol = std::isinf(beta) ? solve_zero_t(pb) : solve_finite(pb, beta);
  choose_stable(pb, beta, sol);
  return sol;
}

Solution solve_storage(int P, double alpha, double beta) {
  Setup s;
  s.P = P;
  s.alpha = alpha;
  return solve(make_problem(s), beta);
}

Setup setup_from(const DenseHebbian::Params& p) {
  Setup s;
  s.P = p.P;
  s.N = p.N;
  const double npow = std::pow(static_cast<double>(s.N), s.P - 1);
  if (p.alpha > 0) {
    s.alpha = s.alpha_all = p.alpha;  // the thermodynamic limit at this load
  } else {
    // Finite K: exactly K − 1 patterns make the noise (K = 1 is the P-spin Curie–Weiss model).
    const double K = p.K;
    s.alpha = (K - 1) / npow;
    s.alpha_all = K / npow;
  }
  s.data = p.data == HebbianMode::supervised     ? Data::supervised
           : p.data == HebbianMode::unsupervised ? Data::unsupervised
                                                 : Data::storage;
  s.M = p.M;
  s.r = p.r;  // given, from rho, or measured from a data set
  s.self_interaction = p.self_interaction;
  return s;
}

Curves dense_hebbian_curves(const DenseHebbian::Params& p, std::span<const double> beta) {
  const Setup s = setup_from(p);
  const Problem pb = make_problem(s);
  const bool learning = s.data != Data::storage;
  const double n_scale = learning ? s.r * (1 + pb.rho) : 1.0;  // n = r(1+ρ) n̄ (mean example overlap)
  // m1: overlap with archetype 1 of the state reached from it (the retrieval branch, else m = 0), the
  // counterpart of a Monte Carlo run started at the archetype.
  std::vector<std::string> names = {"m", "q", "energy", "free_energy", "nbar", "n", "phase", "m1",
                                    "m_retrieval", "q_retrieval", "nbar_retrieval", "energy_retrieval",
                                    "f_retrieval", "q_sg", "energy_sg", "f_sg", "f_para"};
  std::vector<std::vector<double>> v(names.size(), std::vector<double>(beta.size(), kNaN));
  for (std::size_t i = 0; i < beta.size(); ++i) {
    if (!pb.covered) continue;
    const Solution sol = solve(pb, beta[i]);
    const State& st = sol.stable_state();
    const State& r = sol.retrieval;
    const State& sg = sol.spin_glass.exists ? sol.spin_glass : sol.paramagnet;
    const double vals[] = {st.m,
                           st.q,
                           st.energy,
                           st.free_energy,
                           st.nbar,
                           st.nbar * n_scale,
                           static_cast<double>(sol.stable),
                           r.exists ? r.m : 0.0,
                           r.exists ? r.m : kNaN,
                           r.exists ? r.q : kNaN,
                           r.exists ? r.nbar : kNaN,
                           r.exists ? r.energy : kNaN,
                           r.exists ? r.free_energy : kNaN,
                           sg.exists ? sg.q : kNaN,
                           sg.exists ? sg.energy : kNaN,
                           sg.exists ? sg.free_energy : kNaN,
                           sol.paramagnet.exists ? sol.paramagnet.free_energy : kNaN};
    for (std::size_t k = 0; k < names.size(); ++k) v[k][i] = vals[k];
  }
  Curves c;
  for (std::size_t k = 0; k < names.size(); ++k) c.add(names[k], std::move(v[k]));
  dense1rsb::append_1rsb_curves(c, p, beta);  // 1RSB curves and AT (analysis/rsb_dense)
  return c;
}

}  // namespace ptmc::theory::dense
