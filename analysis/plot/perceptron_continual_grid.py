#!/usr/bin/env python3
"""Continual learning with a binary perceptron, Monte Carlo against the RS Franz–Parisi theory
(docs/continual_learning_theory.md): overlaps with teacher 1 (R, remembered), teacher 2 (R2, learnt)
and σ_ref (R_ref), the replica overlap q and the student's training error on task 1's examples
(train_error1), against λ, one row per (α, r0, ...) group. Lines: the RS theory on a fine λ grid (ptmc
theory via ptmc.points.run_theory), dashed where its AT product > 1; points: Monte Carlo with 1σ errors
(standard error over samples), hollow where the point failed ptmc's equilibration check. Drawn at a few
temperatures of the ladder (--beta; by default the hottest, a middle and the coldest), compared at all.

Prints the reference's own ref_R and ref_train_error against the RS reference, then for each column the
comparison z = (MC − theory)/error over every point and temperature: count, rms z, mean z, how many
beyond 2 and 3, and the largest (with -v every comparison), over the points that pass the equilibration
check and over all. q is |σ^a·σ^b|/N, whose modulus lifts a small overlap at finite N: it is compared
with E|Q|, Q Gaussian of mean q_RS and variance (1 − q_RS²)/N (the drawn curve is q_RS itself).

usage: scripts/figure.sh runs/perceptron_continual_grid.toml
   or: perceptron_continual_grid.py MC.h5 [THEORY.h5] -o out/perceptron_continual_grid [--beta 0.4 1.5] [-v]
(THEORY.h5: `ptmc theory` of the same file, used for the comparison; without it the script solves it.)
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.finite_size import overlap_modulus_mean  # noqa: E402
from ptmc.points import errorbar, load, match, run_theory, save  # noqa: E402

PANELS = [("R", "overlap with teacher 1, R"), ("R2", "overlap with teacher 2, R2"),
          ("R_ref", r"overlap with $\sigma_{ref}$"), ("q", "replica overlap q"),
          ("train_error1", "task-1 training error")]
KEYS = ("N", "alpha", "alpha1", "r0", "beta_ref", "kappa", "mode", "cost")


def drawn_temperatures(beta, wanted):
    """Indices of the ladder temperatures to draw: those nearest to WANTED, or hottest, middle, coldest."""
    if wanted:
        return sorted({int(np.argmin(np.abs(beta - b))) for b in wanted})
    return sorted({0, len(beta) // 2, len(beta) - 1})


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mc", help="Monte Carlo file of mode = continual")
    ap.add_argument("theory", nargs="?", help="ptmc theory of the same file (else solved here)")
    ap.add_argument("-o", "--output", default="out/perceptron_continual_grid")
    ap.add_argument("--beta", type=float, nargs="*", help="temperatures to draw (nearest in the ladder)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every comparison")
    a = ap.parse_args()
    mc = load(a.mc)
    if not mc:
        sys.exit(f"{a.mc}: no points")
    th_file = load(a.theory) if a.theory else []
    groups = {}
    for p in mc:
        groups.setdefault(tuple(p.params.get(k) for k in KEYS if k != "N"), []).append(p)
    n_eq = sum(p.equilibrated for p in mc)
    print(f"{len(mc)} points, {n_eq} pass the equilibration check")
    z = {name: [] for name, _ in PANELS}
    fig, axes = plt.subplots(len(groups), len(PANELS), figsize=(3.6 * len(PANELS), 3.0 * len(groups)), squeeze=False)
    if a.verbose:
        print("group lambda beta column MC err theory (MC-theory)/err")
    for g, (key, pts) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0]))):
        pts.sort(key=lambda p: p.params["lambda"])
        lam = np.array([p.params["lambda"] for p in pts])
        beta = pts[0].beta
        shown = drawn_temperatures(beta, a.beta)
        params = {k: pts[0].params[k] for k in KEYS if k in pts[0].params}
        grid = np.linspace(min(lam.min(), 0.0), lam.max(), 41)
        params["lambda"] = [float(x) for x in grid]
        th = run_theory(f"{a.output}-theory-{g}", "binary_perceptron", params, [float(beta[t]) for t in shown])
        th.sort(key=lambda p: p.params["lambda"])
        # The exact λ and every temperature of the MC points, for the comparison: the theory file's points,
        # or solved here.
        th_at = [match(th_file, **{k: p.params[k] for k in ("alpha", "r0", "lambda")}) for p in pts] if th_file else []
        if th_at and all(len(m) == 1 for m in th_at):
            th_at = [m[0] for m in th_at]
        else:
            params["lambda"] = [float(x) for x in lam]
            th_at = run_theory(f"{a.output}-theory-{g}-points", "binary_perceptron", params, [float(b) for b in beta])
            th_at.sort(key=lambda p: p.params["lambda"])
        # The reference's own quantities (constant per sample): is σ_ref the task-1 sample the theory assumes?
        for name in ("ref_R", "ref_train_error"):
            if all(p.has(name) for p in pts):
                for k, p in enumerate(pts):
                    v, e, tv = p.value(name)[0], p.error(name)[0], th_at[k].value(name)[0]
                    print(f"group {g} (α = {params['alpha']:g}, r0 = {params['r0']:g}) λ = {lam[k]:g}: "
                          f"{name} {v:.4f}({e:.4f}) RS {tv:.4f} z {(v - tv) / e:+.1f}")
        for j, (name, label) in enumerate(PANELS):
            ax = axes[g][j]
            if not all(p.has(name) for p in pts):
                ax.set_visible(False)
                continue
            for t in range(len(beta)):
                for k, p in enumerate(pts):
                    v, e, tv = p.value(name)[t], p.error(name)[t], th_at[k].value(name)[t]
                    if name == "q":
                        tv = overlap_modulus_mean(tv, p.params["N"])
                    z[name].append(((v - tv) / e, g, lam[k], beta[t], v, e, tv, p.equilibrated))
                    if a.verbose:
                        print(f"{g} {lam[k]:g} {beta[t]:.4g} {name} {v:.4f} {e:.4f} {tv:.4f} {(v - tv) / e:+.1f}")
            for c, (t, tt) in enumerate(zip(shown, range(len(shown)))):
                y = np.array([p.value(name)[tt] for p in th])
                at = np.array([p.value("at")[tt] for p in th])
                col = f"C{c}"
                ax.plot(grid, np.where(at <= 1, y, np.nan), "-", color=col, lw=1.2, label=f"β = {beta[t]:.3g}")
                ax.plot(grid, np.where(at > 1, y, np.nan), "--", color=col, lw=1.2)
                for k, p in enumerate(pts):
                    errorbar(ax, [lam[k]], p.at(t), name, color=col)
            ax.set_xlabel("coupling λ")
            ax.set_ylabel(label)
            if j == 0:
                ax.set_title(f"N = {pts[0].params.get('N')}, α = {params['alpha']:g}, α1 = {params['alpha1']:g}, "
                             f"r0 = {params['r0']:g}, β_ref = {params['beta_ref']:g}", fontsize=8, loc="left")
            if g == 0 and j == 0:
                ax.legend(fontsize=7)
    for title, keep in (("points passing the equilibration check", lambda r: r[7]), ("all points", lambda r: True)):
        print(f"{title} — column: comparisons, rms z, mean z, |z| > 2, |z| > 3, largest (group, λ, β: MC(err) RS)")
        for name, rows in z.items():
            rows = [r for r in rows if keep(r)]
            if not rows:
                continue
            zz = np.array([r[0] for r in rows])
            w = rows[int(np.argmax(np.abs(zz)))]
            print(f"  {name:13s} {len(zz):4d}  rms {np.sqrt(np.mean(zz ** 2)):.2f}  mean {zz.mean():+.2f}  "
                  f">2: {int(np.sum(np.abs(zz) > 2)):3d}  >3: {int(np.sum(np.abs(zz) > 3)):3d}  "
                  f"max {w[0]:+.1f} (group {w[1]}, λ = {w[2]:g}, β = {w[3]:.3g}: {w[4]:.4f}({w[5]:.4f}) RS {w[6]:.4f})")
    fig.suptitle(f"continual learning, N = {mc[0].params.get('N')}: points Monte Carlo (1σ over samples; hollow: failed "
                 "the equilibration check), lines RS Franz–Parisi (dashed: AT unstable)", fontsize=10)
    fig.tight_layout()
    save(fig, a.output)


if __name__ == "__main__":
    main()
