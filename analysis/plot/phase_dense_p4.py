#!/usr/bin/env python3
"""(α, T) phase diagram of the dense Hebbian network at P = 4 (storage, K = α N³ patterns).

Lines from `ptmc theory` on a fine grid (ptmc.points.run_theory, two processes; a few minutes):
  RS retrieval        — the replica-symmetric retrieval state exists to the left of/below it;
  AT                  — the RS retrieval state is unstable (λ_AT > 1) below it;
  1RSB retrieval      — the 1RSB retrieval state exists to the left of/below it (= RS above AT);
  1RSB retrieval = SG — to the left of it retrieval has a lower 1RSB free energy than the spin glass;
  1RSB spin glass T_s — static transition of the m = 0 state (θ = 1, q1 jumps from 0).
Monte Carlo points (every temperature and load; marker per N): each temperature an independent run
started at pattern 1; left coloured by the overlap m1 with that pattern, right by the width of the
replica-overlap distribution, std|q| = √(⟨q²⟩ − ⟨|q|⟩²). Small N shifts everything: the energy of
a stored pattern is −(1/2)(1 − 1/N)(1 − 2/N)(1 − 3/N), −0.33 at N = 16 instead of −1/2.

usage: phase_dense_p4.py MC.h5 MC-theory.h5 -o out/phase_dense_p4 [--grid-alpha 24] [--grid-t 36]
"""
import argparse
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import load, run_theory, save  # noqa: E402

MARKERS = ["o", "s", "D", "^"]


def grid_theory(stem, P, n, alphas, temps):
    """Runs the theory on alphas × temps in two halves in parallel; returns fields [alpha][T]."""
    beta = 1.0 / np.asarray(temps)
    halves = [alphas[0::2], alphas[1::2]]
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(run_theory, f"{stem}-{k}", "dense_hebbian", {"P": P, "N": n, "alpha": list(h)}, beta)
                for k, h in enumerate(halves)]
        points = [p for j in jobs for p in j.result()]
    points.sort(key=lambda p: float(p.params["alpha"]))
    a = np.array([float(p.params["alpha"]) for p in points])
    order = np.argsort(points[0].temperature)
    T = points[0].temperature[order]
    fields = {}
    for name in points[0].columns:
        if name.endswith("_err") or np.ndim(points[0].value(name)) != 1:
            continue
        fields[name] = np.array([p.value(name)[order] for p in points])
    return a, T, fields


def draw_lines(ax, a, T, F):
    A, TT = np.meshgrid(a, T, indexing="ij")
    handles = []

    def exists(name):  # 1 where the branch exists (a finite value), 0 elsewhere
        return np.where(np.isfinite(F[name]), 1.0, 0.0) if name in F else None

    def contour(z, level, colour, style, label):
        if z is None or not np.any(np.isfinite(z)) or np.nanmin(z) > level or np.nanmax(z) < level:
            return
        ax.contour(A, TT, z, levels=[level], colors=colour, linestyles=style, linewidths=1.6)
        handles.append(plt.Line2D([], [], color=colour, ls=style, lw=1.6, label=label))

    contour(exists("m_retrieval"), 0.5, "k", "-", "RS retrieval")
    if "at_lambda_retrieval" in F:
        lam = np.where(np.isfinite(F["at_lambda_retrieval"]), F["at_lambda_retrieval"], np.nan)
        contour(np.log(np.clip(lam, 1e-12, 1e12)), 0.0, "tab:blue", "--", "AT: RS retrieval unstable below")
    contour(exists("m_retrieval_1rsb"), 0.5, "tab:red", "-", "1RSB retrieval")
    if "f_retrieval_1rsb" in F:
        contour(F["f_retrieval_1rsb"] - F["f_sg_1rsb"], 0.0, "tab:red", ":", "1RSB retrieval = spin glass")
    if "q1_sg_1rsb" in F:
        contour(F["q1_sg_1rsb"], 0.5, "tab:purple", "-.", "1RSB spin glass T_s")
    return handles


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs=2, help="Monte Carlo file and its theory file")
    ap.add_argument("-o", "--output", default="out/phase_dense_p4")
    ap.add_argument("--grid-alpha", type=int, default=24)
    ap.add_argument("--grid-t", type=int, default=48)
    args = ap.parse_args()
    data = load(args.files[0])
    P = int(data[0].params.get("P", 4))
    a_max = max(0.06, 1.15 * max(float(p.params["alpha"]) for p in data))
    # Uniform grid plus a finer band around the retrieval capacity (RS 0.033, 1RSB 0.038 at T = 0).
    alphas = np.union1d(np.linspace(a_max / args.grid_alpha, a_max, args.grid_alpha), np.linspace(0.028, 0.042, 15))
    t_max = max(1.1, 1.05 * max(float(np.max(p.temperature[np.isfinite(p.temperature)])) for p in data))
    temps = np.linspace(t_max / args.grid_t, t_max, args.grid_t)
    a, T, F = grid_theory(args.output + "-grid", P, int(data[0].params["N"]), alphas, temps)

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.4), sharey=True)
    sizes = sorted({int(p.params["N"]) for p in data})
    for ax, what in zip(axes, ("m", "width")):
        handles = draw_lines(ax, a, T, F)
        sc = None
        for p in data:
            n = int(p.params["N"])
            shift = (sizes.index(n) - 0.5 * (len(sizes) - 1)) * 0.0021  # side by side per N
            x = np.full(len(p.beta), float(p.params["alpha"]) + shift)
            if what == "m":
                c, vmax, label = p.value("m1") if p.has("m1") else p.value("m"), 1.0, "MC overlap m1 with the starting pattern"
            else:
                c = np.sqrt(np.clip(p.value("q2") - p.value("q") ** 2, 0, None))
                vmax, label = 0.35, "MC width of P(q): std |q|"
            sc = ax.scatter(x, p.temperature, c=c, vmin=0, vmax=vmax, cmap="viridis", s=13,
                            marker=MARKERS[sizes.index(n) % len(MARKERS)], edgecolors="k", linewidths=0.3)
        if sc is not None:
            fig.colorbar(sc, ax=ax, label=label)
        for k, n in enumerate(sizes):
            handles.append(plt.Line2D([], [], marker=MARKERS[k % len(MARKERS)], ls="", color="grey", label=f"MC N = {n}"))
        ax.set_xlabel("load α = K / N³")
        ax.set_xlim(0, a_max)
        ax.set_ylim(0, t_max)
    axes[0].set_ylabel("temperature T")
    fig.suptitle(f"Dense Hebbian network, P = {P}: RS, AT and 1RSB lines with Monte Carlo", fontsize=10)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.legend(handles=handles, fontsize=7.5, loc="lower center", ncol=4, frameon=False)
    save(fig, args.output)


if __name__ == "__main__":
    main()
