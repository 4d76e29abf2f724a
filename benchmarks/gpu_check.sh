#!/usr/bin/env bash
# GPU check: run on a machine with an NVIDIA GPU, from the source tree, offline.
# Installs nothing: uses the cupy / numba-cuda / xarray / pytest already there.
# Runs the gpu-marked tests on the real device, then the GPU benchmarks; under 9 minutes.
#   bash benchmarks/gpu_check.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-${OUT:-.}}"
mkdir -p "$out"
export PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
unset NUMBA_ENABLE_CUDASIM

python - <<'PY'
import cupy, numba
from numba import cuda
print("cupy", cupy.__version__, "numba", numba.__version__, "device", cuda.get_current_device().name)
PY

# Real-device tests: CUDA kernels vs the numpy reference, cupy in -> cupy out.
timeout 150 python -m pytest -q -m gpu -p no:cacheprovider tests/test_rack_cuda.py tests/test_ite.py \
  tests/test_zone.py --junitxml="$out/gpu-tests.xml"

# Benchmark on the GPU (and the CPU numba rows at the small shapes for reference).
timeout 150 python -m benchmarks --size gpu --backends cupy --json "$out/gpu-benchmark.json" \
  | tee "$out/gpu-benchmark.txt"

# The whole site with the cupy backend (the swing metrics and xarray glue stay on the CPU).
timeout 200 python -m benchmarks.site --backend cupy --scenarios 100,1000 --repeats 2 \
  --json "$out/gpu-site.json" | tee "$out/gpu-site.txt"
