#!/usr/bin/env python3
"""bench/figures/flips_vs_acceptance.png: per model, attempted flips/s (one core, CPU time, median of
the repetitions) against the acceptance rate set by β (bench_acceptance), drawn against the model's
bound at that acceptance (the cost model of bench_table.py: delta + acceptance × flip, at this
machine's limits measured by bench_machine in the same run). Where a ladder benchmark's results are
given (bench/ladder.sh's JSON), its whole-process rate is drawn at the ladder's mean acceptance.

Usage: acceptance_plot.py machine.json acceptance.json OUT.png [ladder.json]"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench_table as bt  # noqa: E402

# model key in the benchmark names -> title, cost pair at acceptance a, ladder file name
MODELS = {
    "hopfield": ("dense_hebbian P = 2 (Hopfield), N = 4096, K = 256",
                 lambda a: bt.hebbian_p2(4096, 256, one_byte=a < 0.1), "hopfield"),
    "perceptron": ("binary_perceptron N = 1001, α = 1", lambda a: bt.perceptron(1001, 1001), "perceptron"),
    "sk": ("sk N = 1024", lambda a: bt.sk(1024), "sk"),
    "multitasking": ("multitasking N = 4096, K = 4, d = 0.3", lambda a: bt.multitasking(4096, 4, 4), "multitasking"),
    "curie_weiss": ("curie_weiss N = 4096", lambda a: bt.curie_weiss(4096), "curie_weiss"),
}


def bound(costs, a):
    delta, flip = costs
    return 1 / bt.Cost().scaled_add(delta, 1).scaled_add(flip, a).seconds()


def main():
    machine_json, acc_json, out = sys.argv[1:4]
    ladders = {}
    if len(sys.argv) > 4 and os.path.exists(sys.argv[4]):
        with open(sys.argv[4]) as f:
            ladders = json.load(f)
    bt.set_machine(bt.medians(machine_json))
    runs = bt.medians(acc_json)
    points = {m: [] for m in MODELS}
    lanes = {m: [] for m in MODELS}  # eight walkers in lanes (BM_lanes_*), as a run sweeps lane models
    for name, r in runs.items():
        for prefix, into in (("BM_acceptance_", points), ("BM_lanes_", lanes)):
            if name.startswith(prefix):
                model = name[len(prefix):].split("/")[0]
                if model in into:
                    into[model].append((r["acceptance"], r["flips/s"]))
    models = [m for m in MODELS if points[m]]
    print("flips/s against acceptance (one walker at fixed β, one core, CPU time, medians of 3): "
          "acceptance, attempted flips/s (% of the bound)")
    cols = 3
    rows = (len(models) + cols) // cols  # one spare panel holds the legend
    fig, axes = plt.subplots(rows, cols, figsize=(4.3 * cols, 3.6 * rows), squeeze=False)
    flat = list(axes.flat)
    grid = np.logspace(-3, np.log10(0.99), 200)
    for ax, m in zip(flat, models):
        title, costs, ladder = MODELS[m]
        pts = sorted(p for p in points[m] if p[0] > 0)
        a = np.array([p[0] for p in pts])
        rate = np.array([p[1] for p in pts])
        b = np.array([bound(costs(x), x) for x in grid])
        ax.plot(grid, b, "k-", lw=1.2, label="bound (bench_table.py)")
        ax.plot(a, rate, "o-", color="C0", ms=4, label="measured, one walker at fixed β")
        frac = rate / np.array([bound(costs(x), x) for x in a])
        print(f"{m}: " + ", ".join(f"{100 * x:.3g} % {y / 1e6:.3g} M ({100 * fr:.0f} %)" for x, y, fr in zip(a, rate, frac)))
        last = -10.0
        for x, y, fr in zip(a, rate, frac):
            if 0.001 <= x <= 0.9 and np.log10(x) - last > 0.2:
                last = np.log10(x)
                ax.annotate(f"{100 * fr:.0f}%", (x, y), textcoords="offset points", xytext=(0, -11),
                            ha="center", fontsize=6, color="C0")
        lane_pts = sorted(p for p in lanes[m] if p[0] > 0)
        if lane_pts:
            la = np.array([p[0] for p in lane_pts])
            lr = np.array([p[1] for p in lane_pts])
            ax.plot(la, lr, "s-", color="C2", ms=4, label="measured, eight walkers in lanes (a run's sweep from 1/16 accepted)")
            lfrac = lr / np.array([bound(costs(x), x) for x in la])
            print(f"{m}, in lanes: " + ", ".join(f"{100 * x:.3g} % {y / 1e6:.3g} M ({100 * fr:.0f} %)" for x, y, fr in zip(la, lr, lfrac)))
        if ladder and ladder in ladders:
            L = ladders[ladder]
            ax.plot([L["acceptance"]], [L["flips_per_cpu_second"]], "*", color="C3", ms=11,
                    label="ladder, whole process (bench/ladder.sh)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(1e-3, 1)
        ax.set_xlabel("acceptance rate")
        ax.set_title(title, fontsize=9)
        ax.grid(True, which="both", lw=0.3, alpha=0.5)
    for ax in axes[:, 0]:
        ax.set_ylabel("attempted flips/s, one core")
    handles, labels = {}, {}
    for ax in flat[:len(models)]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            handles.setdefault(lab, h)
    for ax in flat[len(models):]:
        ax.axis("off")
    flat[len(models)].legend(list(handles.values()), list(handles.keys()), fontsize=8, loc="center")
    fig.suptitle("ptmc: flips/s against acceptance (β sets it); labels: % of the bound", fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
