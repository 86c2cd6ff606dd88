#!/usr/bin/env python3
"""Parallel-tempering diagnostics of one sweep point: swap acceptance per neighbouring pair with the
cumulative communication barrier Λ(β) = Σ (1 − acceptance) over the pairs hotter than β (this
sample's, and the summary's barrier column over all samples), the up-walker fraction f(β) (a
straight line from 1 to 0 is optimal), the walks of the replicas through the ladder, and the energy
time series with the equilibration windows. Prints the barrier curve it draws.

usage: diagnostics.py OUT.h5 [--point P] [--sample S] -o out/diagnostics-pP
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
import ptmc  # noqa: E402
from ptmc.points import save  # noqa: E402


def barrier_curve(attempts, accepts):
    """Cumulative communication barrier Λ(β_t) = Σ_{i<t} (1 − A_i), A_i the swap acceptance of the pair
    (i, i+1); 0 at the hottest temperature, as the summary's barrier column (Syed et al. 2022)."""
    return np.concatenate([[0.0], np.cumsum(1.0 - accepts / np.maximum(attempts, 1))])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--point", type=int, default=0)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("-o", "--output", default=None)
    args = ap.parse_args()
    run = ptmc.load(args.file, compute=False)  # the stored summary only: a running file is "not judged"
    p, smp = args.point, args.sample
    beta = run.ladder(p)
    rates = run.swap_rates(p, smp)
    att, acc = rates["attempts"].to_numpy(), rates["accepts"].to_numpy()
    up = run.up_fraction(p, smp)
    walk = run.walk(p, smp)  # [n, R, T]: temperature index of each configuration
    energy = run.series("energy", p, smp)  # [rows, T]: measurements, or bins of bin_size of them
    info = run.series_info(p, smp)
    trips = run.round_trips(p, smp)
    rows = run[run.point == p]
    eq = rows["equilibrated"].iloc[0] if len(rows) and "equilibrated" in rows.columns else np.nan
    params = run.parameters(p)
    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5))
    mid = 0.5 * (beta[1:] + beta[:-1])
    ax[0, 0].plot(mid, acc / np.maximum(att, 1), "o-", label="swap acceptance of the pair")
    ax[0, 0].set(xlabel="β (pair midpoint for the acceptance)", ylabel="swap acceptance", ylim=(0, 1))
    lam = barrier_curve(att, acc)
    print(f"barrier Λ(β), sample {smp}: " + " ".join(f"{x:.12g}" for x in lam))
    lax = ax[0, 0].twinx()
    lax.plot(beta, lam, "s-", color="C3", ms=3, lw=1, label=f"barrier Λ(β), this sample: Λ = {lam[-1]:.2f}")
    if "barrier" in rows.columns and len(rows) == len(beta):  # the summary's, pooled over samples
        pooled = rows.sort_values("beta")["barrier"].to_numpy()
        lax.plot(beta, pooled, ":", color="C3", lw=1, label=f"summary's barrier, all samples: Λ = {pooled[-1]:.2f}")
    lax.set_ylabel("cumulative barrier Λ(β)", color="C3")
    lax.set_ylim(0, max(1.0, 1.05 * np.nanmax(lam)))
    h0, l0 = ax[0, 0].get_legend_handles_labels()
    h1, l1 = lax.get_legend_handles_labels()
    ax[0, 0].legend(h0 + h1, l0 + l1, fontsize=7, loc="lower right")
    idx = np.arange(len(beta))
    ax[0, 1].plot(idx, up, "o-", label="measured")
    ax[0, 1].plot([0, len(beta) - 1], [1, 0], "k--", lw=1, label="optimal: linear in the index")
    ax[0, 1].set(xlabel="temperature index (0 = hottest)", ylabel="up-walker fraction f")
    ax[0, 1].legend(fontsize=8)
    n = walk.shape[0]
    shown = min(n, 400)
    for c in range(min(2, walk.shape[2])):
        ax[1, 0].plot(np.arange(shown), walk[:shown, 0, c], lw=0.7, label=f"configuration {c}: {trips[0, c]} round trips")
    ax[1, 0].set(xlabel="measurement", ylabel="temperature index (0 = hottest)")
    ax[1, 0].legend(fontsize=7)
    for t in (0, len(beta) // 2, len(beta) - 1):
        ax[1, 1].plot(info["x"], energy[:, t], lw=0.6, label=f"β = {beta[t]:.3g}")
    rows, size = info["rows"], info["bin_size"]
    for x in (rows // 4, rows // 2):  # the check's windows: whole bins when the series is binned
        ax[1, 1].axvline(x * size, color="k", ls=":", lw=1)
    binned = f" (means of bins of {size})" if info["storage"] == "bins" else ""
    ax[1, 1].set(xlabel="measurement", ylabel=f"energy per spin{binned}\n(windows [n/4, n/2), [n/2, n) compared)")
    ax[1, 1].legend(fontsize=7)
    verdict = {1.0: "passed", 0.0: "FAILED"}.get(float(eq), "not judged")
    fig.suptitle(f"point {args.point} {params} sample {args.sample}: equilibration check {verdict}", fontsize=10)
    fig.tight_layout()
    save(fig, args.output or f"out/diagnostics-p{args.point:04d}")


if __name__ == "__main__":
    main()
