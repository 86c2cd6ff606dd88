#!/usr/bin/env python3
"""Dense Hebbian networks learning Fashion-MNIST (runs/fashion_learning.toml): supervised couplings
from M binarised images per class, each walker started from a held-out test image (init = "test"),
relaxed at temperature T and classified by its largest archetype overlap.

Left: classification accuracy (observable `correct`) against M for P = 2 and P = 4, error bars over
disorder samples (each sample draws its own M examples per class). Middle: the overlap m_class of
the relaxed state with the empirical archetype of the test image's class (the sign of the mean of
all that class's training images), against the T = 0 low-load law for random examples of the same
quality, erf(1/√(2ρ)) with ρ = (1 - r²)/(M r²) at the data set's measured r (the run's root
attribute). Right: a panel of the class archetypes, test images and the states they relax to at
T = 0 under the same couplings (M = the panel's M, P = 4, a numpy replay of zero-temperature
single-flip dynamics on the supervised energy -Σ_μ (ξ̂^μ·σ)^P; ptmc's walkers do the same and do not
store their configurations).

Thin lines: `ptmc theory` of the same file, the random-data RS retrieval overlap at the measured r.

usage: fashion_learning.py MC.h5 [THEORY.h5] -o out/fashion_learning
"""
import argparse
import gzip
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.special import erf

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from ptmc.points import column, column_error, load, save  # noqa: E402

COLOURS = {2: "tab:red", 4: "tab:blue"}
NAMES = ["T-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]


def tlabel(beta):
    return "T = 0" if np.isinf(beta) else f"T = {1 / beta:.3g}"


def read_idx(path):
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    nd = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * k:8 + 4 * k], "big") for k in range(nd)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * nd).reshape(dims).astype(float)


def binarise(images, p, lo, hi):
    """models/data_set.cpp's preprocessing: crop, pool (average), then threshold or median."""
    c, b = int(p.get("crop", 0)), int(p.get("pool", 1))
    x = images[:, c:images.shape[1] - c, c:images.shape[2] - c]
    R, C = x.shape[1] // b, x.shape[2] // b
    x = x[:, :R * b, :C * b].reshape(len(x), R, b, C, b).mean(axis=(2, 4)).reshape(len(x), -1)
    if p.get("binarise", "threshold") == "median":
        cut = np.sort(x, axis=1)[:, (x.shape[1] - 1) // 2][:, None]
    else:
        cut = lo + float(p.get("threshold", 0.5)) * (hi - lo)
    return np.where(x > cut, 1, -1).astype(np.int64), (R, C)


def relax(sigma, xihat, P, sweeps=10):
    """Zero-temperature single-flip dynamics on E = -Σ_μ (ξ̂^μ·σ)^P, sites in order."""
    s = sigma.copy()
    n = xihat @ s
    for _ in range(sweeps):
        moved = False
        for i in range(len(s)):
            new = n - 2 * xihat[:, i] * s[i]
            if np.sum(new.astype(float) ** P) > np.sum(n.astype(float) ** P):
                s[i] = -s[i]
                n = new
                moved = True
        if not moved:
            break
    return s


def panel(fig, spec, p0, rng):
    train, test = read_idx(p0["examples_file"]), read_idx(p0["test_file"])
    ytrain, ytest = read_idx(p0["labels_file"]).astype(int), read_idx(p0["test_labels_file"]).astype(int)
    lo, hi = train.min(), train.max()
    classes = [int(c) for c in str(p0.get("classes", "")).split(",") if c.strip()] or list(range(int(p0["K"])))
    eta, shape = binarise(train, p0, lo, hi)
    teta, _ = binarise(test, p0, lo, hi)
    M, P = 100, 4
    xi, xihat = [], []
    for c in classes:
        members = np.flatnonzero(ytrain == c)
        xi.append(np.where(eta[members].sum(0) >= 0, 1, -1))
        xihat.append(eta[rng.choice(members, M, replace=False)].sum(0))
    xi, xihat = np.array(xi), np.array(xihat)
    shown = classes[:6]
    grid = spec.subgridspec(3, len(shown), hspace=0.08, wspace=0.05)
    for j, c in enumerate(shown):
        t = rng.choice(np.flatnonzero(ytest == c))
        start = teta[t]
        end = relax(start, xihat, P)
        guess = classes[int(np.argmax(xi @ end))]
        for row, (img, title) in enumerate([(xi[j], NAMES[c] if c < 10 else str(c)), (start, "test image"),
                                             (end, f"relaxed: {NAMES[guess] if guess < 10 else guess}")]):
            ax = fig.add_subplot(grid[row, j])
            ax.imshow(img.reshape(shape), cmap="gray_r", vmin=-1, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(title, fontsize=7, color="black" if row < 2 or guess == c else "tab:red")
            if j == 0:
                ax.set_ylabel(["archetype", "start", f"T = 0, P = {P}\nM = {M}"][row], fontsize=7)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="Monte Carlo file, then (optional) its theory file")
    ap.add_argument("-o", "--output", default="out/fashion_learning")
    args = ap.parse_args()
    stem = args.output[:-4] if args.output.endswith(".png") else args.output
    mc = load(args.files[0])
    p0 = mc[0].params
    betas = mc[0].beta
    orders = sorted({int(p.params["P"]) for p in mc})
    fig = plt.figure(figsize=(16, 4.8))
    outer = fig.add_gridspec(1, 3, width_ratios=[1, 1, 1.5], wspace=0.28)
    acc, ov = fig.add_subplot(outer[0]), fig.add_subplot(outer[1])
    styles = ["-", "--", ":", "-."]
    for P in orders:
        pts = sorted([p for p in mc if int(p.params["P"]) == P], key=lambda p: p.params["M"])
        M = np.array([p.params["M"] for p in pts], dtype=float)
        for t, beta in enumerate(betas):
            kw = dict(color=COLOURS.get(P, "tab:green"), ls=styles[t % 4], marker="o", ms=3.5, capsize=2)
            acc.errorbar(M, column(pts, "correct", t), yerr=column_error(pts, "correct", t),
                         label=f"P = {P}, {tlabel(beta)}", **kw)
            ov.errorbar(M, column(pts, "m_class", t), yerr=column_error(pts, "m_class", t),
                        label=f"P = {P}, {tlabel(beta)}", **kw)
    r = float(p0["r"])
    x = np.logspace(0, np.log10(max(p.params["M"] for p in mc)), 100)
    ov.plot(x, erf(1 / np.sqrt(2 * (1 - r * r) / (x * r * r))), color="0.5", lw=2, alpha=0.6,
            label=f"erf(1/√(2ρ)), random examples, r = {r:.3f}")
    if len(args.files) > 1:  # ptmc theory of the same file: random-data RS retrieval at the measured r
        th = load(args.files[1])
        for P in orders:
            pts = sorted([p for p in th if int(p.params["P"]) == P], key=lambda p: p.params["M"])
            M = np.array([p.params["M"] for p in pts], dtype=float)
            for t, beta in enumerate(th[0].beta):
                ov.plot(M, column(pts, "m_retrieval", t), color=COLOURS.get(P, "tab:green"), lw=0.9,
                        ls=styles[t % 4], alpha=0.5, label=f"RS (random data, same r), P = {P}, {tlabel(beta)}")
    K = int(p0["K"])
    acc.axhline(1 / K, color="0.6", lw=0.8, ls=":", label=f"chance (1/{K})")
    for a, name in ((acc, "classification accuracy"), (ov, "overlap with the class archetype")):
        a.set_xscale("log")
        a.set_xlabel("M (training images per class)")
        a.set_ylabel(name)
        a.grid(alpha=0.3)
    acc.legend(fontsize=7)
    ov.set_ylim(0.1, 1.03)
    ov.legend(fontsize=6, loc="lower left", ncol=2)
    acc.set_title(f"Fashion-MNIST, K = {K} classes, N = {int(p0['N'])}", fontsize=9)
    ov.set_title("relaxed state vs empirical archetype", fontsize=9)
    panel(fig, outer[2], p0, np.random.default_rng(1))
    save(fig, stem)


if __name__ == "__main__":
    main()
