"""`powermodel report`: one self-contained HTML page, checked in a real headless browser.

The browser is Chromium from Debian's packages (``.ci/run`` installs it in CI).
Without it the browser tests fail in CI (``CI=true``) and skip elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import numpy as np
import pytest
import xarray as xr

from powermodel.cli import main

WINDOW = (1280, 4200)  # CSS pixels, at device scale 1: the whole page of a small report
BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def _browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CI") == "true":
        pytest.fail(
            "no headless browser: chromium is not installed; .ci/run installs it with apt-get "
            "in CI (CI=true) and this test must run there, never skip"
        )
    pytest.skip("chromium is not installed (apt-get install chromium); CI fails without it")


def _chromium(browser, tmp_path, *args) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"  # its own profile: parallel runs do not share a lock
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
        f"--user-data-dir={profile}",
        *args,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, f"{command} failed: {done.stderr[-2000:]}"
    return done


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """A report of a fresh run and one of saved results (2 scenarios, 48 h)."""
    folder = tmp_path_factory.mktemp("report")
    results = folder / "results.nc"
    common = ["--scenarios", "2", "--hours", "48"]
    assert main(["simulate", *common, "--out", str(results)]) == 0
    saved = folder / "saved.html"
    contract = ["--ppa-mw", "6", "--go-mwh", "20000"]
    assert main(["report", "--from", str(results), "--out", str(saved), *contract]) == 0
    fresh = folder / "fresh.html"
    assert main(["report", *common, "--out", str(fresh)]) == 0
    return {"saved": saved, "fresh": fresh, "results": results, "folder": folder}


def test_the_page_is_self_contained(pages):
    text = pages["saved"].read_text(encoding="utf-8")
    for table in ("P50", "P99", "PUE, power usage effectiveness", "REF, renewable energy factor",
                  "24/7 CFE score", "CO2e market-based (hourly match)"):  # fmt: skip
        assert table in text
    assert text.count("<img ") == 2
    assert len(re.findall(r'src="data:image/png;base64,', text)) == 2
    # nothing is fetched: no attribute or style points anywhere
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:|//|file:)""", text)
    assert "<link" not in text and "url(" not in text and "@import" not in text
    assert sorted(p.name for p in pages["folder"].iterdir()) == [
        "fresh.html",
        "results.nc",
        "saved.html",
    ]  # no temporaries left


def test_the_page_loads_without_errors_and_every_figure_decodes(pages, tmp_path):
    browser = _browser()
    for page in (pages["saved"], pages["fresh"]):
        dom = _chromium(browser, tmp_path, "--dump-dom", page.as_uri()).stdout
        body = re.search(r"<body[^>]*>", dom)
        assert body, dom[:2000]
        marks = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', body.group(0)))
        assert marks.get("figures") == "2", marks  # the probe ran after load
        assert marks["figures-decoded"] == "2", marks
        assert marks["errors"] == "0", marks


def _figure_contrast(browser, tmp_path, page) -> list[tuple[float, float]]:
    """Per figure on a screenshot of ``page``: grey-level spread and share of dark pixels."""
    import matplotlib.image

    dom = _chromium(browser, tmp_path, "--dump-dom", page.as_uri()).stdout
    boxes = re.search(r'data-figure-boxes="([^"]*)"', dom).group(1)
    boxes = [tuple(int(v) for v in box.split(",")) for box in boxes.split(";")]
    shot = tmp_path / f"{page.stem}.png"
    _chromium(browser, tmp_path, f"--screenshot={shot}", page.as_uri())
    image = matplotlib.image.imread(shot)[..., :3]  # RGB in [0, 1]
    assert image.shape[:2] == (WINDOW[1], WINDOW[0])
    grey = image.mean(axis=-1)
    assert grey[: boxes[0][1]].std() > 0.05  # the page above the figures: tables of text
    contrast = []
    for x, y, width, height in boxes:
        assert width > 300 and height > 200, boxes
        assert y + height <= WINDOW[1], f"figure at {y}+{height} below the screenshot"
        area = grey[y + 2 : y + height - 2, x + 2 : x + width - 2]  # inside the border
        contrast.append((float(area.std()), float((area < 0.9).mean())))
    return contrast


def _drawn(contrast) -> bool:
    """A drawn figure (lines, text, filled areas), not a blank or single-colour box."""
    spread, dark = contrast
    return spread > 0.05 and dark > 0.02


def test_a_screenshot_shows_the_figures(pages, tmp_path):
    browser = _browser()
    contrast = _figure_contrast(browser, tmp_path, pages["saved"])
    assert len(contrast) == 2
    assert all(_drawn(c) for c in contrast), contrast
    # the check has teeth: the same page with blank white figures fails it
    from matplotlib.figure import Figure

    from powermodel.report import _png

    text = pages["saved"].read_text(encoding="utf-8")
    blank = _png(Figure(figsize=(12, 6), facecolor="white"))
    control = tmp_path / "blank.html"
    control.write_text(re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", blank, text))
    assert not any(_drawn(c) for c in _figure_contrast(browser, tmp_path, control))


def test_errors_are_one_line_and_leave_nothing(pages, tmp_path, capsys):
    summaries = tmp_path / "summaries.nc"
    with xr.open_dataset(pages["results"]) as result:
        result[["energy_it", "energy_facility"]].load().to_netcdf(summaries)
    out = tmp_path / "r.html"
    assert main(["report", "--from", str(summaries), "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "has no hourly 'served'" in error
    assert main(["report", "--from", str(tmp_path / "none.nc"), "--out", str(out)]) == 2
    assert "--from" in capsys.readouterr().err
    assert main(["report", "--out", str(tmp_path / "r.txt"), "--hours", "2"]) == 2
    assert "--out" in capsys.readouterr().err
    assert main(["report", "--from", str(summaries), "--ppa-mw", "-1", "--out", str(out)]) == 2
    assert "--ppa-mw" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summaries.nc"]
    # an existing page is kept unless --overwrite
    before = pages["saved"].read_bytes()
    assert main(["report", "--from", str(pages["results"]), "--out", str(pages["saved"])]) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert pages["saved"].read_bytes() == before


def test_a_ppa_profile_file(pages, tmp_path):
    with xr.open_dataset(pages["results"]) as result:
        times = result.indexes["time"]
    csv = tmp_path / "ppa.csv"
    mw = np.where(times.hour < 12, 12.0, 0.0)  # a morning-only PPA
    rows = [f"{t:%Y-%m-%dT%H:%M}Z,{v}\n" for t, v in zip(times, mw, strict=True)]
    csv.write_text("time,power_mw\n" + "".join(rows))
    out = tmp_path / "ppa.html"
    args = ["report", "--from", str(pages["results"]), "--ppa-file", str(csv), "--out", str(out)]
    assert main(args) == 0
    assert "a generation profile, mean 6 MW" in out.read_text(encoding="utf-8")


def test_a_missing_browser_fails_in_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"no headless browser"):
        _browser()
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match=r"chromium is not installed"):
        _browser()
