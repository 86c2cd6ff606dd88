#!/usr/bin/env python3
"""The table of scripts/bench.sh: each kernel's throughput (median of the repetitions), the bytes it
moves and the vector operations it does per attempted flip, the bound those imply on this machine
(from bench_machine's measured bandwidths, SIMD rate and random-number rate, run just before), the fraction of that bound, and the speed-up over the baselines a user would write.

Usage: bench_table.py machine.json models.json hopfield.json perceptron.json"""
import json
import math
import sys

KIB, MIB = 1024, 1024 * 1024


def medians(path):
    """run_name -> counters of the median aggregate (or of the single run without repetitions)."""
    out = {}
    with open(path) as f:
        for b in json.load(f)["benchmarks"]:
            if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
                continue
            out[b.get("run_name", b["name"])] = b
    return out


BW, ROWS, VEC, RNG = {}, {}, 0.0, 0.0  # set by set_machine from bench_machine's results


def set_machine(mach):
    """The limits the bounds use, from bench_machine's medians (run_name -> counters)."""
    global VEC, RNG
    BW.update({
        "L1": mach["BM_read_bandwidth/bytes:16384"]["bytes/s"],
        "L2": mach["BM_read_bandwidth/bytes:524288"]["bytes/s"],
        "L3": mach["BM_read_bandwidth/bytes:8388608"]["bytes/s"],
        "DRAM": mach["BM_read_bandwidth/bytes:1073741824"]["bytes/s"],
    })
    # A random site's row in L3 or DRAM costs at least one miss: the rate of independent random 256-byte
    # row reads bounds it (the out-of-order core overlaps only so many misses).
    ROWS.update({
        "L3": mach["BM_random_rows/bytes:8388608/row:256"]["rows/s"],
        "DRAM": mach["BM_random_rows/bytes:1073741824/row:256"]["rows/s"],
    })
    VEC = mach["BM_peak_add_i32"]["vector_ops/s"]  # 512-bit integer operations per second
    RNG = mach["BM_rng"]["draws/s"]


def level(footprint):
    """Cache level a working set lives in (three quarters of each capacity: L1 32 KiB, L2 1 MiB, L3 32 MiB)."""
    if footprint <= 24 * KIB:
        return "L1"
    if footprint <= 768 * KIB:
        return "L2"
    if footprint <= 24 * MIB:
        return "L3"
    return "DRAM"


class Cost:
    """Per attempted flip: bytes read by level, 512-bit vector operations, random draws."""

    def __init__(self):
        self.bytes, self.rows, self.ops, self.draws = {}, {}, 0.0, 0.0

    def read(self, nbytes, footprint):
        lv = level(footprint)
        self.bytes[lv] = self.bytes.get(lv, 0.0) + nbytes
        return self

    def row(self, nbytes, footprint):
        """A random site's row: at least one cache line, and one random miss where it lives beyond L2."""
        lv = level(footprint)
        self.read(max(nbytes, 64), footprint)
        if lv in ROWS:
            self.rows[lv] = self.rows.get(lv, 0.0) + 1
        return self

    def add(self, ops=0.0, draws=0.0):
        self.ops += ops
        self.draws += draws
        return self

    def scaled_add(self, other, w):
        for lv, b in other.bytes.items():
            self.bytes[lv] = self.bytes.get(lv, 0.0) + w * b
        for lv, r in other.rows.items():
            self.rows[lv] = self.rows.get(lv, 0.0) + w * r
        self.ops += w * other.ops
        self.draws += w * other.draws
        return self

    def seconds(self):
        """The bound: the busiest resource (each memory level, the vector units, the generator)."""
        times = [b / BW[lv] for lv, b in self.bytes.items()] + [r / ROWS[lv] for lv, r in self.rows.items()]
        times += [self.ops / VEC, self.draws / RNG]
        return max(times)

    def total_bytes(self):
        return sum(self.bytes.values())


# Random draws per attempt: the engine takes one (its high 32 bits pick the site, its low 32 bits lead
# the uniform; the rest of the uniform is drawn about once in 2^32 attempts, engine/sweep/dynamics.hpp); the
# prototype (c) draws a site and a uniform.
ENGINE_DRAWS, PROTOTYPE_DRAWS = 1, 2


def hebbian_p2(N, C, one_byte=True):
    """dense_hebbian P = 2 packed. One-byte form (where the overlaps' centres rarely move: retrieval, low
    acceptance): ΔE = 2 Σ w + base_i over the site's bit row, per 64 channels a broadcast of the row bits
    (a load), one GF(2) transform to bytes and one byte multiply-add, plus the site's base (4 B); a flip
    updates the int16 S (load, store), reads the centres R (int16) and writes w = (S - R)/2 as bytes
    (per 32 channels a blend, an add, a subtraction, a shift, the edge test (abs, compare) and the range
    test (add, test); per 64 one byte permutation). Two-byte form (where centres would move often):
    16-bit V = G/4 (or S) as two bytes, two multiply-adds per 64 channels; its flip writes V (per 32
    channels a blend, an add, the edge test and V = 2S; per 64 two additions and two permutations)."""
    if one_byte:
        delta = Cost().read(C, 5 * C).read(4, 4 * N).row(C / 8, N * C / 8).add(ops=2 * C / 64 + 12, draws=ENGINE_DRAWS)
        flip = Cost().read(7 * C, 5 * C).add(ops=17 * C / 64)
    else:
        delta = Cost().read(2 * C, 10 * C).row(C / 8, N * C / 8).add(ops=3 * C / 64 + 12, draws=ENGINE_DRAWS)
        flip = Cost().read(6 * C, 4 * C).add(ops=14 * C / 64)
    if N > 32639 or C * (2 * N + 128) >= 2**31:  # int32 overlaps, masked adds
        delta = Cost().read(4 * C, 4 * C).row(C / 8, N * C / 8).add(ops=2 * C / 16 + 12, draws=ENGINE_DRAWS)
        # the flip: per 16 channels a blend, an add, two widenings and adds for Σ S, two edge compares
        flip = Cost().read(8 * C, 4 * C).add(ops=8 * C / 16)
    return delta, flip


def hopfield_prototype(N, C):
    """Baseline (c), a prototype kernel of bit rows: int32 overlaps, one masked add of 16 channels
    per operation over the site's bit row; a flip adds ±2 to every overlap (blend, add, store per 16)."""
    delta = Cost().read(4 * C, 4 * C).row(C / 8, N * C / 8).add(ops=C / 16 + 12, draws=PROTOTYPE_DRAWS)
    flip = Cost().read(4 * C, 4 * C).add(ops=3 * C / 16)
    return delta, flip


def hebbian_table(N, C):
    """dense_hebbian P > 2 packed: masked sum of the int32 G array; flips gather G and H."""
    delta = Cost().read(4 * C, 4 * C).row(C / 8, N * C / 8).add(ops=2 * C / 16 + 12, draws=ENGINE_DRAWS)
    flip = Cost().read(16 * C, 8 * C).add(ops=(2 + 2 * 16) * C / 16)
    return delta, flip


def perceptron(N, P):
    """binary_perceptron edges: popcounts of the edge bits against the site's input bits. A flip moves the
    stabilities held as B bit planes of s - t - 1 (B = 11 at N = 1001; models/kernels/
    perceptron_stability_planes.hpp), 512 constraints per block: each plane loaded and stored, an xor, a
    three-input logic op and the two mask reductions (4 ops per plane); per block the site's sign bits,
    the old masks (the flip's ΔE, 2 popcounts) and the new ones. Where more than 16 planes would be
    needed (N > 32767 at κ = 0), int32 stabilities: 16 constraints per vector step, 9 ops."""
    delta = Cost().read(P / 4, P / 4).row(P / 8, N * P / 8).add(ops=7 * math.ceil(P / 512) + 10, draws=ENGINE_DRAWS)
    planes = next((b for b in range(2, 17) if 2 ** (b - 1) >= N + 1), 0)
    if planes:
        blocks = math.ceil(math.ceil(P / 64) / 8)
        footprint = planes * blocks * 512
        flip = Cost().read(blocks * 64 * (2 * (planes - 1) + 6), footprint).row(P / 8, N * P / 8).add(ops=blocks * (4 * (planes - 1) + 9))
    else:
        flip = Cost().read(8 * P, 4 * P).row(P / 8, N * P / 8).add(ops=9 * P / 16)
    return delta, flip


def sk(N):
    """SK: ΔE from the cached field (O(1)); a flip updates every double field from one float coupling row
    (per 8 fields a widening and a multiply-add)."""
    delta = Cost().read(16, 9 * N).add(draws=ENGINE_DRAWS)
    flip = Cost().row(4 * N, 4 * N * N).read(16 * N, 8 * N).add(ops=2 * N / 8)
    return delta, flip


def multitasking(N, C, K, storage=True):
    """multitasking: int16 channel row · int64 channel overlaps; a flip updates the channel overlaps, and
    the archetype overlaps unless the channels are the stored patterns themselves."""
    delta = Cost().row(2 * C, N * 2 * C).read(8 * C, 8 * C).add(ops=3 * C / 8 + 8, draws=ENGINE_DRAWS)
    if storage:
        flip = Cost().read(16 * C, 8 * C).add(ops=2 * C / 8)
    else:
        flip = Cost().row(K, N * K).read(16 * C + 16 * K, 8 * (C + K)).add(ops=2 * (C + K) / 8)
    return delta, flip


def curie_weiss(N):
    return Cost().row(1, N).add(draws=ENGINE_DRAWS), Cost()


def fmt_rate(x):
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if x >= scale:
            return f"{x / scale:.3g} {unit}"
    return f"{x:.3g}"


def main():
    machine_json, models_json, hopfield_json, perceptron_json = sys.argv[1:5]
    mach = medians(machine_json)
    set_machine(mach)
    runs = {**medians(models_json), **medians(hopfield_json), **medians(perceptron_json)}

    FLOOR = {True: runs.get("BM_engine_floor<true>/dE10:100"), False: runs.get("BM_engine_floor<true>/dE10:2")}
    # dense_hebbian and binary_perceptron take the integer path (IntegerDeltaModel) when acceptance is low:
    # its own floor.
    INT_FLOOR = {True: runs.get("BM_engine_floor_integer/dE10:100"), False: runs.get("BM_engine_floor_integer/dE10:2")}

    rows = []  # (kernel, size, run name, cost pair or None, work per flip, baselines)


    def model_row(kernel, size, name, costs, work, baselines=()):
        rows.append((kernel, size, name, costs, work, baselines))


    hop_base = {1: ["BM_hopfield_a_coupling_glauber/low_acc:1", "BM_hopfield_b_scalar_overlaps/low_acc:1"],
                0: ["BM_hopfield_a_coupling_glauber/low_acc:0", "BM_hopfield_b_scalar_overlaps/low_acc:0"]}
    for low in (1, 0):
        tag = "low acc." if low else "mod. acc."
        model_row("Hopfield (a) coupling matrix, Glauber", f"N=4096 K=256, {tag}", hop_base[low][0], None, 256)
        model_row("Hopfield (b) scalar cached overlaps", f"N=4096 K=256, {tag}", hop_base[low][1], None, 256)
        model_row("Hopfield (c) prototype, bit rows", f"N=4096 K=256, {tag}", f"BM_hopfield_c_bitpacked/low_acc:{low}",
                  hopfield_prototype(4096, 256), 256, hop_base[low])
        # From random spins at moderate acceptance the overlaps wander widely and sweeps run mostly in the
        # two-byte form (before_sweep's choice); in retrieval at low acceptance, in the one-byte form.
        model_row("ptmc dense_hebbian P=2", f"N=4096 K=256, {tag}", f"BM_dense_hebbian/N:4096/P:2/K:256/low:{low}",
                  hebbian_p2(4096, 256, one_byte=bool(low)), 256, hop_base[low])
    for seed in range(2, 9):
        model_row(f"ptmc dense_hebbian P=2, sample {seed}", "N=4096 K=256, low acc.", f"BM_dense_hebbian_samples/seed:{seed}",
                  hebbian_p2(4096, 256), 256, hop_base[1])
    for t in (1, 2):
        model_row(f"ptmc dense_hebbian P=2, {t} thread{'s' if t > 1 else ''} (wall)", "N=4096 K=256, low acc.",
                  f"BM_node_dense_hebbian/real_time/threads:{t}", None, 256, hop_base[1])
    for N, K in ((512, 16), (2048, 128), (16384, 1024), (32768, 2048)):
        model_row("ptmc dense_hebbian P=2", f"N={N} K={K}, low acc.", f"BM_dense_hebbian/N:{N}/P:2/K:{K}/low:1",
                  hebbian_p2(N, K), K)
    model_row("ptmc dense_hebbian P=2 unsup.", "N=4096 K=8 M=32", "BM_dense_hebbian_unsupervised/N:4096/K:8/M:32",
              hebbian_p2(4096, 256), 256)
    for low in (1, 0):
        model_row("ptmc dense_hebbian P=4", f"N=100 K=1e5, {'low' if low else 'mod.'} acc.",
                  f"BM_dense_hebbian/N:100/P:4/K:100000/low:{low}", hebbian_table(100, 100000), 100000)
    for R in (1, 4, 8):
        model_row(f"Hopfield (c-R) {R} replicas/site read", "N=4096 K=256, low acc.",
                  f"BM_hopfield_c_replicas/low_acc:1/R:{R}", hopfield_prototype(4096, 256), 256)
    for R in (1, 4, 8):
        for lock in ("false", "true"):
            model_row(f"ptmc dense_hebbian P=2, {R} replicas, sequential, {'lockstep' if lock == 'true' else 'one by one'}",
                      "N=4096 K=256, β 2.6-3.4", f"BM_dense_hebbian_replicas<{lock}>/R:{R}", hebbian_p2(4096, 256), 256)
    for low in (1, 0):
        tag = "low acc." if low else "mod. acc."
        base = [f"BM_perceptron_scalar_stabilities/low:{low}"]
        model_row("perceptron baseline: scalar loop", f"N=1001 a=1, {tag}", base[0], None, 1001)
        model_row("ptmc binary_perceptron", f"N=1001 a=1, {tag}", f"BM_binary_perceptron/N:1001/alpha%:100/low:{low}",
                  perceptron(1001, 1001), 1001, base)
    for t in (1, 2):
        model_row(f"ptmc binary_perceptron, {t} thread{'s' if t > 1 else ''} (wall)", "N=1001 a=1, low acc.",
                  f"BM_node_binary_perceptron/real_time/threads:{t}", None, 1001, ["BM_perceptron_scalar_stabilities/low:1"])
    for N in (101, 501, 3001, 10001):
        model_row("ptmc binary_perceptron", f"N={N} a=1, low acc.", f"BM_binary_perceptron/N:{N}/alpha%:100/low:1",
                  perceptron(N, N), N)
    for N, low in ((64, 1), (256, 1), (1024, 1), (1024, 0), (4096, 1)):
        model_row("ptmc sk", f"N={N}, {'low' if low else 'mod.'} acc.", f"BM_sk/N:{N}/low:{low}", sk(N), N)
    for N, M in ((2048, 1), (65536, 1), (1 << 20, 1), (1 << 22, 1), (4096, 32)):
        C = 4 * M
        model_row("ptmc multitasking K=4 d=0.3" + (" unsup." if M > 1 else ""), f"N={N}" + (f" M={M}" if M > 1 else ""),
                  f"BM_multitasking/N:{N}/K:4/d%:30/M:{M}", multitasking(N, C, 4, M == 1), C)
    for N in (4096, 1 << 22):
        model_row("ptmc curie_weiss", f"N={N}", f"BM_curie_weiss/N:{N}", curie_weiss(N), 1)


    # Byte multiply-adds and GF(2) maps together (the Hopfield kernel's pair), where the build has them:
    # below the add rate, shown beside it (the Hopfield bound stays set by all its operations at VEC).
    DOT = mach.get("BM_peak_dot_gf2p8", {}).get("vector_ops/s")
    print(f"machine: read bandwidth L1 {BW['L1'] / 1e9:.0f}, L2 {BW['L2'] / 1e9:.0f}, L3 {BW['L3'] / 1e9:.0f}, "
          f"DRAM {BW['DRAM'] / 1e9:.1f} GB/s; {VEC / 1e9:.2f} G 512-bit int ops/s"
          + (f" ({DOT / 1e9:.2f} G/s byte multiply-adds with GF(2) maps)" if DOT else "") + f"; {RNG / 1e9:.2f} G draws/s")
    for name, floors in (("", FLOOR), (", integer path", INT_FLOOR)):
        for low in (True, False):
            f = floors[low]
            if f:
                print(f"engine floor{name} (sweep() of a model with no work, {'low' if low else '~50 %'} acceptance): "
                      f"{fmt_rate(f['flips/s'])} flips/s = {1e9 / f['flips/s']:.1f} ns per attempt")
    hdr = ("kernel", "size", "acc.", "flips/s", "work/s", "B/flip", "GB/s", "bound", "% bound", "% bnd+floor",
           "fastest tenth of sweeps: flips/s, % bound", "speed-up")
    print("| " + " | ".join(hdr) + " |")
    print("|" + "|".join("---" for _ in hdr) + "|")
    for kernel, size, name, costs, work, baselines in rows:
        r = runs.get(name)
        if r is None:
            continue
        flips = r["flips/s"]
        acc = r.get("acceptance", float("nan"))
        cells = [kernel, size, f"{acc:.3g}", fmt_rate(flips), fmt_rate(flips * work)]
        if costs:
            delta, flip = costs
            c = Cost().scaled_add(delta, 1).scaled_add(flip, acc)
            bound = 1 / c.seconds()
            floor = (INT_FLOOR if name.startswith(("BM_dense_hebbian", "BM_binary_perceptron")) else FLOOR)[acc < 0.1]
            with_floor = 1 / (c.seconds() + 1 / floor["flips/s"]) if floor else float("nan")
            cells += [f"{c.total_bytes():.0f}", f"{c.total_bytes() * flips / 1e9:.1f}", fmt_rate(bound),
                      f"{100 * flips / bound:.0f} %", f"{100 * flips / with_floor:.0f} %"]
            fast = r.get("flips/s fastest tenth")
            if fast:  # the bound at those sweeps' own acceptance
                fast_bound = 1 / Cost().scaled_add(delta, 1).scaled_add(flip, r["acceptance fastest tenth"]).seconds()
                cells.append(f"{fmt_rate(fast)}, {100 * fast / fast_bound:.0f} %")
            else:
                cells.append("")
        else:
            cells += ["", "", "", "", "", ""]
        ups = [f"{flips / runs[b]['flips/s']:.0f}x" for b in baselines if b in runs]
        cells.append(" / ".join(ups))
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
