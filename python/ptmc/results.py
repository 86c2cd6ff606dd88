"""The table view of a ptmc HDF5 file: `load(path)` returns the summary as a pandas DataFrame, one row
per sweep point and temperature, with exactly the columns `ptmc summarize` prints (point, the swept
parameters, beta, then every summary column, with `_err` for Monte Carlo files), and methods that
read the rest of the file: time series, P(q) histograms and the tempering diagnostics.

A finished run and a theory file are read directly; a run still going, or stopped, has no stored
summary yet, so its table comes from `ptmc summarize` (which merges the task files and computes the
statistics from what was flushed): the binary is $PTMC_BIN, else build/ptmc or build-test/ptmc of
this checkout, else `ptmc` on the PATH.
"""
from __future__ import annotations

import io
import os
import shutil
import subprocess

import h5py
import numpy as np
import pandas as pd

from .points import _text  # HDF5 attribute values as Python str/int/float


def _split(s) -> list[str]:
    return [x for x in _text(s).split(",") if x]


def binary() -> str:
    """The ptmc executable: $PTMC_BIN, else build/ptmc or build-test/ptmc of this checkout, else the PATH's."""
    if os.environ.get("PTMC_BIN"):
        return os.environ["PTMC_BIN"]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for b in ("build", "build-test"):
        path = os.path.join(root, b, "ptmc")
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("ptmc")
    if not found:
        raise FileNotFoundError("ptmc: no ptmc binary (set PTMC_BIN, or build build/ptmc)")
    return found


def point_group(point: int) -> str:
    return f"points/p{int(point):04d}"


def sample_group(point: int, sample: int) -> str:
    return f"{point_group(point)}/samples/s{int(sample):04d}"


class Results(pd.DataFrame):
    """The summary table of one file (see the module's docstring), plus:

    path, kind ("monte_carlo" or "theory"), swept (the swept parameter names), and the methods
    params(), parameters(point), ladder(point) (the betas), samples(point), sample_attrs(point, sample), series(name, point, sample),
    series_info(point, sample) (stored whole or as bins, and the bin size), series_mean(name, point, sample),
    walk(point, sample), histogram(point[, sample]), swap_rates(point[, sample]),
    round_trips(point[, sample]), up_fraction(point, sample), points() (the per-point view of
    ptmc.points). A row selection (mc[mc.N == 32]) keeps the methods.
    """

    _metadata = ["path", "kind", "swept"]

    @property
    def _constructor(self):
        return Results

    # -- the file ------------------------------------------------------------------------------
    def _open(self):
        return h5py.File(self.path, "r")

    def point_indices(self) -> list[int]:
        with self._open() as f:
            return sorted(int(f["points"][p].attrs["index"]) for p in f["points"])

    def params(self) -> pd.DataFrame:
        """Every parameter of every point (given or default, and derived ones), one row per point."""
        rows = []
        with self._open() as f:
            for name in sorted(f["points"]):
                g = f["points"][name]
                row = {"point": int(g.attrs["index"])}
                for k in g.attrs:
                    if k not in ("parameters", "index"):
                        row[k] = _text(g.attrs[k])
                rows.append(row)
        return pd.DataFrame(rows).set_index("point")

    def parameters(self, point: int) -> dict:
        """The model parameters of one point, in the order the file lists them."""
        with self._open() as f:
            g = f[point_group(point)]
            return {k: _text(g.attrs[k]) for k in _split(g.attrs.get("parameters", "")) if k in g.attrs}

    def ladder(self, point: int) -> np.ndarray:
        with self._open() as f:
            return np.asarray(f[point_group(point)]["beta"][()], dtype=float)

    def samples(self, point: int) -> list[int]:
        """The disorder samples of a point whose data can be read now (a running job's pending tasks
        are links to files that do not exist yet, and are left out)."""
        out = []
        with self._open() as f:
            g = f[point_group(point)]
            if "samples" not in g:
                return out
            for s in sorted(g["samples"]):
                try:
                    g["samples"][s].attrs.get("complete")
                except (KeyError, OSError):
                    continue
                out.append(int(s[1:]))
        return out

    def sample_attrs(self, point: int, sample: int) -> dict:
        """complete, measurements, sweeps, seconds, sweep_seconds, ... of one task."""
        with self._open() as f:
            g = f[sample_group(point, sample)]
            return {k: _text(g.attrs[k]) for k in g.attrs}

    def series(self, name: str, point: int = 0, sample: int = 0) -> np.ndarray:
        """The time series NAME of one task as stored, [rows, temperatures]: one row per measurement
        ([output] series = "all"), or per bin, the mean of series_info()["bin_size"] consecutive
        measurements (series = "bins"; the measurements after the last whole bin are in no row)."""
        with self._open() as f:
            return np.asarray(f[sample_group(point, sample)]["series"][name][()])

    def series_info(self, point: int = 0, sample: int = 0) -> dict:
        """How a task's series are stored: storage ("all" or "bins"), bin_size (measurements per row,
        1 for "all"), measurements (in all), rows, and for bins max_bins and, per row, x: the index of
        the row's middle measurement (what to plot a series against)."""
        with self._open() as f:
            g = f[sample_group(point, sample)]
            s = g["series"]
            storage = _text(s.attrs.get("storage", "all"))
            size = int(s.attrs.get("bin_size", 1)) if storage == "bins" else 1
            first = next(iter(s), None)
            rows = int(s[first].shape[0]) if first is not None else 0
            info = {"storage": storage, "bin_size": size, "rows": rows,
                    "measurements": int(g.attrs.get("measurements", rows)),
                    "x": np.arange(rows) * size + (size - 1) / 2}
            if storage == "bins":
                info["max_bins"] = int(s.attrs["max_bins"])
            return info

    def series_mean(self, name: str, point: int = 0, sample: int = 0) -> np.ndarray:
        """The mean of the series NAME of one task over all its measurements, per temperature, whatever
        the storage (bins: from series_stats, the sum and count of the finite measurements)."""
        with self._open() as f:
            g = f[sample_group(point, sample)]
            if _text(g["series"].attrs.get("storage", "all")) == "bins" and "series_stats" in g:
                stats = np.asarray(g["series_stats"][name][()])
                return stats[1] / stats[0]
            x = np.asarray(g["series"][name][()], dtype=float)
            return np.array([np.mean(c[np.isfinite(c)]) for c in x.T])

    def series_names(self, point: int = 0, sample: int = 0) -> list[str]:
        with self._open() as f:
            return sorted(f[sample_group(point, sample)]["series"])

    def walk(self, point: int = 0, sample: int = 0) -> np.ndarray:
        """Temperature index of each configuration: [measurements, replicas, temperatures] (with
        series = "bins", of the first 1024 measurements only)."""
        with self._open() as f:
            return np.asarray(f[sample_group(point, sample)]["walk"][()])

    def histogram(self, point: int, sample: int | None = None):
        """P(q): (q, P, P_err) from the point's summary ([T, bins], averaged over samples), or with
        SAMPLE that sample's raw counts over replica pairs ([T, bins]) and (q, counts, None)."""
        with self._open() as f:
            g = f[point_group(point)]
            if sample is None:
                s = g["summary"]
                return (np.asarray(s["pq_q"][()]), np.asarray(s["pq"][()]),
                        np.asarray(s["pq_err"][()]) if "pq_err" in s else None)
            counts = np.asarray(f[sample_group(point, sample)]["overlap_histogram"][()])
            bins = counts.shape[1]
            q = np.asarray(g["summary"]["pq_q"][()]) if "summary" in g and "pq_q" in g["summary"] else \
                -1 + (2 * np.arange(bins) + 1) / bins
            return q, counts, None

    def _summed(self, point, sample, name):
        with self._open() as f:
            g = f[point_group(point)]
            samples = [sample] if sample is not None else self.samples(point)
            total = None
            for s in samples:
                t = f[sample_group(point, s)]
                if name not in t:
                    continue
                v = np.asarray(t[name][()])
                total = v if total is None else total + v
            return total

    def swap_rates(self, point: int, sample: int | None = None) -> pd.DataFrame:
        """Per neighbouring pair (t, t+1): beta of each, swap attempts, accepts and their ratio,
        summed over replicas and over the samples (or one SAMPLE)."""
        beta = self.ladder(point)
        att = self._summed(point, sample, "swap_attempts")
        acc = self._summed(point, sample, "swap_accepts")
        if att is None:
            return pd.DataFrame(columns=["beta_lo", "beta_hi", "attempts", "accepts", "rate"])
        att, acc = att.sum(axis=0), acc.sum(axis=0)
        return pd.DataFrame({"beta_lo": beta[:-1], "beta_hi": beta[1:], "attempts": att, "accepts": acc,
                             "rate": acc / np.maximum(att, 1)})

    def round_trips(self, point: int, sample: int | None = None) -> np.ndarray:
        """Round trips (hot -> cold -> hot) per replica and configuration, [R, T]: one SAMPLE's, or
        summed over the samples."""
        return self._summed(point, sample, "round_trips")

    def up_fraction(self, point: int, sample: int = 0) -> np.ndarray:
        """The fraction of walkers at each temperature last seen at the hottest end, [T]."""
        with self._open() as f:
            return np.asarray(f[sample_group(point, sample)]["up_fraction"][()])

    def points(self):
        """The per-point view (ptmc.points.Point, as the plot scripts use it)."""
        from .points import load as load_points
        return load_points(self.path)


def _table_from_file(path: str) -> tuple[pd.DataFrame, bool]:
    """The summary as stored in the file; complete is False when a point lacks a stored summary."""
    frames, first_columns, complete = [], None, True
    with h5py.File(path, "r") as f:
        swept = _split(f.attrs.get("swept", ""))
        for name in sorted(f["points"]):
            g = f["points"][name]
            if "summary" not in g:
                complete = False
                break
            s = g["summary"]
            names = _split(s.attrs["columns"])
            errors = bool(s.attrs["has_errors"])
            if first_columns is None:
                first_columns = (names, errors)
            beta = np.asarray(g["beta"][()], dtype=float)
            data = {"point": np.full(len(beta), int(g.attrs["index"]))}
            for k in swept:
                data[k] = [_text(g.attrs[k]) if k in g.attrs else "?"] * len(beta)
            data["beta"] = beta
            for c in names:
                data[c] = np.asarray(s[c][()], dtype=float)
                if errors:
                    data[c + "_err"] = np.asarray(s[c + "_err"][()], dtype=float)
            frames.append(pd.DataFrame(data))
    if not complete:
        return pd.DataFrame(), False
    if not frames:
        return pd.DataFrame(columns=["point", *swept, "beta"]), True
    names, errors = first_columns
    columns = ["point", *swept, "beta"] + [x for c in names for x in ((c, c + "_err") if errors else (c,))]
    table = pd.concat(frames, ignore_index=True)
    return table.reindex(columns=columns), True  # the first point's columns, as `ptmc summarize`


def _table_from_summarize(path: str) -> pd.DataFrame:
    out = subprocess.run([binary(), "summarize", path], check=True, capture_output=True, text=True)
    if not out.stdout.strip():
        return pd.DataFrame()  # nothing flushed yet
    return pd.read_csv(io.StringIO(out.stdout))


def load(path: str, compute: bool = True) -> Results:
    """The summary of a ptmc output file (Monte Carlo or theory, finished, running or stopped) as a
    Results DataFrame; see Results for the series, histograms and tempering diagnostics. With
    compute=False a file without stored summaries (a running or stopped run) gives an empty table
    (no call to `ptmc summarize`), its other methods unchanged."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"ptmc: {path}: no such file (run `ptmc run` or `ptmc theory` first)")
    with h5py.File(path, "r") as f:
        kind = _text(f.attrs.get("kind", "monte_carlo"))
        swept = _split(f.attrs.get("swept", ""))
    table, complete = _table_from_file(path)
    if not complete:
        table = _table_from_summarize(path) if compute else pd.DataFrame(columns=["point", *swept, "beta"])
    r = Results(table)
    r.path, r.kind, r.swept = path, kind, swept
    return r
