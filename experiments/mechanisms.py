"""Which mechanisms carry the verdicts? Each switched off in turn, over the whole library.

A diagnostic, not a rule: nothing here changes the model or a scenario, and no result of it is a
reason to change either (the model is judged on summits it has not seen; docs/validation.md). A
verdict should come from the model's mechanisms, not from one input set by hand, and this says
which mechanisms the library's verdicts rest on. Each mechanism is switched off for every
scenario at once, and the scenario replayed with the runs and seed of docs/validation.md:

- learning from offers (``protocol.learning: none``), walk-outs (``protocol.walkouts: none``),
  agreements signed in parts at the close (``protocol.agreements: whole``), loss aversion
  (``protocol.loss_aversion: 1``), and misjudged priorities (``protocol.perception_noise: 0``:
  every leader knows its own and the others' weights);
- the two-level game: every legislature tolerates any text, votes without doubt and punishes
  nothing (``tolerance`` 1, ``noise``, ``hostility`` and ``backlash`` 0);
- allies: every ally's ``weight`` 0, so its cohesion counts for nothing;
- advisers: no briefing and no influence, none in the room;
- the directly set terms (status value, meeting cost, firmness reward, symbolic issues): the
  verdict on the same replays with them taken out of every gain, as docs/validation.md's
  "without the directly set terms" column.

A pre-summit event or a what-if that sets one of these attributes still does so: the switch is
of the file's values, not of every path to them. For each mechanism the script counts the
verdicts that change, and the checks against history under docs/validation.md's rules.

    python experiments/mechanisms.py [--runs 10000]     # the runs and seed of docs/validation.md
"""

from __future__ import annotations

import argparse
import copy
from collections.abc import Callable

from sim.library import known_scenarios
from sim.loader import parse, read, validate
from sim.replay import replay
from sim.spec import compile_scenario
from sim.validation import RUNS, SEED, against_history
from sim.verdict import decide

ABLATION = "switched off by experiments/mechanisms.py to see what it carries"  # the sources-table entry
SOURCE = f"ablation: {ABLATION}"


def fixed(value: float) -> dict:
    return {"value": value, "source": SOURCE}


def protocol(**choices) -> Callable[[dict], None]:
    def switch(doc: dict) -> None:
        for key, value in choices.items():
            doc["protocol"][key] = fixed(value) if isinstance(value, float) else value
            if isinstance(value, str):
                doc["protocol"][f"{key}_source"] = SOURCE
    return switch


def every(group: str, **values: float | bool) -> Callable[[dict], None]:
    def switch(doc: dict) -> None:
        for actor in doc.get(group, {}).values():
            actor.update({k: v if isinstance(v, bool) else fixed(v) for k, v in values.items()})
    return switch


MECHANISMS: dict[str, Callable[[dict], None] | None] = {
    "learning from offers": protocol(learning="none"),
    "walk-outs": protocol(walkouts="none"),
    "agreements in parts": protocol(agreements="whole"),
    "loss aversion": protocol(loss_aversion=1.0),
    "misjudged priorities": protocol(perception_noise=0.0),
    "legislatures": every("legislatures", tolerance=1.0, noise=0.0, hostility=0.0, backlash=0.0),
    "allies": every("allies", weight=0.0),
    "advisers": every("advisers", briefing=0.0, influence=0.0, in_room=False),
    "directly set terms": None,  # the same replays, judged without them
}


def switched_off(document: dict, mechanism: str) -> dict:
    """A copy of the scenario ``document`` with ``mechanism`` switched off (the directly set terms
    are taken out of the gains instead, in ``judged``)."""
    doc = copy.deepcopy(document)
    doc["sources"]["ablation"] = ABLATION
    switch = MECHANISMS[mechanism]
    if switch is not None:
        switch(doc)
    return doc


def judged(doc: dict, where: str, runs: int) -> tuple[dict, dict]:
    """The verdict's leader key ('none' for no clear winner or too close to call) and the checks
    against history, as docs/validation.md counts them: as replayed, and on the same replays with
    the directly set terms taken out of every gain."""
    scenario = validate(doc, where, check_variants=False)
    out = replay(compile_scenario(scenario), runs, SEED)

    def verdict(gain) -> dict:
        winner = decide(gain, list(out.leaders))["winner"]
        summary = {"winner": winner, "held": float(out.held.mean()), "deal": float(out.deal.mean())}
        return {"winner": winner or "none", "checks": against_history(scenario.history, summary, out)[0]}

    return verdict(out.gain), verdict(out.gain - out.direct)


def library(runs: int) -> list[dict]:
    """Per scenario with a history: the verdict as it is, and with each mechanism switched off."""
    rows = []
    for name, path in known_scenarios().items():
        document = parse(read(path), path)
        if "history" not in document:
            continue
        as_is, without_direct = judged(document, str(path), runs)
        row = {"scenario": name, "held_out": bool(document["history"].get("held_out", False)),
               "history": document["history"]["ahead"], "all on": as_is}
        for mechanism, switch in MECHANISMS.items():
            row[mechanism] = without_direct if switch is None else \
                judged(switched_off(document, mechanism), f"{path} without {mechanism}", runs)[0]
        rows.append(row)
    return rows


def tally(rows: list[dict], key: str) -> dict:
    held_out = [r for r in rows if r["held_out"]]
    built = [r for r in rows if not r["held_out"]]
    return {
        "changed": [r["scenario"] for r in rows if r[key]["winner"] != r["all on"]["winner"]],
        "held out": sum(r[key]["checks"]["ahead"] for r in held_out),
        "built": sum(r[key]["checks"]["ahead"] for r in built),
        "deal": sum(r[key]["checks"]["deal"] for r in rows),
        "checks": sum(sum(r[key]["checks"].values()) for r in rows),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    rows = library(args.runs)
    held_out, every_check = sum(r["held_out"] for r in rows), sum(len(r["all on"]["checks"]) for r in rows)
    print(f"{args.runs:,} replays per scenario and setting, seed {SEED}; {len(rows)} scenarios, {held_out} held out\n")
    print(f"| switched off | verdicts changed (of {len(rows)}) | held out: ahead agrees (of {held_out}) | "
          f"built with (of {len(rows) - held_out}) | deal the likely end agrees (of {len(rows)}) | "
          f"every check (of {every_check}) |")
    print("|---|---|---|---|---|---|")
    for key in ("all on", *MECHANISMS):
        t = tally(rows, key)
        label = "nothing (the model as it is)" if key == "all on" else key
        print(f"| {label} | {len(t['changed'])} | {t['held out']} | {t['built']} | {t['deal']} | {t['checks']} |")
    print("\nVerdicts that change (all on -> switched off; history in brackets):")
    for key in MECHANISMS:
        moved = [f"{r['scenario']} {r['all on']['winner']} -> {r[key]['winner']} [{r['history']}]"
                 for r in rows if r[key]["winner"] != r["all on"]["winner"]]
        print(f"- {key}: {'; '.join(moved) or 'none'}")


if __name__ == "__main__":
    main()
