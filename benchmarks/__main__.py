"""Run the benchmarks: ``python -m benchmarks [--size tiny|full|gpu] [--json PATH]``.

Prints a markdown table (the README's benchmark table is pasted from it)
and writes the records as JSON. Backends: numba always; cupy when a GPU is
usable (``--backends`` to choose).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from benchmarks import cooling, harness, hydro, rack

SIZES = {
    # (scenarios, hours) x 1000 racks
    "tiny": {
        "shapes": [(1, 48)],
        "cooling_shapes": [(1, 48)],
        "hydro_shapes": [(8, 48)],
        "repeats": 2,
        "bandwidth_bytes": 1 << 24,
        "dtypes": ["float32", "float64"],
    },
    "full": {
        "shapes": [(1, 8760), (16, 8760)],
        "cooling_shapes": [(100, 8760), (1000, 8760)],
        "hydro_shapes": [(1000, 8760), (10000, 8760)],
        "repeats": 7,
        "bandwidth_bytes": 1 << 30,
        "dtypes": ["float32", "float64"],
    },
    "gpu": {
        "shapes": [(1, 8760), (16, 8760), (100, 8760)],
        "cooling_shapes": [(100, 8760), (1000, 8760), (10000, 8760)],
        "hydro_shapes": [(1000, 8760), (10000, 8760), (100000, 8760)],
        "repeats": 20,
        "bandwidth_bytes": 1 << 31,
        "dtypes": ["float32", "float64"],
    },
}

#: numpy baselines run up to this many elements (8760 x 1000 x 16 float32
#: fits, but the float64 chain reference needs ~15 temporaries of 1.1 GB).
NUMPY_MAX_ELEMENTS = 8760 * 1000
#: the numpy reservoir reference (a Python loop over time) runs up to 10,000 scenarios
HYDRO_NUMPY_MAX_ELEMENTS = 8760 * 10_000


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--backends", default="auto", help="comma list of numba,cupy or 'auto'")
    parser.add_argument("--json", default=None, help="write the records to this JSON file")
    args = parser.parse_args(argv)
    size = SIZES[args.size]

    if args.backends == "auto":
        from powermodel.backends import gpu_available

        backends = ["numba"] + (["cupy"] if gpu_available() else [])
    else:
        backends = args.backends.split(",")

    records = [harness.machine()]
    print(f"benchmarks: size {args.size}, backends {backends}", flush=True)
    for backend in backends:
        if backend == "numba":
            floor = harness.cpu_bandwidth(size["bandwidth_bytes"])
        elif backend == "cupy":
            floor = harness.gpu_bandwidth(size["bandwidth_bytes"])
        else:
            parser.error(f"--backends: unknown backend {backend!r}")
        records.append(floor)
        print(f"{backend}: measured copy bandwidth {floor['bandwidth_gbytes_per_second']:.1f} GB/s")
        numpy_max = NUMPY_MAX_ELEMENTS if args.size != "tiny" else 10**9
        # (module, its shapes, how many of them the CPU runs in a "gpu" session, numpy limit)
        suites = [
            (rack, size["shapes"], 2, numpy_max),
            (cooling, size["cooling_shapes"], 1, numpy_max),
            (hydro, size["hydro_shapes"], 2, HYDRO_NUMPY_MAX_ELEMENTS),
        ]
        for module, shapes, cpu_shapes, numpy_limit in suites:
            if backend == "numba" and args.size == "gpu":
                shapes = shapes[:cpu_shapes]
            records += module.run(
                backend,
                shapes,
                [np.dtype(d) for d in size["dtypes"]],
                floor["bandwidth_gbytes_per_second"],
                size["repeats"],
                numpy_limit,
                log=lambda line: print(line, flush=True),
            )
    print()
    print(harness.format_table(records))
    if args.json:
        harness.write_json(records, args.json)
        print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
