#!/usr/bin/env python3
"""Dense Hebbian storage at P = 4 in the scaling K = α N³: retrieval overlap versus α at each
temperature of the run, Monte Carlo started from pattern 1, over the RS curves.

One panel per temperature: the largest |m_μ| (error bars over disorder samples) for each N, and the RS
lines from `ptmc theory` on a fine α grid (binary: $PTMC_BIN, else build/ptmc): retrieval branch
(solid; at T = 0 it ends at α ≈ 0.035, where m = erf(m³/√(12α)) loses its nonzero root) and the
equilibrium state of lowest free energy (dashed). At these N the largest |m_μ| over K ~ N³ patterns
is far from 0 even for a σ unrelated to them (dotted: its exact mean for a random σ), so retrieval
shows as a value well above that floor. Small triangles: m1 = ξ^1·σ/N, the pattern the runs start
from; at T = 0.5 and small N the state wanders from pattern to pattern (all 2K retrieval states are
equivalent), so m1 falls while the largest |m_μ| stays near 1. Without a dense_hebbian theory solver
the lines are left out.

usage: dense_p4_alpha.py MC.h5 [THEORY.h5] -o out/dense_p4_alpha
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.special import gammaln

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import errorbar, load, run_theory, save  # noqa: E402

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Monte Carlo file (and its theory file, unused: lines on a fine grid)")
    ap.add_argument("-o", "--output", default="out/dense_p4_alpha")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    P = int(mc[0].params["P"])
    betas = mc[0].beta
    sizes = sorted({int(p.params["N"]) for p in mc})

    grid = np.round(np.arange(0.001, 0.0801, 0.001), 4)
    th = None
    try:
        th = sorted(run_theory(stem + "-fine", "dense_hebbian", {"N": sizes[-1], "P": P, "alpha": grid,
                                                                 "init": "archetype"}, betas),
                    key=lambda p: p.params["alpha"])
    except Exception as e:  # no solver registered yet, or it failed: draw the Monte Carlo alone
        print(f"dense_p4_alpha: no theory lines ({e})", file=sys.stderr)

    fig, axes = plt.subplots(1, len(betas), figsize=(5.4 * len(betas), 4.5), sharey=True, squeeze=False)
    for t, beta in enumerate(betas):
        ax = axes[0][t]
        if th:
            x = np.array([p.params["alpha"] for p in th])
            tb = [int(np.argmin(np.abs(p.beta - beta))) for p in th]
            col = lambda name: np.array([p.value(name)[i] if p.has(name) else np.nan for p, i in zip(th, tb)])  # noqa: E731
            ax.plot(x, col("m_retrieval"), "k-", lw=1.6, label="RS retrieval branch")
            ax.plot(x, col("m"), "k--", lw=1.0, label="RS equilibrium (lowest f)")
        for k, N in enumerate(sizes):
            pts = sorted([p for p in mc if int(p.params["N"]) == N], key=lambda p: p.params["alpha"])
            c = COLOURS[k % 4]
            for i, p in enumerate(pts):
                a = float(p.params["alpha"])
                sub = p.at(t)
                errorbar(ax, [a], sub, "m", color=c, label=f"MC N = {N}: largest |m_μ|" if i == 0 else None)
                errorbar(ax, [a + 0.0008], sub, "m1", color=c, fmt="^", ms=3, alpha=0.45, elinewidth=0.6,
                         label="MC m1 (pattern 1, the start)" if (i == 0 and k == len(sizes) - 1) else None)
            ag = np.linspace(0.003, 0.08, 60)
            ax.plot(ag, [random_floor(N, max(1, round(x * N ** (P - 1)))) for x in ag], color=c, ls=":", lw=1,
                    label="largest |m_μ| of a random σ" if k == len(sizes) - 1 else None)
        ax.axvline(0.035, color="0.6", ls=":", lw=1)
        ax.annotate("RS α_c(T = 0) ≈ 0.035", (0.035, 0.05), xytext=(4, 0), textcoords="offset points", fontsize=8,
                    color="0.4")
        ax.set_xlabel("load α = K/N³")
        ax.set_title(f"P = {P} storage, T = {1 / beta:.3g}", fontsize=10)
        ax.grid(alpha=0.3)
        ax.set_ylim(-0.02, 1.03)
    axes[0][0].set_ylabel("retrieval overlap")
    axes[0][0].legend(fontsize=7.5, loc="lower left")
    fig.tight_layout()
    save(fig, stem)


def random_floor(N, K):
    """E max_μ |ξ^μ·σ|/N over K random patterns for a σ unrelated to them (exact binomial law)."""
    k = np.arange(N + 1)
    logp = gammaln(N + 1) - gammaln(k + 1) - gammaln(N - k + 1) - N * np.log(2)
    pk = np.exp(logp)
    a = np.abs(2 * k - N)
    vals = np.unique(a)
    cdf = np.array([pk[a <= v].sum() for v in vals])
    prev = np.concatenate([[0.0], cdf[:-1]])
    return float(np.sum(vals / N * (np.minimum(cdf, 1) ** K - prev ** K)))


if __name__ == "__main__":
    main()
