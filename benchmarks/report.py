"""Turn a benchmark JSON into the markdown of ``benchmarks/RESULTS.md``.

``python -m benchmarks.report RESULTS.json > benchmarks/RESULTS.md``: the
table is generated from measured records, never typed by hand.
"""

from __future__ import annotations

import json
import sys

from benchmarks.harness import Record, format_table


def render(records: list) -> str:
    machine = next((r for r in records if r.get("kernel") == "machine"), {})
    floors = [r for r in records if r.get("kernel") == "memory_bandwidth"]
    rows = [Record(**r) for r in records if r.get("kernel") not in ("machine", "memory_bandwidth")]
    lines = ["# Benchmark results", ""]
    if machine:
        lines.append(
            f"Machine: {machine.get('cpu_model', '?')} ({machine.get('simd', '?')}), "
            f"{machine.get('platform')}, {machine.get('cpus')} CPUs "
            f"({machine.get('numba_threads')} numba threads), numpy {machine.get('numpy')}, "
            f"numba {machine.get('numba')}."
        )
    for floor in floors:
        detail = ""
        if "numpy_copy_gbytes_per_second" in floor:
            detail = (
                f" (numpy copy {floor['numpy_copy_gbytes_per_second']:.1f} GB/s, parallel numba "
                f"copy {floor['parallel_copy_gbytes_per_second']:.1f} GB/s)"
            )
        device = floor.get("device", floor["backend"])
        gbs = floor["bandwidth_gbytes_per_second"]
        lines.append(
            f"Measured copy bandwidth on {device}: {gbs:.1f} GB/s{detail}; "
            "'of floor' is relative to it."
        )
    lines += [
        "",
        "Shape is scenarios x hours x racks; medians after a warm-up call; 'compile s' is the",
        "warm-up's extra time (0 when an earlier shape compiled the same signature); 'vs numpy'",
        "is the speed-up over the naive numpy version of the same maths on the same input (on",
        "the largest input it ran on, for shapes where it would not fit in memory).",
        "",
        format_table(rows),
        "",
    ]
    return "\n".join(lines)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m benchmarks.report RESULTS.json", file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        print(render(json.load(handle)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
