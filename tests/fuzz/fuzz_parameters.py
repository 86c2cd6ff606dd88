#!/usr/bin/python3
"""Fuzzes ptmc's parameter files: mutates valid files, runs `ptmc check` on each, and `ptmc run` (short,
memory-capped) on a subset of the accepted ones, and classifies every outcome.

    /usr/bin/python3 tests/fuzz/fuzz_parameters.py --ptmc build-test/ptmc --count 5000 --run-count 400

Seeds: runs/*.toml, the TOML heredocs of tests/app/*.sh, the raw strings of tests/engine/test_config.cpp
that hold a [model] section and, with --extra-seeds DIR, DIR/*.toml. Mutations: byte and bit flips,
deleted, duplicated and swapped lines, swapped values, huge, negative, NaN and infinite numbers, wrong
types, unknown keys and sections, deep nesting (dotted keys, headers, inline tables, arrays), empty
files, binary junk, truncation, very long strings and lines, CRLF, BOM, NUL bytes, and stacks of these.
Cases 0-12 are fixed (the deepest nesting of each kind, empty, NUL, BOM-only, CR-only, doubled and
10 MB files); case i >= 13 of seed S is drawn from its own generator, so `--only i` reproduces it.

Outcomes of check: refused (exit 1 or 2, the message names the file), accepted (exit 0), and the
failures: crash (a signal, exit >= 128, std::bad_alloc, terminate, an internal C++ message, or an
error without the file name) and hang (killed by the timeout). Outcomes of run: ran (exit 0),
max_time (75, stopped at --max-time), refused (a message naming the file), error (a message without
the file name: listed in the summary to be read), memory (a clean refusal or bad_alloc under the
address-space limit), and the same failures. Exit status 1 when any case failed; the failed
inputs are kept under --keep DIR.
"""
import argparse
import concurrent.futures as cf
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------------- seeds


def heredocs(text):
    for m in re.finditer(r"<<-?\s*(['\"]?)(\w+)\1[^\n]*\n(.*?)\n\s*\2\s*\n", text, re.S):
        body = m.group(3)
        if "[model]" in body and (m.group(1) or "$" not in body):
            yield body + "\n"


def raw_strings(text):
    for m in re.finditer(r'R"(\w*)\((.*?)\)\1"', text, re.S):
        if "[model]" in m.group(2):
            yield m.group(2)


def load_seeds(extra_dirs):
    seeds = []
    for p in sorted((ROOT / "runs").glob("*.toml")):
        seeds.append((p.name, p.read_text()))
    for p in sorted((ROOT / "tests" / "app").glob("*.*sh")):
        for k, body in enumerate(heredocs(p.read_text())):
            seeds.append((f"{p.name}#{k}", body))
    cfg_test = ROOT / "tests" / "engine" / "test_config.cpp"
    if cfg_test.exists():
        for k, body in enumerate(raw_strings(cfg_test.read_text())):
            seeds.append((f"test_config.cpp#{k}", body))
    for d in extra_dirs:
        for p in sorted(Path(d).glob("*.toml")):
            seeds.append((p.name, p.read_text()))
    return [(name, raw(text)) for name, text in seeds]


def raw(s):
    """Texts are handled as bytes: a str whose characters are the bytes of the UTF-8 text."""
    return s.encode("utf-8").decode("latin-1")


def known_keys(ptmc, env):
    """Every key `ptmc run --help` documents (so that mutations also swap in real keys)."""
    try:
        out = subprocess.run([ptmc, "run", "--help"], capture_output=True, text=True, timeout=30, env=env).stdout
    except Exception:
        out = ""
    keys = set(re.findall(r"^    (\w+)\s", out, re.M))
    return sorted(keys) or ["N", "K", "P", "alpha", "beta", "sweeps", "samples", "replicas", "seed"]


# ------------------------------------------------------------------------------------------ mutations

INTS = ["0", "-1", "1", "2", "3", "7", "1000000", "2147483647", "2147483648", "4294967296", "9007199254740993",
        "9223372036854775807", "-9223372036854775808", "99999999999999999999", "0x7fffffffffffffff", "0o777",
        "0b1011", "1_000", "-0", "+5", "67108864", "16777216", "32768", "1073741824", "65537"]
FLOATS = ["0.0", "-0.0", "1e-320", "1e308", "1.8e308", "-1e308", "nan", "+nan", "-nan", "inf", "-inf", "+inf",
          "0.5", "1e-9", "3.14", "0.999999999", "1.0000001", "-0.5", "1e3", "6.02e23"]
OTHERS = ['true', 'false', '""', '"x"', '"random"', '"storage"', '"archetype"', '"gaussian"', '"geometric"',
          "1979-05-27T07:32:00Z", "07:32:00", "1979-05-27", "[]", "[1, 2, 3]", '["a", "b"]', "[[1], [2]]",
          "[1, \"a\"]", "{}", "{ min = 0, max = 1, count = 3 }", "{ min = 1, max = 0, count = 3 }",
          "{ min = 0, max = 1e9, step = 1e-9 }", "{ min = -inf, max = inf, count = 2 }",
          "{ min = 2, max = 67108864, count = 4096 }", "{ min = 0.1, max = 3, count = 4096, spacing = \"geometric\" }",
          "{ min = 1, max = 1, count = 1 }", "{ min = 2, max = 40, step = 2 }", "{ quality = 0.5 }",
          "{ quality = nan }", "{ quality = 2 }", "{ quality = { a = 1 } }", "{ x = 1 }", "{ min = \"a\" }",
          '"/dev/null"', '"/dev/zero"', '"/nonexistent/x.h5"', '"/etc/passwd"', '"/tmp"', '"."', '"\\u0000"',
          '"\\ud800"', "'''multi\nline'''", '"""a\nb"""']
SECTIONS = ["[model]", "[tempering]", "[run]", "[output]", "[[tempering.ladder]]", "[tempering.ladder]", "[x]",
            "[model.sub]", "[[model]]", "[run.extra]", "[]", "[model", "[[tempering.ladder]]\npoint = 0\nbeta = [1, 2]"]


def random_value(rng, old=None):
    r = rng.random()
    if old is not None and r < 0.25 and re.fullmatch(r"[-+]?\d[\d_]*(\.\d+)?([eE][-+]?\d+)?", old.strip()):
        x = float(old.replace("_", ""))
        choice = rng.randrange(6)
        if choice == 0: x = -x
        elif choice == 1: x = x * 10 ** rng.randint(1, 12)
        elif choice == 2: x = x + rng.choice([-1, 1])
        elif choice == 3: x = x / 10 ** rng.randint(1, 6)
        elif choice == 4: return str(int(x) * 2 ** rng.randint(1, 40))
        else: return repr(x)
        return str(int(x)) if x == int(x) and abs(x) < 1e18 else repr(x)
    if r < 0.45: return rng.choice(INTS)
    if r < 0.65: return rng.choice(FLOATS)
    if r < 0.95: return rng.choice(OTHERS)
    if r < 0.98: return '"' + "x" * rng.choice([1000, 65536, 1000000]) + '"'
    return "[" + ", ".join(rng.choice(INTS + FLOATS) for _ in range(rng.randint(1, 300))) + "]"


def deep_text(rng, depth=None, kind=None):
    depth = depth or rng.choice([2, 10, 50, 63, 64, 65, 100, 255, 256, 257, 1000, 5000, 40000, 100000])
    kind = rng.randrange(7) if kind is None else kind
    if kind == 0: return "a." + ".".join(["a"] * depth) + " = 1\n"
    if kind == 1: return "[" + ".".join(["t"] * depth) + "]\nx = 1\n"
    if kind == 2: return "a = " + "{ b = " * depth + "1" + " }" * depth + "\n"
    if kind == 3: return "a = " + "[" * depth + "1" + "]" * depth + "\n"
    if kind == 4: return "[[" + ".".join(["t"] * depth) + "]]\n"
    if kind == 5: return "a = " + "[{ b = " * depth + "1" + " }]" * depth + "\n"
    return '"a.b".' * depth + "c = 1\n"


def value_lines(lines):
    return [i for i, l in enumerate(lines) if re.match(r"\s*[\w\"'.-]+\s*=", l)]


def mutate_once(rng, text, keys):
    lines = text.split("\n")
    op = rng.randrange(24)
    vl = value_lines(lines)
    if op == 0 and text:  # byte flip
        b = bytearray(text.encode("latin-1"))
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return b.decode("latin-1")
    if op == 1 and text:  # bit flip
        b = bytearray(text.encode("latin-1"))
        k = rng.randrange(len(b))
        b[k] ^= 1 << rng.randrange(8)
        return b.decode("latin-1")
    if op == 2 and len(lines) > 1:  # delete a line
        del lines[rng.randrange(len(lines))]
        return "\n".join(lines)
    if op == 3 and lines:  # duplicate a line
        k = rng.randrange(len(lines))
        lines.insert(k, lines[k])
        return "\n".join(lines)
    if op == 4 and len(lines) > 1:  # swap two lines
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        return "\n".join(lines)
    if op == 5 and len(vl) > 1:  # swap two values
        a, b = rng.sample(vl, 2)
        ka, va = lines[a].split("=", 1)
        kb, vb = lines[b].split("=", 1)
        lines[a], lines[b] = ka + "=" + vb, kb + "=" + va
        return "\n".join(lines)
    if op in (6, 7, 8, 9) and vl:  # replace a value
        k = rng.choice(vl)
        key, old = lines[k].split("=", 1)
        old = old.split("#")[0]
        lines[k] = key + "= " + random_value(rng, old)
        return "\n".join(lines)
    if op == 10:  # insert a key, known or not, into some section
        key = rng.choice(keys) if rng.random() < 0.7 else rng.choice(["foo", "n", "NN", "beta.min", "a-b", '"N"',
                                                                     "name", "model", "ladder"])
        lines.insert(rng.randrange(len(lines) + 1), f"{key} = {random_value(rng)}")
        return "\n".join(lines)
    if op == 11 and vl:  # rename a key
        k = rng.choice(vl)
        _, val = lines[k].split("=", 1)
        lines[k] = rng.choice(keys) + " =" + val
        return "\n".join(lines)
    if op == 12:  # a section header
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(SECTIONS))
        return "\n".join(lines)
    if op == 13:  # remove a section header
        hs = [i for i, l in enumerate(lines) if l.strip().startswith("[")]
        if hs:
            del lines[rng.choice(hs)]
            return "\n".join(lines)
    if op == 14:  # deep nesting
        lines.insert(rng.randrange(len(lines) + 1), deep_text(rng))
        return "\n".join(lines)
    if op == 15:  # empty or whitespace
        return rng.choice(["", "\n", " ", "#", "\n\n\n", "\x00"])
    if op == 16:  # binary junk, in place of the file or inserted
        junk = bytes(rng.randrange(256) for _ in range(rng.choice([1, 16, 256, 4096]))).decode("latin-1")
        if rng.random() < 0.5:
            return junk
        k = rng.randrange(len(text) + 1)
        return text[:k] + junk + text[k:]
    if op == 17 and text:  # truncate
        return text[: rng.randrange(len(text))]
    if op == 18:  # very long line or string
        n = rng.choice([10000, 100000, 1000000])
        return text + "\n" + rng.choice([f'x = "{"y" * n}"', "#" + "z" * n, "a" * n + " = 1", f"[{'s' * n}]"]) + "\n"
    if op == 19:  # encodings: CRLF, BOM, NUL, non-UTF-8, tabs
        choice = rng.randrange(5)
        if choice == 0: return text.replace("\n", "\r\n")
        if choice == 1: return raw("\ufeff") + text
        if choice == 2:
            k = rng.randrange(len(text) + 1)
            return text[:k] + "\x00" + text[k:]
        if choice == 3:
            k = rng.randrange(len(text) + 1)
            return text[:k] + rng.choice(["\xff\xfe", "\xc3", "\xed\xa0\x80", raw("é"), raw("\u2028")]) + text[k:]
        return text.replace(" = ", "\t=\t")
    if op == 20:  # a list sweep of many values on a model key
        key = rng.choice(["N", "K", "alpha", "P", "d", "M", "r", "kappa", "lambda"])
        vals = ", ".join(rng.choice(INTS + FLOATS) for _ in range(rng.randint(1, 50)))
        return text.replace("[model]", f"[model]\n{key} = [{vals}]", 1)
    if op == 21:  # ladders
        points = ["0", "1", "-1", "100000", "0.5", '"0"']
        betas = ["[0.5, 1.0]", "[]", "[1, 1]", "[nan]", "[inf, 1]", "1", "{}", "[-1]"]
        return text + "".join(f"\n[[tempering.ladder]]\npoint = {rng.choice(points)}\nbeta = {rng.choice(betas)}\n"
                              for _ in range(rng.randint(1, 5)))
    if op == 22 and vl:  # an inline table in place of a value, or a value in place of a table
        k = rng.choice(vl)
        key, _ = lines[k].split("=", 1)
        lines[k] = key + "= { " + ", ".join(f"{rng.choice(keys + ['min', 'max', 'count', 'step', 'spacing'])} = "
                                           f"{rng.choice(INTS + FLOATS)}" for _ in range(rng.randint(0, 4))) + " }"
        return "\n".join(lines)
    # Default: a random model name swap or a repeated section.
    models = ["curie_weiss", "sk", "dense_hebbian", "multitasking", "binary_perceptron", "hopfield", ""]
    if 'name = "' in text and rng.random() < 0.6:
        return re.sub(r'name = "[^"]*"', f'name = "{rng.choice(models)}"', text, count=1)
    return text + "\n" + text


def gentle(rng, text, keys):
    """One change that keeps the file valid TOML, so that more mutants get past the parser."""
    lines = text.split("\n")
    vl = value_lines(lines)
    if not vl or rng.random() < 0.2:
        return mutate_once(rng, text, keys)
    k = rng.choice(vl)
    key, old = lines[k].split("=", 1)
    old = old.split("#")[0].strip()
    if rng.random() < 0.7 and re.fullmatch(r"[-+]?\d[\d_]*(\.\d+)?([eE][-+]?\d+)?", old):
        x = float(old.replace("_", ""))
        x = rng.choice([0, 1, 2, -1, x + 1, x - 1, x * 2, x / 2, x * 10, x * 1000, x / 1000, -x, x * 1e6])
        lines[k] = key + "= " + (str(int(x)) if x == int(x) and abs(x) < 1e15 else repr(x))
    else:
        lines[k] = key + "= " + random_value(rng, old)
    return "\n".join(lines)


def directed(i, rng, seeds):
    """The first cases are fixed: the deepest nesting of each kind, and the emptiest and oddest files."""
    if i < 7:
        return deep_text(rng, 100000, i)
    text = seeds[0][1]
    return ["", "\x00" * 64, raw("\ufeff"), text.replace("\n", "\r"), text + "\n" + text,
            'x = "' + "y" * 10**7 + '"\n'][i - 7]


DIRECTED = 13


def mutate(rng, text, keys):
    if rng.random() < 0.35:
        return gentle(rng, text, keys)
    for _ in range(rng.choice([1, 1, 1, 2, 2, 3, 4])):
        text = mutate_once(rng, text, keys)
    return text


# ------------------------------------------------------------------------------------------- running

CRASH_PATTERNS = ["bad_alloc", "terminate called", "Segmentation fault", "Aborted", "core dumped", "Sanitizer",
                  "std::", "basic_string", "vector::", "stoi", "stod", "stoll", "_M_", "what():", "free():",
                  "double free", "corrupted", "signal "]
MEMORY_PATTERNS = ["bad_alloc", "out of memory", "Cannot allocate memory", "cannot allocate", "more memory than"]


def limit_memory(bytes_):
    def f():
        os.setsid()
        if bytes_:
            resource.setrlimit(resource.RLIMIT_AS, (bytes_, bytes_))
    return f


def execute(cmd, cwd, timeout, env, mem):
    """Runs cmd; on timeout sends SIGTERM to its process group, then SIGKILL after 5 s."""
    t0 = time.monotonic()
    # Concurrent singletons share Open MPI's session folder under TMPDIR, and one's clean-up can
    # remove it while another starts: each case gets its own.
    tmp = Path(cwd) / "tmp"
    tmp.mkdir(exist_ok=True)
    env = dict(env, TMPDIR=str(tmp))
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, preexec_fn=limit_memory(mem))
    hung = ""
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGTERM)
        try:
            out, err = p.communicate(timeout=5)
            hung = f"SIGTERM then ended it with exit {p.returncode}"
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            out, err = p.communicate()
            hung = "SIGTERM did not end it within 5 s, SIGKILL did"
    return p.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), hung, time.monotonic() - t0


def classify_refusal(rc, err, fname):
    """A refusal must name the parameter file (or, for run, the file it is about) and look like a message."""
    text = err.strip()
    if not text:
        return "crash", "non-zero exit without a message"
    for pat in CRASH_PATTERNS:
        if pat in text:
            return "crash", f"message contains '{pat}'"
    if fname not in text:
        return "crash", "message does not name the parameter file"
    return "refused", ""


def check_case(ptmc, path, cwd, env, timeout):
    rc, out, err, hung, secs = execute([ptmc, "check", path.name], cwd, timeout, env, 0)
    if hung:
        return "hang", f"check did not end within {timeout} s; {hung}", rc, err, secs
    if rc < 0 or rc >= 128:
        return "crash", f"check exited with {'signal ' + str(-rc) if rc < 0 else rc}", rc, err, secs
    if rc == 0:
        for pat in ("bad_alloc", "terminate called", "Sanitizer"):
            if pat in err:
                return "crash", f"accepted but stderr says {pat}", rc, err, secs
        return "accepted", "", rc, err, secs
    if rc in (1, 2):
        kind, why = classify_refusal(rc, err, path.name)
        return kind, why, rc, err, secs
    return "crash", f"check exited with unexpected status {rc}", rc, err, secs


def run_case(ptmc, path, cwd, env, timeout, max_time, mem):
    rc, out, err, hung, secs = execute([ptmc, "run", path.name, "-o", "out.h5", "-q", "-t", "1", "--max-time",
                                        str(max_time)], cwd, timeout, env, mem)
    if hung:
        return "hang", f"run did not end within {timeout} s; {hung}", rc, err, secs
    if rc == 0:
        return "ran", "", rc, err, secs
    if rc == 75:
        return "max_time", "", rc, err, secs
    said = "\n".join(l for l in err.splitlines() if not l.startswith("[ptmc]"))  # not the progress lines
    if any(p in said for p in MEMORY_PATTERNS) and (rc in (1, 2) or rc == -signal.SIGABRT or rc == 134):
        return "memory", "clean" if rc in (1, 2) else "uncaught bad_alloc (abort)", rc, err, secs
    if rc < 0 or rc >= 128:
        return "crash", f"run exited with {'signal ' + str(-rc) if rc < 0 else rc}", rc, err, secs
    if rc in (1, 2):
        text = said.strip()
        for pat in CRASH_PATTERNS:
            if pat in text:
                return "crash", f"message contains '{pat}'", rc, err, secs
        if not text:
            return "crash", "non-zero exit without a message", rc, err, secs
        return ("refused" if path.name in text else "error"), "", rc, err, secs
    return "crash", f"run exited with unexpected status {rc}", rc, err, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ptmc", default=str(ROOT / "build-test" / "ptmc"))
    ap.add_argument("--count", type=int, default=5000, help="mutated files through check")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=4, help="cases at a time (check is mostly MPI start-up wait)")
    ap.add_argument("--check-timeout", type=float, default=30)
    ap.add_argument("--run-count", type=int, default=0, help="accepted files run (a random subset); -1 = all")
    ap.add_argument("--run-jobs", type=int, default=2)
    ap.add_argument("--run-timeout", type=float, default=40)
    ap.add_argument("--max-time", type=float, default=7,
                    help="--max-time of each run, seconds (ptmc stops 5 s before it to checkpoint)")
    ap.add_argument("--memory-gb", type=float, default=4, help="address-space limit of each run")
    ap.add_argument("--extra-seeds", action="append", default=[], help="a folder of more seed .toml files")
    ap.add_argument("--only", type=int, action="append", help="run only these case numbers")
    ap.add_argument("--keep", default=None, help="folder for the inputs of failed cases")
    ap.add_argument("--json", default=None, help="write every case's outcome here")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()

    ptmc = str(Path(args.ptmc).resolve())
    env = dict(os.environ)
    if os.geteuid() == 0:
        env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1")
    env.setdefault("OMPI_MCA_rmaps_base_oversubscribe", "1")
    # A single process talks to no one: no daemon, no transports but self (start-up 0.65 -> 0.2 s).
    env.setdefault("OMPI_MCA_ess_singleton_isolated", "1")
    env.setdefault("OMPI_MCA_btl", "self")
    env.setdefault("OMPI_MCA_pml", "ob1")
    env.setdefault("PTMC_MEMORY_AVAILABLE", str(int(args.memory_gb * 2**30)))  # the runs' address-space limit
    env["OMP_NUM_THREADS"] = "1"

    seeds = load_seeds(args.extra_seeds)
    if not seeds:
        sys.exit("no seed files found")
    keys = known_keys(ptmc, env)
    scratch = Path(tempfile.mkdtemp(prefix="ptmc-fuzz-"))
    keep = Path(args.keep) if args.keep else None
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
    results = []
    t_start = time.monotonic()

    def make_case(i):
        rng = random.Random(args.seed * 1_000_003 + i)
        name, text = seeds[rng.randrange(len(seeds))]
        if i < DIRECTED:
            name, mutated = "directed", directed(i, rng, seeds)
        else:
            mutated = mutate(rng, text, keys)
        d = scratch / f"c{i:06d}"
        d.mkdir()
        p = d / f"case{i:06d}.toml"
        p.write_bytes(mutated.encode("latin-1"))
        return i, name, p

    def save(kind, i, p, why, err):
        if keep and kind in ("crash", "hang"):
            shutil.copy(p, keep / p.name)
            (keep / (p.stem + ".txt")).write_text(f"{why}\n{err[-4000:]}")

    def do_check(i):
        i, name, p = make_case(i)
        kind, why, rc, err, secs = check_case(ptmc, p, p.parent, env, args.check_timeout)
        save(kind, i, p, why, err)
        return dict(case=i, seed=name, phase="check", outcome=kind, why=why, rc=rc, secs=round(secs, 2),
                    message=err.strip().splitlines()[-1][:300] if err.strip() else "", path=str(p))

    cases = args.only if args.only else range(args.count)
    counts = {}
    with cf.ThreadPoolExecutor(args.jobs) as ex:
        for n, r in enumerate(ex.map(do_check, cases)):
            results.append(r)
            counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
            if r["outcome"] in ("crash", "hang"):
                print(f"CHECK {r['outcome'].upper()} case {r['case']} (seed {r['seed']}): {r['why']}: {r['message']}",
                      flush=True)
            if not args.quiet and (n + 1) % 500 == 0:
                print(f"[fuzz] {n + 1} checked: {counts} ({time.monotonic() - t_start:.0f} s)", flush=True)
    check_counts = dict(counts)

    accepted = [r for r in results if r["outcome"] == "accepted"]
    if args.run_count >= 0:
        random.Random(args.seed).shuffle(accepted)
        accepted = accepted[: args.run_count]
    run_counts = {}

    def do_run(r):
        p = Path(r["path"])
        kind, why, rc, err, secs = run_case(ptmc, p, p.parent, env, args.run_timeout, args.max_time,
                                            int(args.memory_gb * 2**30))
        save(kind, r["case"], p, why, err)
        for q in p.parent.iterdir():  # outputs can be large: keep only the input
            if q != p:
                shutil.rmtree(q) if q.is_dir() else q.unlink()
        return dict(case=r["case"], seed=r["seed"], phase="run", outcome=kind, why=why, rc=rc, secs=round(secs, 2),
                    message=err.strip().splitlines()[-1][:300] if err.strip() else "")

    t_run = time.monotonic()
    with cf.ThreadPoolExecutor(args.run_jobs) as ex:
        for n, r in enumerate(ex.map(do_run, accepted)):
            results.append(r)
            run_counts[r["outcome"]] = run_counts.get(r["outcome"], 0) + 1
            if r["outcome"] in ("crash", "hang"):
                print(f"RUN {r['outcome'].upper()} case {r['case']} (seed {r['seed']}): {r['why']}: {r['message']}",
                      flush=True)
            if not args.quiet and (n + 1) % 50 == 0:
                print(f"[fuzz] {n + 1} run: {run_counts} ({time.monotonic() - t_run:.0f} s)", flush=True)
    shutil.rmtree(scratch, ignore_errors=True)

    errors, memory, failures = {}, {}, []
    for r in results:
        if r["phase"] == "run" and r["outcome"] == "error":
            errors[r["message"]] = errors.get(r["message"], 0) + 1
        if r["outcome"] == "memory":
            memory[r["why"]] = memory.get(r["why"], 0) + 1
        if r["outcome"] in ("crash", "hang"):
            failures.append(f"{r['phase']} {r['outcome']} case {r['case']} ({r['seed']}): {r['why']}: {r['message']}")
    summary = dict(seeds=len(seeds), checked=len(list(cases)), check=check_counts,
                   accepted=check_counts.get("accepted", 0), run=len(accepted), run_outcomes=run_counts,
                   run_errors=errors, run_memory=memory, failures=failures, seconds=round(time.monotonic() - t_start, 1))
    if args.json:
        Path(args.json).write_text(json.dumps(dict(summary=summary, cases=results), indent=1))
    print(json.dumps(summary))
    bad = sum(c.get("crash", 0) + c.get("hang", 0) for c in (check_counts, run_counts))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
