"""Whole-site throughput: scenario-years per second of ``simulate`` and the time per stage.

``python -m benchmarks.site [--scenarios 20,100] [--backend numba] [--json PATH]``

Runs the built-in site (``dra01``) for a year, hourly, after one warm-up run
that compiles the kernels (its time is reported apart as the cold start),
and reports the median of ``--repeats`` runs with the share of each stage
(weather, workload, rack power, power swings, cooling, zone, balance). In
one process, one chunk: the figure a Dask worker reaches per chunk.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from powermodel import simulate as sim


def measure(scenarios: int, backend: str, repeats: int, periods: int = 8760) -> dict:
    runs = []
    for _ in range(repeats):
        timings: dict = {}
        started = time.perf_counter()
        sim.simulate(
            "dra01", scenarios, seed=0, periods=periods, backend=backend,
            chunk_size=scenarios, timings=timings,
        )  # fmt: skip
        runs.append((time.perf_counter() - started, timings))
    seconds = statistics.median(total for total, _ in runs)
    stages = {stage: statistics.median(t.get(stage, 0.0) for _, t in runs) for stage in runs[0][1]}
    years = scenarios * periods / 8760
    return {
        "kind": "site",
        "site": "dra01",
        "backend": backend,
        "scenarios": scenarios,
        "hours": periods,
        "seconds": seconds,
        "scenario_years_per_second": years / seconds,
        "stage_seconds": stages,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site", description=__doc__)
    parser.add_argument("--scenarios", default="20,100", help="comma list of scenario counts")
    parser.add_argument("--backend", default="numba")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    sim.simulate("dra01", 2, periods=48, backend=args.backend)  # compile every kernel
    cold = time.perf_counter() - started
    print(f"cold start (compiling the kernels, 2 scenarios x 48 h): {cold:.1f} s")
    records = []
    for n in (int(x) for x in args.scenarios.split(",")):
        record = measure(n, args.backend, args.repeats, args.hours)
        record["cold_start_seconds"] = cold
        records.append(record)
    stages = list(records[0]["stage_seconds"])
    print()
    print("| scenarios | hours | s (median) | scenario-years/s | " + " | ".join(stages) + " |")
    print("|---:|---:|---:|---:|" + "---:|" * len(stages))
    for r in records:
        shares = [r["stage_seconds"][s] / r["seconds"] for s in stages]
        print(
            f"| {r['scenarios']} | {r['hours']} | {r['seconds']:.2f} | "
            f"{r['scenario_years_per_second']:.2f} | "
            + " | ".join(f"{share:.0%}" for share in shares)
            + " |"
        )
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(records, handle, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
