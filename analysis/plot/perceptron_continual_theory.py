#!/usr/bin/env python3
"""Continual learning with a binary perceptron, Monte Carlo against the RS Franz–Parisi theory
(docs/continual_learning_theory.md): overlaps with teacher 1 (R, remembered), teacher 2 (R2, learnt)
and σ_ref (R_ref), and the replica overlap q, against λ at every temperature of the ladder; the
reference's own ref_R and ref_train_error (σ_ref's task-1 overlap and error) against the RS reference. Lines: the
RS theory on a fine λ grid (ptmc theory via ptmc.points.run_theory), dashed where its AT product > 1;
points: Monte Carlo with 1σ errors. Prints the table of MC − theory in units of the MC error.

usage: perceptron_continual_theory.py MC.h5 -o out/perceptron_continual_theory
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import load, run_theory, save  # noqa: E402

PANELS = [("R", "overlap with teacher 1, R"), ("R2", "overlap with teacher 2, R2"),
          ("R_ref", r"overlap with $\sigma_{ref}$"), ("q", "replica overlap q")]
KEYS = ("N", "alpha", "alpha1", "r0", "beta_ref", "kappa", "mode")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mc", help="Monte Carlo file of mode = continual")
    ap.add_argument("-o", "--output", default="out/perceptron_continual_theory")
    a = ap.parse_args()
    mc = load(a.mc)
    if not mc:
        sys.exit(f"{a.mc}: no points")
    groups = {}
    for p in mc:
        groups.setdefault(tuple(p.params.get(k) for k in KEYS if k != "N"), []).append(p)
    fig, axes = plt.subplots(len(groups), len(PANELS), figsize=(4 * len(PANELS), 3.2 * len(groups)), squeeze=False)
    print("group lambda beta column MC err theory (MC-theory)/err")
    for g, (key, pts) in enumerate(sorted(groups.items(), key=lambda kv: str(kv[0]))):
        pts.sort(key=lambda p: p.params["lambda"])
        lam = np.array([p.params["lambda"] for p in pts])
        beta = pts[0].beta
        params = {k: pts[0].params[k] for k in KEYS if k in pts[0].params}
        grid = np.linspace(min(lam.min(), 0.0), lam.max(), 41)
        params["lambda"] = [float(x) for x in grid]
        th = run_theory(f"{a.output}-theory-{g}", "binary_perceptron", params, list(beta))
        th.sort(key=lambda p: p.params["lambda"])
        # The exact λ of the MC points too, for the printed comparison.
        params["lambda"] = [float(x) for x in lam]
        th_at = run_theory(f"{a.output}-theory-{g}-points", "binary_perceptron", params, list(beta))
        th_at.sort(key=lambda p: p.params["lambda"])
        # The reference's own quantities (constant per sample): is σ_ref the task-1 sample the theory assumes?
        for name in ("ref_R", "ref_train_error"):
            if all(p.has(name) for p in pts):
                for k, p in enumerate(pts):
                    v, e, tv = p.value(name)[0], p.error(name)[0], th_at[k].value(name)[0]
                    print(f"{g} {lam[k]:g} ref {name} {v:.4f} {e:.4f} {tv:.4f} {(v - tv) / e:+.1f}")
        for j, (name, label) in enumerate(PANELS):
            ax = axes[g][j]
            for t, b in enumerate(beta):
                y = np.array([p.value(name)[t] for p in th])
                at = np.array([p.value("at")[t] for p in th])
                c = f"C{t}"
                ax.plot(grid, np.where(at <= 1, y, np.nan), "-", color=c, lw=1.2, label=f"β = {b:g}")
                ax.plot(grid, np.where(at > 1, y, np.nan), "--", color=c, lw=1.2)
                if all(p.has(name) for p in pts):
                    v = np.array([p.value(name)[t] for p in pts])
                    e = np.array([p.error(name)[t] for p in pts])
                    ax.errorbar(lam, v, yerr=e, fmt="o", ms=3.5, capsize=2, color=c)
                    for k, p in enumerate(th_at):
                        tv = p.value(name)[t]
                        print(f"{g} {lam[k]:g} {b:g} {name} {v[k]:.4f} {e[k]:.4f} {tv:.4f} {(v[k] - tv) / e[k]:+.1f}")
            ax.set_xlabel("coupling λ")
            ax.set_ylabel(label)
            if j == 0:
                ax.set_title(f"N = {pts[0].params.get('N')}, α = {params['alpha']:g}, α1 = {params['alpha1']:g}, "
                             f"r0 = {params['r0']:g}, β_ref = {params['beta_ref']:g}", fontsize=8, loc="left")
            if g == 0 and j == 0:
                ax.legend(fontsize=7)
    fig.tight_layout()
    save(fig, a.output)


if __name__ == "__main__":
    main()
