"""Compile every CUDA kernel to PTX without a GPU and count its instructions.

``python -m benchmarks.ptx_report [--cc 9.0]``: a check for machines without
a GPU. It proves that the kernels type and lower for a real device (not only
under the simulator) and reports, per kernel and precision, the PTX
instruction count and how many of them are float64 (a float32 kernel should
have none). Needs NVIDIA's libnvvm and NVRTC (a CUDA toolkit, or the
``nvidia-cuda-nvrtc`` wheel); not part of the tests.

numba-cuda asks the current device for its compute capability when it
compiles a device function; with no device, this script answers for it.
"""

from __future__ import annotations

import argparse
import sys


def _pretend_device(cc):
    class Device:
        compute_capability = cc
        name = f"no device (PTX for sm_{cc[0]}{cc[1]})"

    for name, module in list(sys.modules.items()):
        if "cuda" in name and hasattr(module, "get_current_device"):
            module.get_current_device = Device


def _instructions(ptx: str) -> list[str]:
    skip = ("//", ".", "{", "}", "$", "@")
    lines = [line.strip() for line in ptx.splitlines()]
    return [line for line in lines if line and not line.startswith(skip) and ";" in line]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ptx_report", description=__doc__)
    parser.add_argument("--cc", default="9.0", help="compute capability, e.g. 9.0 for H100/H200")
    cc = tuple(int(part) for part in parser.parse_args(argv).cc.split("."))

    import numba
    import numpy as np
    from numba import cuda, float64, int64, types

    _pretend_device(cc)
    from powermodel.backends import (
        cuda_fleet,
        cuda_hydro,
        cuda_rack,
        cuda_water,
        cuda_workload,
        specs,
    )  # fmt: skip
    from powermodel.backends._codegen import kernel as generated
    from powermodel.backends._elementwise import elementwise_kernel
    from powermodel.backends.numba_rack import LOAD_CURVES
    from powermodel.backends.specs import KERNELS, RESERVOIR_DISPATCH

    def kernel_fleet(curve):
        return generated(
            f"cuda_fleet_groups_{curve}", cuda_fleet._fleet_loop, "cuda", "float64",
            load_fraction=LOAD_CURVES[curve],
        )  # fmt: skip

    RESERVOIR_RECORD = RESERVOIR_DISPATCH.record

    print("| kernel | precision | PTX instructions | float64 instructions |\n|---|---|---|---|")
    for precision in ("float32", "float64"):
        real = getattr(types, precision)
        a1, a2, a3 = real[::1], real[:, ::1], real[:, :, ::1]
        f1 = float64[::1]
        chain = types.UniTuple(real, 11)
        kernels = {}
        # every kernel the specs declare (a new one without a signature here fails loudly)
        for spec in KERNELS.values():
            if spec.loop == "elementwise":
                whole = (a1,) * len(spec.parameters)
                if spec.record is not None:  # a named record of floats, by value
                    fields = len(spec.record._fields)
                    whole = (numba.typeof(spec.record(*[getattr(np, precision)(0)] * fields)),)
                kernels[spec.name] = (
                    elementwise_kernel(
                        spec.physics, "cuda", precision, len(spec.parameters),
                        len(spec.inputs), len(spec.outputs),
                    ),
                    whole + (a1,) * len(spec.inputs) + (a2,),
                )  # fmt: skip
        kernels["server_power (fan_barroso)"] = (
            cuda_rack._load_curve_kernel("fan_barroso", precision),
            (a2, a1, a1, real, a1, a2),
        )
        kernels["rack_power (fan_barroso)"] = (
            cuda_rack._rack_power_kernel("fan_barroso", precision),
            (a2, a1, a1, a1, real, a1, chain, a1, a2, a2, a2, a2, a2),
        )
        kernels["facility_power (fan_barroso)"] = (
            cuda_rack._facility_power_kernel("fan_barroso", precision),
            (a2, a1, a1, a1, real, a1, chain, a1, float64[:, ::1]),
        )
        record = numba.typeof(RESERVOIR_RECORD(*[0.0] * len(RESERVOIR_RECORD._fields)))
        kernels["reservoir_schedule"] = (
            generated("reservoir_schedule", cuda_hydro._schedule_loop, "cuda"),
            (record, f1, a2, a2, a3),
        )
        kernels["reservoir_dispatch"] = (
            generated("reservoir_dispatch", cuda_hydro._dispatch_loop, "cuda"),
            (record, f1, a2, a2, a1, a3),
        )
        kernels["reservoir_market"] = (
            generated("reservoir_market", cuda_hydro._market_loop, "cuda"),
            (record, f1, float64[:, ::1], a2, a2, a2, a1, a3),
        )
        kernels["training_groups (float64 only)"] = (
            generated("training_groups", cuda_workload._training_loop, "cuda"),
            (float64,) * 7 + (float64[:, ::1], int64[:, ::1], f1, float64[:, ::1]),
        )
        swing_record = numba.typeof(specs.FLEET_GROUPS.record(*[0.0] * 8))
        kernels["fleet_groups (fan_barroso, float64 physics)"] = (
            kernel_fleet("fan_barroso"),
            (swing_record, float64, a3, f1, f1, f1, f1, f1, float64, float64, float64, f1,
             types.UniTuple(float64, 11), float64[:, :, ::1]),
        )  # fmt: skip
        water_record = numba.typeof(specs.WATER_VALUES.record(*[0.0] * 7))
        kernels["water_values (best release, float64 physics)"] = (
            generated("water_values_best", cuda_water._best_loop, "cuda"),
            (water_record, f1, a2, a2, a2, f1, int64, float64[:, ::1]),
        )
        kernels["water_values_mean (scenario sums)"] = (
            generated("water_values_mean", cuda_water._mean_loop, "cuda"),
            (float64[:, ::1], int64, float64[:, ::1]),
        )
        from powermodel.backends import cuda_battery

        battery_record = numba.typeof(
            specs.BATTERY_DISPATCH.record(*[0.0] * len(specs.BATTERY_DISPATCH.record._fields))
        )
        kernels["battery_dispatch (float64 physics)"] = (
            generated("battery_dispatch", cuda_battery._dispatch_loop, "cuda"),
            (battery_record, f1, a2, a2, a2, a2, a2, a3),
        )
        from powermodel.backends import cuda_spectrum

        f2 = float64[:, ::1]
        for spec, loop in ((specs.POWER_SMOOTHING, cuda_spectrum._smoothing_loop),
                           (specs.STORAGE_SMOOTHING, cuda_spectrum._storage_loop)):  # fmt: skip
            scan_record = numba.typeof(spec.record(*[0.0] * len(spec.record._fields)))
            kernels[f"{spec.name} (float64 physics)"] = (
                generated(spec.name, loop, "cuda"),
                (scan_record, f2, a2, a3),
            )
        from powermodel.backends import cuda_flexibility

        shift_record = numba.typeof(specs.SHIFT_DEFERRABLE.record(0.3, 3600.0, 200.0))
        kernels["shift_deferrable"] = (
            generated("shift_deferrable", cuda_flexibility._shift_loop, "cuda"),
            (shift_record, int64[::1], a2, a2, a2, a3),
        )
        covered = {name.split(" ")[0] for name in kernels}
        missing = set(KERNELS) - covered
        if missing:
            raise SystemExit(f"ptx_report: no PTX signature for {sorted(missing)}")
        for name, (kernel, signature) in kernels.items():
            ptx, _ = cuda.compile_ptx(kernel.py_func, signature, cc=cc)
            body = _instructions(ptx)
            doubles = sum(".f64" in line for line in body)
            print(f"| {name} | {precision} | {len(body)} | {doubles} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
