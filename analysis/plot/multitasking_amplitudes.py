#!/usr/bin/env python3
"""Multitasking network, K = 3: sorted Mattis amplitudes m_1 >= m_2 >= m_3 versus dilution d at low T.

Monte Carlo (points, error bars over disorder samples) over the mean-field theory on a fine d grid,
which this script computes with `ptmc theory` (binary: $PTMC_BIN, else build/ptmc): the equilibrium
state (solid), the hierarchical branch continued from the T = 0 power law (dashed), and the T = 0
amplitudes (1 - d) d^(k-1) (grey). A second panel gives the loss. The inset table lists, for
K = 2, 3, 4, the dilution where the T = 0 hierarchical state stops existing, found by the solver
(first d where its hierarchical branch leaves the power law) next to the closed form 1 - 2d + d^K = 0.

usage: multitasking_amplitudes.py MC.h5 THEORY.h5 -o out/multitasking_amplitudes
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

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]
PHASES = {0: "paramagnet", 1: "pure", 2: "hierarchical", 3: "parallel", 4: "mixture"}
PHASE_COLOURS = {0: "0.85", 1: "#c6dbef", 2: "#fdd0a2", 3: "#c7e9c0", 4: "#dadaeb"}


def hierarchical_end(stem, K):
    """(last d, first d) on a 0.001 grid around where the T = 0 hierarchical branch stops being the
    power law (1-d) d^(k-1), or None if it never does below d = 0.998."""
    grid = np.round(np.arange(0.30, 0.999, 0.001), 3)
    pts = run_theory(f"{stem}-end-K{K}", "multitasking", {"N": 100, "K": K, "d": grid}, [np.inf])
    last = None
    for pt in sorted(pts, key=lambda p: p.params["d"]):
        d = pt.params["d"]
        h = np.array([pt.value(f"hierarchical_m_{k + 1}")[0] for k in range(K)])
        if not np.allclose(h, (1 - d) * d ** np.arange(K), rtol=1e-9, atol=1e-12):
            return (last, d)
        last = d
    return None


def closed_form_end(K):
    if K <= 2:
        return None
    roots = np.roots([1] + [0] * (K - 2) + [-2, 1])  # d^K - 2d + 1
    real = [r.real for r in roots if abs(r.imag) < 1e-12 and 0.4 < r.real < 0.999]
    return min(real)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/multitasking_amplitudes")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = sorted(load(args.files[0]), key=lambda p: p.params["d"])
    K, N = int(mc[0].params["K"]), int(mc[0].params["N"])
    beta = float(mc[0].beta[0])
    dmc = np.array([p.params["d"] for p in mc])

    grid = np.round(np.arange(0.0, 0.951, 0.005), 3)
    fine = run_theory(stem + "-fine", "multitasking", {"N": N, "K": K, "d": grid}, [beta])
    fine = sorted(fine, key=lambda p: p.params["d"])
    d = np.array([p.params["d"] for p in fine])
    col = lambda name: np.array([p.value(name)[0] for p in fine])  # noqa: E731
    phase = col("phase").astype(int)

    fig, (ax, axl) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [2.2, 1]})
    # Equilibrium phase as background bands.
    start = 0
    for i in range(1, len(d) + 1):
        if i == len(d) or phase[i] != phase[start]:
            lo = d[start] - 0.0025 if start > 0 else 0
            hi = d[i - 1] + 0.0025
            ax.axvspan(lo, hi, color=PHASE_COLOURS[phase[start]], alpha=0.6, lw=0)
            if hi - lo > 0.03:
                ax.text(0.5 * (lo + hi), 1.02, PHASES[phase[start]], ha="center", va="bottom", fontsize=8,
                        transform=ax.get_xaxis_transform())
            start = i
    dz = np.linspace(0, 0.995, 400)
    for k in range(K):
        c = COLOURS[k % 4]
        ax.plot(dz, (1 - dz) * dz ** k, color="0.45", lw=0.8, ls=":",
                label="T = 0 power law (1-d)d^(k-1)" if k == 0 else None)
        ax.plot(d, col(f"m_{k + 1}"), color=c, lw=1.6, label=f"theory m_{k + 1} (equilibrium)")
        ax.plot(d, col(f"hierarchical_m_{k + 1}"), color=c, lw=1.2, ls="--",
                label="hierarchical branch" if k == 0 else None)
        ax.errorbar(dmc, [p.value(f"m_{k + 1}")[0] for p in mc], yerr=[p.error(f"m_{k + 1}")[0] for p in mc],
                    fmt="o", ms=4, capsize=2, color=c, mec="k", mew=0.5, label=f"MC m_{k + 1}")
    hb = col("hierarchical_m_1")
    branch_end = d[np.where(np.isnan(hb))[0][0]] if np.isnan(hb).any() else None

    ends = {k: hierarchical_end(stem, k) for k in (2, 3, 4)}
    rows = []
    for k in (2, 3, 4):
        cf = closed_form_end(k)
        found = f"{ends[k][0]:.3f} < d_end ≤ {ends[k][1]:.3f}" if ends[k] else "none (d → 1)"
        rows.append(f"K={k}: solver {found:<22} closed form {('%.4f' % cf) if cf else 'none'}")
    ax.text(0.985, 0.97, "T = 0 hierarchical state ends at\n" + "\n".join(rows), transform=ax.transAxes,
            ha="right", va="top", multialignment="left", fontsize=8, family="monospace",
            bbox=dict(fc="white", ec="0.6", alpha=0.9))
    if ends[K]:
        ax.axvline(ends[K][1], color="k", lw=0.8, ls=":")
        ax.annotate("T = 0 end", (ends[K][1], 0.55), fontsize=8, xytext=(4, 0), textcoords="offset points")
    if branch_end:
        ax.axvline(branch_end, color="k", lw=0.8, ls="--")
        ax.annotate(f"hierarchical branch\nends at T={1 / beta:.2f}:\nd ≈ {branch_end:.3f}", (branch_end, 0.66),
                    fontsize=8, xytext=(-4, 0), textcoords="offset points", ha="right")
    ax.set_xlim(0, 0.95)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("dilution d")
    ax.set_ylabel("sorted Mattis amplitudes m_k")
    ax.legend(fontsize=7, loc="center left", ncol=1)
    ax.set_title(f"K = {K}, N = {N}, T = {1 / beta:.3g}: hierarchical → mixture → parallel "
                 f"({mc[0].params.get('init', '')} start, {len(mc)} dilutions)", fontsize=10, pad=16)

    axl.plot(d, col("loss"), "k-", lw=1.4, label="theory (equilibrium)")
    axl.errorbar(dmc, [p.value("loss")[0] for p in mc], yerr=[p.error("loss")[0] for p in mc], fmt="o", ms=4,
                 capsize=2, color="tab:purple", label="MC")
    axl.set_xlabel("dilution d")
    axl.set_ylabel("loss (1/K) Σ_μ (1 - (m_μ/(1-d))²)")
    axl.set_xlim(0, 0.95)
    axl.legend(fontsize=8)
    for a in (ax, axl):
        a.grid(alpha=0.3)
    fig.tight_layout()
    save(fig, stem)
    print("T = 0 hierarchical end (solver, bracket on a 0.001 grid):", ends, "; branch end at this T:", branch_end)


if __name__ == "__main__":
    main()
