"""Sphinx extension: every link inside the built HTML site must resolve, offline.

Sphinx's ``-n`` checks cross-references while it writes them; this checks what it wrote:
after an HTML build, every ``href`` and ``src`` in every page that points inside the site
(no scheme, no ``//`` host) must name a file that exists and, with a ``#fragment``, an
``id`` (or ``name``) in that page. That catches what ``-n`` cannot: hand-written links in
Markdown and notebooks, ``{doc}`` targets renamed after a page moved, anchors of headings
that changed, and assets a theme or extension failed to copy. A broken one is a warning,
so ``-W`` fails the build. External links are never fetched (the build has no network).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

# Folders of the output that are not pages: assets copied verbatim (MathJax's own files
# among them), whose links are the vendor's business.
SKIP_FOLDERS = ("_static", "_sources", "_images", "_downloads")


class _Page(HTMLParser):
    """The anchors (``id``, ``name``) and outgoing links (``href``, ``src``) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.anchors.add(value)
            elif name in ("href", "src"):
                self.links.append(value)


def _is_internal(link: str) -> bool:
    parts = urlsplit(link)
    return not (parts.scheme or parts.netloc or link.startswith("//"))


def broken_links(outdir: Path) -> list[tuple[str, str, str]]:
    """Every internal link of the HTML pages under ``outdir`` that does not resolve.

    Parameters
    ----------
    outdir : pathlib.Path
        The HTML builder's output folder.

    Returns
    -------
    list of (str, str, str)
        ``(page, link, why)``: the page (relative to ``outdir``), the link as written
        and what is missing (the file, or the anchor in it), sorted.
    """
    pages: dict[Path, _Page] = {}
    for path in sorted(outdir.rglob("*.html")):
        if path.relative_to(outdir).parts[0] in SKIP_FOLDERS:
            continue
        page = _Page()
        page.feed(path.read_text("utf-8", errors="replace"))
        pages[path.resolve()] = page

    broken = []
    for path, page in pages.items():
        for link in page.links:
            if not link or not _is_internal(link):
                continue
            parts = urlsplit(link)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = str(path.relative_to(outdir.resolve()))
            if not target.exists():
                broken.append((where, link, "no such file"))
                continue
            if parts.fragment and target.suffix == ".html":
                anchors = pages[target].anchors if target in pages else None
                if anchors is not None and unquote(parts.fragment) not in anchors:
                    broken.append((where, link, f"no anchor #{parts.fragment} in the page"))
    return sorted(broken)


def check_links(app, exception) -> None:
    """``build-finished``: warn once per broken internal link of an HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    from sphinx.util import logging  # here, so that the checker itself needs no Sphinx

    logger = logging.getLogger(__name__)
    for page, link, why in broken_links(Path(app.outdir)):
        logger.warning("broken internal link %r in %s: %s", link, page, why, type="locallinks")


def setup(app):
    app.connect("build-finished", check_links)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
