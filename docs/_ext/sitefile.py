"""Sphinx extension: the site-file reference, generated from the validator's own schema.

``.. site-file-reference::`` walks :class:`powermodel.site.Site` the way the validator
(``powermodel.site._Builder``) does: every dataclass field that is a TOML key (its name,
or ``metadata["key"]``; fields with ``metadata["toml"] = False`` and ``sources`` left
out), nested dataclasses as ``[tables]`` and tuples of dataclasses as ``[[arrays of
tables]]``. For each table it emits one table of keys with

- **type**: the validator's own wording of the annotation (``site._describe``), the
  words its error messages use;
- **default**: the dataclass default (``required`` where there is none);
- **unit**: the ``[...]`` of the key's entry in the class's numpydoc ``Parameters``;
- **valid values**: what the validator answers to an out-of-range probe: the key is set
  to a very low, then a very high number (a name that is no name for strings) in an
  otherwise valid table (the built-in site ``dra01``'s, or the defaults) and the error
  message's statement is shown as it stands (``must be a number in [0, 1]``). A
  limit that depends on other keys is shown for ``dra01``'s values of them;
- **description**: the rest of that ``Parameters`` entry.

Nothing here is typed by hand, so the page cannot drift from what the validator accepts.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import tomllib
import types
import typing
from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from numpydoc.docscrape import NumpyDocString
from sphinx.util.docutils import SphinxDirective

from powermodel import site as site_module

UNIT = re.compile(r"\[([^\]\s][^\]]*)\]")
# probes: numbers far outside any range, and a name no catalog has
LOW, HIGH, NAME = -1e30, 1e30, "no-such-name"


def _key(item: dataclasses.Field) -> str:
    return item.metadata.get("key", item.name)


def toml_fields(cls) -> list[tuple[str, dataclasses.Field, object]]:
    """``(key, field, annotation)`` of the TOML keys of ``cls``, as the builder maps them."""
    hints = typing.get_type_hints(cls)
    return [
        (_key(item), item, hints[item.name])
        for item in dataclasses.fields(cls)
        if item.init and item.metadata.get("toml", True) and item.name != "sources"
    ]


def _strip_none(tp):
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and type(None) in args:
        rest = tuple(a for a in args if a is not type(None))
        # a union of the rest, built from a tuple of types at run time
        return (rest[0] if len(rest) == 1 else typing.Union[rest]), True  # noqa: UP007
    return tp, False


def nested(tp):
    """``(dataclass, is_array)`` when ``tp`` is a table or an array of tables, else None."""
    tp, _ = _strip_none(tp)
    if dataclasses.is_dataclass(tp):
        return tp, False
    if typing.get_origin(tp) in (tuple, list) and dataclasses.is_dataclass(typing.get_args(tp)[0]):
        return typing.get_args(tp)[0], True
    return None


def attributes(cls) -> dict[str, str]:
    """Description of each field in the numpydoc ``Parameters`` section of ``cls``.

    A dataclass documents its fields, its constructor's parameters, there (numpydoc's
    PR01 check in the docs build makes sure every one is). An entry naming several
    fields (``latitude, longitude : float``) gives each its own unit when it lists as
    many ``[...]`` as names.
    """
    result = {}
    for entry in NumpyDocString(cls.__doc__ or "")["Parameters"]:
        names = [n.strip() for n in entry.name.split(",") if n.strip()]
        text = " ".join(line.strip() for line in entry.desc)
        units = UNIT.findall(text)
        for i, name in enumerate(names):
            unit = units[i] if len(units) == len(names) > 1 else None
            result[name] = (text, unit)
    return result


def _toml(value) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, Path):
        return f'"{value}"'
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple) and not value:
        return "(none)"
    return repr(value)


def default(item: dataclasses.Field) -> str:
    if item.default is not dataclasses.MISSING:
        return _toml(item.default)
    if item.default_factory is not dataclasses.MISSING:
        value = item.default_factory()
        return "(defaults below)" if dataclasses.is_dataclass(value) else _toml(value)
    return "required"


def describe(tp) -> str:
    bare, optional = _strip_none(tp)
    text = site_module._describe(bare)
    return f"{text}, optional" if optional else text


def _probes(tp) -> list:
    bare, _ = _strip_none(tp)
    if typing.get_origin(bare) is typing.Literal:
        return []  # the type says it all
    if bare is float or (typing.get_origin(bare) in (typing.Union, types.UnionType)):
        return [LOW, HIGH]
    if bare is int:
        return [-(10**12), 10**12]
    if bare is str:
        return [NAME]
    return []  # bool, date, Path: the type says it all (a path must exist)


def valid_values(cls, base: dict, key: str, tp, where: str) -> str:
    """The validator's statement of the valid values of ``key``, from probing it."""
    builder = site_module._Builder("probe")
    statements = []
    for probe in _probes(tp):
        table = {**base, key: probe}
        try:
            builder.build(cls, table, where)
        except site_module.SiteError as error:
            message = str(error).split(": ", 1)[1]
            prefix = f"{where}.{key}: " if where else f"{key}: "
            if not message.startswith(prefix):
                continue  # another key broke: nothing learnt about this one
            message = message[len(prefix) :]
            message = re.sub(r",? got .*$", "", message).strip()
            if isinstance(probe, str):  # "'no-such-name' is not one of [...]"
                message = message.replace(repr(probe), "").replace(probe, "").strip()
            else:  # "N racks is implausible (...)"
                message = message.replace(repr(probe), "N").replace(str(probe), "N")
            if message not in statements:
                statements.append(message)
        except Exception:  # a probe that breaks is no statement
            continue
    return "; ".join(statements)


def _example() -> dict:
    return tomllib.loads(site_module.text("dra01"))


def _base(cls, example) -> dict:
    """A valid table of ``cls`` to probe one key at a time: the example's, else the defaults."""
    builder = site_module._Builder("probe")
    table = example if isinstance(example, dict) else {}
    table = {k: v for k, v in table.items() if not k.endswith("_source")}
    try:
        builder.build(cls, table, "x")
        return table
    except Exception:  # an example table that is not valid here: probe the defaults
        return {}


def walk(cls, path: str, array: bool, example, out: list) -> None:
    """Append ``(header, cls, rows)`` for ``cls`` at ``path`` and for its nested tables."""
    docs = attributes(cls)
    rows, children = [], []
    base = _base(cls, example)
    for key, item, tp in toml_fields(cls):
        inner = nested(tp)
        child_example = example.get(key) if isinstance(example, dict) else None
        if inner is not None:
            child_cls, child_array = inner
            if child_array and isinstance(child_example, list):
                child_example = child_example[0] if child_example else None
            children.append((key, child_cls, child_array, child_example))
            continue
        text, unit = docs.get(item.name, ("", None))
        if unit is None:
            found = UNIT.search(text)
            unit = found.group(1) if found else ""
        unit = "" if unit == "-" else unit  # "[-]": a name or a string, no unit
        rows.append(
            {
                "key": key,
                "type": describe(tp),
                "default": default(item),
                "unit": unit,
                "valid": valid_values(cls, base, key, tp, path),
                "description": text,
            }
        )
    out.append((path, array, cls, rows, [c[0] for c in children]))
    for key, child_cls, child_array, child_example in children:
        walk(child_cls, f"{path}.{key}" if path else key, child_array, child_example, out)


def tables() -> list:
    out: list = []
    walk(site_module.Site, "", False, _example(), out)
    return out


def _cell(text: str) -> list[str]:
    return [text.replace("|", "\\|")] if text else [""]


def rst(out) -> list[str]:
    """The reference as reStructuredText lines."""
    lines = []
    for path, array, cls, rows, children in out:
        if not path:  # the top level: only nested tables
            continue
        header = f"[[{path}]]" if array else f"[{path}]"
        qualified = f"{cls.__module__}.{cls.__qualname__}"
        lines += [f"``{header}``", "-" * (len(header) + 4), ""]
        summary = (NumpyDocString(cls.__doc__ or "")["Summary"] or [""])[0]
        summary = re.sub(r"^``\[+[\w.]+\]+``:\s*", "", summary)
        summary = summary[:1].upper() + summary[1:]
        lines += [f"{summary} Built into :class:`{qualified}`.", ""]
        if array:
            lines += ["An array of tables: repeat the header for each item.", ""]
        if children:
            subs = ", ".join(f"``{path}.{c}``" for c in children)
            lines += [f"Tables inside it: {subs}.", ""]
        if rows:
            lines += [
                ".. list-table::",
                "   :header-rows: 1",
                "   :widths: 14 14 10 8 20 34",
                "   :class: site-file-keys",
                "",
                "   * - key",
                "     - type",
                "     - default",
                "     - unit",
                "     - valid values (the validator's words)",
                "     - description",
            ]
            for row in rows:
                cells = [
                    f"``{row['key']}``",
                    row["type"],
                    f"``{row['default']}``" if row["default"] != "required" else "**required**",
                    f"``{row['unit']}``" if row["unit"] else "",
                    row["valid"],
                    row["description"],
                ]
                lines.append(f"   * - {cells[0]}")
                lines += [f"     - {c}" for c in cells[1:]]
            lines.append("")
    return lines


class SiteFileReference(SphinxDirective):
    """``.. site-file-reference::`` -- every table and key of a site file."""

    has_content = False

    def run(self):
        for name in ("site.py", "workload.py", "auxiliaries.py", "flexibility.py"):
            self.env.note_dependency(str(Path(site_module.__file__).with_name(name)))
        container = nodes.section()
        container.document = self.state.document
        lines = StringList(rst(tables()), source="site-file-reference")
        self.state.nested_parse(lines, self.content_offset, container, match_titles=True)
        return container.children


def setup(app):
    app.add_directive("site-file-reference", SiteFileReference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
