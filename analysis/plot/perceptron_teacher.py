#!/usr/bin/env python3
"""Binary perceptron, teacher–student Gibbs learning at the coldest temperature of the ladder.

Left: generalisation error ε_g = arccos(R)/π versus α for every N (filled: from the teacher overlap R;
open, largest N: measured directly on fresh test examples), over the RS theory at the same T (solid:
equilibrium; dashed: the metastable poor-generalisation branch) with the first-order transition α_c
and the spinodal α_sp (Györgyi: 1.245 and 1.49 at T = 0). Right: overlaps R (teacher) and q (two
replicas) at the same temperature against RS (q ≈ R near T = 0: the Nishimori line).
The smooth lines come from `ptmc theory` on a fine α grid this script writes next to the output
(binary: $PTMC_BIN, else build/ptmc).

usage: perceptron_teacher.py MC.h5 THEORY.h5 -o out/perceptron_teacher
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import column, load, run_theory, save  # noqa: E402

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple"]


def theory(stem, model, beta):
    """`ptmc theory` on a generated grid (ptmc.points.run_theory); its points sorted by alpha."""
    return sorted(run_theory(stem, "binary_perceptron", model, beta), key=lambda p: p.params["alpha"])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/perceptron_teacher")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    beta = mc[0].beta[-1]
    sizes = sorted({int(p.params["N"]) for p in mc})

    alphas = np.round(np.arange(0.05, 2.2001, 0.025), 4)
    fine = theory(stem + "-fine", {"mode": "teacher_student", "N": 1001, "alpha": alphas}, [beta, np.inf])
    a = np.array([p.params["alpha"] for p in fine])
    eg, eg_meta, R, R_meta, q = (column(fine, n, 0) for n in ("eg", "eg_meta", "R", "R_meta", "q"))
    alpha_c0 = fine[0].value("alpha_c")[1]
    alpha_sp0 = fine[0].value("alpha_spinodal")[1]
    # At this T: α_c where the equilibrium R jumps to 1; the spinodal where the poor branch ends. Located
    # on the coarse grid, then on a grid 50 times finer around it.
    poor_eq = R < 1
    poor_meta = (R_meta < 1) & ~poor_eq
    step = a[1] - a[0]
    lo_c, lo_sp = a[poor_eq][-1], (a[poor_meta][-1] if poor_meta.any() else a[poor_eq][-1])
    near = np.round(np.concatenate([np.linspace(lo_c, lo_c + step, 51), np.linspace(lo_sp, lo_sp + step, 51)]), 6)
    ref = theory(stem + "-fine2", {"mode": "teacher_student", "N": 1001, "alpha": np.unique(near)}, [beta])
    ra = np.array([p.params["alpha"] for p in ref])
    rR, rRm = column(ref, "R", 0), column(ref, "R_meta", 0)
    alpha_c = ra[(rR < 1) & (ra <= lo_c + step)].max() + 0.5 * step / 50
    alpha_sp = ra[((rR < 1) | (rRm < 1)) & (ra >= lo_sp)].max() + 0.5 * step / 50

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    ax = axes[0]
    ax.plot(a[poor_eq], eg[poor_eq], "k-", lw=1.4, label=f"RS equilibrium, T = {1 / beta:.2g}")
    ax.plot([alpha_c, a[-1]], [0, 0], "k-", lw=1.4)
    ax.plot([alpha_c, alpha_c], [0, eg[poor_eq][-1]], "k:", lw=1)
    ax.plot(a[poor_meta], eg_meta[poor_meta], "k--", lw=1.2, label="RS metastable (poor generalisation)")
    for x, name in ((alpha_c, r"$\alpha_c$"), (alpha_sp, r"$\alpha_{sp}$")):
        ax.axvline(x, color="0.6", lw=0.8, ls=":")
        ax.text(x, 0.005, f" {name} = {x:.3f}", rotation=90, va="bottom", ha="right", fontsize=8, color="0.35")
    for k, n in enumerate(sizes):
        pts = sorted([p for p in mc if int(p.params["N"]) == n], key=lambda p: p.params["alpha"])
        x = np.array([p.params["alpha"] for p in pts])
        c = COLOURS[k % len(COLOURS)]
        ax.errorbar(x, column(pts, "eg", -1), yerr=[p.error("eg")[-1] for p in pts], fmt="o", ms=4, capsize=2,
                    color=c, label=f"MC N = {n}")
        if n == sizes[-1] and all(p.has("eg_test") for p in pts):
            ax.errorbar(x + 0.02, column(pts, "eg_test", -1), yerr=[p.error("eg_test")[-1] for p in pts], fmt="s",
                        ms=4, mfc="none", capsize=2, color=c, label=f"MC N = {n}, test set")
    ax.set_xlabel(r"load $\alpha = P/N$")
    ax.set_ylabel(r"generalisation error $\varepsilon_g = \arccos(R)/\pi$")
    ax.set_ylim(-0.01, 0.5)
    ax.legend(fontsize=8, loc="lower left")
    ax.set_title(f"T = {1 / beta:.2g}; RS at T = 0: " + rf"$\alpha_c$ = {alpha_c0:.3f}, $\alpha_{{sp}}$ = {alpha_sp0:.3f}",
                 fontsize=10)

    ax = axes[1]
    ax.plot(a[poor_eq], R[poor_eq], "k-", lw=1.4, label="RS R (equilibrium)")
    ax.plot([alpha_c, a[-1]], [1, 1], "k-", lw=1.4)
    ax.plot(a[poor_eq], q[poor_eq], "k:", lw=1.2, label="RS q")
    ax.plot(a[poor_meta], R_meta[poor_meta], "k--", lw=1.2, label="RS R (metastable)")
    for k, n in enumerate(sizes):
        pts = sorted([p for p in mc if int(p.params["N"]) == n], key=lambda p: p.params["alpha"])
        x = np.array([p.params["alpha"] for p in pts])
        c = COLOURS[k % len(COLOURS)]
        ax.errorbar(x, column(pts, "R", -1), yerr=[p.error("R")[-1] for p in pts], fmt="o", ms=4, capsize=2, color=c,
                    label=f"MC R, N = {n}")
        ax.errorbar(x + 0.02, column(pts, "q", -1), yerr=[p.error("q")[-1] for p in pts], fmt="^", ms=4, mfc="none",
                    capsize=2, color=c, label=f"MC |q|, N = {n}")
    ax.set_xlabel(r"load $\alpha = P/N$")
    ax.set_ylabel("overlap")
    ax.set_ylim(0, 1.03)
    ax.legend(fontsize=7, ncol=2)
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.suptitle("Binary perceptron, teacher–student: parallel tempering (points ± 1σ over samples) and RS theory")
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
