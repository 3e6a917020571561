"""Vietnamese prose generated from computed figures (sentences: prose.yaml), in the register of published reports."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from cchc_lib.config import PACKAGE_DIR
from cchc_lib.domain.catalog import Catalog, load_catalog
from cchc_lib.domain.fmt import fmt_int, fmt_pct, fmt_value
from cchc_lib.exceptions import CchcError
from cchc_lib.ingest.yaml_keys import KeyLinesLoader
from cchc_lib.reporting.dataset import Figure

PROSE_YAML = PACKAGE_DIR / "reporting" / "prose.yaml"


class ProseError(CchcError):
    """Raised when the prose file is malformed: the message names file, area, clause and reference."""


class Words:
    """Formatting helpers over one unit's figures."""

    def __init__(self, values: dict[str, Figure], catalog: Catalog):
        self.values, self.catalog = values, catalog

    def has(self, *codes: str) -> bool:
        """True when every code has a value."""
        return all(c in self.values and not self.values[c].missing for c in codes)

    def v(self, code: str) -> float:
        """The raw value."""
        return float(self.values[code].value)

    def n(self, code: str) -> str:
        """A count as "22.296"."""
        return fmt_int(self.v(code))

    def q(self, code: str) -> str:
        """A value with its unit ("22.296 hồ sơ", "208.986 triệu đồng")."""
        return fmt_value(self.v(code), self.catalog[code].unit)

    def r(self, code: str) -> str:
        """A rate as "99,16%"."""
        return fmt_pct(self.v(code))

    def frac(self, num: str, den: str) -> str:
        """"23/39" style fraction."""
        return f"{self.n(num)}/{self.n(den)}"


FORMATS = {"n": (Words.n, 1), "q": (Words.q, 1), "r": (Words.r, 1), "frac": (Words.frac, 2)}
TESTS = {"": lambda x: True, "=0": lambda x: x == 0, "!=0": lambda x: x != 0, ">0": lambda x: x > 0}
KEYS = {"text": {"when", "unless", "text"}, "items": {"when", "unless", "join", "items", "before", "after"},
        "clauses": {"when", "unless", "clauses"}}
REFERENCE = re.compile(r"\{([^{}]*)\}")
CONDITION = re.compile(r"([A-Z][A-Z0-9_]*)(=0|!=0|>0)?")


@dataclass(frozen=True)
class Ref:
    """A figure written into the text."""

    fmt: str
    codes: tuple[str, ...]

    def render(self, w: Words) -> str:
        """The figure, formatted."""
        return FORMATS[self.fmt][0](w, *self.codes)


@dataclass(frozen=True)
class Clause:
    """Pieces said if the ``when`` conditions hold and no ``unless`` code has a value; with ``join``, a group."""

    pieces: tuple[str | Ref | Clause, ...]
    when: tuple[tuple[str, str], ...] = ()
    unless: tuple[str, ...] = ()
    join: str | None = None
    before: tuple[str | Ref | Clause, ...] = ()
    after: tuple[str | Ref | Clause, ...] = ()

    def render(self, w: Words) -> str:
        """The text, or "" when the conditions do not hold."""
        if any(w.has(c) for c in self.unless) or not all(w.has(c) and TESTS[t](w.v(c)) for c, t in self.when):
            return ""
        if self.join is None:
            return _say(self.pieces, w)
        said = [t for t in (p.render(w) for p in self.pieces) if t]
        return _say(self.before, w) + self.join.join(said) + _say(self.after, w) if said else ""


def _say(pieces: tuple[str | Ref | Clause, ...], w: Words) -> str:
    return "".join(p if isinstance(p, str) else p.render(w) for p in pieces)


class _Parser:
    """Builds the clauses of one prose file, checking every key, condition, code and format."""

    def __init__(self, source: str, catalog: Catalog):
        self.source, self.catalog = source, catalog

    def fail(self, where: str, problem: str) -> ProseError:
        return ProseError(f"{self.source}: {where}: {problem}")

    def code(self, where: str, code: str) -> str:
        if code not in self.catalog:
            raise self.fail(where, f"unknown code {code}")
        return code

    def text(self, where: str, text: str) -> tuple[str | Ref, ...]:
        parts = REFERENCE.split(text)
        if bad := [p for p in parts[::2] if "{" in p or "}" in p]:
            raise self.fail(where, f"unmatched brace in {bad[0]!r}")
        return tuple(self.ref(f"{where}, reference {{{p}}}", p) if i % 2 else p
                     for i, p in enumerate(parts) if p or i % 2)

    def ref(self, where: str, ref: str) -> Ref:
        fmt, _, args = ref.partition(":")
        if fmt not in FORMATS or len(codes := args.split("/")) != FORMATS[fmt][1]:
            raise self.fail(where, "unknown format (known: {n:CODE} {q:CODE} {r:CODE} {frac:CODE/CODE})")
        return Ref(fmt, tuple(self.code(where, c) for c in codes))

    def conditions(self, where: str, node: dict) -> dict:
        when, unless = node.get("when", []), node.get("unless", [])
        if not isinstance(when, list) or not isinstance(unless, list):
            raise self.fail(where, "when and unless are lists of codes")
        tests = [(CONDITION.fullmatch(str(c)), c) for c in when]
        if bad := [c for m, c in tests if not m]:
            raise self.fail(where, f"unknown condition {bad[0]!r} (known: CODE, CODE=0, CODE!=0, CODE>0)")
        return {"when": tuple((self.code(where, m[1]), m[2] or "") for m, _ in tests),
                "unless": tuple(self.code(where, str(c)) for c in unless)}

    def pieces(self, where: str, node: object) -> tuple[str | Ref | Clause, ...]:
        if isinstance(node, str):
            return self.text(where, node)
        if isinstance(node, list):
            return tuple(p for i, n in enumerate(node, 1) for p in self.pieces(f"{where}, part {i}", n))
        return (self.clause(where, node),)

    def clause(self, where: str, node: object) -> Clause:
        if isinstance(node, str | list):
            return Clause(self.pieces(where, node))
        kind = next((k for k in KEYS if k in node), "") if isinstance(node, dict) else ""
        if not kind or set(node) - KEYS[kind] or (kind == "items") != ("join" in node) or (
                kind != "text" and not isinstance(node[kind], list)):
            raise self.fail(where, "expected text, a list, a clause {when, unless, text}, a group {when, unless, join, "
                            f"items, before, after}} or a paragraph {{when, unless, clauses}}; got {node!r:.100}")
        if kind == "text":
            return Clause(self.pieces(where, node["text"]), **self.conditions(where, node))
        items = tuple(self.clause(f"{where}, {kind[:-1]} {i}", n) for i, n in enumerate(node[kind], 1))
        return Clause(items, **self.conditions(where, node), join=str(node.get("join", "; ")),
                      before=self.pieces(f"{where}, before", node.get("before", "")),
                      after=self.pieces(f"{where}, after", node.get("after", "")))

    def areas(self, data: object) -> dict[str, tuple[Clause, ...]]:
        known = [a.code for a in self.catalog.areas]
        if not isinstance(data, dict) or list(data) != known or not all(isinstance(p, list) for p in data.values()):
            raise self.fail("areas", f"expected the catalog areas {known} in order, each a list of paragraphs")
        return {area: tuple(self.clause(f"area {area}, paragraph {i}", {"clauses": p} if isinstance(p, list) else p)
                            for i, p in enumerate(paragraphs, 1)) for area, paragraphs in data.items()}


def load_prose(path: Path | str = PROSE_YAML, catalog: Catalog | None = None) -> dict[str, tuple[Clause, ...]]:
    """Load a prose file: each catalog area's paragraphs.

    Raises ProseError, naming file, area, paragraph, clause and reference, for unreadable YAML, a key given twice,
    an unknown key, area, condition, code or reference format, or an unmatched brace.
    """
    loader = KeyLinesLoader(Path(path).read_text("utf-8"))
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise ProseError(f"{path}: {exc}") from exc
    if loader.duplicates:
        raise ProseError(f"{path}: {loader.duplicates[0][0]} given twice (lines {loader.duplicates[0][1:]})")
    return _Parser(str(path), catalog or load_catalog()).areas(data)


shipped = functools.cache(load_prose)  # shipped(): the package's prose file, loaded once


def write(area: str, w: Words) -> list[str]:
    """An area's paragraphs that have something to say."""
    return [t[0].upper() + t[1:] + "." for t in (p.render(w) for p in shipped()[area]) if t]


WRITERS = {a.code: functools.partial(write, a.code) for a in load_catalog().areas}  # area -> Words -> paragraphs


def area_paragraphs(area: str, values: dict[str, Figure], catalog: Catalog) -> list[str]:
    """Paragraphs for one area; "chưa có số liệu" when none of its figures exist."""
    paragraphs = WRITERS[area](Words(values, catalog))
    return paragraphs or [f"Chưa có số liệu về {catalog.area(area).short.lower()} trong kỳ báo cáo."]
