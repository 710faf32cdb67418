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
from collections.abc import Callable, Iterator
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


def _start(argv: list[str]) -> tuple[subprocess.Popen, str]:
    """Run a server command whose argv holds `{port}`, on a free port; wait till it answers."""
    port = _free_port()
    proc = subprocess.Popen([a.replace("{port}", str(port)) for a in argv],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_http(base + "/", proc)
    except BaseException:
        proc.kill()
        raise
    return proc, base


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real `oxigraph serve` on a free local port, for the whole session."""
    location = tmp_path_factory.mktemp("oxigraph-server")
    proc, base = _start([str(BIN / "oxigraph"), "serve", "--location", str(location),
                         "--bind", "127.0.0.1:{port}"])
    try:
        yield base
    finally:
        _stop(proc)


@pytest.fixture
def start_server() -> Iterator[Callable[[list[str]], str]]:
    """Start any HTTP server command (argv with `{port}`) for one test; returns its base URL."""
    procs: list[subprocess.Popen] = []

    def start(argv: list[str]) -> str:
        proc, base = _start(argv)
        procs.append(proc)
        return base

    yield start
    for proc in procs:
        _stop(proc)


@pytest.fixture
def empty_server(oxigraph_server: str) -> str:
    """The session's server, emptied for this test."""
    req = urllib.request.Request(oxigraph_server + "/update", data=b"DROP ALL", method="POST",
                                 headers={"Content-Type": "application/sparql-update"})
    urllib.request.urlopen(req, timeout=30).close()
    return oxigraph_server
