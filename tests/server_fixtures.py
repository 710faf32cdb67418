"""A real Oxigraph server for the store tests, started once per session.

Test modules load this with `pytest_plugins = ["server_fixtures"]`, so the server is shared
by every module that asks for it and killed when the session ends.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, proc: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real `oxigraph serve` on a free local port, for the whole session."""
    port = _free_port()
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc = subprocess.Popen([str(BIN / "oxigraph"), "serve", "--location", str(location),
                             "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/", proc)
        yield base
    finally:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def empty_server(oxigraph_server: str) -> str:
    """The session's server, emptied for this test."""
    req = urllib.request.Request(oxigraph_server + "/update", data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(req, timeout=30).close()
    return oxigraph_server
