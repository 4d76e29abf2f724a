"""The docs build's internal-link check (``docs/_ext/locallinks.py``) finds what is broken.

The check runs inside every docs build (``.ci/run``); these tests prove it is not a check
that cannot fail, on a hand-made site of three pages.
"""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def locallinks():
    spec = importlib.util.spec_from_file_location(
        "locallinks", ROOT / "docs" / "_ext" / "locallinks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _site(tmp_path, index_body: str) -> Path:
    (tmp_path / "api").mkdir()
    (tmp_path / "_static").mkdir()
    (tmp_path / "_static" / "theme.css").write_text("")
    (tmp_path / "index.html").write_text(
        f'<html><head><link rel="stylesheet" href="_static/theme.css"></head>'
        f'<body><h1 id="top">Top</h1>{index_body}</body></html>'
    )
    (tmp_path / "api" / "index.html").write_text(
        '<html><body><section id="powermodel-grid"><a href="../index.html#top">up</a>'
        '<a name="legacy-anchor"></a></section></body></html>'
    )
    # a vendor asset's own links are not the site's: never checked
    (tmp_path / "_static" / "vendor.html").write_text('<a href="missing.html">x</a>')
    return tmp_path


def test_a_site_whose_links_all_resolve_has_none_broken(locallinks, tmp_path):
    body = (
        '<a href="api/index.html#powermodel-grid">grid</a> <a href="api/">api</a>'
        '<a href="api/index.html#legacy-anchor">old</a> <a href="#top">top</a>'
        '<a href="https://example.org/nowhere.html#x">external, never fetched</a>'
        '<a href="mailto:someone@example.org">mail</a>'
    )
    assert locallinks.broken_links(_site(tmp_path, body)) == []


def test_a_missing_page_and_a_missing_anchor_are_both_reported(locallinks, tmp_path):
    body = (
        '<a href="api/powermodel.gone.html">gone</a>'
        '<a href="api/index.html#powermodel-renamed">renamed</a>'
        '<a href="#nowhere">self</a> <img src="_images/plot.png">'
    )
    broken = locallinks.broken_links(_site(tmp_path, body))
    assert [(page, link) for page, link, _ in broken] == [
        ("index.html", "#nowhere"),
        ("index.html", "_images/plot.png"),
        ("index.html", "api/index.html#powermodel-renamed"),
        ("index.html", "api/powermodel.gone.html"),
    ]
    assert "no anchor #powermodel-renamed" in broken[2][2]
    assert broken[3][2] == "no such file"
