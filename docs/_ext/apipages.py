"""Sphinx extension: the API index, one autosummary entry per public module.

The list of modules is read from the files ``powermodel/*.py`` (private ``_*`` modules
and ``__main__`` left out) every build, so a new module gets its page without anyone
editing the docs. It writes ``docs/api/index.rst``; autosummary then writes one page per
module (``docs/api/generated/``) from ``_templates/autosummary/module.rst``.
"""

from pathlib import Path

import powermodel

HEADER = """\
API reference
=============

One page per public module of ``powermodel``, each with its functions and classes,
their parameters and units (``[W]``, ``[degC]``, ...) as written in the docstrings.
Every function takes ``backend="auto" | "numpy" | "numba" | "cupy"`` where it runs a
kernel; outputs are :class:`xarray.DataArray` or :class:`xarray.Dataset` objects whose
variables carry ``units`` and ``long_name`` attributes.

.. autosummary::
   :toctree: generated

"""


KERNELS = """

Physics kernels
---------------

The scalar physics each stage is compiled from (:doc:`../concepts/index`): plain functions
of numbers in SI units, one time step of one scenario, written once for the CPU and GPU
kernels and restated by the numpy references. Called through the API modules above, never
directly.

.. autosummary::
   :toctree: generated

"""


def public_modules(package: str = "powermodel") -> list[str]:
    """Dotted names of the public modules ``<package>.<name>``, sorted."""
    folder = Path(powermodel.__file__).parent.joinpath(*package.split(".")[1:])
    names = sorted(p.stem for p in folder.glob("*.py") if not p.stem.startswith("_"))
    return [f"{package}.{name}" for name in names]


def write_index(app, config) -> None:
    target = Path(app.srcdir) / "api" / "index.rst"
    text = HEADER + "".join(f"   {name}\n" for name in public_modules())
    text += KERNELS + "".join(f"   {name}\n" for name in public_modules("powermodel.kernels"))
    target.parent.mkdir(exist_ok=True)
    if not target.exists() or target.read_text("utf-8") != text:
        target.write_text(text, "utf-8")


def setup(app):
    app.connect("config-inited", write_index)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
