"""The EU Energy Efficiency Directive's data-centre indicators of a simulated site.

Commission Delegated Regulation (EU) 2024/1364 (the first phase of the Union
rating scheme for data centres under Directive (EU) 2023/1791, Article 12)
asks operators of data centres of at least 500 kW of IT to report their
energy, water, reused heat and renewable energy, and computes from them
(its Annex II) the sustainability indicators defined in the EN 50600-4
series, over the reporting period:

- PUE, power usage effectiveness (EN 50600-4-2): ``E_DC / E_IT``, the
  facility's energy over the IT equipment's;
- WUE, water usage effectiveness (EN 50600-4-9): ``W_in / E_IT`` [L kWh-1],
  the site's water input per IT energy;
- ERF, energy reuse factor (EN 50600-4-6): ``E_reuse / E_DC``, energy reused
  outside the data centre (here the waste heat the heat pump takes to
  district heating) over the facility's energy;
- REF, renewable energy factor (EN 50600-4-3): ``E_ren / E_DC``, renewable
  energy the data centre can claim (contracts: PPAs, guarantees of origin;
  or its own generation) over the facility's energy. Grid electricity without
  certificates counts for nothing, however clean the grid is physically: a
  Norwegian hydro site without GOs has REF 0.

``E_DC`` is ``energy_facility`` of :func:`powermodel.simulate.simulate`
(IT, power chain, cooling and auxiliaries; the heat pump that upgrades the
waste heat is outside the boundary) and ``E_IT`` is ``energy_it`` (at the IT
equipment's input), so PUE here is the simulation's ``pue``.

References
----------
Commission Delegated Regulation (EU) 2024/1364 of 14 March 2024, OJ L, 17.5.2024,
Annexes I and II, http://data.europa.eu/eli/reg_del/2024/1364/oj.
EN 50600-4-2:2016 (PUE), EN 50600-4-3:2016 (REF), EN 50600-4-6:2020 (ERF),
EN 50600-4-9:2022 (WUE), CENELEC.

Examples
--------
>>> import xarray as xr
>>> result = xr.Dataset({"energy_facility": 1.2e12, "energy_it": 1.0e12,
...                      "water_use_total": 5.0e4, "heat_recovered_energy": 3.0e11})
>>> out = eed_indicators(result, renewable=6.0e11)
>>> [round(float(out[k]), 4) for k in ("pue", "wue", "energy_reuse_factor",
...                                     "renewable_energy_factor")]
[1.2, 0.18, 0.25, 0.5]
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from powermodel.variables import attrs

__all__ = ["INDICATORS", "eed_indicators"]

#: the indicators :func:`eed_indicators` returns, with the energies they come from
INDICATORS = ("pue", "wue", "energy_reuse_factor", "renewable_energy_factor")
_INPUTS = ("energy_facility", "energy_it", "water_use_total", "heat_recovered_energy")
_J_PER_KWH = 3.6e6


def eed_indicators(result: xr.Dataset, renewable=0.0) -> xr.Dataset:
    """PUE, WUE, ERF and REF of a simulation, per scenario (Delegated Reg. (EU) 2024/1364).

    Parameters
    ----------
    result : xarray.Dataset
        A :func:`powermodel.simulate.simulate` result (or its summaries):
        ``energy_facility`` and ``energy_it`` [J], ``water_use_total`` [L],
        ``heat_recovered_energy`` [J], per scenario.
    renewable : float or xarray.DataArray
        Renewable energy the site can claim over the period [J], >= 0, per
        scenario or one figure: e.g. ``energy_matched_annual`` of
        :func:`powermodel.matching.from_result` (PPA and GOs). Counted up to
        the facility's energy. Default 0: no certificates.

    Returns
    -------
    xarray.Dataset
        Per scenario: ``pue`` [1], ``wue`` [L kWh-1], ``energy_reuse_factor``
        [1], ``renewable_energy_factor`` [1] and the energies behind them,
        ``energy_facility``, ``energy_it``, ``water_use_total`` [L],
        ``energy_reused``, ``energy_renewable`` [J]. NaN inputs give NaN;
        zero IT (facility) energy gives NaN PUE and WUE (ERF and REF).

    Notes
    -----
    ``PUE = E_DC / E_IT``; ``WUE = W_in / E_IT`` with ``E_IT`` in kWh;
    ``ERF = E_reuse / E_DC``; ``REF = min(E_ren, E_DC) / E_DC``.

    References
    ----------
    Commission Delegated Regulation (EU) 2024/1364, Annex II; EN 50600-4-2,
    -4-3, -4-6, -4-9 (see the module docstring).
    """
    if not isinstance(result, xr.Dataset):
        raise TypeError(f"result: expected an xarray.Dataset, got {type(result).__name__}")
    missing = [name for name in _INPUTS if name not in result]
    if missing:
        raise ValueError(f"result: has no {', '.join(missing)} (a simulate result has them)")
    if not isinstance(renewable, xr.DataArray):
        try:
            renewable = xr.DataArray(float(renewable))
        except (TypeError, ValueError):
            raise TypeError(
                f"renewable: expected a number or a DataArray, got {renewable!r}"
            ) from None
    if bool((renewable < 0).any()):  # NaN compares False: it propagates
        raise ValueError(f"renewable: must be >= 0 J, got {float(renewable.min())!r}")
    facility = result["energy_facility"].astype(np.float64)
    it = result["energy_it"].astype(np.float64)
    water = result["water_use_total"].astype(np.float64)
    reused = result["heat_recovered_energy"].astype(np.float64)
    claimed = xr.where(renewable.isnull(), np.nan, np.minimum(renewable, facility))
    per_it = it.where(it != 0)  # no IT energy: no indicator (NaN), not infinity
    per_facility = facility.where(facility != 0)
    out = xr.Dataset(
        {
            "pue": facility / per_it,
            "wue": water / (per_it / _J_PER_KWH),
            "energy_reuse_factor": reused / per_facility,
            "renewable_energy_factor": claimed / per_facility,
            "energy_facility": facility,
            "energy_it": it,
            "water_use_total": water,
            "energy_reused": reused,
            "energy_renewable": claimed,
        }
    )
    for name in out.data_vars:
        out[name].attrs = attrs(name)
    out.attrs["regulation"] = "Commission Delegated Regulation (EU) 2024/1364, Annex II"
    return out
