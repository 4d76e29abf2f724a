"""One self-contained HTML page of a simulation: summary, EU EED indicators, hourly matching.

``powermodel report`` writes it. The page holds the P50/P90/P99 summary
table of :func:`powermodel.simulate.risk`, the Energy Efficiency Directive
indicators (:func:`powermodel.reporting.eed_indicators`), the carbon-free
matching scores and both carbon bases (:func:`powermodel.matching.from_result`)
and the figures, embedded as base64 PNG: the page loads nothing from
anywhere (no scripts, styles, fonts or images from a URL), so it opens the
same offline, attached to a mail or archived. A small inline script marks on
``<body>`` how many figures decoded, where they lie and whether any error
event fired (``data-figures``, ``data-figures-decoded``,
``data-figure-boxes``, ``data-errors``), which the browser test reads.
"""

from __future__ import annotations

import base64
import html
import io
import os
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from powermodel import matching, reporting
from powermodel.runner import _atomic
from powermodel.timegrid import time_step

__all__ = ["check_writable", "page", "write"]

QUANTILES = (0.5, 0.9, 0.99)

#: (label, variable, factor, unit) of the summary table: the rows ``powermodel simulate`` prints
SUMMARY_ROWS = (
    ("facility energy", "energy_facility", 1 / 3.6e12, "GWh"),
    ("IT energy", "energy_it", 1 / 3.6e12, "GWh"),
    ("peak facility power", "peak_facility", 1e-6, "MW"),
    ("PUE", "pue", 1.0, "1"),
    ("unserved hours", "unserved_hours", 1.0, "h"),
    ("unserved energy", "energy_unserved", 1 / 3.6e9, "MWh"),
    ("over contract", "over_contract_hours", 1.0, "h"),
    ("curtailed by zone", "curtailed_hours", 1.0, "h"),
    ("hydro share", "hydro_share", 100.0, "%"),
    ("CO2e ({basis}-based)", "emissions", 1e-3, "t"),
    ("energy cost", "cost", 1e-6, "M{currency}"),
    ("peak within a step", "peak_within_step", 1e-6, "MW"),
    ("steepest ramp", "ramp_rate_max", 1e-6, "MW/s"),
    ("heat in liquid loop", "heat_liquid_energy", 1 / 3.6e12, "GWh"),
    ("heat recovered (HP)", "heat_recovered_energy", 1 / 3.6e12, "GWh"),
    ("water use", "water_use_total", 1e-3, "m3"),
)

EED_ROWS = (
    ("PUE, power usage effectiveness (EN 50600-4-2)", "pue", 1.0, "1"),
    ("WUE, water usage effectiveness (EN 50600-4-9)", "wue", 1.0, "L/kWh IT"),
    ("ERF, energy reuse factor (EN 50600-4-6)", "energy_reuse_factor", 1.0, "1"),
    ("REF, renewable energy factor (EN 50600-4-3)", "renewable_energy_factor", 1.0, "1"),
    ("total energy consumption", "energy_facility", 1 / 3.6e6, "kWh"),
    ("IT energy consumption", "energy_it", 1 / 3.6e6, "kWh"),
    ("total water input", "water_use_total", 1e-3, "m3"),
    ("waste heat reused", "energy_reused", 1 / 3.6e6, "kWh"),
    ("renewable energy (contracts)", "energy_renewable", 1 / 3.6e6, "kWh"),
)

MATCHING_ROWS = (
    ("24/7 CFE score (contract hourly + grid CFE)", "cfe_score", 100.0, "%"),
    ("matched hour by hour (PPA)", "matched_share_hourly", 100.0, "%"),
    ("matched over the period (PPA + GOs)", "matched_share_annual", 100.0, "%"),
    ("load on the grid connection", "energy_load", 1 / 3.6e12, "GWh"),
    ("contracted (PPA + GOs)", "energy_contract", 1 / 3.6e12, "GWh"),
    ("PPA surplus beyond its hour's load", "energy_contract_surplus", 1 / 3.6e12, "GWh"),
    ("CO2e location-based", "emissions_location", 1e-3, "t"),
    ("CO2e market-based (annual match)", "emissions_market", 1e-3, "t"),
    ("CO2e market-based (hourly match)", "emissions_market_hourly", 1e-3, "t"),
)

_STYLE = """
body { font-family: sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.2em 0.8em; border-bottom: 1px solid #ddd; }
th[scope="row"] { text-align: left; font-weight: normal; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; }
figure img { max-width: 100%; border: 1px solid #ccc; }
p.note { color: #555; font-size: 0.9em; }
"""

# Marks on <body> how many figures decoded, where they are on the page (x, y, width,
# height in CSS pixels) and whether an error event fired (a resource that failed to
# load, a script error): read by the browser test.
_PROBE = """
window.__errors = 0;
window.addEventListener("error", function () { window.__errors += 1; }, true);
window.addEventListener("load", function () {
  var images = document.getElementsByTagName("img"), decoded = 0, boxes = [];
  for (var i = 0; i < images.length; i++) {
    if (images[i].complete && images[i].naturalWidth > 0) { decoded += 1; }
    var r = images[i].getBoundingClientRect();
    boxes.push([r.left + window.scrollX, r.top + window.scrollY, r.width, r.height]
               .map(Math.round).join(","));
  }
  document.body.setAttribute("data-figures", String(images.length));
  document.body.setAttribute("data-figure-boxes", boxes.join(";"));
  document.body.setAttribute("data-figures-decoded", String(decoded));
  document.body.setAttribute("data-errors", String(window.__errors));
});
"""

_SUFFIXES = (".html", ".htm")


def check_writable(path, overwrite: bool = False) -> Path:
    """Check before a long run that :func:`write` could write ``path`` (``.html``).

    Parameters
    ----------
    path : str or os.PathLike
        The page to write, ending in ``.html`` or ``.htm``.
    overwrite : bool
        Whether an existing file at ``path`` may be replaced.

    Returns
    -------
    pathlib.Path
        ``path`` as a :class:`pathlib.Path`.

    Raises
    ------
    ValueError
        Another suffix.
    FileExistsError
        ``path`` exists and ``overwrite`` is false.
    FileNotFoundError, PermissionError
        Its folder is missing or not writable.
    """
    path = Path(path)
    if path.suffix.lower() not in _SUFFIXES:
        raise ValueError(f"path: {str(path)!r} must end in .html")
    if (path.exists() or path.is_symlink()) and not overwrite:
        raise FileExistsError(f"path: {str(path)!r} exists; pass overwrite=True (--overwrite)")
    if path.is_dir():
        raise IsADirectoryError(f"path: {str(path)!r} is a directory")
    folder = path.parent
    if not folder.is_dir():
        raise FileNotFoundError(f"path: the folder {str(folder)!r} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PermissionError(f"path: the folder {str(folder)!r} is not writable")
    return path


def _quantiles(dataset: xr.Dataset) -> xr.Dataset:
    if "scenario" not in dataset.dims:
        return dataset.expand_dims(quantile=list(QUANTILES))
    return dataset.quantile(list(QUANTILES), dim="scenario", skipna=False, keep_attrs=True)


def _table(figures: xr.Dataset, rows, **names) -> str:
    """An HTML table of ``rows`` (label, variable, factor, unit) at P50/P90/P99."""
    head = "".join(f"<th>P{100 * q:g}</th>" for q in QUANTILES)
    lines = [f"<table><thead><tr><th></th>{head}<th>unit</th></tr></thead><tbody>"]
    for label, name, factor, unit in rows:
        if name not in figures:
            continue
        values = np.atleast_1d(figures[name].values * factor)
        cells = "".join(f'<td class="number">{value:,.4g}</td>' for value in values)
        label, unit = label.format(**names), unit.format(**names)
        lines.append(
            f'<tr><th scope="row" title="{html.escape(name)}">{html.escape(label)}</th>'
            f"{cells}<td>{html.escape(unit)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _png(fig) -> str:
    """``fig`` as a base64 PNG data URI."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _matching_figure(result: xr.Dataset, ppa):
    """The hourly CFE share (heatmap) and the mean daily profile of the load's parts."""
    from matplotlib.figure import Figure

    from powermodel import plots

    parts = matching.breakdown(result["served"], ppa, grid_cfe=matching.grid_cfe(result))
    load = parts["power_matched"] + parts["power_grid_cfe"] + parts["power_not_cfe"]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = ((parts["power_matched"] + parts["power_grid_cfe"]) / load).rename("cfe")
    share.attrs = {"units": "1", "long_name": "carbon-free share of the load"}
    fig = Figure(figsize=(15, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2)
    plots.heatmap(share, ax=left)
    means = parts.mean("scenario") if "scenario" in parts.dims else parts
    local = pd.DatetimeIndex(means["time"].values).tz_localize("UTC").tz_convert(plots.LOCAL_TZ)
    hours = np.arange(24)
    stack = []
    for name in ("power_matched", "power_grid_cfe", "power_not_cfe"):
        profile = means[name].to_series().groupby(local.hour).mean().reindex(hours)
        stack.append(profile.to_numpy() * 1e-6)
    labels = ("matched by the PPA in its hour", "grid's carbon-free share", "not carbon-free")
    right.stackplot(hours, *stack, labels=labels, colors=("tab:green", "tab:cyan", "tab:gray"))
    right.set_xlim(0, 23)
    right.set_xlabel(f"hour of day ({plots.LOCAL_TZ} local time)")
    right.set_ylabel("mean power (MW)")
    right.set_title("Load on the grid connection by hour: how it is matched")
    right.legend(loc="lower right", framealpha=0.9)
    return fig


def page(result: xr.Dataset, *, ppa=None, go_per_year=0.0, residual_mix=None, title=None) -> str:
    """The HTML page of a simulation result (see the module docstring).

    Parameters
    ----------
    result : xarray.Dataset
        A :func:`powermodel.simulate.simulate` result with its hourly
        variables (``keep="hourly"``).
    ppa : float or xarray.DataArray, optional
        PPA generation delivered to the site [W] (:func:`powermodel.matching.match`).
    go_per_year : float
        Guarantees of origin bought per year [J].
    residual_mix : float, optional
        Residual-mix intensity [g kWh-1] (default: see
        :func:`powermodel.matching.from_result`).
    title : str, optional
        The page's title; default from the site's name.

    Returns
    -------
    str
        One HTML document, everything inline.
    """
    from powermodel import plots
    from powermodel.simulate import risk

    matched = matching.from_result(result, ppa, go_per_year=go_per_year, residual_mix=residual_mix)
    indicators = reporting.eed_indicators(result, renewable=matched["energy_matched_annual"])
    names = {
        "basis": result.attrs.get("carbon_basis", "?"),
        "currency": result.attrs.get("currency", ""),
    }
    summary = _table(risk(result, QUANTILES), SUMMARY_ROWS, **names)
    figures_table = _table(_quantiles(indicators), EED_ROWS)
    matching_table = _table(_quantiles(matched), MATCHING_ROWS)
    images = [
        ("Summary of the simulation", _png(plots.summary_figure(result))),
        ("Hourly carbon-free share of the load", _png(_matching_figure(result, ppa))),
    ]
    times = pd.DatetimeIndex(result["time"].values)
    site = result.attrs.get("site", "site")
    title = title or f"powermodel report: {site}"
    scenarios = result.sizes.get("scenario", 1)
    step = plots._step_text(time_step(times))
    cfe_basis = matching.grid_cfe(result).attrs["basis"]
    ppa_text = (
        "none"
        if ppa is None
        else f"flat {float(ppa) / 1e6:g} MW"
        if not isinstance(ppa, xr.DataArray)
        else f"a generation profile, mean {float(ppa.mean()) / 1e6:.3g} MW"
    )
    residual = matched.attrs["residual_mix_g_per_kwh"]
    e = html.escape
    body = [
        f"<h1>{e(title)}</h1>",
        f"<p>Site {e(site)}, zone {e(str(result.attrs.get('zone', '?')))}: {scenarios} "
        f"scenarios x {len(times)} steps of {e(step)} from {times[0]:%Y-%m-%d %H:%M} UTC, "
        f"seed {e(str(result.attrs.get('seed', '?')))}; carbon basis of the run "
        f"{e(names['basis'])}.</p>",
        "<h2>Summary across scenarios</h2>",
        summary,
        "<h2>EU Energy Efficiency Directive indicators</h2>",
        "<p>Commission Delegated Regulation (EU) 2024/1364, Annex II, over the simulated "
        "period (not a calendar year unless the run is one). REF counts contracted "
        "renewable energy only (PPA and guarantees of origin), never the grid's mix.</p>",
        figures_table,
        "<h2>Hourly matching and carbon</h2>",
        f"<p>Contract: PPA {e(ppa_text)}; guarantees of origin {go_per_year / 3.6e9:,.0f} "
        f"MWh per year (the period's share by time); residual mix {residual:g} gCO2/kWh. "
        f"Grid carbon-free share: {e(cfe_basis)}.</p>",
        matching_table,
        "<h2>Figures</h2>",
    ]
    for caption, uri in images:
        body.append(
            f'<figure><img src="{uri}" alt="{e(caption)}"><figcaption>{e(caption)}'
            "</figcaption></figure>"
        )
    body.append(
        '<p class="note">Methods and sources: 24/7 CFE score after Google, "24/7 Carbon-Free '
        'Energy: Methodologies and Metrics" (2021); granular certificates after the EnergyTag '
        "Granular Certificate Scheme Standard (2024); market-based emissions after the GHG "
        "Protocol Scope 2 Guidance (2015), hourly variant as its revision proposes; residual "
        f"mix: {e(matching.RESIDUAL_MIX_SOURCE)}. Indicators: EN 50600-4-2, -4-3, -4-6, -4-9. "
        "Written by powermodel.</p>"
    )
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(title)}</title>",
            f"<style>{_STYLE}</style>",
            f"<script>{_PROBE}</script>",
            "</head><body>",
            *body,
            "</body></html>",
            "",
        ]
    )


def write(result: xr.Dataset, path, *, overwrite=False, **contract) -> Path:
    """Write :func:`page` to ``path`` atomically (a temporary file, then a rename).

    Parameters
    ----------
    result : xarray.Dataset
        As :func:`page`.
    path : str or os.PathLike
        Ends in ``.html``; its folder must exist.
    overwrite : bool
        Replace an existing file.
    **contract
        ``ppa``, ``go_per_year``, ``residual_mix``, ``title``: see :func:`page`.

    Returns
    -------
    pathlib.Path
        The path written. On any error nothing is left at ``path`` (an
        existing file stays as it was) and no temporary file remains.
    """
    path = check_writable(path, overwrite)
    text = page(result, **contract)  # everything computed before a byte is written

    def save(tmp: Path) -> None:
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o644)

    _atomic(path, save, overwrite=overwrite)
    return path
