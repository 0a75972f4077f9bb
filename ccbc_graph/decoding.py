"""Bytes of a plain-text plan: which encoding they are in, and the Unicode text they hold.

Vietnamese plans circulate in UTF-8, in UTF-16 (Notepad's "Unicode"), in Windows-1258,
and in the 8-bit font encodings that documents of the 1990s and 2000s still carry: TCVN3
(ABC, the ".VnTime" fonts) and VNI-Windows (the "VNI-Times" fonts). Nothing in the bytes
names the encoding, so it is decided in this order:

1. a byte-order mark: UTF-8, UTF-16 or UTF-32;
2. UTF-16 without a mark shows in its NUL bytes: ASCII and the Vietnamese letters
   (U+00xx, U+01xx, U+1Exx) have a small high byte, NUL for ASCII, on one side only;
3. bytes that are strict UTF-8 are UTF-8: 8-bit Vietnamese text is practically never
   valid UTF-8, so ordinary UTF-8 is never taken for anything else;
4. otherwise each 8-bit encoding is tried and the result scored on how Vietnamese it
   is: accented words that are valid Vietnamese syllables count for it, accented words
   that are not and stray symbols count against it. The best one wins if it is clearly
   Vietnamese; else the bytes are text in no encoding we know.

Unicode text may hold what a legacy font drew, pasted from a document typed in it ("Uû
ban nh©n d©n"); scored the same way (:func:`font_encoding`), it is read in the letters.

The TCVN3 and VNI tables are domain data, in ``data/encodings/``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache

from ccbc_graph.shipped import shipped

ENCODINGS_DIR = shipped("data") / "encodings"

# The 8-bit encodings are scored on this much of the file: enough words to be sure.
_SAMPLE_BYTES = 256 * 1024
# A winner needs this many valid accented syllables for each word or symbol against it.
_MIN_GOOD_PER_BAD = 4

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_STOP_TONES = {"\u0301", "\u0323"}  # the only tones a syllable ending in p, t, c, ch takes
_INITIAL = r"(?P<initial>ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
# Spelling of the /k/, /ɣ/ and /ŋ/ initials: k, gh, ngh before e, ê, i (y), and c, g, ng elsewhere.
_FRONT = "eêiy"
_BEFORE_FRONT = {"k": True, "gh": True, "ngh": True, "c": False, "ng": False}
# Nuclei that may take a final consonant, and nuclei closed by a glide, which take none.
_OPEN = r"uyê|iê|yê|uô|ươ|oa|oă|oe|uâ|uê|uy|oo|[aăâeêioôơuưy]"
_GLIDED = r"iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyu|ai|ao|au|ay|âu|ây|eo|êu|ia|iu|oi|ôi|ơi|ua|ui|ưa|ưi|ưu|uơ"
# The final k is that of highland names (Đắk Lắk).
_SYLLABLE = re.compile(rf"{_INITIAL}(?:{_GLIDED}|(?:{_OPEN})(?P<final>ch|nh|ng|[cmnptk])?)")
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "aăâeêioôơuưy"


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the encoding it was read in."""

    text: str
    encoding: str


class NotText(ValueError):
    """Bytes that are no text in any encoding we read; the message says why, for the user."""


@cache
def vietnamese_letters() -> frozenset[str]:
    """Every letter of Vietnamese, both cases, precomposed: a-z and the 134 letters with
    diacritics (đ, â, ế …)."""
    letters = {chr(c) for c in range(ord("a"), ord("z") + 1)} | {"đ"}
    for base in _LETTERS:
        letters.add(base)
        letters.update(unicodedata.normalize("NFC", base + tone) for tone in _TONES)
    return frozenset(letters | {c.upper() for c in letters})


_VOWELS = frozenset(c for c in vietnamese_letters() if unicodedata.normalize("NFD", c.lower())[0] in _LETTERS)


@lru_cache(maxsize=65536)
def is_vietnamese_syllable(word: str) -> bool:
    """Whether ``word`` is spelled as a Vietnamese syllable: an initial spelled as the vowel
    after it requires, a nucleus, a final, one tone at most, and a stop final (p, t, c,
    ch) only with the sắc or nặng tone."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    match = _SYLLABLE.fullmatch(bare)
    if match is None:
        return False
    initial = match["initial"] or ""
    rhyme = bare[len(initial) :]
    if initial in _BEFORE_FRONT and (rhyme[0] in _FRONT) != _BEFORE_FRONT[initial]:
        return False
    if initial == "g" and rhyme[0] in "eê":
        return False
    return match["final"] not in ("c", "ch", "p", "t") or (bool(tones) and tones[0] in _STOP_TONES)


def _ordinary(char: str) -> bool:
    """Characters expected in a Vietnamese text: ASCII, its letters, NBSP, typographic
    punctuation and currency signs (U+2000-U+20CF: “ ” – … ₫ €), the degree and numero signs."""
    return char.isascii() or char in vietnamese_letters() or "\u2000" <= char <= "\u20cf" or char in "\xa0°№"


def _vietnamese_score(text: str) -> tuple[int, int]:
    """(accented words that are Vietnamese syllables, accented non-syllables + stray symbols)."""
    good = bad = 0
    for word in _WORD.findall(text):
        # A word without vowels is an abbreviation ("QĐ", "HĐND"), not a syllable.
        if not word.isascii() and not _VOWELS.isdisjoint(word.lower()):
            if is_vietnamese_syllable(word):
                good += 1
            else:
                bad += 1
    return good, bad + sum(1 for c in text if not _ordinary(c))


# ---------------------------------------------------------------------------- 8-bit tables


def _cp1252(byte: int) -> str:
    """What a Windows font shows for a byte that a Vietnamese table leaves out (quotes,
    dashes), as the legacy font encodings were built on Windows-1252."""
    return bytes([byte]).decode("cp1252", errors="replace")


@cache
def _tcvn3_letters() -> dict[int, str]:
    with open(ENCODINGS_DIR / "tcvn3.csv", encoding="utf-8", newline="") as handle:
        return {int(row["byte"], 16): row["char"] for row in csv.DictReader(handle)}


@cache
def _tcvn3_table() -> dict[int, str]:
    letters = _tcvn3_letters()
    return {b: letters.get(b, _cp1252(b)) for b in range(0x80, 0x100)}


@cache
def _tcvn3_caseless() -> frozenset[str]:
    """Lower-case letters TCVN3 has no capital for: capitals were typed with the same codes
    in an upper-case font (".VnTimeH"), so the text holds them in lower case."""
    letters = set(_tcvn3_letters().values())
    return frozenset(c for c in letters if c.islower() and c.upper() not in letters)


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 (TCVN 5712:1993 VN3) bytes as Unicode, capitals restored in upper-case words."""
    return _restore_capitals(data.decode("latin-1").translate(_tcvn3_table()))


def _restore_capitals(text: str) -> str:
    """Put back the capitals TCVN3 cannot write. A word of capitals but for such letters was
    typed in the capitals font when it has two capitals or one after such a letter ("HOạCH"
    -> "HOẠCH", "ủY" -> "ỦY"), and so was the rest of a line of capitals holding such a word
    ("Sở NộI Vụ" -> "SỞ NỘI VỤ"). A word of one capital ("Hà", or "Ủy" read as "ủy")
    cannot be told from a lower-case one, and stays."""
    caseless = _tcvn3_caseless()

    def capitals(word: str) -> bool:
        return not any(c.islower() and c not in caseless for c in word)

    def typed_in_capitals(word: str) -> bool:
        uppers = sum(map(str.isupper, word))
        return capitals(word) and not caseless.isdisjoint(word) and (uppers >= 2 or (uppers and word[0] in caseless))

    def upper(word: str) -> str:
        return "".join(c.upper() if c in caseless else c for c in word)

    lines = text.split("\n")
    for i, line in enumerate(lines):
        if caseless.isdisjoint(line):
            continue
        words = _WORD.findall(line)
        if any(map(typed_in_capitals, words)) and all(map(capitals, words)):
            lines[i] = upper(line)
        else:
            lines[i] = _WORD.sub(lambda m: upper(m[0]) if typed_in_capitals(m[0]) else m[0], line)
    return "\n".join(lines)


@cache
def _vni_table() -> tuple[re.Pattern[str], dict[str, str]]:
    """VNI writes a letter as a base byte and a mark byte ("a" + 0xF9 = "á"): a pattern
    that takes the longest sequence first, and what each sequence stands for."""
    with open(ENCODINGS_DIR / "vni.csv", encoding="utf-8", newline="") as handle:
        table = {bytes.fromhex(row["bytes"]).decode("latin-1"): row["char"] for row in csv.DictReader(handle)}
    for byte in range(0x80, 0x100):
        table.setdefault(chr(byte), _cp1252(byte))
    keys = sorted(table, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, keys))), table


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes as Unicode."""
    pattern, table = _vni_table()
    return pattern.sub(lambda m: table[m[0]], data.decode("latin-1"))


def decode_cp1258(data: bytes) -> str:
    """Windows-1258 bytes as NFC Unicode: the code page writes most tones as combining
    marks after the letter, which the composed form of every other source joins."""
    return unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))


_LEGACY: tuple[tuple[str, Callable[[bytes], str]], ...] = (
    ("windows-1258", decode_cp1258),
    ("tcvn3", decode_tcvn3),
    ("vni-windows", decode_vni),
)
# Text is taken for a legacy font's on at least this many syllables it makes Vietnamese.
_MIN_FONT_SYLLABLES = 20
# The encodings of fonts (Windows-1258 is a code page: text typed in it is stored in Unicode).
_FONT_ENCODINGS: dict[str, Callable[[bytes], str]] = {"tcvn3": decode_tcvn3, "vni-windows": decode_vni}


# ---------------------------------------------------------------------------- text in legacy fonts


def _font_bytes(text: str) -> bytes | None:
    """The bytes a legacy Vietnamese font was given for ``text``: Windows stores what was
    typed in such a font as the Windows-1252 characters of those bytes (the five bytes
    Windows-1252 leaves undefined as the control characters of the same number). None when
    the text holds a character no byte stands for (it was typed in Unicode)."""
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for char in text:
        if "\x80" <= char <= "\x9f":
            out.append(ord(char))
        else:
            try:
                out += char.encode("cp1252")
            except UnicodeEncodeError:
                return None
    return bytes(out)


def font_encoding(text: str) -> str | None:
    """The legacy font encoding a document's text was typed in, "tcvn3" (".VnTime" fonts)
    or "vni-windows" ("VNI-Times"), as a Word file or a PDF keeps such text: the
    Windows-1252 characters the font draws ("Uû ban nh©n d©n"); None for a text in Unicode.

    Decided on the whole document, whose lines no byte stands for are Unicode and left out:
    each encoding's reading of the rest is scored as :func:`decode_bytes` scores an 8-bit
    file, and one is taken only when clearly Vietnamese, more so than the text itself, and
    on a document's worth of words (a few Latin-1 letters, "UÈ", prove nothing).
    """
    lines = [(line, data) for line in text.split("\n") if not line.isascii() and (data := _font_bytes(line))]
    if not lines:
        return None
    sample = "\n".join(line for line, _ in lines)[:_SAMPLE_BYTES]
    data = b"\n".join(data for _, data in lines)[:_SAMPLE_BYTES]
    as_is_good, as_is_bad = _vietnamese_score(sample)
    scored = [(_vietnamese_score(decode(data)), name) for name, decode in _FONT_ENCODINGS.items()]
    (good, bad), name = max(scored, key=lambda s: (s[0][0] - s[0][1], s[0][0]))
    if good >= _MIN_FONT_SYLLABLES and good >= _MIN_GOOD_PER_BAD * bad and good - bad > as_is_good - as_is_bad:
        return name
    return None


def from_font_encoding(text: str, encoding: str) -> str:
    """A piece of a document :func:`font_encoding` found typed in ``encoding``, in Unicode
    (a piece no byte stands for was typed in Unicode and stays as it is)."""
    data = None if text.isascii() else _font_bytes(text)
    return text if data is None else _FONT_ENCODINGS[encoding](data)


def in_unicode(text: str) -> tuple[str, str | None]:
    """A document's text with what a legacy font drew read in the Vietnamese letters, line
    by line, and the font encoding it was typed in (None: the text as it is)."""
    font = font_encoding(text)
    if font is None:
        return text, None
    return "\n".join(from_font_encoding(line, font) for line in text.split("\n")), font


def read_as(how: str, font: str | None) -> str:
    """How a source was read ("docx", "utf-8"), saying the legacy font it was typed in."""
    return how if font is None else f"{how} in {font} fonts"


# ---------------------------------------------------------------------------- detection


# Unicode's control characters (category Cc) but tab, line feed, form feed, carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _binary(text: str) -> bool:
    """Control characters other than tab, newlines and form feed in more than 1% of the text."""
    sample = text[:65536]
    return "\x00" in sample or len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def _checked(text: str, encoding: str) -> Decoded:
    if not text.strip():
        raise NotText("empty file")
    if _binary(text):
        raise NotText("binary content, not text")
    return Decoded(text, encoding)


def _utf16_by_nuls(data: bytes) -> str | None:
    """The UTF-16 byte order whose high bytes are NUL for a third or more of the sample while
    its low bytes almost never are, as in text of mostly ASCII letters; None for other bytes."""
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd * 3 >= half and even * 20 <= half:
        return "utf-16-le"
    if even * 3 >= half and odd * 20 <= half:
        return "utf-16-be"
    return None


def _fonts_read(decoded: Decoded) -> Decoded:
    """Unicode text that holds what a legacy font drew (pasted from a ".VnTime" document:
    "Uû ban nh©n d©n"), in the Vietnamese letters; other text as it is."""
    text, font = in_unicode(decoded.text)
    return Decoded(text, read_as(decoded.encoding, font))


def decode_bytes(data: bytes) -> Decoded:
    """The text in ``data`` and its encoding; raises :class:`NotText` with the reason."""
    if not data.strip():
        raise NotText("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _fonts_read(_checked(data[len(bom) :].decode(encoding), encoding))
            except UnicodeDecodeError as err:
                at = err.start + len(bom)
                raise NotText(
                    f"has a {encoding} byte-order mark but is not {encoding} ({err.reason} at byte {at})"
                ) from None
    utf16 = _utf16_by_nuls(data)
    if utf16 is not None:
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            text = ""
        ordinary = sum(1 for c in text if _ordinary(c) or unicodedata.combining(c))
        if text and ordinary >= 0.95 * len(text):
            return _fonts_read(_checked(text, utf16))
    if b"\x00" in data[:65536]:
        raise NotText("binary content, not text")
    try:
        return _fonts_read(_checked(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as err:
        utf8_error = f"not valid UTF-8 (byte {err.start}: {data[err.start : err.start + 1]!r})"
    sample = data[:_SAMPLE_BYTES]
    scores = [(_vietnamese_score(decode(sample)), name, decode) for name, decode in _LEGACY]
    (good, bad), name, decode = max(scores, key=lambda s: (s[0][0] - s[0][1], s[0][0]))
    if good and good >= _MIN_GOOD_PER_BAD * bad:
        return _checked(decode(data), name)
    raise NotText(f"{utf8_error}, nor Vietnamese text in Windows-1258, TCVN3 or VNI")
