#!/usr/bin/env bash
# GPU check: run on a machine with an NVIDIA GPU, from the source tree, offline.
# Installs nothing: uses the cupy / numba-cuda / xarray / pytest already there.
# Runs the gpu-marked tests on the real device, then the GPU benchmarks; under 10 minutes.
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
timeout 60 python -m pytest -q -m gpu -p no:cacheprovider tests/test_kernels.py -k fleet_groups \
  --junitxml="$out/gpu-tests-fleet.xml"

# Benchmark on the GPU (and the CPU numba rows at the small shapes for reference).
timeout 150 python -m benchmarks --size gpu --backends cupy --json "$out/gpu-benchmark.json" \
  | tee "$out/gpu-benchmark.txt"

# The whole site with the cupy backend: 1,000 and 10,000 scenarios x a year, then 100,000
# scenarios x 30 days (summaries only; each count in a fresh process, peak RSS, kernel floor).
# The workload draws and the xarray glue stay on the CPU; each kernel's inputs cross to the
# device and its outputs come back (the chain is not yet resident on the GPU).
timeout 200 python -m benchmarks.site --backend cupy --scenarios 1000,10000 --keep summaries \
  --no-start-times --json "$out/gpu-site.json" | tee "$out/gpu-site.txt"
timeout 100 python -m benchmarks.site --backend cupy --scenarios 100000 --hours 720 \
  --keep summaries --no-start-times --json "$out/gpu-site-100k.json" | tee "$out/gpu-site-100k.txt"
