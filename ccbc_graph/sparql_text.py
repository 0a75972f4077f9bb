"""Reading SPARQL text without a parser, and writing SPARQL 1.1 JSON result terms.

Shared by the query files (where to bind parameters), the remote client and the
endpoint (which form a request is, whether it asks for SERVICE or LOAD). Light on
purpose: the endpoint's worker processes import it and must start fast.
"""

from __future__ import annotations

import re
from typing import Any

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

# Comments, strings, IRIs and variables are skipped: a keyword inside them is not a keyword.
TOKEN = re.compile(
    "|".join(
        [
            r"(?P<skip>#[^\n]*"
            r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*'"
            r'|<[^<>"{}|^`\\\x00-\x20]*>'
            r"|[?$]\w+)",
            r"(?P<word>(?:[^\W\d]|:)[\w.\-:%\\]*)",
            r"(?P<open>[{(\[])",
            r"(?P<close>[})\]])",
            r"(?P<space>\s+)",
            r"(?P<other>.)",
        ]
    ),
    re.DOTALL,
)
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def unescape_codepoints(text: str) -> str:
    """The text with ``\\uXXXX`` escapes applied, as the SPARQL grammar does before parsing."""
    return _CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def query_form(text: str) -> str | None:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first such keyword outside comments and
    strings; ``None`` for text with none (an update). A keyword inside a comment ("ask"
    in "task") does not count, as it does for SPARQLWrapper's own guess."""
    for token in TOKEN.finditer(unescape_codepoints(text)):
        if token.lastgroup == "word" and token.group().upper() in QUERY_FORMS:
            return token.group().upper()
    return None


def json_term(term: Any) -> dict[str, Any]:
    """One RDF term as SPARQL 1.1 Query Results JSON (RDF-star triples included)."""
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        if term.language:
            return {"type": "literal", "value": term.value, "xml:lang": term.language}
        if term.datatype.value != _XSD_STRING:
            return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
        return {"type": "literal", "value": term.value}
    if isinstance(term, Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {key: json_term(value) for key, value in parts.items()}}
    raise TypeError(f"cannot write {term!r} in SPARQL JSON results")
