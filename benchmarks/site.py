"""Whole-site throughput, kernel floor and memory of ``simulate`` at Monte Carlo scale.

``python -m benchmarks.site [--scenarios 100,1000,10000] [--backend numba]
[--start 2027-01-01] [--keep summaries] [--json PATH]``

Each scenario count runs in a fresh process (so that its peak RSS,
``resource.getrusage``'s ``ru_maxrss``, is its own) on the built-in site
``dra01`` for ``--hours`` hours (default a year), hourly, with the default
chunking, after a warm-up run of 2 scenarios x 48 h in the same process. It
reports:

- scenario-years per second (the median of ``--repeats`` runs, one run for
  1,000 scenarios and more);
- the share of each stage (``simulate(timings=...)``: weather, workload,
  racks and swings, cooling, zone, balance);
- the **kernel floor**: the summed seconds of the compiled kernels alone
  (:func:`powermodel.backends.kernel_seconds`), and the whole run's ratio to
  it. Kernels that run in threads at once (the training jobs of each
  scenario) add up their core-seconds, so the floor can exceed what one
  core would need in wall time;
- peak RSS of the process [GB] and per scenario-year [MB];
- cold start: a process with an empty kernel cache (every kernel compiled),
  and warm start: a fresh process with the cache filled; both the wall time
  of ``import powermodel`` plus a 2 x 48 h run.

The CPU model (``lscpu``) is printed with the table: quote the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = r"""
import json, resource, statistics, sys, time
started = time.perf_counter()
from powermodel import simulate as sim
from powermodel.backends import kernel_seconds
args = json.loads(sys.argv[1])
sim.simulate("dra01", 2, periods=48, backend=args["backend"], start=args["start"])
first = time.perf_counter() - started
runs = []
for _ in range(args["repeats"]):
    timings = {}
    with kernel_seconds() as kernels:
        tick = time.perf_counter()
        result = sim.simulate(
            "dra01", args["scenarios"], seed=0, periods=args["hours"], backend=args["backend"],
            start=args["start"], keep=args["keep"], timings=timings,
        )
        seconds = time.perf_counter() - tick
    runs.append((seconds, timings, dict(kernels)))
    del result
median = statistics.median(s for s, _, _ in runs)
pick = min(runs, key=lambda r: abs(r[0] - median))
print(json.dumps({
    "first_run_seconds": first,
    "seconds": median,
    "stage_seconds": pick[1],
    "kernel_seconds": pick[2],
    "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
}))
"""

START = r"""
import time, sys
started = time.perf_counter()
from powermodel import simulate as sim
sim.simulate("dra01", 2, periods=48, backend=sys.argv[1])
print(time.perf_counter() - started)
"""


def _child(code: str, argument: str, env=None) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code, argument], capture_output=True, text=True, env=env,
        check=False,
    )  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{done.stderr[-3000:]}")
    return done.stdout.strip().splitlines()[-1]


def start_times(backend: str) -> dict:
    """Seconds to import and run 2 x 48 h in a fresh process: empty and filled kernel cache."""
    with tempfile.TemporaryDirectory() as empty:
        env = dict(os.environ, POWERMODEL_CACHE_DIR=empty)
        cold = float(_child(START, backend, env))
        warm_same_cache = float(_child(START, backend, env))
    warm = float(_child(START, backend))
    return {"cold": cold, "warm": warm, "warm_fresh_cache": warm_same_cache}


def measure(scenarios: int, backend: str, repeats: int, hours: int, start, keep) -> dict:
    args = {"scenarios": scenarios, "backend": backend, "repeats": repeats, "hours": hours,
            "start": start, "keep": keep}  # fmt: skip
    record = json.loads(_child(CHILD, json.dumps(args)))
    years = scenarios * hours / 8760
    record.update(
        kind="site", site="dra01", backend=backend, scenarios=scenarios, hours=hours,
        start=start, keep=keep, scenario_years_per_second=years / record["seconds"],
        kernel_floor_seconds=sum(record["kernel_seconds"].values()),
        peak_rss_mb_per_scenario_year=record["peak_rss_bytes"] / 1e6 / years,
    )  # fmt: skip
    return record


def cpu_model() -> str:
    try:
        text = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
    except OSError:
        return "unknown"
    for line in text.splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.site", description=__doc__)
    parser.add_argument("--scenarios", default="100,1000,10000", help="comma list of counts")
    parser.add_argument("--backend", default="numba")
    parser.add_argument("--repeats", type=int, default=3, help="runs below 1,000 scenarios")
    parser.add_argument("--hours", type=int, default=8760)
    parser.add_argument("--start", default=None, help="first time stamp (default: first phase)")
    parser.add_argument("--keep", default="auto", help='"auto", "hourly" or "summaries"')
    parser.add_argument("--no-start-times", action="store_true", help="skip cold/warm start")
    parser.add_argument("--json", default=None)
    args = parser.parse_args(argv)
    print(f"CPU: {cpu_model()}, {os.cpu_count()} logical CPUs; backend {args.backend}")
    starts = None if args.no_start_times else start_times(args.backend)
    if starts:
        print(
            f"start (import + 2 scenarios x 48 h in a fresh process): cold (empty kernel "
            f"cache) {starts['cold']:.1f} s, warm {starts['warm']:.1f} s"
        )
    records = []
    for n in (int(x) for x in args.scenarios.split(",")):
        repeats = args.repeats if n < 1000 else 1
        record = measure(n, args.backend, repeats, args.hours, args.start, args.keep)
        record["start_seconds"] = starts
        records.append(record)
    stages = list(records[0]["stage_seconds"])
    print()
    print(
        "| scenarios | s | scenario-years/s | kernel floor s | run / floor | peak RSS GB "
        "| MB per scenario-year | " + " | ".join(stages) + " |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|" + "---:|" * len(stages))
    for r in records:
        shares = [r["stage_seconds"].get(s, 0.0) / r["seconds"] for s in stages]
        print(
            f"| {r['scenarios']} | {r['seconds']:.2f} | {r['scenario_years_per_second']:.1f} | "
            f"{r['kernel_floor_seconds']:.2f} | "
            f"{r['seconds'] / r['kernel_floor_seconds']:.2f} | "
            f"{r['peak_rss_bytes'] / 1e9:.2f} | {r['peak_rss_mb_per_scenario_year']:.2f} | "
            + " | ".join(f"{share:.0%}" for share in shares)
            + " |"
        )
    print()
    kernels = sorted(records[-1]["kernel_seconds"].items(), key=lambda kv: -kv[1])
    print(f"kernels at {records[-1]['scenarios']} scenarios (s): "
          + ", ".join(f"{name} {seconds:.2f}" for name, seconds in kernels))  # fmt: skip
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(records, handle, indent=1)
    return 0


if __name__ == "__main__":
    started = time.perf_counter()
    code = main()
    print(f"\nbenchmark wall time {time.perf_counter() - started:.0f} s")
    sys.exit(code)
