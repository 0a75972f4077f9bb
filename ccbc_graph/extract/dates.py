"""Dates as Vietnamese documents write them: "ngày 08 tháng 11 năm 2011",
"ngày 08/11/2011", "08-11-2011", "08.11.2011", "7/3/2019", a year in two digits after
"ngày" ("ngày 02/9/20"), and a blank "ngày tháng năm 2021" on an unsigned draft."""

from __future__ import annotations

import re
from datetime import date

from ccbc_graph.extract.symbols import DASH

# Over the matching view (lower case). A paragraph break may fall inside ("ngày\n\n17/3/2019").
_SEP = rf"\s*(?:[/.]|{DASH})\s*"
_NUMERIC = rf"(?P<d>\d{{1,2}}){_SEP}(?P<m>\d{{1,2}}){_SEP}(?P<y>(?:19|20)\d\d)(?!\d)"
# A two-digit year is read only after "ngày", where nothing else but a date is written;
# 00-49 are of this century, 50-99 of the last.
_CENTURY_PIVOT = 50
_NUMERIC_SHORT = rf"(?P<sd>\d{{1,2}}){_SEP}(?P<sm>\d{{1,2}}){_SEP}(?P<sy>\d\d)(?![\d/])"
_WORDS = r"(?P<wd>\d{1,2})\s+tháng\s+(?P<wm>\d{1,2})\s+năm\s+(?P<wy>(?:19|20)\d\d)(?!\d)"
_BARE = _NUMERIC.replace("?P<", "?P<b")
DATE_RE = re.compile(rf"ngày\s*(?:{_WORDS}|{_NUMERIC}|{_NUMERIC_SHORT})|(?<![\d/])(?:{_BARE})")
BLANK_DATE_RE = re.compile(r"ngày\s+tháng\s+năm\s+(?P<y>(?:19|20)\d\d)(?!\d)")


def date_from_match(match: re.Match[str]) -> date | None:
    """The date a :data:`DATE_RE` match names, or ``None`` if it is not a real date."""
    groups = match.groupdict()
    for d, m, y in (("wd", "wm", "wy"), ("d", "m", "y"), ("bd", "bm", "by"), ("sd", "sm", "sy")):
        if groups.get(d):
            year = int(groups[y])
            if len(groups[y]) == 2:
                year += 2000 if year < _CENTURY_PIVOT else 1900
            try:
                return date(year, int(groups[m]), int(groups[d]))
            except ValueError:
                return None
    return None
