"""The web UI: the page at ``/`` (YASGUI on ``/sparql`` and the shipped queries), its static
files, and the text of a shipped query with its parameters bound.

Everything the page runs comes from ``static/`` (YASGUI is vendored, see
``static/yasgui/README.md``) under a Content-Security-Policy that lets it load and ask
nothing but this server. Static files are named in the page with their content hash
(``?v=…``), so a browser may keep them for a year and still never runs a stale copy.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ccbc_graph.queries import NamedQuery, ParameterError, QueryParam, bind, list_queries
from ccbc_graph.server.protocol import ProtocolError
from ccbc_graph.uris import PREFIXES, base_uri
from ccbc_graph.viz import script_json

STATIC_DIR = Path(__file__).with_name("static")
STATIC_PREFIX = "/static/"
QUERIES_PREFIX = "/queries/"
NETWORK_PREFIX = "/network/"

# YASGUI sets styles only through the DOM, except for two <style> elements its column
# resizer adds (on the results table, and while a column is dragged): those are allowed by
# hash. A new YASGUI version that changes them shows a CSP violation in
# tests/test_yasgui_browser.py, with chromium's message giving the new hash.
_RESIZER_STYLES = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk=' 'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='"
)
INDEX_POLICY = (
    f"default-src 'none'; script-src 'self'; style-src 'self' {_RESIZER_STYLES}; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
# Pages without scripts: the entity pages.
STATIC_POLICY = "default-src 'none'; style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}

_CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    "": "text/plain; charset=utf-8",  # LICENSE
}
_IMMUTABLE = "public, max-age=31536000, immutable"

# An example value in a parameter's description: after "e.g.", else the first quoted one.
_FOR_EXAMPLE = re.compile(r'\be\.g\.\s*(?:"([^"]+)"|([^\s;,()"]+))')
_QUOTED = re.compile(r'"([^"]+)"')

# What a new editor tab holds, after a PREFIX line for each of the graph's vocabularies.
DEFAULT_QUERY = """SELECT DISTINCT ?plan ?label WHERE {
  ?plan a ccbc:Plan .
  OPTIONAL { ?plan skos:prefLabel ?label }
}
"""


@dataclass(frozen=True)
class Page:
    """A response of the web UI, for ``SparqlHandler._send``."""

    body: bytes
    content_type: str | None
    headers: dict[str, str] = field(default_factory=dict)
    status: int = 200


@dataclass(frozen=True)
class Asset:
    """A static file held in memory, with the hash that names its version."""

    body: bytes
    content_type: str
    etag: str

    @property
    def version(self) -> str:
        return self.etag.strip('"')[:16]


@cache
def assets() -> dict[str, Asset]:
    """Every servable file under ``static/`` by its path there; read once (about 1.2 MB)."""
    found = {}
    for path in sorted(STATIC_DIR.rglob("*")):
        content_type = _CONTENT_TYPES.get(path.suffix)
        if path.is_file() and content_type is not None:
            body = path.read_bytes()
            found[path.relative_to(STATIC_DIR).as_posix()] = Asset(
                body, content_type, f'"{hashlib.sha256(body).hexdigest()}"'
            )
    return found


def asset_url(name: str) -> str:
    """The URL of a static file relative to ``/``, versioned by its content."""
    return f"{STATIC_PREFIX.lstrip('/')}{name}?v={assets()[name].version}"


def static_file(name: str, query: Mapping[str, list[str]], if_none_match: str | None) -> Page:
    """A static file: cached for a year when asked for by its current version, else revalidated."""
    asset = assets().get(name)
    if asset is None:
        raise ProtocolError(404, f"no static file {name}")
    cache_control = _IMMUTABLE if query.get("v") == [asset.version] else "no-cache"
    headers = {"ETag": asset.etag, "Cache-Control": cache_control, **SECURITY_HEADERS}
    if if_none_match is not None and asset.etag in (tag.strip() for tag in if_none_match.split(",")):
        return Page(b"", None, headers, status=304)
    return Page(asset.body, asset.content_type, headers)


def example_value(param: QueryParam) -> str:
    """The value a parameter's description gives as an example ("" if none)."""
    match = _FOR_EXAMPLE.search(param.description) or _QUOTED.search(param.description)
    return next((group for group in match.groups() if group), "") if match else ""


def shipped_queries() -> dict[str, NamedQuery]:
    """The queries of ``queries/`` by name."""
    return {query.name: query for query in list_queries()}


def bound_query(name: str, params: Mapping[str, list[str]]) -> Page:
    """``/queries/NAME.rq?param=value``: the query's text with its parameters bound, as ``bind`` does."""
    query = shipped_queries().get(name.removesuffix(".rq")) if name.endswith(".rq") else None
    if query is None:
        raise ProtocolError(404, f"no shipped query {name}; the list is at /")
    try:
        text = bind(query, {key: values[0] for key, values in params.items()})
    except ParameterError as err:
        raise ProtocolError(400, str(err)) from None
    return Page(text.encode("utf-8"), "application/sparql-query; charset=utf-8", dict(SECURITY_HEADERS))


def index_page(networks: Mapping[str, str]) -> Page:
    """The page at ``/``: YASGUI, the shipped queries beside it, links to the network pages."""
    config = {
        "endpoint": "sparql",
        "base": base_uri(),
        "defaultQuery": "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items()) + "\n" + DEFAULT_QUERY,
    }
    network_links = " · ".join(
        f'<a href="{html.escape(NETWORK_PREFIX.lstrip("/") + name)}">{html.escape(title)}</a>'
        for name, title in networks.items()
    )
    queries = "\n".join(_query_form(query) for query in shipped_queries().values())
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ccbc-graph: SPARQL</title>
<link rel="stylesheet" href="{asset_url("yasgui/yasgui.min.css")}">
<link rel="stylesheet" href="{asset_url("ccbc.css")}">
<script src="{asset_url("yasgui/yasgui.min.js")}" defer></script>
<script src="{asset_url("index.js")}" defer></script>
<script type="application/json" id="ui-config">{script_json(config)}</script>
</head>
<body class="index">
<header>
<h1>ccbc-graph</h1>
<p>SPARQL 1.1 endpoint: <a href="sparql"><code>/sparql</code></a> · Networks: {network_links}</p>
</header>
<main>
<aside id="queries">
<h2>Ready-made queries</h2>
<p class="hint">A click opens the query in the editor; ▶ in the editor runs it.</p>
<p id="status" role="status"></p>
{queries}
</aside>
<section id="yasgui"></section>
</main>
<footer>Editor: YASGUI 4.6.2 (<a href="{asset_url("yasgui/LICENSE")}">MIT</a>,
<a href="{asset_url("yasgui/THIRD-PARTY-NOTICES.txt")}">bundled licences</a>).</footer>
</body>
</html>
"""
    headers = {"Content-Security-Policy": INDEX_POLICY, "Cache-Control": "no-cache", **SECURITY_HEADERS}
    return Page(page.encode("utf-8"), "text/html; charset=utf-8", headers)


def _query_form(query: NamedQuery) -> str:
    """One query of the list: its title opens it, with an input per parameter."""
    inputs = "".join(
        f"<label>{html.escape(p.name)}{' *' if p.required else ''} "
        f'<input name="{html.escape(p.name)}" title="{html.escape(p.description)}" '
        + (
            f'value="{html.escape(example_value(p))}" required>'
            if p.required
            else f'placeholder="{html.escape(example_value(p))}">'
        )
        + "</label>"
        for p in query.params
    )
    return (
        f'<form class="query" data-name="{html.escape(query.name)}" data-title="{html.escape(query.title)}">'
        f'<button type="submit">{html.escape(query.title)}</button>'
        f"<p>{html.escape(query.description)}</p>"
        + (f'<div class="params">{inputs}</div>' if inputs else "")
        + "</form>"
    )
