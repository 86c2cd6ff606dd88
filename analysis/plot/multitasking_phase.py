#!/usr/bin/env python3
"""Multitasking network, K = 2: phase diagram in (d, T) with Monte Carlo points.

Left: the equilibrium phase of the mean-field theory (stable solution of lowest free energy) on a
fine (d, T) grid that this script computes with `ptmc theory` (binary: $PTMC_BIN, else build/ptmc):
paramagnet, pure state, hierarchical (m_1 > m_2 > 0) and parallel (m_1 = m_2); T_c = 1 - d and the
quartic-order boundary d = 2/3 between pure and parallel ordering at T_c. Monte Carlo points are
coloured by their measured ratio m_2/m_1 (0: pure, 1: parallel); crosses are paramagnetic (m_1
below five times its 1/√N noise floor). Right: m_1 and m_2 versus T at the simulated dilutions.

usage: multitasking_phase.py MC.h5 THEORY.h5 -o out/multitasking_phase
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import load, run_theory, save  # noqa: E402

PHASES = ["paramagnet", "pure", "hierarchical", "parallel", "mixture"]
PHASE_COLOURS = ["0.85", "#9ecae1", "#fdae6b", "#a1d99b", "#bcbddc"]
COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/multitasking_phase")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = sorted(load(args.files[0]), key=lambda p: p.params["d"])
    K, N = int(mc[0].params["K"]), int(mc[0].params["N"])

    dgrid = np.round(np.arange(0.0, 0.981, 0.01), 2)
    tgrid = np.geomspace(0.005, 1.0, 110)
    fine = sorted(run_theory(stem + "-fine", "multitasking", {"N": N, "K": K, "d": dgrid}, 1.0 / tgrid[::-1]),
                  key=lambda p: p.params["d"])
    d = np.array([p.params["d"] for p in fine])
    T = fine[0].temperature
    phase = np.array([p.value("phase") for p in fine]).T  # [T, d]

    fig, (ax, axr) = plt.subplots(1, 2, figsize=(13, 5.4), gridspec_kw={"width_ratios": [1.25, 1]})
    cmap = ListedColormap(PHASE_COLOURS)
    ax.pcolormesh(d, T, phase, cmap=cmap, vmin=-0.5, vmax=4.5, shading="nearest")
    dd = np.linspace(0, 1, 100)
    ax.plot(dd, 1 - dd, "k-", lw=1, label="T_c = 1 - d")
    ax.axvline(2 / 3, color="k", ls=":", lw=0.8, label="d = 2/3 (pure vs parallel at T_c)")
    for code in sorted(set(phase.astype(int).ravel())):
        ax.fill_between([], [], [], color=PHASE_COLOURS[code], label=f"theory: {PHASES[code]}")
    noise = 1 / np.sqrt(N)
    for pt in mc:
        m1, m2 = pt.value("m_1"), pt.value("m_2")
        ordered = m1 > 5 * noise
        x = np.full(len(pt.beta), pt.params["d"])
        sc = ax.scatter(x[ordered], pt.temperature[ordered], c=(m2 / m1)[ordered], cmap="viridis", vmin=0, vmax=1,
                        s=30, edgecolors="k", linewidths=0.6, zorder=3)
        ax.scatter(x[~ordered], pt.temperature[~ordered], marker="x", c="k", s=20, zorder=3)
    cb = fig.colorbar(sc, ax=ax, pad=0.01)
    cb.set_label("Monte Carlo m_2 / m_1")
    ax.set_yscale("log")
    ax.set_ylim(0.005, 1.0)
    ax.set_xlim(0, 0.98)
    ax.set_xlabel("dilution d")
    ax.set_ylabel("temperature T")
    ax.set_title(f"K = {K}: mean-field phases, Monte Carlo N = {N} (× paramagnetic)", fontsize=10)
    ax.legend(fontsize=7, loc="lower left", framealpha=0.9)

    for k, pt in enumerate(mc):
        c = COLOURS[k % 4]
        dv = pt.params["d"]
        th = min(fine, key=lambda p: abs(p.params["d"] - dv))
        axr.plot(th.temperature, th.value("m_1"), "-", color=c, lw=1.4, label=f"d = {dv:g}: theory m_1")
        axr.plot(th.temperature, th.value("m_2"), "--", color=c, lw=1.2, label="theory m_2")
        axr.errorbar(pt.temperature, pt.value("m_1"), yerr=pt.error("m_1"), fmt="o", ms=4, color=c, capsize=2)
        axr.errorbar(pt.temperature, pt.value("m_2"), yerr=pt.error("m_2"), fmt="s", ms=3.5, mfc="white", color=c,
                     capsize=2)
    axr.set_xscale("log")
    axr.set_xlim(0.015, 1.0)
    axr.set_xlabel("temperature T")
    axr.set_ylabel("sorted amplitudes m_1 (●), m_2 (□)")
    axr.set_title(f"Monte Carlo ({mc[0].params.get('init', 'random')} start, tempering) over theory", fontsize=10)
    axr.legend(fontsize=7, ncol=2)
    axr.grid(alpha=0.3)
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
