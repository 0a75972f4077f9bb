"""Debian's chromium for the browser tests: headless, and unable to reach any network.

``run_browser`` loads a page once (``--dump-dom``, ``--screenshot``); :class:`DevTools`
drives a live page over the DevTools protocol (``--remote-debugging-pipe``: JSON messages
ending in NUL on file descriptors 3 and 4 of the browser), to click and to wait for what
a page does after it loads.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
OFFLINE_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--proxy-server=127.0.0.1:9",  # any network load fails (loopback addresses bypass proxies)
    "--window-size=1400,900",
]
FLAGS = [*OFFLINE_FLAGS, "--virtual-time-budget=20000"]
# HTML that marks <body> if it ever runs: document text (names, sentences) the pages must show as text.
PROBE = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("chromium is not installed: apt-get install -y chromium (the browser tests need it)")
    return found


def run_browser(page: Path, tmp_path: Path, *args: str, fragment: str = "") -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.iterdir()))}"
    command = [chromium(), *FLAGS, f"--user-data-dir={profile}", *args, f"{page.as_uri()}{fragment}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class DevTools:
    """One headless chromium with one page, driven over ``--remote-debugging-pipe``."""

    def __init__(self, profile: Path) -> None:
        # The browser reads commands from fd 3 and writes replies to fd 4: bash copies the
        # pipe ends there (from fds >= 10, so nothing else is in the way). No preexec_fn:
        # the tests run servers in threads, and forking with threads must not run Python.
        read_commands, write_commands = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in os.pipe())
        read_replies, write_replies = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in os.pipe())
        shell = f'exec "$0" "$@" 3<&{read_commands} 4>&{write_replies}'
        command = [*OFFLINE_FLAGS, "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"]
        self.process = subprocess.Popen(
            ["/bin/bash", "-c", shell, chromium(), *command],
            pass_fds=(read_commands, write_replies),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(read_commands)
        os.close(write_replies)
        self._out = os.fdopen(write_commands, "wb")
        self._in = read_replies
        self._next_id = 0
        self._buffer = b""
        self.events: list[dict[str, Any]] = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Network", "Log"):
            self.call(f"{domain}.enable", session=True)

    def call(self, method: str, *, session: bool = False, **params: Any) -> dict[str, Any]:
        """Send one command (to the page when ``session``) and return its result; events are kept."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        self._out.write(json.dumps(message).encode() + b"\0")
        self._out.flush()
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                assert "error" not in reply, f"{method}: {reply['error']}"
                return reply["result"]
            self.events.append(reply)

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._in], [], [], 60)
            assert ready, "chromium said nothing for 60 s"
            chunk = os.read(self._in, 1 << 16)
            assert chunk, "chromium closed the DevTools pipe"
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(message)

    def navigate(self, url: str) -> None:
        self.call("Page.navigate", session=True, url=url)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises awaited)."""
        result = self.call(
            "Runtime.evaluate", session=True, expression=expression, returnByValue=True, awaitPromise=True
        )
        assert "exceptionDetails" not in result, result["exceptionDetails"]
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 30.0) -> Any:
        """Poll until the expression is truthy; its value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"still false after {timeout:g} s: {expression}")

    def screenshot(self, path: Path) -> None:
        data = self.call("Page.captureScreenshot", session=True, format="png")["data"]
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(base64.b64decode(data))

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for, from the Network events so far."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def console(self) -> list[str]:
        """What the page logged (console calls and browser log entries, CSP violations among them)."""
        lines = []
        for event in self.events:
            if event.get("method") == "Log.entryAdded":
                lines.append(f"{event['params']['entry']['level']}: {event['params']['entry']['text']}")
            elif event.get("method") == "Runtime.consoleAPICalled":
                args = event["params"]["args"]
                lines.append(f"{event['params']['type']}: " + " ".join(str(a.get("value", "")) for a in args))
        return lines

    def close(self) -> None:
        """Ask the browser to quit (it may close the pipe before it answers); kill it if it lingers."""
        with contextlib.suppress(AssertionError, OSError):
            self.call("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._out.close()
        os.close(self._in)
