"""The per-point view of a ptmc HDF5 file (Monte Carlo runs and `ptmc theory` curves share one layout),
as the plot scripts use it: one Point per sweep point, with its parameters, ladder and summary columns.

    from ptmc.points import load
    for pt in load("out/quickstart.h5"):
        pt.params["N"], pt.beta, pt.value("m"), pt.error("m")

The table view (a pandas DataFrame, series, histograms, tempering diagnostics) is ptmc.load.
Run with /usr/bin/python3 (Debian's numpy, h5py and matplotlib).
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field

import h5py
import numpy as np


def _text(v):
    if isinstance(v, bytes):
        return v.decode()
    if isinstance(v, np.generic):
        return v.item()
    return v


@dataclass
class Point:
    index: int
    params: dict
    beta: np.ndarray
    columns: dict = field(default_factory=dict)  # name -> array over beta (and _err, _tau)
    kind: str = "monte_carlo"
    group: object = None  # h5py group, valid while the file is open

    @property
    def temperature(self) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.where(self.beta > 0, 1.0 / self.beta, np.inf)

    def has(self, name: str) -> bool:
        return name in self.columns

    def value(self, name: str) -> np.ndarray:
        return self.columns[name]

    def error(self, name: str) -> np.ndarray | None:
        return self.columns.get(name + "_err")

    def at(self, t: int) -> "Point":
        """The same point restricted to temperature index t (for errorbar() at one temperature)."""
        n = len(self.beta)
        cols = {k: v[t:t + 1] if np.ndim(v) and len(v) == n else v for k, v in self.columns.items()}
        return Point(self.index, self.params, self.beta[t:t + 1], cols, self.kind, self.group)

    @property
    def equilibrated(self) -> bool:
        """False when the run's equilibration check failed for this point (theory: always True)."""
        eq = self.columns.get("equilibrated")
        return eq is None or bool(np.all(eq == 1))


def column(points: list[Point], name: str, t: int) -> np.ndarray:
    """Column NAME at temperature index t across points (NaN where a point lacks it)."""
    return np.array([p.value(name)[t] if p.has(name) else np.nan for p in points])


def column_error(points: list[Point], name: str, t: int) -> np.ndarray:
    """The 1σ errors of column NAME at temperature index t across points (NaN where absent)."""
    return np.array([p.error(name)[t] if p.error(name) is not None else np.nan for p in points])


def errorbar(ax, x, pt: "Point", name: str, **style):
    """Monte Carlo points of column NAME with 1σ error bars against X; points that failed the
    equilibration check are drawn hollow (the legend says so once per axes)."""
    style = {"fmt": "o", "ms": 3.5, "capsize": 2, **style}
    if not pt.equilibrated:
        style.update(mfc="white")
        if not getattr(ax, "_ptmc_flagged", False):
            ax._ptmc_flagged = True
            ax.plot([], [], "o", mfc="white", color="gray", label="hollow: failed equilibration check")
    return ax.errorbar(x, pt.value(name), yerr=pt.error(name), **style)


def load(path: str) -> list[Point]:
    """Every sweep point of a file, with its parameters, ladder and summary columns."""
    if not os.path.exists(path):
        sys.exit(f"ptmc: {path}: no such file (run `ptmc run` or `ptmc theory` first)")
    out = []
    with h5py.File(path, "r") as f:
        kind = _text(f.attrs.get("kind", "monte_carlo"))
        for name in sorted(f["points"]):
            g = f["points"][name]
            params = {k: _text(g.attrs[k]) for k in _text(g.attrs["parameters"]).split(",") if k in g.attrs}
            for k in g.attrs:
                if k not in ("parameters", "index"):
                    params.setdefault(k, _text(g.attrs[k]))
            pt = Point(int(g.attrs["index"]), params, np.asarray(g["beta"][()], dtype=float), kind=kind)
            if "summary" in g:
                for col in g["summary"]:
                    pt.columns[col] = np.asarray(g["summary"][col][()], dtype=float)
            out.append(pt)
    return out


def swept(path: str) -> list[str]:
    """Names of the parameters the sweep varies (root attribute `swept`)."""
    with h5py.File(path, "r") as f:
        s = _text(f.attrs.get("swept", ""))
    return [x for x in s.split(",") if x]


def match(points: list[Point], **params) -> list[Point]:
    """The points whose parameters equal the given values (floats compared to 1e-9 relative)."""
    def eq(a, b):
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
        return a == b
    return [p for p in points if all(k in p.params and eq(p.params[k], v) for k, v in params.items())]


def save(fig, stem: str):
    """Writes stem.png and stem.pdf, creating the folder."""
    d = os.path.dirname(stem)
    if d:
        os.makedirs(d, exist_ok=True)
    fig.savefig(stem + ".png", dpi=130, bbox_inches="tight")
    fig.savefig(stem + ".pdf", bbox_inches="tight")
    print(f"wrote {stem}.png and {stem}.pdf")


def run_theory(stem: str, model: str, params: dict, beta) -> list[Point]:
    """Solves the theory on a grid of our choosing (smooth lines): writes STEM.toml with [model]
    name = MODEL and PARAMS (lists sweep) and the ladder BETA (inf allowed), runs `ptmc theory` on it
    into STEM.h5 and returns its points. The binary is $PTMC_BIN or build/ptmc of this checkout."""
    import subprocess

    def value(v):
        if isinstance(v, str):
            return f'"{v}"'
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple, np.ndarray)):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, (float, np.floating)):
            return "inf" if np.isinf(v) else f"{float(v):.9g}"
        return str(v)

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = os.environ.get("PTMC_BIN", os.path.join(root, "build", "ptmc"))
    lines = ["[model]", f'name = "{model}"'] + [f"{k} = {value(v)}" for k, v in params.items()]
    lines += ["[tempering]", f"beta = {value(sorted(float(b) for b in np.atleast_1d(beta)))}"]
    os.makedirs(os.path.dirname(stem) or ".", exist_ok=True)
    with open(stem + ".toml", "w") as f:
        f.write("\n".join(lines) + "\n")
    subprocess.run([binary, "theory", stem + ".toml", "-o", stem + ".h5"], check=True, stdout=subprocess.DEVNULL)
    return load(stem + ".h5")
