"""Benchmark of the cooling plant kernel.

One element is one scenario-hour of one hall: read heat load, outdoor
dry-bulb and wet-bulb temperature, write the 16 outputs of
:func:`powermodel.kernels.cooling.cooling_plant`. The numpy baseline is the
numpy reference backend (float64 array expressions of the same maths).
The plant is the default hybrid (liquid 80 %, dry coolers, economiser,
Carnot chillers), with weather spanning free, partial and mechanical hours.
"""

from __future__ import annotations

import numpy as np

from benchmarks.harness import kernel_record, log_line, time_call
from powermodel import cooling
from powermodel.backends import numpy_cooling
from powermodel.backends._dispatch import _in_precision
from powermodel.backends._elementwise import launch
from powermodel.kernels import cooling as physics

__all__ = ["run"]

PLANT = "hybrid-dry-cooler"
DESIGN_HEAT = 12e6  # W


def _inputs(xp, elements, dtype):
    rng = np.random.default_rng(0)
    heat = rng.uniform(0.3, 1.0, elements) * DESIGN_HEAT
    temp_air = rng.uniform(-25.0, 35.0, elements)
    temp_wet_bulb = temp_air - rng.uniform(0.0, 8.0, elements)
    return [xp.asarray(a.astype(dtype)) for a in (heat, temp_air, temp_wet_bulb)]


def run(backend, shapes, dtypes, bandwidth_gbs, repeats, numpy_max_elements, log=print):
    """Time the cooling kernel on ``backend`` for each (scenarios, hours) shape.

    Same arguments and records as :func:`benchmarks.rack.run`.
    """
    if backend == "numba":
        xp, synchronize, target = np, None, "cpu"
    else:
        import cupy as xp

        synchronize, target = xp.cuda.Device().synchronize, "cuda"

    def cooling_plant(p, *arrays, out):
        return launch(physics.cooling_plant, target, (p,), arrays, out)

    p = cooling.plant(PLANT).packed(DESIGN_HEAT)
    outputs = len(physics.OUTPUTS)
    records = []
    numpy_rate = None
    for dtype in map(np.dtype, dtypes):
        for scenarios, hours in shapes:
            elements = scenarios * hours
            shape = [scenarios, hours]
            heat, temp_air, temp_wet_bulb = _inputs(xp, elements, dtype)
            if elements <= numpy_max_elements and numpy_rate is None:
                host = [a if xp is np else a.get() for a in (heat, temp_air, temp_wet_bulb)]
                seconds, _ = time_call(
                    lambda host=host: numpy_cooling.cooling_plant(p, *host), max(1, repeats // 2)
                )
                numpy_rate = (elements / seconds, shape)
            out = xp.empty((outputs, elements), dtype)
            args = (_in_precision(xp, p, dtype), heat, temp_air, temp_wet_bulb)
            record = kernel_record(
                "cooling_plant", backend, dtype, shape, elements, (3 + outputs) * dtype.itemsize,
                time_call(lambda a=args, o=out: cooling_plant(*a, out=o), repeats, synchronize),
                bandwidth_gbs, repeats,
                None if numpy_rate is None else numpy_rate[0],
                None if numpy_rate is None else numpy_rate[1],
                notes="scenario-hours of one hall; numpy baseline: float64 reference",
            )  # fmt: skip
            records.append(record)
            log(log_line(record))
            del heat, temp_air, temp_wet_bulb, out, args
    return records
