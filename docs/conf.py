"""Sphinx configuration of the powermodel documentation.

Build (no network needed; warnings are errors, references and internal links checked):

    pip install -e ".[docs]"
    sphinx-build -W --keep-going -n -b html docs docs/_build/html

Generated at build time, never typed by hand: the API pages (one per public module of
``powermodel/*.py``, listed from the files), the site-file reference (walked from
``powermodel.site.Site``'s dataclasses, ``docs/_ext/sitefile.py``) and the command line
(from ``powermodel.cli._parser()``, sphinx-argparse). The notebooks are rendered with the
outputs saved in them and are not executed.
"""

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))
sys.path.insert(0, str(ROOT))

import powermodel  # noqa: E402

project = "powermodel"
author = "powermodel contributors"
copyright = "powermodel contributors, BSD-3-Clause"
release = version = getattr(powermodel, "__version__", "0.1.0")

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx-mathjax-offline",  # MathJax 3 copied into _static: the pages render offline
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_nb",
    "sphinxarg.ext",
    "sitefile",
    "apipages",
    "locallinks",  # after the build: every internal href/src and #anchor resolves
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
root_doc = "index"

# --- files kept elsewhere in the repository, mirrored into the source tree (gitignored;
# an unchanged copy is not rewritten, so incremental builds stay incremental)


def _mirror(source: Path, target: Path) -> None:
    target.parent.mkdir(exist_ok=True)
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)


# the notebooks, rendered with the outputs saved in them, never executed here
nb_execution_mode = "off"
nb_merge_streams = True
for notebook in sorted((ROOT / "examples").glob("*.ipynb")):
    _mirror(notebook, HERE / "examples" / notebook.name)
for stale in (HERE / "examples").glob("*.ipynb"):  # a notebook removed from examples/
    if not (ROOT / "examples" / stale.name).exists():
        stale.unlink()
# benchmarks/RESULTS.md, written by the benchmark runner: a page of its own, linked from the
# performance page and from examples/05-benchmarks.ipynb (as ../benchmarks/RESULTS.md)
_mirror(ROOT / "benchmarks" / "RESULTS.md", HERE / "benchmarks" / "RESULTS.md")

myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3

# --- API reference
autosummary_generate = True
# every public name a module defines, not only those in __all__ (hydro.market_dispatch and
# site.Swing, public and documented, are missing from theirs)
autosummary_ignore_module_all = True
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"  # types are in the numpydoc sections
numpydoc_show_class_members = False  # autodoc lists members; no stub pages per method
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False

# No intersphinx: the build has no network. References to other projects' objects
# (numpy, xarray, pandas, ...) are therefore not resolvable and are ignored by name
# below; every reference into powermodel stays checked (nitpicky, -n).
nitpick_ignore_regex = [
    (
        r"py:.*",
        r"(numpy|np|xarray|xr|pandas|pd|cupy|dask|distributed|zarr|linopy|highspy"
        r"|matplotlib|pvlib|numba|scipy|psychrolib|h5netcdf|argparse|pathlib|datetime|typing"
        r"|functools|os|collections|concurrent|enum|dataclasses|zoneinfo|tomllib|io|warnings)(\..*)?",
    ),
    # the backends (dispatch, code generation, numpy oracles) are internal: no API pages
    (r"py:.*", r"powermodel\.backends(\..*)?"),
    (
        r"py:.*",
        r"(str|int|float|bool|dict|list|tuple|callable|object|None|bytes|type"
        r"|Exception|ValueError|TypeError|KeyError|RuntimeError|OSError|Warning|UserWarning"
        r"|NamedTuple|array-like|array_like|optional|default|path-like)",
    ),
]

# --- HTML
html_theme = "pydata_sphinx_theme"
html_title = "powermodel"
html_static_path = ["_static"]
html_css_files = ["powermodel.css"]
# pages without sub-pages need no left sidebar (it would show an empty "Section Navigation")
html_sidebars = {
    page: []
    for page in ("index", "getting-started", "site-file", "performance", "validation", "cli")
}
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False

# numpydoc's validation, on every object the API pages render (warnings, so errors under
# -W): a public object without a docstring (GL08), without a summary (SS01), with an
# unknown or misordered section (GL06, GL07), a malformed parameter line (PR10, GL10), a
# parameter left undocumented (PR01) or documented but absent (PR02), or no Returns
# section (RT01). Dataclasses and named records list their fields under Parameters (they
# are the constructor's). `python tools/docgaps.py` runs the same checks in seconds.
numpydoc_validation_checks = {
    "GL06", "GL07", "GL08", "GL10", "SS01", "PR01", "PR02", "PR07", "PR10", "RT01", "RT03",
    "YD01",
}  # fmt: skip


def _skip_record_fields(app, what, name, obj, skip, options):
    """Leave out a named record's per-field members ("Alias for field number 3"): its
    class docstring's Parameters section already documents every field with its unit."""
    if what == "class" and (getattr(obj, "__doc__", None) or "").startswith("Alias for field"):
        return True
    return None


def setup(app):
    app.connect("autodoc-skip-member", _skip_record_fields)
