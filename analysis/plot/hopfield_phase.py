#!/usr/bin/env python3
"""Hopfield network (P = 2 storage): (α, T) phase diagram with Monte Carlo points.

Left: RS lines from `ptmc theory` on a fine (α, T) grid (binary: $PTMC_BIN, else build/ptmc):
T_M(α), below which the retrieval state exists (AGS; it reaches T = 0 at α_c ≈ 0.138); the line
below which retrieval has the lowest free energy (T_c(α), reaching T = 0 at α ≈ 0.051); the spin-glass
line T_g = 1 + √α, where q leaves 0. Monte Carlo points (started from pattern 1 at every
temperature, no tempering) coloured by the overlap m1 = ξ^1·σ/N. Right: m1 against T at each α
with the RS retrieval branch. Without a dense_hebbian theory solver the lines are left out.

usage: hopfield_phase.py MC.h5 [THEORY.h5] -o out/hopfield_phase
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


def last_true_temperature(T, mask):
    """The highest T of the grid where mask holds, scanning down from the top (NaN if nowhere)."""
    idx = np.where(mask)[0]
    return T[idx].max() if len(idx) else np.nan


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Monte Carlo file (and its theory file, unused: lines on a fine grid)")
    ap.add_argument("-o", "--output", default="out/hopfield_phase")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = sorted(load(args.files[0]), key=lambda p: p.params["alpha"])
    N = int(mc[0].params["N"])

    fig, (ax, axr) = plt.subplots(1, 2, figsize=(12.5, 5), gridspec_kw={"width_ratios": [1.15, 1]})
    agrid = np.round(np.arange(0.0025, 0.1601, 0.0025), 4)
    tgrid = np.round(np.arange(0.02, 1.3001, 0.02), 3)
    th = None
    try:
        th = sorted(run_theory(stem + "-fine", "dense_hebbian", {"N": N, "P": 2, "alpha": agrid, "init": "archetype"},
                               1 / tgrid), key=lambda p: p.params["alpha"])
    except Exception as e:  # no solver registered yet, or it failed: draw the Monte Carlo alone
        print(f"hopfield_phase: no theory lines ({e})", file=sys.stderr)
    if th:
        a = np.array([p.params["alpha"] for p in th])
        T = 1 / th[0].beta
        TM = [last_true_temperature(T, np.isfinite(p.value("m_retrieval")) & (p.value("m_retrieval") > 1e-3)) for p in th]
        Tc = [last_true_temperature(T, p.value("phase") == 2) for p in th]
        ax.plot(a, TM, "k-", lw=1.8, label="RS T_M: retrieval state exists below")
        ax.plot(a, Tc, "k--", lw=1.2, label="RS T_c: retrieval has the lowest f below")
    ag = np.linspace(0, 0.162, 100)
    ax.plot(ag, 1 + np.sqrt(ag), color="0.45", lw=1.2, ls="-.", label="T_g = 1 + √α: spin glass below")
    for p in mc:
        alpha = float(p.params["alpha"])
        sc = ax.scatter(np.full(len(p.beta), alpha), 1 / p.beta, c=p.value("m1"), cmap="viridis", vmin=0, vmax=1,
                        s=46, edgecolors="k", linewidths=0.4, zorder=3, marker="o" if p.equilibrated else "s")
    fig.colorbar(sc, ax=ax, label="Monte Carlo m1 (from pattern 1)")
    ax.plot([], [], "s", mfc="white", mec="k", label="square: failed equilibration check")
    ax.set_xlim(0, 0.162)
    ax.set_ylim(0, 1.45)
    ax.set_xlabel("load α = K/N")
    ax.set_ylabel("temperature T")
    ax.set_title(f"Hopfield (P = 2) storage, N = {N}", fontsize=10)
    ax.legend(fontsize=7.5, loc="upper right")

    cmap = plt.get_cmap("plasma")
    for k, p in enumerate(mc):
        alpha = float(p.params["alpha"])
        c = cmap(k / max(1, len(mc) - 1) * 0.9)
        Tm = 1 / p.beta
        o = np.argsort(Tm)
        axr.errorbar(Tm[o], p.value("m1")[o], yerr=p.error("m1")[o], fmt="o", ms=3.5, capsize=2, color=c,
                     mfc=c if p.equilibrated else "white", label=f"α = {alpha:g}")
        if th:
            q = min(th, key=lambda t: abs(t.params["alpha"] - alpha))
            axr.plot(1 / q.beta, q.value("m_retrieval"), color=c, lw=1.2)
    axr.set_xlabel("temperature T")
    axr.set_ylabel("m1 (points); RS retrieval branch (lines)")
    axr.set_xlim(0, 1.2)
    axr.set_ylim(-0.02, 1.03)
    axr.legend(fontsize=7.5, ncol=2)
    for a_ in (ax, axr):
        a_.grid(alpha=0.3)
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
