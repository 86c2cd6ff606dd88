#!/usr/bin/env python3
"""Multitasking network learning from examples: sorted archetype amplitudes m_k versus dilution d,
supervised against unsupervised, at one (M, r) and one low temperature.

Monte Carlo (filled: supervised, open: unsupervised; error bars over disorder samples) over the
low-storage mean-field theory, which is one and the same for both protocols (analysis/
mf_multitasking.cpp): equilibrium (solid), hierarchical branch (dashed), computed on a fine d grid
with `ptmc theory` (binary: $PTMC_BIN, else build/ptmc), for each protocol (unsupervised: dotted,
with its extra stability check off the example-symmetric subspace); the storage theory (no examples)
in grey for reference. Vertical lines: where the hierarchical branch ends and where the equilibrium leaves
it, with learning, and the same for storage. Right: the loss of both protocols.

usage: multitasking_learning.py MC.h5 THEORY.h5 -o out/multitasking_learning
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import load, match, run_theory, save  # noqa: E402

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def thresholds(pts):
    """(d where the hierarchical branch ends, d where the equilibrium stops being hierarchical)."""
    d = np.array([p.params["d"] for p in pts])
    hb = np.array([p.value("hierarchical_m_1")[0] for p in pts])
    ph = np.array([p.value("phase")[0] for p in pts])
    gone = np.where(np.isnan(hb) & (d > 0.1))[0]
    leave = np.where((ph != 2) & (d > 0.1))[0]
    return (d[gone[0]] if len(gone) else None), (d[leave[0]] if len(leave) else None)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/multitasking_learning")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    p0 = mc[0].params
    K, N, M, r = int(p0["K"]), int(p0["N"]), int(p0["M"]), float(p0["r"])
    beta = float(mc[0].beta[0])
    rho = (1 - r * r) / (M * r * r)

    grid = np.round(np.arange(0.0, 0.931, 0.01), 2)
    by_d = lambda pts: sorted(pts, key=lambda p: p.params["d"])  # noqa: E731
    learn = by_d(run_theory(stem + "-fine", "multitasking", {"N": N, "K": K, "d": grid, "data": "supervised", "M": M,
                                                             "r": r}, [beta]))
    unsup = by_d(run_theory(stem + "-unsupervised", "multitasking", {"N": N, "K": K, "d": grid, "data": "unsupervised",
                                                                    "M": M, "r": r}, [beta]))
    store = by_d(run_theory(stem + "-storage", "multitasking", {"N": N, "K": K, "d": grid}, [beta]))
    d = np.array([p.params["d"] for p in learn])
    col = lambda pts, name: np.array([p.value(name)[0] for p in pts])  # noqa: E731

    fig, (ax, axl) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [2.2, 1]})
    for k in range(K):
        c = COLOURS[k % 4]
        ax.plot(d, col(store, f"m_{k + 1}"), color="0.6", lw=0.9,
                label="storage theory (no examples)" if k == 0 else None)
        ax.plot(d, col(learn, f"m_{k + 1}"), color=c, lw=1.6, label=f"theory m_{k + 1} (either protocol)")
        ax.plot(d, col(learn, f"hierarchical_m_{k + 1}"), color=c, lw=1.2, ls="--",
                label="hierarchical branch" if k == 0 else None)
        ax.plot(d, col(unsup, f"m_{k + 1}"), color="k", lw=0.8, ls=(0, (1, 3)),
                label="unsupervised theory (stability off the\nexample-symmetric subspace checked)" if k == 0 else None)
    styles = {"supervised": dict(fmt="o", mfc=None), "unsupervised": dict(fmt="s", mfc="white")}
    for mode, st in styles.items():
        pts = sorted(match(mc, data=mode), key=lambda p: p.params["d"])
        dm = np.array([p.params["d"] for p in pts])
        shift = -0.004 if mode == "supervised" else 0.004
        for k in range(K):
            c = COLOURS[k % 4]
            kw = dict(fmt=st["fmt"], ms=4.5, capsize=2, color=c, mec=c, mew=1.0)
            if st["mfc"]:
                kw["mfc"] = st["mfc"]
            ax.errorbar(dm + shift, [p.value(f"m_{k + 1}")[0] for p in pts],
                        yerr=[p.error(f"m_{k + 1}")[0] for p in pts], label=f"MC {mode}" if k == 0 else None, **kw)
        axl.errorbar(dm + shift, [p.value("loss")[0] for p in pts], yerr=[p.error("loss")[0] for p in pts],
                     color="k", ms=4.5, capsize=2, fmt=st["fmt"], mfc=st["mfc"] or "k", label=f"MC {mode}")
    end_l, leave_l = thresholds(learn)
    end_u, leave_u = thresholds(unsup)
    ex_min = np.nanmin(col(unsup, "example_hessian"))
    end_s, leave_s = thresholds(store)
    for x, ls, text in ((end_l, "--", "branch end"), (leave_l, "-.", "equilibrium leaves")):
        if x is not None:
            ax.axvline(x, color="k", ls=ls, lw=0.8)
            ax.annotate(f"{text}\nd ≈ {x:.2f}", (x, 0.72 if ls == "--" else 0.8), fontsize=8,
                        xytext=(4, 0), textcoords="offset points")
    for x in (end_s, leave_s):
        if x is not None:
            ax.axvline(x, color="0.6", ls=":", lw=0.8)
    ax.text(0.99, 0.985,
            f"hierarchical, supervised:   branch ends at d ≈ {end_l}, equilibrium leaves at d ≈ {leave_l}\n"
            f"hierarchical, unsupervised: branch ends at d ≈ {end_u}, equilibrium leaves at d ≈ {leave_u}"
            f" (min example-Hessian {ex_min:.2f} > 0)\n"
            f"hierarchical, storage:      branch ends at d ≈ {end_s}, equilibrium leaves at d ≈ {leave_s}"
            " (grey dotted)",
            transform=ax.transAxes, ha="right", va="top", multialignment="left", fontsize=7, family="monospace",
            bbox=dict(fc="white", ec="0.6", alpha=0.9))
    ax.set_xlim(0, 0.93)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("dilution d")
    ax.set_ylabel("sorted archetype amplitudes m_k")
    ax.set_title(f"K = {K}, N = {N}, T = {1 / beta:.3g}, M = {M} examples of quality r = {r:g} (ρ = {rho:.3f}): "
                 "supervised and unsupervised share the theory and its thresholds", fontsize=9.5)
    ax.legend(fontsize=7, loc="center left")
    axl.plot(d, col(learn, "loss"), "k-", lw=1.4, label="theory (either protocol)")
    axl.plot(d, col(store, "loss"), color="0.6", lw=0.9, label="storage theory")
    axl.set_xlabel("dilution d")
    axl.set_ylabel("loss (1/K) Σ_μ (1 - (m_μ/(1-d))²)")
    axl.set_xlim(0, 0.93)
    axl.legend(fontsize=8)
    for a in (ax, axl):
        a.grid(alpha=0.3)
    fig.tight_layout()
    save(fig, stem)
    print(f"supervised: branch end {end_l}, equilibrium leaves {leave_l}; unsupervised: {end_u}, {leave_u} "
          f"(min example Hessian {ex_min:.3f}); storage: {end_s}, {leave_s}")


if __name__ == "__main__":
    main()
