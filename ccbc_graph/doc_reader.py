"""Old Word documents (.doc, Word 97-2003): the text and the tables, read from the binary.

Plans of the 2000s and 2010s are kept on portals as .doc. The document is an OLE compound
file (read with olefile); its text is assembled from the piece table (MS-DOC §2.4.1: the
``Clx`` the FIB points at), each piece in Windows-1252 or UTF-16. Word ends each paragraph
with a mark, and a table cell's last paragraph and each table row with the cell mark
(0x07); which marks end rows, and which paragraphs are in tables, the paragraphs'
properties say (the PAPX of the formatted disk pages, §2.9.177: ``sprmPFInTable``,
``sprmPFTtp`` or a table property on a row's end). Tables are written in the layout of a
Word export (:mod:`ccbc_graph.table_text`); field codes are left out, their results read.
Footnotes, then endnotes, follow the main text, each after its number (counted in Word's
default formats: 1, 2 … and i, ii …), as a .docx's do. A document typed in a legacy
Vietnamese font is read in Unicode, as a .docx is.
"""

from __future__ import annotations

import bisect
import io
import itertools
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import olefile

from ccbc_graph.decoding import in_unicode, read_as
from ccbc_graph.list_numbers import roman
from ccbc_graph.reading import ReadError, SourceDocument
from ccbc_graph.table_text import table_text

# The FIB (§2.5.1): flags, the main text's length, and where the piece table and the
# paragraph properties' page table lie in the table stream.
_FIB_FLAGS, _CCP_TEXT, _CLX, _BTE_PAPX = 0x0A, 0x4C, 0x1A2, 0x102
_ENCRYPTED, _TABLE_1 = 0x0100, 0x0200
_WORD_97_NFIB = 0x00C1
_COMPRESSED = 0x40000000
# Paragraph properties (sprm operation codes): in a table, a row's end, nesting depth.
_IN_TABLE, _ROW_END, _INNER_ROW_END, _INNER_CELL, _TABLE_DEPTH = 0x2416, 0x2417, 0x244C, 0x244B, 0x6649
_TABLE_PROPS = 0x6646  # a row's properties, written on its end mark by some writers
_TABLE_GROUP = 5  # sgc of the table sprms, which only a row's end mark carries
_PAGE = 512
# Characters: marks of paragraph, cell, line, page and column; field begin, separator, end.
_PARAGRAPH, _CELL = "\r", "\x07"
_FIELD_BEGIN, _FIELD_SEPARATOR, _FIELD_END = "\x13", "\x14", "\x15"
_NOTE_MARK = "\x02"  # a note's number Word counts itself, in the body and before the note
# What the other special characters show: a line, page or column break a line break; the
# anchors of pictures, drawn objects, notes and annotations nothing; a non-breaking hyphen
# a hyphen, a non-breaking space a space; an optional hyphen the soft hyphen, which
# cleaning drops, unless the text is in a TCVN3 font, where that code is "ư" (converters
# write the code typed for "ư" as Word's optional hyphen).
_SHOWN_AS = {
    **dict.fromkeys(map(ord, "\x0b\x0c\x0e"), "\n"),
    **dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08")),
    **{ord("\x1e"): "-", ord("\xa0"): " ", ord("\x1f"): "\xad"},
}


@dataclass(frozen=True)
class _Paragraph:
    """What a paragraph's properties say about its place in a table."""

    in_table: bool = False
    row_end: bool = False
    inner: bool = False


def _sprms(grpprl: bytes) -> Iterator[tuple[int, bytes]]:
    """The (operation, operand) pairs of a list of property modifiers (§2.6.1)."""
    i = 0
    while i + 2 <= len(grpprl):
        (op,) = struct.unpack_from("<H", grpprl, i)
        i += 2
        spra = op >> 13
        if spra == 6:  # variable: a size byte (two for the table definitions)
            if op in (0xD608, 0xD606):
                (size,) = struct.unpack_from("<H", grpprl, i) if i + 2 <= len(grpprl) else (0,)
                i += 2
                size = max(size - 1, 0)
            else:
                size = grpprl[i] if i < len(grpprl) else 0
                i += 1
        else:
            size = (1, 1, 2, 4, 2, 2, 0, 3)[spra]
        yield op, grpprl[i : i + size]
        i += size


def _paragraph(grpprl: bytes) -> _Paragraph:
    in_table = row_end = inner = False
    for op, operand in _sprms(grpprl):
        value = int.from_bytes(operand, "little") if operand else 0
        if op == _IN_TABLE:
            in_table = bool(value)
        elif op in (_ROW_END, _INNER_ROW_END, _INNER_CELL) and value:
            row_end = row_end or op == _ROW_END
            inner = inner or op != _ROW_END
        elif op == _TABLE_DEPTH:
            inner = inner or value > 1
        elif op == _TABLE_PROPS or (op >> 10) & 7 == _TABLE_GROUP:
            row_end = True
    return _Paragraph(in_table, row_end, inner)


def _paragraph_runs(word: bytes, table: bytes) -> tuple[list[int], list[tuple[int, _Paragraph]]]:
    """The paragraphs' properties by the stream offsets they start at, from the PlcBtePapx's
    formatted disk pages: (sorted starts, [(end, properties)])."""
    fc, lcb = struct.unpack_from("<II", word, _BTE_PAPX)
    count = (lcb - 4) // 8
    plc = table[fc : fc + lcb]
    pages = struct.unpack_from(f"<{count}I", plc, 4 * (count + 1)) if count > 0 else ()
    runs: list[tuple[int, int, _Paragraph]] = []
    for number in pages:
        first = (number & 0x3FFFFF) * _PAGE
        page = word[first : first + _PAGE]
        if len(page) < _PAGE:
            continue
        crun = page[_PAGE - 1]
        bounds = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for r in range(crun):
            offset = page[4 * (crun + 1) + 13 * r] * 2
            properties = _Paragraph()
            if offset:
                cb = page[offset]
                start, size = (offset + 2, 2 * page[offset + 1]) if cb == 0 else (offset + 1, 2 * cb - 1)
                properties = _paragraph(page[start + 2 : start + size])  # past the style index
            runs.append((bounds[r], bounds[r + 1], properties))
    runs.sort(key=lambda run: run[0])
    return [run[0] for run in runs], [(run[1], run[2]) for run in runs]


def _piece_table(word: bytes, table: bytes) -> list[tuple[int, int, int]]:
    """The piece table: (first character position, end position, stream descriptor) of
    each piece, in order."""
    fc, lcb = struct.unpack_from("<II", word, _CLX)
    clx = table[fc : fc + lcb]
    i = 0
    while i < len(clx) and clx[i] == 1:  # Prc: property modifiers, skipped
        i += 3 + struct.unpack_from("<h", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 2:
        raise ValueError("no piece table")
    (size,) = struct.unpack_from("<I", clx, i + 1)
    plc = clx[i + 5 : i + 5 + size]
    count = (size - 4) // 12
    cps = struct.unpack_from(f"<{count + 1}I", plc, 0)
    wheres = [struct.unpack_from("<I", plc, 4 * (count + 1) + 8 * k + 2)[0] for k in range(count)]
    return [(cps[k], cps[k + 1], wheres[k]) for k in range(count)]


def _pieces(pieces: list[tuple[int, int, int]], word: bytes, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The text from character position ``start`` to ``end``, piece by piece: (text, stream
    offset of its first character, bytes per character)."""
    for piece_start, piece_end, where in pieces:
        first, last = max(piece_start, start), min(piece_end, end)
        if first >= end:
            return
        if first >= last:
            continue
        if where & _COMPRESSED:
            offset = (where & ~_COMPRESSED) // 2 + first - piece_start
            yield word[offset : offset + last - first].decode("cp1252", errors="replace"), offset, 1
        else:
            offset = where + 2 * (first - piece_start)
            yield word[offset : offset + 2 * (last - first)].decode("utf-16-le", errors="replace"), offset, 2


def _ranges(word: bytes) -> tuple[range, range, range]:
    """The character positions of the main text, the footnotes and the endnotes (§2.3.1:
    the main text, then the footnotes, headers, comments, endnotes)."""
    main, footnotes, headers, _, comments, endnotes = struct.unpack_from("<6i", word, _CCP_TEXT)
    notes_start = main + footnotes + headers + comments
    return range(0, main), range(main, main + footnotes), range(notes_start, notes_start + endnotes)


class _Layout:
    """Writes paragraphs as lines and tables in the Word export's layout."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.rows: list[list[str]] = []
        self.cells: list[str] = []
        self.lines: list[str] = []

    def paragraph(self, text: str, mark: str, where: _Paragraph) -> None:
        """Write a paragraph ending in ``mark``: a line, a cell's line, a cell or a row's
        end (a row's end mark counts as in its table, whatever its properties say)."""
        if (where.in_table or where.row_end) and not where.inner and mark == _CELL:
            if where.row_end:
                self.rows.append(self.cells)
                self.cells = []
            else:
                self.cells.append("\n".join([*self.lines, text]))
            self.lines = []
        elif where.in_table:
            self.lines.append(text)
        else:
            self.close_table()
            self.parts.append(text + "\n")

    def close_table(self) -> None:
        if self.cells or self.lines:
            self.rows.append([*self.cells, "\n".join(self.lines)] if self.lines else self.cells)
            self.cells, self.lines = [], []
        if self.rows:
            self.parts.append(table_text(self.rows))
            self.rows = []

    def text(self) -> str:
        self.close_table()
        return "".join(self.parts)


def doc_text(data: bytes) -> str:
    """The text of the Word 97-2003 document in ``data``; ValueError (or an OLE or struct
    error) when it is none, :class:`PermissionError` when it is encrypted."""
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        if not ole.exists("WordDocument"):
            raise ValueError("no WordDocument stream")
        word = ole.openstream("WordDocument").read()
        (ident, version) = struct.unpack_from("<HH", word, 0)
        (flags,) = struct.unpack_from("<H", word, _FIB_FLAGS)
        if ident != 0xA5EC:
            raise ValueError("no Word document")
        if version < _WORD_97_NFIB:
            raise ValueError("a Word 6 or Word 95 document")
        if flags & _ENCRYPTED:
            raise PermissionError("encrypted")
        table = ole.openstream("1Table" if flags & _TABLE_1 else "0Table").read()
    starts, runs = _paragraph_runs(word, table)
    layout = _Layout()
    pieces = _piece_table(word, table)
    main, footnotes, endnotes = _ranges(word)
    _read(_pieces(pieces, word, main.start, main.stop), layout, starts, runs)
    for notes, number in ((footnotes, str), (endnotes, roman)):
        marks = (number(count) for count in itertools.count(1))
        _read(_pieces(pieces, word, notes.start, notes.stop), layout, starts, runs, marks)
    return layout.text()


def _read(
    pieces: Iterator[tuple[str, int, int]],
    layout: _Layout,
    starts: list[int],
    runs: list[tuple[int, _Paragraph]],
    marks: Iterator[str] | None = None,
) -> None:
    """Write the paragraphs of ``pieces`` into ``layout``. In notes (``marks`` given) a
    note's reference mark is written as the note's number and a space, the blanks after it
    dropped."""
    buffer: list[str] = []
    fields: list[bool] = []  # for each open field: whether its result is being read
    after_mark = False
    for text, offset, width in pieces:
        for j, char in enumerate(text):
            if after_mark and char in " \t":
                continue
            after_mark = False
            if char in (_PARAGRAPH, _CELL):
                k = bisect.bisect_right(starts, offset + j * width) - 1
                where = runs[k][1] if k >= 0 and offset + j * width < runs[k][0] else _Paragraph()
                layout.paragraph("".join(buffer).translate(_SHOWN_AS), char, where)
                buffer = []
            elif char == _FIELD_BEGIN:
                fields.append(False)
            elif char == _FIELD_SEPARATOR and fields:
                fields[-1] = True
            elif char == _FIELD_END and fields:
                fields.pop()
            elif char == _NOTE_MARK and marks is not None:
                buffer.append(f"{next(marks)} ")
                after_mark = True
            elif not fields or fields[-1]:  # not a field's code
                buffer.append(char)
    if buffer:
        layout.paragraph("".join(buffer).translate(_SHOWN_AS), _PARAGRAPH, _Paragraph())


def doc_source(path: Path, data: bytes) -> SourceDocument:
    """The .doc in ``data`` as a source for the extractors; a :class:`ReadError` saying why
    when it cannot be read."""
    try:
        text = doc_text(data)
    except PermissionError:
        raise ReadError(path, "encrypted .doc: it needs a password to open; save an unprotected copy") from None
    except (ValueError, OSError, struct.error, IndexError, KeyError) as err:
        raise ReadError(path, f"damaged or unsupported .doc ({err}): save it as .docx") from None
    if not text.strip():
        raise ReadError(path, "no text: the .doc holds none")
    text, font = in_unicode(text)
    return SourceDocument.of(path, data, text, read_as("doc", font))
