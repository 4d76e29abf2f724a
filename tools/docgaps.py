"""List the docstring gaps numpydoc's validation reports, without a Sphinx build.

The docs build (``docs/conf.py``, ``numpydoc_validation_checks``) fails on the same
checks; this script runs them in a second instead of a 30 s build, for one module or
all of them::

    python tools/docgaps.py                       # every public module
    python tools/docgaps.py powermodel.battery    # one (prefixes match)

It prints ``name: CODE message`` per gap and exits 1 when there is any.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path

from numpydoc.validate import validate

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "docs"), str(ROOT / "docs" / "_ext")]

from apipages import public_modules  # noqa: E402
from conf import numpydoc_validation_checks as CHECKS  # noqa: E402


def documented_objects(module_name: str) -> list[str]:
    """Dotted names of what a module's API page renders: its public functions and
    classes, and each class's own public methods and properties."""
    module = importlib.import_module(module_name)
    # as autosummary with ``autosummary_ignore_module_all = True``: every public name
    # defined in the module, whether or not ``__all__`` lists it
    names = [
        n for n, v in vars(module).items()
        if not n.startswith("_") and getattr(v, "__module__", None) == module_name
    ]  # fmt: skip
    out = []
    for name in names:
        obj = getattr(module, name)
        if not (inspect.isclass(obj) or callable(obj)):
            continue
        out.append(f"{module_name}.{name}")
        if inspect.isclass(obj):
            for member, value in vars(obj).items():
                if member.startswith("_") or member in getattr(obj, "_fields", ()):
                    continue
                if callable(value) or isinstance(value, (property, classmethod, staticmethod)):
                    out.append(f"{module_name}.{name}.{member}")
    return out


def main(prefixes: list[str]) -> int:
    modules = public_modules() + public_modules("powermodel.kernels")
    if prefixes:
        modules = [m for m in modules if any(m.startswith(p) for p in prefixes)]
    gaps = 0
    for module_name in modules:
        for name in documented_objects(module_name):
            for code, message in validate(name)["errors"]:
                if code in CHECKS:
                    print(f"{name}: {code} {message}")
                    gaps += 1
    print(f"{gaps} gaps", file=sys.stderr)
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
