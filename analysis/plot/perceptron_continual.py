#!/usr/bin/env python3
"""Continual learning with a binary perceptron: the second task is sampled with a coupling -λ σ·σ_ref
to a first-task sample σ_ref. Overlaps at the coldest temperature versus λ, one colour per teacher
correlation r0: with teacher 1 (R: what is remembered), with teacher 2 (R2: what is learnt now), and
with σ_ref. Stars at λ = 0: the RS baseline (task 2 alone: R2 = R_TS(α), R = r0 R2,
R_ref = r0 R2 R_TS(α1, beta_ref)); there is no RS curve for λ > 0 (a Franz–Parisi computation).

usage: perceptron_continual.py MC.h5 THEORY.h5 -o out/perceptron_continual
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
from ptmc.points import load, match, save  # noqa: E402
from perceptron_teacher import COLOURS  # noqa: E402

PANELS = [("R", "overlap with teacher 1, R"), ("R2", "overlap with teacher 2, R2"), ("R_ref", r"overlap with $\sigma_{ref}$")]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/perceptron_continual")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc, th = load(args.files[0]), load(args.files[1])
    beta = mc[0].beta[-1]
    r0s = sorted({float(p.params["r0"]) for p in mc})
    p0 = mc[0].params

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    for k, r0 in enumerate(r0s):
        pts = sorted(match(mc, r0=r0), key=lambda p: p.params["lambda"])
        lam = np.array([p.params["lambda"] for p in pts])
        c = COLOURS[k % len(COLOURS)]
        base = match(th, r0=r0, **{"lambda": 0.0})
        for ax, (name, label) in zip(axes, PANELS):
            ax.errorbar(lam, [p.value(name)[-1] for p in pts], yerr=[p.error(name)[-1] for p in pts], fmt="o-", ms=4,
                        lw=1, capsize=2, color=c, label=f"MC, r0 = {r0:g}")
            if base and base[0].has(name):
                ax.plot([0], [base[0].value(name)[-1]], "*", ms=13, color=c, mec="k",
                        label=f"RS at λ = 0, r0 = {r0:g}")
            ax.set_ylabel(label)
    for ax in axes:
        ax.set_xlabel(r"coupling $\lambda$ (energy term $-\lambda\,\sigma\cdot\sigma_{ref}$)")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle(f"Continual learning, binary perceptron: N = {p0['N']}, α2 = {p0['alpha']:g}, α1 = {p0['alpha1']:g}, "
                 f"T = {1 / beta:.2g}, σ_ref at T_ref = {1 / float(p0['beta_ref']):.2g} (points ± 1σ over samples)")
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
