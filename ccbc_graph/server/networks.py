"""The network pages (``/network/NAME``): the offline pictures of ``ccbc-graph viz``, made
from the served store on request and kept until the store changes.

A page is built from the rows of the ``network-*`` queries run in the worker pool, then
drawn by :mod:`ccbc_graph.viz`. Pages are cached by the state of the store directory
(names, sizes and times of its files, which only a write changes), so a second visit
costs nothing until an update or a Graph Store write.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ccbc_graph.network import NetworkName, build_network
from ccbc_graph.queries import ParameterError
from ccbc_graph.server.pooled import PooledStore
from ccbc_graph.server.protocol import ProtocolError
from ccbc_graph.server.ui import SECURITY_HEADERS, Page
from ccbc_graph.viz import render_html

if TYPE_CHECKING:
    from ccbc_graph.server.app import SparqlServer

# Page name -> network and the title the index gives it.
PAGES: dict[str, tuple[NetworkName, str]] = {
    "citation": (NetworkName.citations, "citations"),
    "collaboration": (NetworkName.agencies, "collaboration"),
    "cocitation": (NetworkName.cocitations, "co-citations"),
    "plan-agencies": (NetworkName.plan_agencies, "plans and bodies"),
    "agencies-newman": (NetworkName.agencies_newman, "bodies through shared plans"),
}
CACHE_SIZE = 16

_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)
_cache: OrderedDict[tuple[str, ...], Page] = OrderedDict()
_cache_lock = threading.Lock()


def store_state(path: Path) -> str:
    """A fingerprint of the store's files; RocksDB's info logs (``LOG*``) are left out, reading changes none."""
    entries = sorted(
        (entry.name, entry.stat().st_size, entry.stat().st_mtime_ns)
        for entry in os.scandir(path)
        if not entry.name.startswith("LOG")
    )
    return hashlib.sha256(repr(entries).encode()).hexdigest()


def page_policy(page: str) -> str:
    """The page's Content-Security-Policy: its own inline scripts (by hash) and nothing from anywhere."""
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode('utf-8')).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(page)
    )
    return (
        f"default-src 'none'; script-src {hashes}; style-src 'unsafe-inline'; img-src data: blob:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def network_page(server: SparqlServer, name: str, params: Mapping[str, list[str]]) -> Page:
    """``/network/NAME?province=…&year=…``: the picture of one network of the served store."""
    if name not in PAGES:
        raise ProtocolError(404, f"no network page {name}; there are: {', '.join(PAGES)}")
    province, year = ((params.get(key) or [""])[0].strip() or None for key in ("province", "year"))
    key = (str(server.config.store_path), store_state(server.config.store_path), name, province or "", year or "")
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    network, title = PAGES[name]
    try:
        graph = build_network(network, PooledStore(server), province, year)
    except ParameterError as err:
        raise ProtocolError(400, str(err)) from None
    scope = ", ".join(v for v in (province, year) if v)
    text = render_html(graph, title=f"ccbc-graph: {title}" + (f" ({scope})" if scope else ""))
    headers = {"Content-Security-Policy": page_policy(text), "Cache-Control": "no-cache", **SECURITY_HEADERS}
    page = Page(text.encode("utf-8"), "text/html; charset=utf-8", headers)
    with _cache_lock:
        _cache[key] = page
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return page
