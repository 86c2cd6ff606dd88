#!/usr/bin/env python3
"""Hopfield network (dense Hebbian, P = 2, storage): retrieval overlap versus load α = K/N at one low
temperature, Monte Carlo started from pattern 1, over the RS (AGS) retrieval branch.

Left: m1 = ξ^1·σ/N (the overlap with the pattern the run starts from; error bars over disorder
samples) for each N, and the RS lines from `ptmc theory` on a fine α grid (binary: $PTMC_BIN, else
build/ptmc): the retrieval branch (solid; it ends at α_c(T), 0.138 at T = 0) and the equilibrium
state of lowest free energy (dashed: above α ≈ 0.05 at low T the retrieval state is only metastable,
which is the state a run started at the pattern measures). Right: energy per spin against the RS
energy of the retrieval branch. Without a dense_hebbian theory solver the lines are left out.

usage: hopfield_alpha.py MC.h5 [THEORY.h5] -o out/hopfield_alpha
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import errorbar, load, run_theory, save  # noqa: E402

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def theory_lines(stem, params, grid, beta):
    """RS curves on a fine grid of the swept key, or None when no solver is available."""
    try:
        pts = run_theory(stem, "dense_hebbian", params, [beta])
    except Exception as e:  # no solver registered yet, or it failed: draw the Monte Carlo alone
        print(f"hopfield_alpha: no theory lines ({e})", file=sys.stderr)
        return None
    key = next(k for k, v in params.items() if isinstance(v, (list, np.ndarray)))
    pts = sorted(pts, key=lambda p: p.params[key])
    x = np.array([p.params[key] for p in pts])
    col = lambda name: np.array([p.value(name)[0] if p.has(name) else np.nan for p in pts])  # noqa: E731
    return x, col


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Monte Carlo file (and its theory file, unused: lines on a fine grid)")
    ap.add_argument("-o", "--output", default="out/hopfield_alpha")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    beta = float(mc[0].beta[0])
    sizes = sorted({int(p.params["N"]) for p in mc})

    fig, (ax, axe) = plt.subplots(1, 2, figsize=(11.5, 4.6), gridspec_kw={"width_ratios": [1.5, 1]})
    grid = np.round(np.arange(0.005, 0.2001, 0.0025), 4)
    th = theory_lines(stem + "-fine", {"N": sizes[-1], "P": 2, "alpha": grid, "init": "archetype"}, grid, beta)
    if th:
        x, col = th
        ax.plot(x, col("m_retrieval"), "k-", lw=1.6, label="RS retrieval branch (AGS)")
        ax.plot(x, col("m"), "k--", lw=1.0, label="RS equilibrium (lowest f)")
        axe.plot(x, col("energy_retrieval"), "k-", lw=1.6, label="RS retrieval branch")
        ret = col("m_retrieval")
        ok = np.where(np.isfinite(ret) & (ret > 0.5))[0]
        if len(ok):
            ac = x[ok[-1]]
            ax.axvline(ac, color="0.5", ls=":", lw=1)
            ax.annotate(f"RS α_c(T) ≈ {ac:.3f}", (ac, 0.45), xytext=(-4, 0), textcoords="offset points", fontsize=8,
                        ha="right")
    for k, N in enumerate(sizes):
        pts = sorted([p for p in mc if int(p.params["N"]) == N], key=lambda p: p.params["alpha"])
        a = np.array([p.params["alpha"] for p in pts])
        c = COLOURS[k % 4]
        for i, p in enumerate(pts):
            lab = f"MC N = {N}" if i == 0 else None
            errorbar(ax, [a[i]], p, "m1", color=c, label=lab)
            errorbar(axe, [a[i]], p, "energy", color=c, label=lab)
    ax.axvline(0.138, color="0.7", ls="-.", lw=0.8)
    ax.annotate("α_c(T = 0) = 0.138 (AGS)", (0.138, 0.93), xytext=(4, 0), textcoords="offset points", fontsize=8,
                color="0.4")
    ax.set_xlabel("load α = K/N")
    ax.set_ylabel("overlap with the initial pattern, m1")
    ax.set_ylim(-0.02, 1.03)
    ax.set_title(f"Hopfield (P = 2) storage at T = {1 / beta:.3g}, started from pattern 1", fontsize=10)
    ax.legend(fontsize=8, loc="lower left")
    axe.set_xlabel("load α = K/N")
    axe.set_ylabel("energy per spin")
    axe.legend(fontsize=8)
    for a_ in (ax, axe):
        a_.grid(alpha=0.3)
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
