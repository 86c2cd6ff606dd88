#!/usr/bin/env python3
"""Binary perceptron, storage of random labels (κ = 0): a finite-size look at the capacity.

Left: fraction of disorder samples in which parallel tempering reached a zero-energy configuration
(any replica, any temperature, any measurement), versus α, for every N; binomial error bars. Vertical
lines: α = 0.833, where the RS entropy vanishes (the true capacity, Krauth–Mézard 1RSB), and 4/π,
where RS puts q → 1. It is a lower bound on the fraction of solvable instances (a search can miss a
solution). Middle: the RS entropy of zero-energy configurations at T = 0 and the overlap q. Right:
training error at the coldest temperature against the RS value at the same T (RS is not exact
beyond 0.833). Smooth lines from `ptmc theory` on a fine grid ($PTMC_BIN, else build/ptmc).

usage: perceptron_storage.py MC.h5 THEORY.h5 -o out/perceptron_storage
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import ptmc  # noqa: E402
from ptmc.points import column, load, save  # noqa: E402
from perceptron_teacher import COLOURS, theory  # noqa: E402


def solved_fraction(path, point):
    """(fraction, binomial error, samples) of samples whose 'solved' series is ever positive."""
    run = ptmc.load(path, compute=False)
    # solved is 0 or 1 per measurement: ever 1 at some temperature <=> its mean there is positive
    # (series_mean covers every measurement, whether the series is stored whole or as bins)
    hits = [float(np.nanmax(run.series_mean("solved", point.index, s)) > 0) for s in run.samples(point.index)]
    p, n = float(np.mean(hits)), len(hits)
    return p, np.sqrt(max(p * (1 - p), 1.0 / n) / n), n


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/perceptron_storage")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    beta = mc[0].beta[-1]
    sizes = sorted({int(p.params["N"]) for p in mc})
    kappa = float(mc[0].params.get("kappa", 0.0))

    alphas = np.round(np.arange(0.02, 1.60001, 0.02), 4)
    fine = theory(stem + "-fine", {"mode": "storage", "N": 1001, "kappa": kappa, "alpha": alphas}, [beta, np.inf])
    a = np.array([p.params["alpha"] for p in fine])
    s0, q0 = column(fine, "entropy", 1), column(fine, "q", 1)
    te = column(fine, "train_error", 0)
    alpha_s0, alpha_rs = fine[0].value("alpha_s0")[0], fine[0].value("alpha_rs")[0]

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    ax = axes[0]
    for k, n in enumerate(sizes):
        pts = sorted([p for p in mc if int(p.params["N"]) == n], key=lambda p: p.params["alpha"])
        x = np.array([p.params["alpha"] for p in pts])
        fr = np.array([solved_fraction(args.files[0], p) for p in pts])
        ax.errorbar(x, fr[:, 0], yerr=fr[:, 1], fmt="o-", ms=4, lw=1, capsize=2, color=COLOURS[k % len(COLOURS)],
                    label=f"N = {n} ({int(fr[0, 2])} samples)")
    ax.set_ylabel("fraction of samples solved")
    ax.set_ylim(-0.03, 1.05)
    ax.set_title(f"zero energy reached (PT down to T = {1 / beta:.2g})", fontsize=10)

    ax = axes[1]
    ok = np.isfinite(s0)
    ax.plot(a[ok], s0[ok], "k-", lw=1.4, label="RS entropy, T = 0")
    ax.plot(a[ok], q0[ok], "k--", lw=1.2, label="RS q, T = 0")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set_ylim(-1.2, 1.05)
    ax.set_title("Gardner–Derrida RS at T = 0", fontsize=10)

    ax = axes[2]
    ax.plot(a, te, "k-", lw=1.4, label=f"RS, T = {1 / beta:.2g}")
    for k, n in enumerate(sizes):
        pts = sorted([p for p in mc if int(p.params["N"]) == n], key=lambda p: p.params["alpha"])
        x = np.array([p.params["alpha"] for p in pts])
        ax.errorbar(x, column(pts, "train_error", -1), yerr=[p.error("train_error")[-1] for p in pts], fmt="o", ms=4,
                    capsize=2, color=COLOURS[k % len(COLOURS)], label=f"MC N = {n}")
    ax.set_ylabel("training error (fraction of violated examples)")
    ax.set_title(f"training error at T = {1 / beta:.2g}", fontsize=10)
    for ax in axes:
        ax.axvline(alpha_s0, color="tab:purple", lw=1, ls=":")
        ax.axvline(alpha_rs, color="tab:brown", lw=1, ls=":")
        ax.set_xlabel(r"load $\alpha = P/N$")
        ax.set_xlim(0, max(a[-1], 1.35))
        ax.grid(alpha=0.3)
    axes[0].plot([], [], color="tab:purple", ls=":", label=rf"RS entropy = 0: $\alpha$ = {alpha_s0:.3f}")
    axes[0].plot([], [], color="tab:brown", ls=":", label=rf"RS q → 1: $\alpha$ = 4/π = {alpha_rs:.3f}")
    for ax in axes:
        ax.legend(fontsize=8)
    fig.suptitle(f"Binary perceptron, storage (κ = {kappa:g}): parallel tempering and Gardner–Derrida RS theory")
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
