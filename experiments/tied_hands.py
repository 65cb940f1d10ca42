"""The tied-hands experiment: does a tighter legislature help its negotiator (Schelling 1960;
Putnam 1988)? The proposition: as side A's legislature tightens, A's share given a deal rises and
the chance of a deal falls. Two sweeps over the legislature's tolerance, one on the textbook
one-issue case (tied-hands/textbook.yaml) and one on Helsinki 2018 (A is the United States).

    python experiments/tied_hands.py [--out results/tied-hands] [--write docs/experiments.md]

Results are stored (and resumed) like any sweep, in --out; --write refreshes the generated
tables in the document.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pandas as pd

from sim.stats import Z95, wilson
from sim.sweeps import session
from sim.sweeps.store import Store
from sim.sweeps.sweepfile import load_sweep
from sim.validation import refresh

HERE = Path(__file__).resolve().parent / "tied-hands"
BEGIN = "<!-- BEGIN GENERATED: python experiments/tied_hands.py --write docs/experiments.md -->"


def run(name: str, out: Path, workers: int | None) -> pd.DataFrame:
    manifest, table = session.sweep_request(load_sweep(HERE / f"{name}.yaml"))
    _, store, _ = session.start(manifest, table, str(out / name), workers=workers, show_progress=False)
    return Store(store.folder).rows()


def mean_ci(x: pd.Series) -> str:
    if len(x) == 0:
        return "no deal"
    half = Z95 * x.std(ddof=1) / math.sqrt(len(x)) if len(x) > 1 else 0.0
    return f"{x.mean():.3f} ± {half:.3f}"


def share(hits: pd.Series) -> str:
    low, high = wilson(float(hits.sum()), len(hits))
    return f"{hits.mean():.1%} [{low:.1%}, {high:.1%}]"


def table(data: pd.DataFrame, dial: str, leader: str, legislature: str, issue: str, label: str) -> str:
    """One row per tolerance, tightest first."""
    lines = [f"| {label} tolerance | deal signed | ratified, given signed | deal in force | "
             f"{issue} given a deal | {leader}'s substantive gain given a deal | P({leader} ahead) |",
             "|---|---|---|---|---|---|---|"]
    for tolerance, runs in data.groupby(dial, sort=True):
        signed = runs[runs["deal"]]
        in_force = runs["deal"] & runs[f"ratified.{legislature}"]
        substantive = signed[f"substantive.{leader}"] if f"substantive.{leader}" in runs else signed[f"gain.{leader}"]
        lines.append(f"| {tolerance:+.2f} | {share(runs['deal'])} | {share(signed[f'ratified.{legislature}'])} | "
                     f"{share(in_force)} | {mean_ci(signed[f'agreed.{issue}'])} | {mean_ci(substantive)} | "
                     f"{share(runs['ahead'] == leader)} |")
    return "\n".join(lines)


def report(out: Path, workers: int | None) -> str:
    textbook = run("tied-hands", out, workers)
    helsinki = run("tied-hands-helsinki", out, workers)
    return "\n".join([
        f"**Textbook two-level game** (`experiments/tied-hands/tied-hands.yaml`: {len(textbook):,} runs, "
        "seed 1988). A wants 1 on the one issue, B wants 0, the status quo is 0.5; the issue column is "
        "A's share.", "",
        table(textbook, "legislatures.parliament.tolerance", "a", "parliament", "pie", "Parliament's"), "",
        f"**Helsinki 2018** (`experiments/tied-hands/tied-hands-helsinki.yaml`: {len(helsinki):,} runs, "
        "seed 2018). The US wants sanctions relief low (its ideal is 0.1; the status quo is 0.3); Congress "
        "ratifies sanctions relief and arms control.", "",
        table(helsinki, "legislatures.congress.tolerance", "us", "congress", "sanctions-relief", "Congress's"),
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("results/tied-hands"))
    parser.add_argument("--workers", type=int)
    parser.add_argument("--write", type=Path, metavar="FILE", help="refresh the generated block in FILE")
    args = parser.parse_args()
    text = report(args.out, args.workers)
    if args.write is None:
        print(text)
        return
    args.write.write_text(refresh(args.write.read_text(encoding="utf-8"), text, BEGIN), encoding="utf-8")
    print(f"refreshed the tables in {args.write}")


if __name__ == "__main__":
    main()
