"""Execute every notebook in examples/ at its small size (POWERMODEL_EXAMPLES_SMALL=1).

Each notebook runs in a fresh kernel with examples/ as its working directory and
this checkout first on PYTHONPATH; a cell that raises fails the test. The
notebooks are executed in memory: the saved outputs in the files are never
rewritten (they come from a full-size run).
"""

from __future__ import annotations

import os
from pathlib import Path

import ipykernel  # noqa: F401  (the kernel the notebooks run in; a test dependency)
import nbclient
import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
CELL_TIMEOUT = 600  # seconds; compiling the numba kernels alone takes ~30 s on 2 cores


def test_examples_exist():
    assert NOTEBOOKS, f"no notebooks in {EXAMPLES}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs(path, monkeypatch):
    monkeypatch.setenv("POWERMODEL_EXAMPLES_SMALL", "1")
    paths = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(paths))  # this checkout's powermodel
    notebook = nbformat.read(path, as_version=4)
    client = nbclient.NotebookClient(
        notebook,
        timeout=CELL_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(EXAMPLES)}},
    )
    client.execute()  # raises CellExecutionError naming the cell on the first error
