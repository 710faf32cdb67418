"""A SPARQL 1.1 server as the store: Protocol for queries, Graph Store Protocol for writes.

The location is the server's base URL; endpoint paths default to Oxigraph's and can be
changed in the URL fragment, which never leaves this machine::

    http://127.0.0.1:7878                       oxigraph serve: /query, /update, /store
    http://host:3030/kg#query=sparql&update=update&store=data          Apache Jena Fuseki
    http://host:7200/repositories/kg#query=.&update=statements&store=rdf-graphs/service&union=server
                                                                          GraphDB

A fragment value is a path relative to the base URL, `.` for the base URL itself, or a full
URL.

Union default graph. Every article is a named graph and our queries expect the default
graph to be their union. Oxigraph does that per request with its `union-default-graph`
parameter, which we send. Elsewhere configure the server and add `union=server` to the
fragment so the parameter is not sent: Fuseki `tdb2:unionDefaultGraph true` on the dataset,
Stardog `query.all.graphs=true`; GraphDB and Virtuoso already query all graphs by default.
(`oxigraph serve --union-default-graph` does it server-wide too.)

Writing an article is one Graph Store PUT of its triples. Oxigraph clears the graph, then
loads the whole body as one transaction, so a failure in between leaves the article absent,
never half (other servers typically do the whole PUT in one transaction).

An article whose body would exceed `max_request_bytes` is staged instead: its triples travel
in bounded chunks as inert records (`<t> stage:s S; stage:p P; stage:o O`) in a staging
graph, and one SPARQL Update swaps them into place. Staged records use none of our
vocabulary, so queries never see the new article half-loaded, and a retry overwrites a
staging graph left by a crash.

Query results come back as pyoxigraph's own types, parsed with parse_query_results, so the
caller cannot tell a server from the embedded store. Only the standard library talks HTTP.
"""

from __future__ import annotations

import hashlib
import re
import time
import urllib.error
import urllib.request
from collections.abc import Collection, Iterable, Iterator
from http.client import HTTPResponse
from typing import BinaryIO
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit

from pyoxigraph import (
    NamedNode,
    Quad,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Triple,
    parse_query_results,
    serialize,
)
from pyoxigraph import Store as OxStore

from kg.namespaces import KG, PREFIXES, sparql_prologue
from kg.store import (
    QueryResult,
    QueryTimeout,
    StoreError,
    matching,
    register,
    triples_result,
)

RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                  "application/n-triples, text/turtle;q=0.9")
STAGE = "urn:x-kg:stage:"
_S, _P, _O = (NamedNode(STAGE + x) for x in "spo")
_HASH_QUERY = "SELECT ?h WHERE {{ GRAPH {g} {{ {g} <" + KG + "contentHash> ?h }} }} LIMIT 1"


class RemoteStore:
    def __init__(self, location: str, *, read_only: bool = False, timeout: float = 300.0,
                 max_request_bytes: int = 8 << 20) -> None:
        self.location = location
        self.read_only = read_only
        self.timeout = timeout
        self.max_request_bytes = max_request_bytes
        base, _, fragment = location.partition("#")
        opts = dict(parse_qsl(fragment))
        self.query_url = _endpoint(base, opts.get("query", "query"))
        self.update_url = _endpoint(base, opts.get("update", "update"))
        self.store_url = _endpoint(base, opts.get("store", "store"))
        self.union_param = opts.get("union", "param") != "server"
        self._post_query("ASK {}", RESULTS_ACCEPT, timeout=min(timeout, 30.0)).close()

    # -- the Store protocol

    def article_hash(self, graph: NamedNode) -> str | None:
        rows = list(self._select(_HASH_QUERY.format(g=_iri(graph))))
        return rows[0][0].value if rows else None

    def replace_articles(self, batch: Iterable[tuple[NamedNode, list[Quad]]]) -> None:
        if self.read_only:
            raise StoreError(f"{self.location}: opened read-only")
        for graph, quads in batch:
            body = serialize((q.triple for q in quads), format=RdfFormat.N_TRIPLES) or b""
            if len(body) <= self.max_request_bytes:
                self._put(graph, body, "PUT")
            else:
                self._staged_replace(graph, quads)

    def query(self, sparql: str, *, timeout: float | None = None) -> QueryResult:
        _check_syntax(sparql)
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._post_query(sparql_prologue() + sparql, RESULTS_ACCEPT,
                              timeout=timeout or self.timeout, union=True) as resp:
            kind = resp.headers.get("Content-Type", "application/sparql-results+json")
            body = _read(resp, deadline, self.location)
        results_fmt = QueryResultsFormat.from_media_type(kind)
        if results_fmt is not None:
            return parse_query_results(body, results_fmt)
        rdf_fmt = RdfFormat.from_media_type(kind)
        if rdf_fmt is None:
            raise StoreError(f"{self.location}: server answered with unknown type {kind!r}")
        return triples_result(body, rdf_fmt)

    def quads(self, *, subjects: Collection[str] | None = None,
              predicates: Collection[str] | None = None) -> Iterator[Quad]:
        # One streamed request filtered here: no IRI is ever spliced into the query text.
        rows = self._select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return matching((Quad(s, p, o, g) for s, p, o, g in rows), subjects, predicates)

    def dump(self, out: BinaryIO, fmt: RdfFormat) -> None:
        if fmt.supports_datasets:
            serialize(self.quads(), out, fmt, prefixes=PREFIXES)
        else:
            rows = self._select("SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
            serialize((Triple(s, p, o) for s, p, o in rows), out, fmt, prefixes=PREFIXES)

    def close(self) -> None:
        pass  # nothing held open between requests

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- HTTP

    def _select(self, sparql: str) -> Iterator[tuple]:
        """Stream a SELECT's rows straight off the socket: exports can be large."""
        resp = self._post_query(sparql, "application/sparql-results+json")
        with resp:
            solutions = parse_query_results(resp, QueryResultsFormat.JSON)
            assert isinstance(solutions, QuerySolutions)
            for row in solutions:
                yield tuple(row)

    def _post_query(self, sparql: str, accept: str, *, timeout: float | None = None,
                    union: bool = False) -> HTTPResponse:
        form = {"query": sparql}
        if union and self.union_param:
            form["union-default-graph"] = ""
        return self._request("POST", self.query_url, urlencode(form).encode(), {
            "Content-Type": "application/x-www-form-urlencoded", "Accept": accept,
        }, timeout)

    def _put(self, graph: NamedNode, body: bytes, method: str) -> None:
        url = f"{self.store_url}?{urlencode({'graph': graph.value}, quote_via=quote)}"
        self._request(method, url, body, {"Content-Type": "application/n-triples"}).close()

    def update(self, sparql: str) -> None:
        self._update(sparql)

    def _update(self, sparql: str) -> None:
        self._request("POST", self.update_url, sparql.encode(),
                      {"Content-Type": "application/sparql-update"}).close()

    def _staged_replace(self, graph: NamedNode, quads: list[Quad]) -> None:
        stage = NamedNode(STAGE + hashlib.sha1(graph.value.encode()).hexdigest())
        method = "PUT"  # the first chunk also clears what a crashed attempt left behind
        for chunk in _staged_chunks(stage, quads, self.max_request_bytes):
            self._put(stage, chunk, method)
            method = "POST"
        g, st = _iri(graph), _iri(stage)
        self._update(
            f"DROP SILENT GRAPH {g} ;\n"
            f"INSERT {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {st} "
            f"{{ ?t {_iri(_S)} ?s ; {_iri(_P)} ?p ; {_iri(_O)} ?o }} }} ;\n"
            f"DROP SILENT GRAPH {st}")

    def _request(self, method: str, url: str, body: bytes | None, headers: dict[str, str],
                 timeout: float | None = None) -> HTTPResponse:
        req = urllib.request.Request(url, data=body, headers=headers, method=method)
        try:
            return urllib.request.urlopen(req, timeout=timeout or self.timeout)
        except urllib.error.HTTPError as e:
            detail = e.read(2000).decode("utf-8", "replace").strip().splitlines()
            raise StoreError(f"{self.location}: {method} {urlsplit(url).path} failed: "
                             f"{e.code} {detail[0] if detail else e.reason}") from None
        except TimeoutError:
            raise QueryTimeout(f"{self.location}: no answer within {timeout or self.timeout:g} s"
                               ) from None
        except (urllib.error.URLError, OSError) as e:
            reason = getattr(e, "reason", e)
            if isinstance(reason, TimeoutError):
                raise QueryTimeout(f"{self.location}: no answer within "
                                   f"{timeout or self.timeout:g} s") from None
            raise StoreError(f"{self.location}: cannot reach the SPARQL server ({reason})"
                             ) from None


def _endpoint(base: str, path: str) -> str:
    base = base.rstrip("/")
    return base if path in ("", ".") else urljoin(base + "/", path)


def _iri(node: NamedNode) -> str:
    """An IRI term for SPARQL text. NamedNode validates, so nothing can break out of <...>."""
    return str(NamedNode(node.value))


def _check_syntax(sparql: str) -> None:
    """Parse locally so syntax errors read the same, with positions, as for the local store.

    Queries with SERVICE are left to the server: pyoxigraph evaluates ASK at once, and must
    not call out to a federated endpoint from here.
    """
    if re.search(r"\bSERVICE\b", sparql, re.IGNORECASE):
        return
    try:
        OxStore().query(sparql, prefixes=PREFIXES)  # evaluation is lazy; the store is empty
    except SyntaxError:
        raise
    except Exception:  # e.g. SERVICE: not ours to judge; let the server decide
        pass


def _read(resp: HTTPResponse, deadline: float | None, where: str) -> bytes:
    """Read the whole body, enforcing the deadline between chunks as well as per read."""
    parts: list[bytes] = []
    try:
        while chunk := resp.read(1 << 16):
            parts.append(chunk)
            if deadline is not None and time.monotonic() > deadline:
                raise QueryTimeout(f"{where}: query stopped (--timeout) while reading results")
    except TimeoutError:
        raise QueryTimeout(f"{where}: query stopped (--timeout)") from None
    return b"".join(parts)


def _staged_chunks(stage: NamedNode, quads: list[Quad], limit: int) -> Iterator[bytes]:
    buf: list[bytes] = []
    size = 0
    for i, q in enumerate(quads):
        t = NamedNode(f"{stage.value}/{i}")
        rec = serialize([Triple(t, _S, q.subject), Triple(t, _P, q.predicate),
                         Triple(t, _O, q.object)], format=RdfFormat.N_TRIPLES) or b""
        if buf and size + len(rec) > limit:
            yield b"".join(buf)
            buf, size = [], 0
        buf.append(rec)
        size += len(rec)
    if buf:
        yield b"".join(buf)


register("http", RemoteStore)
register("https", RemoteStore)
