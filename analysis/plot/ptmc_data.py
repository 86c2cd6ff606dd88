"""Reads ptmc HDF5 files (Monte Carlo runs and `ptmc theory` curves share one layout) for plotting.

    from ptmc_data import load
    for pt in load("out/quickstart.h5"):
        pt.params["N"], pt.beta, pt.value("m"), pt.error("m")

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


def load(path: str) -> list[Point]:
    """Every sweep point of a file, with its parameters, ladder and summary columns."""
    if not os.path.exists(path):
        sys.exit(f"ptmc_data: {path}: no such file (run `ptmc run` or `ptmc theory` first)")
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
