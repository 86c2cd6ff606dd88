#!/usr/bin/env python3
"""Continual learning with a binary perceptron: forgetting of task 1 and learning of task 2, Monte Carlo
on the RS Franz–Parisi theory (docs/continual_learning_theory.md). Generalisation errors on teacher 1,
eg = arccos(R)/π (what is remembered), and on teacher 2, eg2 = arccos(R2)/π (what is learnt), at the
coldest β of the ladder, one column per teacher correlation r0:
  top row: against the load α of task 2, at the couplings λ of the file (λ = 0: plain learning of task 2);
  bottom row: against λ at α = 1; with the student's own training error on task 1's examples,
  train_error1 (the examples σ_ref was trained on; RS theory in docs/continual_learning_theory.md §4).
Lines: RS theory on fine grids (ptmc theory), dashed where its AT product > 1; points: Monte Carlo, 1σ
errors over samples (eg and eg2 from the sample means of R and R2, errors propagated), faded where the
point failed ptmc's equilibration check. Prints every
(MC − theory)/error at the MC points (R, R2, R_ref, q, train_error1; q, the modulus |σ^a·σ^b|/N, against
E|Q| at the run's N: ptmc.finite_size) and a summary.

usage: scripts/figure.sh runs/perceptron_continual_forgetting.toml
   or: perceptron_continual_forgetting.py MC.h5 THEORY.h5 -o out/perceptron_continual_forgetting
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
from ptmc.points import load, match, run_theory, save  # noqa: E402

FIXED = ("alpha1", "beta_ref", "kappa", "mode", "cost")
COMPARED = ("R", "R2", "R_ref", "q", "train_error1")
ALPHA_FIXED = 1.0  # the bottom row's load


def eg_of(R, err):
    R = np.clip(R, -1 + 1e-12, 1 - 1e-12)
    return np.arccos(R) / np.pi, err / (np.pi * np.sqrt(1 - R * R))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mc", help="Monte Carlo file of mode = continual")
    ap.add_argument("theory", nargs="?", help="ptmc theory of the same file (the printed comparison)")
    ap.add_argument("-o", "--output", default="out/perceptron_continual_forgetting")
    a = ap.parse_args()
    mc = load(a.mc)
    if not mc:
        sys.exit(f"{a.mc}: no points")
    th_points = load(a.theory) if a.theory else []
    beta = mc[0].beta
    t = int(np.argmax(beta))
    b = float(beta[t])
    r0s = sorted({p.params["r0"] for p in mc})
    lams = sorted({p.params["lambda"] for p in mc})
    alphas = sorted({p.params["alpha"] for p in mc})
    base = {k: mc[0].params[k] for k in FIXED if k in mc[0].params}
    N = mc[0].params.get("N")
    lam_lines = sorted(set([0.0] + [l for l in lams if l > 0][:1] + [max(lams)]) & set(lams))  # top row
    fig, axes = plt.subplots(2, len(r0s), figsize=(4.3 * len(r0s), 7.2), squeeze=False, sharey="row")
    z_all = []
    print(f"{len(mc)} points, {sum(p.equilibrated for p in mc)} pass the equilibration check")
    print("r0 alpha lambda column MC err theory (MC-theory)/err")

    def compare(p, r0, alpha, lam):
        if not th_points:
            return
        th = match(th_points, r0=r0, alpha=alpha, **{"lambda": lam})
        if not th:
            return
        for name in COMPARED:
            if p.has(name) and th[0].has(name):
                v, e, tv = p.value(name)[t], p.error(name)[t], th[0].value(name)[t]
                if name == "q":  # the column is |σ^a·σ^b|/N: compare with E|Q| at this N (ptmc.finite_size)
                    tv = overlap_modulus_mean(tv, p.params["N"])
                z = (v - tv) / e if e > 0 else np.nan
                z_all.append((name, r0, alpha, lam, z))
                print(f"{r0:g} {alpha:g} {lam:g} {name} {v:.4f} {e:.4f} {tv:.4f} {z:+.1f}")

    for j, r0 in enumerate(r0s):
        # Top: against α.
        ax = axes[0][j]
        grid = np.linspace(0.05, max(alphas) * 1.05, 32)
        for c, lam in enumerate(lam_lines):
            params = dict(base, N=N, r0=r0, alpha=[float(x) for x in grid], **{"lambda": lam})
            th = sorted(run_theory(f"{a.output}-alpha-{j}-{c}", "binary_perceptron", params, [b]),
                        key=lambda p: p.params["alpha"])
            at = np.array([p.value("at")[0] for p in th])
            for name, style in (("eg", "-"), ("eg2", ":")):
                y = np.array([p.value(name)[0] for p in th])
                ax.plot(grid, np.where(at <= 1, y, np.nan), style, color=f"C{c}", lw=1.3)
                ax.plot(grid, np.where(at > 1, y, np.nan), "--", color=f"C{c}", lw=0.8)
            pts = sorted((p for p in mc if p.params["r0"] == r0 and p.params["lambda"] == lam),
                         key=lambda p: p.params["alpha"])
            x = np.array([p.params["alpha"] for p in pts])
            for name, marker, fill in (("R", "o", f"C{c}"), ("R2", "s", "white")):
                y, e = eg_of(np.array([p.value(name)[t] for p in pts]), np.array([p.error(name)[t] for p in pts]))
                ok = np.array([p.equilibrated for p in pts], dtype=bool)
                ax.errorbar(x[ok], y[ok], yerr=e[ok], fmt=marker, ms=4, capsize=2, color=f"C{c}", mfc=fill,
                            label=f"λ = {lam:g}" if name == "R" else None)
                if not ok.all():
                    ax.errorbar(x[~ok], y[~ok], yerr=e[~ok], fmt=marker, ms=4, capsize=2, color=f"C{c}", mfc=fill,
                                alpha=0.3)
        ax.set_xlabel("load of task 2, α")
        ax.set_title(f"r0 = {r0:g}", fontsize=10)
        # Bottom: against λ at α = ALPHA_FIXED.
        ax = axes[1][j]
        lgrid = np.linspace(0.0, max(lams) * 1.05, 32)
        params = dict(base, N=N, r0=r0, alpha=ALPHA_FIXED, **{"lambda": [float(x) for x in lgrid]})
        th = sorted(run_theory(f"{a.output}-lambda-{j}", "binary_perceptron", params, [b]),
                    key=lambda p: p.params["lambda"])
        at = np.array([p.value("at")[0] for p in th])
        for name, style, c, label in (("eg", "-", "C3", "teacher 1: eg (forgetting)"),
                                      ("eg2", ":", "C2", "teacher 2: eg2 (learning)")):
            y = np.array([p.value(name)[0] for p in th])
            ax.plot(lgrid, np.where(at <= 1, y, np.nan), style, color=c, lw=1.3, label=label)
            ax.plot(lgrid, np.where(at > 1, y, np.nan), "--", color=c, lw=0.8)
        if all(p.has("train_error1") for p in th):
            y = np.array([p.value("train_error1")[0] for p in th])
            ax.plot(lgrid, np.where(at <= 1, y, np.nan), "-.", color="C4", lw=1.3, label="task-1 training error (RS)")
            ax.plot(lgrid, np.where(at > 1, y, np.nan), "--", color="C4", lw=0.8)
            ax.axhline(th[0].value("ref_train_error")[0], color="C4", lw=0.6, ls=(0, (1, 2)),
                       label="σ_ref's own training error (RS)")
        ref = np.array([p.value("ref_eg")[0] for p in th])
        ax.axhline(ref[0], color="gray", lw=0.8, ls="-.", label="σ_ref's eg (RS)")
        pts = sorted((p for p in mc if p.params["r0"] == r0 and p.params["alpha"] == ALPHA_FIXED),
                     key=lambda p: p.params["lambda"])
        x = np.array([p.params["lambda"] for p in pts])
        ok = np.array([p.equilibrated for p in pts], dtype=bool)
        for name, marker, c, fill in (("R", "o", "C3", "C3"), ("R2", "s", "C2", "white")):
            y, e = eg_of(np.array([p.value(name)[t] for p in pts]), np.array([p.error(name)[t] for p in pts]))
            ax.errorbar(x[ok], y[ok], yerr=e[ok], fmt=marker, ms=4, capsize=2, color=c, mfc=fill)
            if not ok.all():
                ax.errorbar(x[~ok], y[~ok], yerr=e[~ok], fmt=marker, ms=4, capsize=2, color=c, mfc=fill, alpha=0.3)
        if all(p.has("train_error1") for p in pts):
            ax.errorbar(x, [p.value("train_error1")[t] for p in pts], yerr=[p.error("train_error1")[t] for p in pts],
                        fmt="^", ms=4, capsize=2, color="C4", label="task-1 training error (MC)")
        ax.set_xlabel("coupling λ")
        for p in mc:
            if p.params["r0"] == r0:
                compare(p, r0, p.params["alpha"], p.params["lambda"])
    axes[0][0].set_ylabel("generalisation error")
    axes[1][0].set_ylabel(f"error, α = {ALPHA_FIXED:g}")
    axes[0][0].legend(fontsize=7, title="● eg (teacher 1), □ eg2 (teacher 2)", title_fontsize=7)
    axes[1][0].legend(fontsize=7)
    faded = "" if all(p.equilibrated for p in mc) else ", faded: failed the equilibration check"
    fig.suptitle(f"continual learning, N = {N}, α1 = {base.get('alpha1')}, β_ref = {base.get('beta_ref')}, β = {b:g}: "
                 f"points Monte Carlo{faded}, lines RS (dashed: AT unstable)", fontsize=9)
    fig.tight_layout()
    save(fig, a.output)
    if z_all:
        z = np.array([r[4] for r in z_all], dtype=float)
        z = z[np.isfinite(z)]
        print(f"summary: {len(z)} comparisons at beta = {b:g}; |z| <= 1: {np.mean(np.abs(z) <= 1):.0%}, "
              f"<= 2: {np.mean(np.abs(z) <= 2):.0%}, <= 3: {np.mean(np.abs(z) <= 3):.0%}; max |z| {np.max(np.abs(z)):.1f}")
        for name in COMPARED:
            zz = np.array([r[4] for r in z_all if r[0] == name], dtype=float)
            zz = zz[np.isfinite(zz)]
            if len(zz):
                print(f"  {name}: mean z {zz.mean():+.2f}, rms z {np.sqrt(np.mean(zz ** 2)):.2f}, max |z| {np.abs(zz).max():.1f}")
        worst = sorted(z_all, key=lambda r: -abs(r[4]) if np.isfinite(r[4]) else 0)[:8]
        print("worst:", "; ".join(f"{n} r0={r0:g} α={al:g} λ={l:g}: {zv:+.1f}" for n, r0, al, l, zv in worst))


if __name__ == "__main__":
    main()
