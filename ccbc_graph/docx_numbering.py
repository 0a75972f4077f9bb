"""Word's automatic numbering: the label ("1.", "a)", "II.", "-") Word shows before a
numbered paragraph, which is not in the paragraph's text.

A plan typed in Word often numbers its parts, items and the STT column of its task table
this way; read without the labels, "1. Sở Nội vụ:" is "Sở Nội vụ:" and a task table has
no row numbers. The rules are ECMA-376 Part 1 §17.9, as Word applies them:

- a paragraph is numbered by its own ``w:numPr`` or its style's (styles inherit through
  ``w:basedOn``); ``numId`` 0 takes numbering off;
- a ``w:num`` points at an abstract definition; every ``w:num`` of one abstract definition
  shares its counters, and one that overrides a level's start (``w:startOverride``)
  restarts that level where it is first used;
- numbering a level restarts the deeper ones; a level never used yet shows its start;
- the label is the level's ``w:lvlText`` with ``%1``…``%9`` replaced by each level's
  counter in its ``w:numFmt`` (decimal when the level is ``w:isLgl``).

The label is followed by a space whatever the level's suffix (a tab would read as a
table's column break).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.ns import qn
from lxml import etree

from ccbc_graph.docx_text import related_xml
from ccbc_graph.list_numbers import SYMBOL_GLYPH, list_number

_PLACEHOLDER = re.compile(r"%([1-9])")
# Levels of a list (w:ilvl 0 to 8).
_LEVELS = 9


@dataclass(frozen=True)
class _Level:
    """One level of an abstract numbering definition."""

    start: int = 0
    number_format: str = "decimal"
    text: str = ""
    legal: bool = False


@dataclass
class _List:
    """A ``w:num``: its abstract definition and the levels it overrides."""

    abstract: str
    levels: dict[int, _Level] = field(default_factory=dict)
    starts: dict[int, int] = field(default_factory=dict)


def _val(element: etree._Element | None, child: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``child`` (None when either is missing)."""
    found = None if element is None else element.find(qn(child))
    return None if found is None else found.get(qn("w:val"))


def _int(text: str | None, default: int) -> int:
    try:
        return int(text) if text is not None else default
    except ValueError:
        return default


def _level(lvl: etree._Element) -> _Level:
    legal = lvl.find(qn("w:isLgl"))
    return _Level(
        start=_int(_val(lvl, "w:start"), 0),
        number_format=_val(lvl, "w:numFmt") or "decimal",
        text=_val(lvl, "w:lvlText") or "",
        legal=legal is not None and legal.get(qn("w:val"), "1") not in ("0", "false", "off"),
    )


def _levels(parent: etree._Element) -> dict[int, _Level]:
    return {
        level: _level(lvl)
        for lvl in parent.iter(qn("w:lvl"))
        if 0 <= (level := _int(lvl.get(qn("w:ilvl")), -1)) < _LEVELS
    }


# Word's number formats of letters and Roman numerals, as the list types that count so.
_LIST_KINDS = {"lowerLetter": "a", "upperLetter": "A", "lowerRoman": "i", "upperRoman": "I"}


def number_text(value: int, number_format: str) -> str:
    """``value`` written in a Word number format (``w:numFmt``: "decimal", "lowerRoman" …);
    the formats a plan does not use, as decimal."""
    if number_format == "none":
        return ""
    if number_format == "decimalZero":
        return f"{value:02d}"
    return list_number(value, _LIST_KINDS.get(number_format, "1"))


class Numbering:
    """The numbering of one document, read paragraph by paragraph in reading order:
    :meth:`label` counts, so each numbered paragraph must be asked for once, in order."""

    def __init__(self, numbering: etree._Element | None, styles: etree._Element | None) -> None:
        self._abstracts: dict[str, dict[int, _Level]] = {}
        self._lists: dict[str, _List] = {}
        if numbering is not None:
            for abstract in numbering.iter(qn("w:abstractNum")):
                self._abstracts[abstract.get(qn("w:abstractNumId"), "")] = _levels(abstract)
            for num in numbering.iter(qn("w:num")):
                listed = _List(_val(num, "w:abstractNumId") or "")
                for override in num.iter(qn("w:lvlOverride")):
                    level = _int(override.get(qn("w:ilvl")), -1)
                    if not 0 <= level < _LEVELS:
                        continue
                    if (start := _val(override, "w:startOverride")) is not None:
                        listed.starts[level] = _int(start, 0)
                    if (redefined := override.find(qn("w:lvl"))) is not None:
                        listed.levels[level] = _level(redefined)
                self._lists[num.get(qn("w:numId"), "")] = listed
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._default_style: str | None = None
        if styles is not None:
            for style in styles.iter(qn("w:style")):
                style_id = style.get(qn("w:styleId"), "")
                num_pr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
                self._styles[style_id] = (_val(num_pr, "w:numId"), _val(num_pr, "w:ilvl"), _val(style, "w:basedOn"))
                if style.get(qn("w:type")) == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                    self._default_style = style_id
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[tuple[str, int]] = set()

    @classmethod
    def of(cls, document_part: Part) -> Numbering:
        """The numbering of a document (its main part), with the styles it may come from."""
        return cls(related_xml(document_part, RT.NUMBERING), related_xml(document_part, RT.STYLES))

    def _num_pr(self, paragraph: etree._Element) -> tuple[str | None, str | None]:
        """The paragraph's list and level: its own, else its style's (through ``w:basedOn``)."""
        ppr = paragraph.find(qn("w:pPr"))
        num_pr = None if ppr is None else ppr.find(qn("w:numPr"))
        num_id, level = _val(num_pr, "w:numId"), _val(num_pr, "w:ilvl")
        style = _val(ppr, "w:pStyle") or self._default_style
        seen: set[str] = set()
        while style is not None and style not in seen and (num_id is None or level is None):
            seen.add(style)
            style_num, style_level, style = self._styles.get(style, (None, None, None))
            num_id = num_id if num_id is not None else style_num
            level = level if level is not None else style_level
        return num_id, level

    def label(self, paragraph: etree._Element) -> str:
        """The label Word shows before ``paragraph`` (a ``w:p``) and a space, or ""."""
        num_id, level_text = self._num_pr(paragraph)
        if num_id is None or num_id == "0":
            return ""
        listed = self._lists.get(num_id)
        level = _int(level_text, 0)
        if listed is None or listed.abstract not in self._abstracts:
            return ""
        levels = {**self._abstracts[listed.abstract], **listed.levels}
        if level not in levels:
            return ""
        counters = self._counters.setdefault(listed.abstract, {})
        if (num_id, level) not in self._started and level in listed.starts:
            counters[level] = listed.starts[level] - 1
        self._started.add((num_id, level))
        counters[level] = counters[level] + 1 if level in counters else levels[level].start
        for deeper in [d for d in counters if d > level]:
            del counters[deeper]
        this = levels[level]

        def number(match: re.Match[str]) -> str:
            shown = int(match.group(1)) - 1
            if shown not in levels:
                return ""
            value = counters.get(shown, levels[shown].start)
            return number_text(value, "decimal" if this.legal else levels[shown].number_format)

        if this.number_format == "bullet":
            text = SYMBOL_GLYPH.sub("•", this.text)
        else:
            text = _PLACEHOLDER.sub(number, this.text)
        return f"{text.strip()} " if text.strip() else ""
