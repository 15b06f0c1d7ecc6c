#!/usr/bin/python3
"""pymatgen side of the interface-reaction benchmark (driven by bench/react.mjs).

usage: /usr/bin/python3 bench/pmg_react.py serve
Reads one JSON command per line on stdin, answers one JSON line on stdout (progress: stderr).

  {"cmd": "setup", "table": PATH, "cases": [CASE, ...]}
      CASE = {"id", "dataset": PATH | "system": "Li-Co-O-P-S", "c1", "c2", "open": null|[el, V],
              "use_hull_energy": bool}
      loads each dataset / cuts each system out of the table (as /work/shared/tools/pmg_reference*.py)
      and builds its PhaseDiagram once.
  {"cmd": "time", "id": ID, "reps": N, "full": bool}
      N repetitions of one interface reaction, as pmg_reference.py computes it: for an open case
      GrandPotentialPhaseDiagram(entries, {el: mu}) (it depends on the voltage, so it is part of
      the reaction), then (GrandPotential)InterfacialReactivity(..., norm=True,
      include_no_mixing_energy=True), get_kinks() once, and the minimum over those kinks.
      full: the closed PhaseDiagram(entries) is built inside each repetition too.
      -> {"ms": per repetition, "kinks": n, "minimum": [x, e]}
  {"cmd": "matrix", "table": PATH, "pairs": [[A, B], ...], "voltages": [0, 2, 4], "open": "Li",
   "timeout_s": T}
      per pair: the chemical system of A + B + open element cut out of the table, PhaseDiagram,
      the closed reaction (use_hull_energy=True) and one open reaction per voltage; stops after
      timeout_s. -> {"done": k, "s": seconds, "per_pair_s": [...], "minima": [...]}
  {"cmd": "quit"}
Exit code 3 with {"error": "pymatgen not available"} when it cannot be imported.
"""
import json
import os
import sys
import time
import warnings

warnings.filterwarnings("ignore")
_OUT = sys.stdout
sys.stdout = sys.stderr  # library chatter goes to stderr; answers to the real stdout


def answer(obj):
    _OUT.write(json.dumps(obj) + "\n")
    _OUT.flush()


try:
    from pymatgen.core import Composition, Element
    from pymatgen.entries.computed_entries import ComputedEntry
    from pymatgen.analysis.phase_diagram import PhaseDiagram, GrandPotentialPhaseDiagram
    from pymatgen.analysis.interface_reactions import InterfacialReactivity, GrandPotentialInterfacialReactivity
except Exception:
    answer({"error": "pymatgen not available"})
    sys.exit(3)

# The reference tool's own loader, so the bench loads exactly what the references were made from.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "tools"))
from pmg_reference import load as _reference_load  # noqa: E402

from mp_table import cut as cut_rows, read_table  # noqa: E402  (this directory: on the path as the script's own)

now = time.perf_counter


def load_dataset(path):
    """Exactly /work/shared/tools/pmg_reference.py load()."""
    return _reference_load(path)


_TABLE = {}


def table(path):
    if path not in _TABLE:
        _TABLE[path] = read_table(path)
    return _TABLE[path]


def cut(path, system):
    """As /work/shared/tools/pmg_reference_chemsys.py: every row inside the system + 0-eV elements."""
    return cut_rows(table(path), system.split("-"))


def react(entries, pd, c1, c2, opn, use_hull):
    c1, c2 = Composition(c1), Composition(c2)
    if opn is None:
        ir = InterfacialReactivity(c1, c2, pd, norm=True, use_hull_energy=use_hull)
    else:
        el, volts = opn
        gpd = GrandPotentialPhaseDiagram(entries, {Element(el): pd.el_refs[Element(el)].energy_per_atom - volts})
        ir = GrandPotentialInterfacialReactivity(c1, c2, gpd, pd_non_grand=pd, norm=True, include_no_mixing_energy=True, use_hull_energy=use_hull)
    kinks = ir.get_kinks()
    mn = min(((k[1], k[2]) for k in kinks), key=lambda t: t[1])
    return len(kinks), mn


def main():
    cases, sources = {}, {}
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        cmd = msg.get("cmd")
        try:
            if cmd == "setup":
                t0 = now()
                for c in msg["cases"]:
                    key = c.get("dataset") or c["system"]
                    if key not in sources:
                        entries = load_dataset(c["dataset"]) if c.get("dataset") else cut(msg["table"], c["system"])
                        sources[key] = (entries, PhaseDiagram(entries))
                    cases[c["id"]] = (key, c)
                answer({"ok": True, "setup_s": now() - t0})
            elif cmd == "time":
                key, c = cases[msg["id"]]
                entries, pd = sources[key]
                reps = int(msg.get("reps", 1))
                t0 = now()
                for _ in range(reps):
                    p = PhaseDiagram(entries) if msg.get("full") else pd
                    n, mn = react(entries, p, c["c1"], c["c2"], c["open"], c["use_hull_energy"])
                answer({"ms": (now() - t0) * 1000 / reps, "kinks": n, "minimum": list(mn)})
            elif cmd == "matrix":
                t0 = now()
                table(msg["table"])
                per, minima = [], []
                for a, b in msg["pairs"]:
                    if now() - t0 > msg.get("timeout_s", 1e9):
                        break
                    s0 = now()
                    system = "-".join(sorted({str(e) for e in Composition(a).elements} | {str(e) for e in Composition(b).elements} | {msg["open"]}))
                    entries = cut(msg["table"], system)
                    pd = PhaseDiagram(entries)
                    row = [react(entries, pd, a, b, None, True)[1][1]]
                    for v in msg["voltages"]:
                        if Composition(a).elements == [Element(msg["open"])] or Composition(b).elements == [Element(msg["open"])]:
                            row.append(None)  # the open element itself is the reservoir, not a reactant
                        else:
                            row.append(react(entries, pd, a, b, [msg["open"], v], True)[1][1])
                    per.append(now() - s0)
                    minima.append(row)
                    print(f"pymatgen matrix {len(per)}/{len(msg['pairs'])} {a}|{b} {per[-1]:.2f}s", file=sys.stderr, flush=True)
                answer({"done": len(per), "s": now() - t0, "per_pair_s": per, "minima": minima})
            elif cmd == "quit":
                answer({"ok": True})
                return
            else:
                answer({"error": f"unknown command {cmd!r}"})
        except Exception as e:  # report, keep serving
            answer({"error": f"{type(e).__name__}: {e}"})


if __name__ == "__main__" and sys.argv[1:2] == ["serve"]:
    main()
elif __name__ == "__main__":
    answer({"error": "usage: pmg_react.py serve"})
    sys.exit(2)
