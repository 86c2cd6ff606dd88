"""Finite-N terms that the Monte Carlo's columns carry and the N → ∞ theory does not.

    from ptmc.finite_size import overlap_modulus_mean
    overlap_modulus_mean(q_theory, N)   # what the column q = |σ^a·σ^b|/N measures at size N
"""
from __future__ import annotations

import math


def overlap_modulus_mean(q: float, n: int) -> float:
    """E|Q| for Q ~ N(q, (1 − q²)/n): the replica overlap column q is the modulus |σ^a·σ^b|/N, which lifts
    an overlap smaller than a few 1/√N (e.g. q = 0.057 reads 0.067 at N = 301). The variance (1 − q²)/N is
    that of N independent sites; correlations between sites are left out."""
    s = math.sqrt(max(1.0 - q * q, 0.0) / n)
    if s == 0:
        return abs(q)
    x = q / s
    cdf = 0.5 * math.erfc(x / math.sqrt(2))  # P(Z > x) = Φ(−x)
    pdf = math.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return q * (1 - 2 * cdf) + 2 * s * pdf
