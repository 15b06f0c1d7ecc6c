#!/usr/bin/python3
"""pymatgen side of the window benchmark (driven by bench/window.mjs).

usage:
  /usr/bin/python3 bench/pmg_window.py profiles  < CASES.json
  /usr/bin/python3 bench/pmg_window.py windows   < SAMPLE.json

Input on stdin (written by bench/window.mjs, so both sides use the very same entries):
  profiles: {"groups": [{"name", "entries": [[{el: amt}, energy], ...],
                         "profiles": [[formula, element], ...]}, ...]}
            per group: PhaseDiagram(entries) timed once, then get_element_profile(element, comp)
            timed per profile. checksum = sum over steps of (chempot - el_ref) + evolution.
  windows:  {"table": [[{el: amt}, e_form_per_atom], ...], "compositions": [formula, ...]}
            per composition: PhaseDiagram of its chemical system cut out of the table (+ 0-eV
            elemental references), built fresh, then get_element_profile(Li, comp) and the window
            read off it (the step with zero evolution, or when there is none the chempot of the
            first step giving Li off: a zero-width window). Timed per composition.
Prints exactly one JSON line on stdout; exit 3 when pymatgen is not importable.
"""
import json
import sys
import time
import warnings

warnings.filterwarnings("ignore")
_STDOUT = sys.stdout
sys.stdout = sys.stderr


def emit(obj, code=0):
    _STDOUT.write(json.dumps(obj) + "\n")
    _STDOUT.flush()
    sys.exit(code)


try:
    from pymatgen.core import Composition, Element
    from pymatgen.analysis.phase_diagram import PDEntry, PhaseDiagram
except Exception:
    emit({"error": "pymatgen not available"}, 3)

now = time.perf_counter


def entries_of(pairs):
    out = []
    for i, (comp, energy) in enumerate(pairs):
        e = PDEntry(Composition(comp), energy)
        e.entry_id = str(i)
        out.append(e)
    return out


def task_profiles(spec):
    res = []
    for g in spec["groups"]:
        entries = entries_of(g["entries"])
        t0 = now()
        pd = PhaseDiagram(entries)
        build = now() - t0
        for formula, el in g["profiles"]:
            element, comp = Element(el), Composition(formula)
            ref = pd.el_refs[element].energy_per_atom
            t0 = now()
            prof = pd.get_element_profile(element, comp)
            dt = now() - t0
            checksum = sum(p["chempot"] - ref + p["evolution"] for p in prof)
            res.append({"group": g["name"], "composition": formula, "element": el, "build_s": build,
                        "profile_s": dt, "steps": len(prof), "checksum": checksum})
    return {"task": "profiles", "cases": res}


def task_windows(spec):
    table = [(Composition(c), e) for c, e in spec["table"]]
    times, windows = [], []
    for formula in spec["compositions"]:
        comp = Composition(formula)
        els = {str(x) for x in comp.elements} | {"Li"}
        t0 = now()
        entries = []
        for c, ef in table:
            if {str(x) for x in c.elements} <= els:
                entries.append(PDEntry(c, ef * c.num_atoms))
        for el in sorted(els):
            entries.append(PDEntry(Composition(el), 0.0))
        pd = PhaseDiagram(entries)
        prof = pd.get_element_profile(Element("Li"), comp)
        ref = pd.el_refs[Element("Li")].energy_per_atom
        red = ox = None
        for i, p in enumerate(prof):
            if abs(p["evolution"]) < 1e-8 * comp.num_atoms:
                red = -(p["chempot"] - ref)
                ox = -(prof[i + 1]["chempot"] - ref) if i + 1 < len(prof) else None
                break
        else:
            # no step without uptake: the composition sits inside the facet before the first
            # step that gives Li off, and the window closes at that facet's chempot
            p = next(p for p in prof if p["evolution"] < 0)
            red = ox = -(p["chempot"] - ref)
        times.append(now() - t0)
        windows.append([formula, red, ox])
    return {"task": "windows", "n": len(times), "total_s": sum(times), "times_s": times, "windows": windows}


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("profiles", "windows"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    spec = json.load(sys.stdin)
    emit(task_profiles(spec) if sys.argv[1] == "profiles" else task_windows(spec))
