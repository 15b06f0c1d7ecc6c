#!/usr/bin/python3
"""pymatgen side of the hull benchmark (driven by bench/hull.mjs; see bench/README.md).

usage:
  /usr/bin/python3 bench/pmg_hull.py hull    DATASET.json.gz [--repeat N]
  /usr/bin/python3 bench/pmg_hull.py patched TABLE.csv.gz   [--repeat N] [--limit K] [--timeout S]
                                                            [--table-rows M] [--max-mem-gb G]
  defaults: hull --repeat 5; patched --repeat 1 --table-rows 20000 --limit 0 (all rows) --timeout 280
  (the whole 85,014-row table: --table-rows 0 --timeout 0 --limit 2000; ~11 min, 4 GB: see bench/README.md)

Prints exactly one JSON line on stdout; progress goes to stderr.
Exit codes: 0 ok (also when --timeout stopped the run: "timed_out"), 1 failure, 2 bad usage/input,
4 hard timeout (stuck in native code; partial JSON), 3 pymatgen not importable ({"error": "pymatgen not available"}).

hull:    per repetition: load (parse + entry construction, fresh objects), PhaseDiagram(entries),
         then pd.get_decomp_and_e_above_hull(e, allow_negative=True) for every entry.
         checksum = sum of e_above_hull over all entries.
patched: per repetition: load the first M rows of the formation-energy table (+ one 0-eV PDEntry
         per element present),
         PatchedPhaseDiagram(entries), then the signed hull distance of the first K rows
         (E_hull for unstable rows, get_phase_separation_energy (<= 0) for stable ones).
         If only K < M rows are timed, their per-row cost is extrapolated to all M rows.
         checksum = sum of the signed hull distances of the measured rows.
"""
import argparse
import faulthandler
import gzip
import json
import os
import resource
import signal
import sys
import threading
import time
import warnings

warnings.filterwarnings("ignore")
os.environ.setdefault("PYTHONWARNINGS", "ignore")
# Single-threaded BLAS unless the caller says otherwise (set before numpy is imported). Debian's
# numpy uses openblas-pthread; its worker threads only add spin/sys time to pymatgen's small
# matrix ops: PatchedPhaseDiagram over 20,000 rows took 79 s (97 s CPU) threaded vs 64 s with 1.
for _v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

# Anything that libraries print goes to stderr; the one JSON line goes to the real stdout.
_STDOUT = sys.stdout
sys.stdout = sys.stderr


_EMIT_LOCK = threading.Lock()


def emit(obj, code=0, hard=False):
    """Write the one JSON line (at most once per process) and exit."""
    if not _EMIT_LOCK.acquire(blocking=False):
        return  # the watchdog got there first and is exiting the process
    _STDOUT.write(json.dumps(obj) + "\n")
    _STDOUT.flush()
    if hard:
        os._exit(code)
    sys.exit(code)


def start_watchdog(seconds, state):
    """SIGALRM (--timeout) is only handled between Python bytecodes; a native call that never
    returns (e.g. qhull after a failed allocation under the --max-mem-gb cap) would hang the
    Node driver. 30 s after the deadline a thread reports what is known and exits (needs the GIL);
    30 s later faulthandler's native thread dumps the stacks to stderr and exits regardless."""
    def fire():
        out = dict(state)
        out["error"] = f"hard timeout: still in {out.get('stage')} {seconds + 30:g} s after start (stuck in native code?)"
        emit(out, 4, hard=True)
    t = threading.Timer(seconds + 30, fire)
    t.daemon = True
    t.start()
    faulthandler.dump_traceback_later(seconds + 60, exit=True)
    return t


try:
    from pymatgen.core import Composition
    from pymatgen.entries.computed_entries import ComputedEntry
    from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram, PatchedPhaseDiagram
    import pymatgen.core as _pmg_core
except Exception:  # ImportError, or a broken install
    emit({"error": "pymatgen not available"}, 3)

try:
    from importlib.metadata import version as _version
    PMG_VERSION = _version("pymatgen")
except Exception:
    PMG_VERSION = getattr(_pmg_core, "__version__", None)

# The reference tool's own loader, so the bench loads exactly what the references were made from.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "tools"))
from pmg_reference import load as _reference_load  # noqa: E402

now = time.perf_counter
cpu = time.process_time  # CPU seconds of this process (all threads): the machine may be shared
DEFAULT_TABLE_ROWS = 20000  # see bench/README.md: the full-table build alone takes ~10.5 min here
DEFAULT_LIMIT = 0  # 0 = every row of the (sub)table
DEFAULT_TIMEOUT = 280.0
SPACE_LIMIT = 10**9


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def peak_rss_mb():
    # Linux: ru_maxrss is in KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


# ---------------------------------------------------------------- task: hull

def load_entries(path):
    """Exactly /work/shared/tools/pmg_reference.py load()."""
    return _reference_load(path)


def task_hull(dataset, repeat):
    load_s, build_s, ehull_s, total_s, build_cpu_s, ehull_cpu_s = [], [], [], [], [], []
    n_entries = checksum = n_stable = None
    for r in range(repeat):
        t0 = now()
        entries = load_entries(dataset)  # fresh objects each repetition: no caches carried over
        t1, c1 = now(), cpu()
        pd = PhaseDiagram(entries)
        t2, c2 = now(), cpu()
        s = 0.0
        for e in entries:
            s += pd.get_decomp_and_e_above_hull(e, allow_negative=True)[1]
        t3, c3 = now(), cpu()
        build_cpu_s.append(c2 - c1)
        ehull_cpu_s.append(c3 - c2)
        load_s.append(t1 - t0)
        build_s.append(t2 - t1)
        ehull_s.append(t3 - t2)
        total_s.append(t3 - t1)
        n_entries, checksum, n_stable = len(entries), s, len(pd.stable_entries)
        log(f"[pmg hull] rep {r + 1}/{repeat}: load {t1 - t0:.4f}s build {t2 - t1:.4f}s "
            f"ehull {t3 - t2:.4f}s checksum {s:.10f}")
    return {
        "task": "hull", "dataset": os.path.basename(dataset), "n_entries": n_entries,
        "n_stable": n_stable,
        "load_s": load_s, "build_s": build_s, "ehull_s": ehull_s, "total_s": total_s,
        "build_cpu_s": build_cpu_s, "ehull_cpu_s": ehull_cpu_s,
        "total_def": "build_s + ehull_s (load excluded)",
        "peak_rss_mb": peak_rss_mb(), "checksum": checksum,
        "pymatgen": PMG_VERSION, "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }


# ---------------------------------------------------------------- task: patched

class Timeout(BaseException):
    # BaseException: pymatgen wraps `except Exception` into ValueError (get_decomp_and_e_above_hull)
    pass


def _on_alarm(signum, frame):
    raise Timeout()


def load_table(path, table_rows=None):
    """Rows formula,e_form_per_atom (first `table_rows` rows if given) + a 0-eV PDEntry per element."""
    import csv
    opener = gzip.open if path.endswith(".gz") else open
    rows = []
    with opener(path, "rt") as f:
        for r in csv.DictReader(f):
            if table_rows is not None and len(rows) >= table_rows:
                break
            comp = Composition(r["formula"])
            ent = PDEntry(comp, float(r["e_form_per_atom"]) * comp.num_atoms)
            ent.entry_id = r["formula"]
            rows.append(ent)
    els = sorted({str(x) for e in rows for x in e.composition.elements})
    refs = []
    for el in els:
        ref = PDEntry(Composition(el), 0.0, name=el)
        ref.entry_id = f"ref-{el}"
        refs.append(ref)
    return rows, refs


def signed_hull_distance(ppd, stable_ids, e):
    """E_hull (>= 0) for unstable rows; phase-separation energy (<= 0) for stable compounds."""
    if id(e) in stable_ids:
        if e.is_element:
            return 0.0
        # space_limit: pymatgen 2022.11 builds an "inner hull" PhaseDiagram over the competing
        # entries *plus the elemental references of every element in the table* when a row has
        # more than space_limit (200) competing entries, i.e. an 84-dimensional qhull that ran
        # this machine out of memory (24 GB RSS, OOM-killed); the result of that inner hull is then discarded
        # (competing_entries is reassigned right after), so disabling it changes nothing but
        # the cost. SLSQP over all competing entries is what pymatgen computes either way.
        return ppd.get_phase_separation_energy(e, space_limit=SPACE_LIMIT)
    # stability already decided above: skip pymatgen's set(stable_entries) rebuild per call
    return ppd.get_decomp_and_e_above_hull(e, allow_negative=True, check_stable=False)[1]


def reference_check(path, results):
    """Compare measured rows with pymatgen's own sample (outside all timings)."""
    ref = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(path))),
                       "reference", "mp-legacy-sample-hull.csv")
    if not os.path.exists(ref):
        return None
    import csv
    with open(ref) as f:
        sample = {r["formula"]: float(r["signed_hull_distance"]) for r in csv.DictReader(f)}
    diffs = [abs(v - sample[k]) for k, v in results if k in sample]
    return {"file": os.path.basename(ref), "rows_compared": len(diffs),
            "max_abs_diff": max(diffs) if diffs else None}


def _median(xs):
    if not xs:
        return None
    xs = sorted(xs)
    m = len(xs) // 2
    return xs[m] if len(xs) % 2 else (xs[m - 1] + xs[m]) / 2


def task_patched(path, repeat, limit, timeout, table_rows):
    start = now()
    load_s, build_s, ehull_s, total_s = [], [], [], []
    state = {"task": "patched", "dataset": os.path.basename(path), "table_rows": table_rows, "stage": "load",
             "load_s": load_s, "build_s": build_s, "ehull_s": ehull_s, "total_s": total_s, "timeout_s": timeout,
             "timed_out": True, "pymatgen": PMG_VERSION}
    if timeout and timeout > 0:
        signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        watchdog = start_watchdog(timeout, state)
    else:
        watchdog = None
    measured, measured_stable, stable_s, per_row, extrap = [], [], [], [], []
    build_cpu_s, ehull_cpu_s = [], []
    n_rows = n_entries = n_spaces = n_stable = n_elements = None
    checksum, results, timed_out, error, stage = None, [], False, None, "load"
    build_partial_s = None
    try:
        for r in range(repeat):
            ppd = None
            stage = state["stage"] = "load"
            t0 = now()
            rows, refs = load_table(path, table_rows)
            entries = rows + refs
            t1 = now()
            load_s.append(t1 - t0)
            n_rows, n_entries, n_elements = len(rows), len(entries), len(refs)
            log(f"[pmg patched] rep {r + 1}: loaded {n_rows} rows + {len(refs)} element refs in {t1 - t0:.2f}s")
            stage = state["stage"] = "build"
            c1 = cpu()
            try:
                ppd = PatchedPhaseDiagram(entries)
            except BaseException:
                build_partial_s = now() - t1
                raise
            t2, c2 = now(), cpu()
            build_s.append(t2 - t1)
            build_cpu_s.append(c2 - c1)
            n_spaces, n_stable = len(ppd.spaces), len(ppd._stable_entries)
            log(f"[pmg patched] rep {r + 1}: built {n_spaces} sub-spaces, {n_stable} stable in {t2 - t1:.2f}s")
            stage = state["stage"] = "rows"
            k = n_rows if limit is None else min(limit, n_rows)
            results, s, done, nst, tst, last_log = [], 0.0, 0, 0, 0.0, now()
            try:
                stable_ids = {id(e) for e in ppd._stable_entries}
                for e in rows[:k]:
                    ta = now()
                    d = signed_hull_distance(ppd, stable_ids, e)
                    if id(e) in stable_ids:
                        nst += 1
                        tst += now() - ta
                    s += d
                    done += 1
                    results.append((e.entry_id, d))
                    if now() - last_log > 10.0:
                        last_log = now()
                        log(f"[pmg patched]   {done}/{k} rows, {(last_log - t2) / done * 1e3:.2f} ms/row")
            except Timeout:
                timed_out = True
            except Exception as ex:  # MemoryError / QhullError under the --max-mem-gb cap, ...
                error = f"{type(ex).__name__} at row {done} ({rows[done].entry_id}): {str(ex)[:200]}"
            t3 = now()
            ehull_s.append(t3 - t2)
            ehull_cpu_s.append(cpu() - c2)
            total_s.append(t3 - t1)
            measured.append(done)
            measured_stable.append(nst)
            stable_s.append(tst)
            checksum = s
            pr = (t3 - t2) / done if done else None
            per_row.append(pr)
            extrap.append((t2 - t1) + pr * n_rows if pr is not None else None)
            log(f"[pmg patched] rep {r + 1}: {done} rows ({nst} stable) in {t3 - t2:.2f}s, checksum {s:.10f}")
            del ppd
            if timed_out or error:
                break
    except Timeout:
        timed_out = True
    except Exception as ex:
        error = f"{type(ex).__name__} during {stage}: {str(ex)[:200]}"
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        if watchdog is not None:
            watchdog.cancel()
            faulthandler.cancel_dump_traceback_later()
    out = {
        "task": "patched", "dataset": os.path.basename(path), "n_entries": n_entries,
        "n_rows": n_rows, "n_elements": n_elements, "table_rows": table_rows,
        "n_subspaces": n_spaces, "n_stable": n_stable,
        "load_s": load_s, "build_s": build_s, "ehull_s": ehull_s, "total_s": total_s,
        "build_cpu_s": build_cpu_s, "ehull_cpu_s": ehull_cpu_s,
        "total_def": "build_s + ehull_s; ehull_s covers only the first measured_rows rows (load excluded)",
        "rows_timed": measured[-1] if measured else 0,
        "measured_rows": measured[-1] if measured else 0,
        "measured_stable_rows": measured_stable[-1] if measured_stable else 0,
        "measured_stable_s": stable_s[-1] if stable_s else None,
        "per_row_s": _median([x for x in per_row if x is not None]),
        "extrapolated": bool(measured) and n_rows is not None and measured[-1] < n_rows,
        "extrapolated_total_s": _median([x for x in extrap if x is not None]),
        "extrapolation": "per repetition: build_s + (ehull_s / measured_rows) * n_rows, i.e. the measured build plus "
                         "the signed hull distance of all n_rows rows, extrapolated from the first measured_rows rows "
                         "in table order (exact, not extrapolated, when measured_rows == n_rows); median over "
                         "repetitions. per_row_s: median of ehull_s / measured_rows. Counts: last repetition",
        "on_subset": table_rows is not None and n_rows is not None and n_rows >= table_rows,
        "build_partial_s": build_partial_s,
        "timeout_s": timeout, "timed_out": timed_out,
        "timed_out_in": stage if timed_out else None,
        "wall_s": now() - start,
        "peak_rss_mb": peak_rss_mb(), "checksum": checksum,
        "checksum_def": "sum of signed hull distances of the measured rows (last repetition)",
        "pymatgen": PMG_VERSION, "blas_threads": os.environ.get("OPENBLAS_NUM_THREADS"),
    }
    if error:
        out["error"] = error
    # the reference is pymatgen within each row's chemical system of the WHOLE table
    full = table_rows is None or (n_rows is not None and n_rows < table_rows)
    out["reference_check"] = reference_check(path, results) if results and full else None
    try:
        log("[pmg patched] " + " ".join(l.strip() for l in open("/proc/self/status") if l.startswith(("VmPeak", "VmHWM"))))
    except OSError:
        pass
    return out


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("task", choices=["hull", "patched"])
    ap.add_argument("dataset")
    ap.add_argument("--repeat", type=int, default=None,
                    help="repetitions inside the process (default: hull 5, patched 1)")
    ap.add_argument("--limit", type=int, default=DEFAULT_LIMIT,
                    help=f"patched: time only the first K rows (default: 0 = all rows)")
    ap.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                    help=f"patched: stop after S seconds of wall time and report what was measured "
                         f"(default {DEFAULT_TIMEOUT:g}; 0 = none)")
    ap.add_argument("--max-mem-gb", type=float, default=8.0,
                    help="address-space cap (RLIMIT_AS) so a runaway pymatgen call fails with MemoryError "
                         "instead of triggering the machine's OOM killer (default 8; 0 = none)")
    ap.add_argument("--table-rows", type=int, default=DEFAULT_TABLE_ROWS,
                    help=f"patched: build over the first M rows of the table only (default {DEFAULT_TABLE_ROWS}; "
                         "0 = the whole table)")
    try:
        a = ap.parse_args(argv)
    except SystemExit as ex:
        if ex.code == 0:  # --help (printed on stderr, since stdout is redirected)
            sys.exit(0)
        emit({"error": "bad arguments"}, 2)
    if not os.path.exists(a.dataset):
        emit({"error": f"no such dataset: {a.dataset}"}, 2)
    if a.max_mem_gb and a.max_mem_gb > 0:
        cap = int(a.max_mem_gb * 2**30)
        resource.setrlimit(resource.RLIMIT_AS, (cap, resource.getrlimit(resource.RLIMIT_AS)[1]))
    try:
        if a.task == "hull":
            out = task_hull(a.dataset, a.repeat or 5)
        else:
            out = task_patched(a.dataset, a.repeat or 1, a.limit or None, a.timeout, a.table_rows or None)
    except Exception as ex:  # e.g. a CSV given to `hull`: still one JSON line, nonzero exit
        emit({"error": f"{type(ex).__name__}: {ex}", "task": a.task, "dataset": os.path.basename(a.dataset)}, 1)
    emit(out)


if __name__ == "__main__":
    main(sys.argv[1:])
