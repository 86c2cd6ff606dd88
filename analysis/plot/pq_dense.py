#!/usr/bin/env python3
"""Overlap distribution P(q) of the dense Hebbian network (P = 4) at a load inside the spin-glass
region: Monte Carlo for several N (averaged over disorder samples, band = standard error over
samples) at a few temperatures, with the replica-symmetric and 1RSB predictions marked: RS puts all
weight at ±q_RS; 1RSB puts weight θ at ±q0 and 1 − θ at ±q1, so ⟨|q|⟩ = θ q0 + (1 − θ) q1.

usage: pq_dense.py MC.h5 MC-theory.h5 -o out/pq_dense [--temperatures 1.0 0.6 0.45 0.3]
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import load, save  # noqa: E402

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:purple"]


def theory_marks(ax, th, t):
    """Vertical marks for RS and 1RSB at ladder index t of the theory point th."""
    if th.has("q") and np.isfinite(th.value("q")[t]):
        q = th.value("q")[t]
        for s in (-1, 1):
            ax.axvline(s * q, color="k", ls="--", lw=1.0, label="RS ±q" if s > 0 else None)
    if th.has("q1_1rsb"):
        q0, q1, theta = th.value("q0_1rsb")[t], th.value("q1_1rsb")[t], th.value("theta_1rsb")[t]
        if np.isfinite(theta):
            for s in (-1, 1):
                ax.axvline(s * q1, color="tab:red", lw=1.4, label=f"1RSB ±q1 (weight 1−θ = {1 - theta:.2f})" if s > 0 else None)
            ax.axvline(q0, color="tab:red", ls=":", lw=1.4, label=f"1RSB q0 = {q0:.2f} (weight θ = {theta:.2f})")
            ax.axvline(-q0, color="tab:red", ls=":", lw=1.4)
            mean = theta * q0 + (1 - theta) * q1
            ax.plot([mean], [0], marker="^", ms=9, color="tab:red", clip_on=False, label=f"1RSB ⟨|q|⟩ = {mean:.2f}")
        elif th.has("q") and np.isfinite(th.value("q")[t]):
            ax.plot([th.value("q")[t]], [0], marker="^", ms=9, color="k", clip_on=False, label="RS ⟨|q|⟩ (1RSB = RS)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/pq_dense")
    ap.add_argument("--temperatures", type=float, nargs="+", default=[1.0, 0.6, 0.45, 0.3])
    args = ap.parse_args()
    data = sorted(load(args.files[0]), key=lambda p: p.params["N"])
    theory = load(args.files[1])
    if not data or not data[0].has("pq"):
        sys.exit("pq_dense: no P(q) in the Monte Carlo file (needs replicas >= 2)")
    th = theory[0]
    temps = data[0].temperature
    picks = []
    for target in args.temperatures:
        t = int(np.argmin(np.abs(temps - target)))
        if t not in picks:
            picks.append(t)
    fig, axes = plt.subplots(1, len(picks), figsize=(3.6 * len(picks), 3.4), sharey=True)
    axes = np.atleast_1d(axes)
    for ax, t in zip(axes, picks):
        for k, pt in enumerate(data):
            q, pq, err = pt.value("pq_q"), pt.value("pq")[t], pt.error("pq")
            e = err[t] if err is not None else np.zeros_like(pq)
            c = COLOURS[k % len(COLOURS)]
            ax.plot(q, pq, color=c, lw=1.2, label=f"MC N = {pt.params['N']} (K = {pt.params.get('K')})")
            ax.fill_between(q, pq - e, pq + e, color=c, alpha=0.25, lw=0)
            if pt.has("q"):  # MC ⟨|q|⟩ as a tick under the axis
                ax.plot([pt.value("q")[t]], [0], marker="v", ms=6, color=c, clip_on=False)
        theory_marks(ax, th, t)
        ax.set_title(f"T = {temps[t]:.3g}")
        ax.set_xlabel("q  (▼ MC ⟨|q|⟩, ▲ theory ⟨|q|⟩)")
        ax.set_xlim(-1.02, 1.02)
        ax.legend(fontsize=6, loc="upper center", framealpha=0.85)
    # The peaks at ±q1 are tall next to the weight at q0 = 0: a square-root axis shows both.
    top = max(float(np.nanmax(pt.value("pq")[t])) for pt in data for t in picks)
    for ax in axes:
        ax.set_yscale("function", functions=(lambda y: np.sqrt(np.clip(y, 0, None)), np.square))
        ax.set_ylim(0, 1.6 * top)
    p = data[0].params
    axes[0].set_ylabel("P(q)  (square-root axis)")
    fig.suptitle(f"Dense Hebbian network, P = {p.get('P')}, α = {float(p.get('alpha')):.3g}: replica overlap distribution",
                 fontsize=10)
    fig.tight_layout()
    save(fig, args.output)


if __name__ == "__main__":
    main()
