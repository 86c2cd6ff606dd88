"""Theory over Monte Carlo on a matplotlib axes, from two ptmc.load tables."""
from __future__ import annotations

import numpy as np


def _x(table, x):
    """Column X, or the temperature T = 1/beta for x = "T" (inf at beta = 0)."""
    if x == "T" and "T" not in table.columns:
        beta = table["beta"].to_numpy(dtype=float)
        with np.errstate(divide="ignore"):
            return np.where(beta > 0, 1.0 / beta, np.inf)
    return table[x].to_numpy()


def _same(a, b):
    if isinstance(a, (int, float, np.number)) and isinstance(b, (int, float, np.number)):
        return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)), abs(float(b)))
    return a == b


def overlay(ax, mc, theory, x, y, by=None, colors=None, label="{by} = {value}", mc_style=None, theory_style=None):
    """Monte Carlo column Y against X with 1σ error bars (Y_err), and the theory's Y against X as a
    line, one colour per value of the column BY (all rows as one curve when BY is None). X may be any
    column, or "T" for 1/beta. Monte Carlo rows whose `equilibrated` is 0 are drawn hollow. Theory
    rows are matched to a group by BY's value (floats to 1e-9 relative); either table may be None.
    Returns the list of (value, errorbar container, line) drawn."""
    colors = colors or [f"C{k}" for k in range(10)]
    mc_style = {"fmt": "o", "ms": 3.5, "capsize": 2, **(mc_style or {})}
    theory_style = {"lw": 1.2, **(theory_style or {})}
    source = mc if mc is not None else theory
    values = [None] if by is None else list(dict.fromkeys(source[by].tolist()))
    drawn = []
    for k, value in enumerate(values):
        colour = colors[k % len(colors)]
        name = "" if by is None else label.format(by=by, value=value)
        bars = line = None
        if mc is not None:
            rows = mc if by is None else mc[[_same(v, value) for v in mc[by]]]
            xs = _x(rows, x)
            order = np.argsort(xs, kind="stable")
            ys = rows[y].to_numpy(dtype=float)[order]
            err = rows[y + "_err"].to_numpy(dtype=float)[order] if y + "_err" in rows.columns else None
            bad = (rows["equilibrated"].to_numpy(dtype=float)[order] == 0) if "equilibrated" in rows.columns else \
                np.zeros(len(rows), dtype=bool)
            bars = ax.errorbar(xs[order][~bad], ys[~bad], yerr=None if err is None else err[~bad], color=colour,
                               label=f"MC {name}".strip(), **mc_style)
            if bad.any():
                ax.errorbar(xs[order][bad], ys[bad], yerr=None if err is None else err[bad], color=colour,
                            mfc="white", label=f"MC {name}, failed equilibration check".strip(), **mc_style)
        if theory is not None:
            rows = theory if by is None else theory[[_same(v, value) for v in theory[by]]]
            if len(rows) and y in rows.columns:
                xs = _x(rows, x)
                order = np.argsort(xs, kind="stable")
                (line,) = ax.plot(xs[order], rows[y].to_numpy(dtype=float)[order], "-", color=colour,
                                  label=f"theory {name}".strip(), **theory_style)
        drawn.append((value, bars, line))
    ax.set_xlabel(x)
    ax.set_ylabel(y)
    return drawn
