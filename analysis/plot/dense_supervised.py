#!/usr/bin/env python3
"""Supervised learning in dense Hebbian networks: overlap with the (never shown) archetype versus
the dataset entropy ρ = (1 - r²)/(M r²), Monte Carlo started from archetype 1, over the RS curves.

Left: P = 4 (K = 50 patterns, N = 1000: load K/N³ ≈ 0) at each temperature of the run (T = 0 is
zero-temperature dynamics), against erf(1/√(2ρ)) (the T = 0 low-load law for any P, M → ∞) and
the RS curves from `ptmc theory` on a fine ρ grid (binary: $PTMC_BIN, else build/ptmc; exact
binomial law of ξ̂ at this M). Right, ultra-detection at T = 0: the same K patterns with P = 2 are at
load α = K/N = 0.05, where the crosstalk of the other archetypes wipes out retrieval above a ρ at
which P = 4 still follows the low-load law. Points: m1 = ξ^1·σ/N (filled) and n̄ of the retrieved
archetype (open), error bars over disorder samples. Without a dense_hebbian theory solver the RS
lines are left out (the erf law is drawn anyway).

usage: dense_supervised.py MC.h5 [THEORY.h5] -o out/dense_supervised
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.special import erf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import column, errorbar, load, run_theory, save  # noqa: E402

COLOURS = {2: "tab:red", 4: "tab:blue"}
T_STYLE = ["-", "--", "-.", ":"]


def tlabel(beta):
    return "T = 0" if np.isinf(beta) else f"T = {1 / beta:.3g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Monte Carlo file (and its theory file, unused: lines on a fine grid)")
    ap.add_argument("-o", "--output", default="out/dense_supervised")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    p0 = mc[0].params
    N, K, M = int(p0["N"]), int(p0["K"]), int(p0["M"])
    betas = mc[0].beta
    t0 = int(np.argmax(betas))  # the lowest temperature (inf: T = 0)
    orders = sorted({int(p.params["P"]) for p in mc})

    grid = np.round(np.concatenate([np.arange(0.02, 0.5, 0.02), np.arange(0.5, 3.21, 0.05)]), 3)
    theory = {}
    for P in orders:
        try:
            pts = run_theory(f"{stem}-P{P}", "dense_hebbian", {"N": N, "P": P, "K": K, "data": "supervised", "M": M,
                                                               "rho": grid, "init": "archetype"}, betas)
            theory[P] = sorted(pts, key=lambda p: p.params["rho"])
        except Exception as e:  # no solver registered yet, or it failed: erf law and Monte Carlo only
            print(f"dense_supervised: no RS lines for P = {P} ({e})", file=sys.stderr)

    fig, (ax, axu) = plt.subplots(1, 2, figsize=(12.5, 4.8), sharey=True)
    x = np.linspace(0.02, 3.2, 300)
    for a in (ax, axu):
        a.plot(x, erf(1 / np.sqrt(2 * x)), color="0.55", lw=2.2, alpha=0.6, label="erf(1/√(2ρ)) (T = 0, low load)")

    def draw(a, P, t, style, with_nbar, label_prefix):
        c = COLOURS.get(P, "tab:green")
        if P in theory:
            th = theory[P]
            rho = np.array([p.params["rho"] for p in th])
            a.plot(rho, column(th, "m_retrieval", t), color=c, ls=style, lw=1.4, label=f"RS retrieval, {label_prefix}")
            eq = column(th, "m", t)
            if np.nanmax(np.abs(eq - np.nan_to_num(column(th, "m_retrieval", t)))) > 1e-6:
                a.plot(rho, eq, color=c, ls=":", lw=1.0, label=f"RS equilibrium (lowest f), {label_prefix}")
            if with_nbar:
                a.plot(rho, column(th, "nbar_retrieval", t), color=c, ls=style, lw=0.8, alpha=0.6,
                       label=f"RS n̄, {label_prefix}")
        pts = sorted([p for p in mc if int(p.params["P"]) == P], key=lambda p: p.params["rho"])
        rho = np.array([p.params["rho"] for p in pts])
        marker = "o" if style == "-" else "s"
        for i, p in enumerate(pts):
            errorbar(a, [rho[i]], p.at(t), "m1", fmt=marker, ms=4, color=c,
                     label=f"MC m1, {label_prefix}" if i == 0 else None)
        if with_nbar:
            a.plot(rho, column(pts, "nbar", t), marker, ms=5, mfc="none", mec=c, alpha=0.6,
                   label=f"MC n̄ (retrieved archetype), {label_prefix}")

    for k, beta in enumerate(betas[::-1]):
        t = len(betas) - 1 - k
        draw(ax, 4, t, T_STYLE[k % 4], k == 0, f"P = 4, {tlabel(beta)}")
    for P in orders:
        draw(axu, P, t0, "-", False, f"P = {P}, α = K/N^{P - 1} = {K / N ** (P - 1):.2g}")

    ax.set_title(f"supervised P = 4: K = {K}, N = {N}, M = {M} examples per archetype", fontsize=10)
    axu.set_title(f"ultra-detection at {tlabel(betas[t0])}: same K = {K}, N = {N}, M = {M}", fontsize=10)
    ax.set_ylabel("overlap with archetype 1, m1")
    for a in (ax, axu):
        a.set_xlabel("dataset entropy ρ = (1 − r²)/(M r²)")
        a.set_xlim(0, 3.2)
        a.set_ylim(-0.02, 1.03)
        a.grid(alpha=0.3)
        a.legend(fontsize=7.5, loc="upper right")
    fig.tight_layout()
    save(fig, stem)


if __name__ == "__main__":
    main()
