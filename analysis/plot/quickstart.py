#!/usr/bin/env python3
"""Quick-start figure: Monte Carlo points with error bars over the exact (Curie–Weiss, finite N)
and replica-symmetric (SK) curves: magnetisation, energy and replica overlap versus temperature.

usage: quickstart.py CW.h5 CW-theory.h5 [SK.h5 SK-theory.h5] -o out/quickstart.png
"""
import argparse
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import errorbar, load, match  # noqa: E402

COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red"]


def mc(ax, pt, name, colour, label):
    errorbar(ax, pt.temperature, pt, name, color=colour, label=label)


def line(ax, pt, name, colour, style="-", label=None):
    if pt.has(name):
        ax.plot(pt.temperature, pt.value(name), style, color=colour, lw=1.2, label=label)


def cw_row(axes, data, theory):
    for k, pt in enumerate(data):
        n, c = pt.params["N"], COLOURS[k % 4]
        th = match(theory, N=n)[0]
        mc(axes[0], pt, "m", c, f"MC N={n}")
        line(axes[0], th, "m", c, label=f"exact N={n}")
        mc(axes[1], pt, "energy", c, f"MC N={n}")
        line(axes[1], th, "energy", c)
        mc(axes[2], pt, "q2", c, f"MC N={n}")
        line(axes[2], th, "q2", c)
    th = theory[0]
    line(axes[0], th, "m_inf", "k", "--", "N → ∞")
    line(axes[1], th, "energy_inf", "k", "--")
    axes[0].set_ylabel("Curie–Weiss\n⟨|m|⟩")
    axes[1].set_ylabel("energy per spin")
    axes[2].set_ylabel("⟨q²⟩")
    axes[0].legend(fontsize=7)


def sk_row(axes, data, theory):
    for k, pt in enumerate(data):
        n, c = pt.params["N"], COLOURS[k % 4]
        th = match(theory, N=n)[0]
        mc(axes[0], pt, "q", c, f"MC ⟨|q|⟩ N={n}")
        mc(axes[1], pt, "energy", c, f"MC N={n}")
        keep = th.beta < 0.85  # the 1/N term diverges at T = 1; draw it where it is small
        axes[1].plot(th.temperature[keep], th.value("energy_finite_n")[keep], ":", color=c, lw=1.2,
                     label=f"T>1 with 1/N term, N={n}")
        mc(axes[2], pt, "q2", c, f"MC N={n}")
    th = theory[0]
    line(axes[0], th, "q", "k", "--", "RS q_EA (N → ∞)")
    line(axes[1], th, "energy", "k", "--", "RS (N → ∞)")
    line(axes[2], th, "q2", "k", "--", "RS q_EA²")
    axes[0].set_ylabel("Sherrington–Kirkpatrick\n⟨|q|⟩")
    axes[1].set_ylabel("energy per spin")
    axes[2].set_ylabel("⟨q²⟩")
    for ax in axes:
        ax.legend(fontsize=7)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Monte Carlo and theory files, in pairs: CW first, then SK")
    ap.add_argument("-o", "--output", default="out/quickstart.png")
    args = ap.parse_args()
    if len(args.files) not in (2, 4):
        ap.error("give CW.h5 CW-theory.h5 and optionally SK.h5 SK-theory.h5")
    rows = len(args.files) // 2
    fig, axes = plt.subplots(rows, 3, figsize=(13, 3.6 * rows), squeeze=False)
    cw_row(axes[0], load(args.files[0]), load(args.files[1]))
    if rows == 2:
        sk_row(axes[1], load(args.files[2]), load(args.files[3]))
    for ax in axes[-1]:
        ax.set_xlabel("temperature T")
    for ax in axes.flat:
        ax.grid(alpha=0.3)
    fig.suptitle("ptmc quick start: parallel tempering, 2 replicas per temperature (points: Monte Carlo ± 1σ)")
    fig.tight_layout()
    out = args.output
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    fig.savefig(out, dpi=120)
    if out.endswith(".png"):
        fig.savefig(out[:-4] + ".pdf")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
