#!/usr/bin/env python3
"""Table of bench/ladder.sh. `--task OUT.h5` prints one line about the run's task (attempted flips,
seconds, sweep_seconds, mean acceptance over the ladder); `RESULTS` reads ladder.sh's file (a line
`name repeat length wall user sys path` followed by the task line, per run) and prints the table:
marginal attempted flips/s between the two lengths per CPU second and per wall second, and the
share of wall time outside sweeps (marginal and over the whole long task), medians over repeats;
with a second argument, also as JSON into that file."""
import statistics
import sys


def task_line(path):
    import os
    import numpy as np
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
    import ptmc
    run = ptmc.load(path)
    s = run.sample_attrs(0, 0)
    walkers = int(np.prod(run.round_trips(0, 0).shape))
    flips = int(s["sweeps"]) * int(run.parameters(0)["N"]) * walkers
    acc = float(np.mean(run.series("acceptance", 0, 0)))
    print(f"task {flips} {s['seconds']} {s['sweep_seconds']} {acc}")


def table(path, json_out=None):
    runs = {}  # name -> {repeat -> {length: (wall, cpu, flips, seconds, sweep_seconds, acc)}}
    order = []
    with open(path) as f:
        lines = [l.split() for l in f if l.strip()]
    for head, task in zip(lines[0::2], lines[1::2]):
        name, rep, length = head[0], int(head[1]), int(head[2])
        wall, user, sys_ = map(float, head[3:6])
        flips, sec, sweep_sec, acc = int(task[1]), float(task[2]), float(task[3]), float(task[4])
        if name not in runs:
            order.append(name)
        runs.setdefault(name, {}).setdefault(rep, {})[length] = (wall, user + sys_, flips, sec, sweep_sec, acc)
    summary = {}
    print("| ladder | mean acceptance | flips/s (CPU) | flips/s (wall) | outside sweeps, marginal | outside sweeps, whole task | repeats |")
    print("|---|---|---|---|---|---|---|")
    for name in order:
        cpu_rate, wall_rate, out_marg, out_task, accs = [], [], [], [], []
        for rep, by_len in runs[name].items():
            if len(by_len) != 2:
                continue
            (s, l) = sorted(by_len)
            a, b = by_len[s], by_len[l]
            df = b[2] - a[2]
            cpu_rate.append(df / (b[1] - a[1]))
            wall_rate.append(df / (b[0] - a[0]))
            out_marg.append(1 - (b[4] - a[4]) / (b[3] - a[3]))
            out_task.append(1 - b[4] / b[3])
            accs.append(b[5])
        med = statistics.median
        summary[name] = {"acceptance": med(accs), "flips_per_cpu_second": med(cpu_rate),
                         "flips_per_wall_second": med(wall_rate), "outside_sweeps_marginal": med(out_marg),
                         "outside_sweeps_task": med(out_task), "repeats": len(cpu_rate)}
        print(f"| {name} | {100 * med(accs):.1f} % | {med(cpu_rate) / 1e6:.1f} M | {med(wall_rate) / 1e6:.1f} M "
              f"| {100 * med(out_marg):.2f} % | {100 * med(out_task):.2f} % | {len(cpu_rate)} |")
    if json_out:
        import json
        with open(json_out, "w") as f:
            json.dump(summary, f, indent=1)


if __name__ == "__main__":
    if sys.argv[1] == "--task":
        task_line(sys.argv[2])
    else:
        table(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
