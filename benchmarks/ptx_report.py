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

    from numba import cuda, float64, types

    _pretend_device(cc)
    from powermodel.backends import cuda_rack
    from powermodel.backends._elementwise import elementwise_kernel
    from powermodel.kernels import cooling, ite, psychrometrics

    print("| kernel | precision | PTX instructions | float64 instructions |\n|---|---|---|---|")
    for precision in ("float32", "float64"):
        real = getattr(types, precision)
        a1, a2 = real[::1], real[:, ::1]
        chain = types.UniTuple(real, 11)
        kernels = {
            "load_curve (fan_barroso)": (
                cuda_rack._load_curve_kernel("fan_barroso", precision),
                (a2, a1, a1, real, a1, a2),
            ),
            "rack_power": (
                cuda_rack._rack_power_kernel("fan_barroso", precision),
                (a2, a1, a1, a1, real, a1, chain, a1, a2, a2, a2, a2, a2),
            ),
            "facility_power": (
                cuda_rack._facility_power_kernel("fan_barroso", precision),
                (a2, a1, a1, a1, real, a1, chain, a1, float64[:, ::1]),
            ),
            "ite_air_cooled": (
                elementwise_kernel(ite.ite_air_cooled, "cuda", precision, 1, 6, 11),
                (a1,) * 7 + (a2,),
            ),
            "moist_air_state": (
                elementwise_kernel(psychrometrics.moist_air_state, "cuda", precision, 0, 3, 6),
                (a1,) * 3 + (a2,),
            ),
            "cooling_plant": (
                elementwise_kernel(cooling.cooling_plant, "cuda", precision, 1, 3, 16),
                (a1,) * 4 + (a2,),
            ),
        }
        for name, (kernel, signature) in kernels.items():
            ptx, _ = cuda.compile_ptx(kernel.py_func, signature, cc=cc)
            body = _instructions(ptx)
            doubles = sum(".f64" in line for line in body)
            print(f"| {name} | {precision} | {len(body)} | {doubles} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
