"""Reading ptmc's HDF5 output from Python (Debian's python3-h5py, -pandas, -numpy, -matplotlib).

    import ptmc
    mc, th = ptmc.load("out/sk.h5"), ptmc.load("out/sk-theory.h5")  # the summary as DataFrames
    mc[mc.N == 64][["beta", "q2", "q2_err"]]                        # as `ptmc summarize` prints it
    mc.series("energy", point=0, sample=0); mc.histogram(0); mc.swap_rates(0); mc.round_trips(0)
    ptmc.overlay(ax, mc, th, x="T", y="q2", by="N")                  # theory lines over MC points

ptmc.points is the per-point view the plot scripts use (Point objects, errorbar, run_theory, save).
"""
from .plot import overlay
from .results import Results, binary, load

__all__ = ["Results", "binary", "load", "overlay"]
