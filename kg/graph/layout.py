"""Node positions computed in Python, so that a big page is drawn rather than simulated.

vis-network's physics takes seconds per hundred nodes in a browser; this runs the same force
model (FORCES) in NumPy from a pivot-MDS start, in well under a second for 2,000 nodes, and the
page draws the result with physics off. ``networkx.spring_layout`` would need SciPy at this
size, which kg does not depend on.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

#: The force model of vis-network's forceAtlas2Based solver, in its units (pixels): every node
#: repels every other with gravity * (degree + 1) / distance, each edge is a spring of rest
#: length `spring_length` and stiffness `spring`, and a pull of `central * (degree + 1)` per
#: pixel keeps the whole near the middle. Same model, same constants: the Python layout lands
#: where the browser's physics would have, without the browser doing thousands of ticks.
FORCES = {"gravity": 70.0, "spring_length": 165.0, "spring": 0.07, "central": 0.012}


def layout(g: nx.MultiDiGraph, *, seed: int = 7, iterations: int | None = None,
           forces: dict[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """Node positions in pixels for drawing without in-browser physics.

    Each connected component is started from pivot MDS (graph distances from a few far-apart
    pivots, projected to 2-D: the global shape, in linear time) and relaxed with the force
    model of FORCES. Repulsion is split Barnes-Hut style on a grid: exact between nodes in
    neighbouring cells, through cell centres of mass beyond. Components are then packed in
    rows, largest first, isolated nodes last. Deterministic for a given `seed`.
    """
    import numpy as np

    if g.number_of_nodes() == 0:
        return {}
    model = {**FORCES, **(forces or {})}
    rng = np.random.default_rng(seed)
    simple = nx.Graph()
    simple.add_nodes_from(g)
    simple.add_edges_from((u, v) for u, v in g.edges() if u != v)
    parts = sorted((sorted(c) for c in nx.connected_components(simple)),
                   key=lambda c: (-len(c), c[0]))
    # Each component's edges in g's order (one pass), so the forces sum in the same order in
    # every run and the page comes out byte-identical.
    part_of = {v: i for i, comp in enumerate(parts) for v in comp}
    pairs: list[list[tuple[str, str]]] = [[] for _ in parts]
    for u, v in g.edges():
        if u != v:
            pairs[part_of[u]].append((u, v))
    placed = []
    for comp, comp_pairs in zip(parts, pairs, strict=True):
        if len(comp) == 1:
            placed.append((comp, np.zeros((1, 2))))
            continue
        index = {v: i for i, v in enumerate(comp)}
        arr = np.array([(index[u], index[v]) for u, v in comp_pairs], dtype=np.int64)
        src, dst = arr[:, 0], arr[:, 1]
        adjacency = [[index[w] for w in simple[v]] for v in comp]
        placed.append((comp, _component(adjacency, src, dst, model, rng, iterations)))
    return _pack(placed, gap=model["spring_length"])


def _component(adjacency: list[list[int]], src: Any, dst: Any, model: dict[str, float],
               rng: Any, iterations: int | None) -> Any:
    import numpy as np

    k = len(adjacency)
    pos = _pivot_mds(adjacency) if k > 3 else rng.normal(size=(k, 2))
    pos -= pos.mean(0)
    spread = float(np.sqrt((pos ** 2).sum(1).mean())) or 1.0
    # Start near the radius where repulsion and the central pull balance (sqrt(g * k / c)),
    # with a little noise to separate nodes MDS put on the same spot (leaves of one hub).
    radius = 0.7 * np.sqrt(model["gravity"] * k / model["central"])
    pos = pos * (radius / spread) + rng.normal(scale=0.1 * model["spring_length"],
                                               size=pos.shape)
    degree = np.bincount(src, minlength=k) + np.bincount(dst, minlength=k) + 1.0
    steps = iterations if iterations is not None else _steps(k)
    cells = int(min(24, max(3, np.ceil(np.sqrt(k / 8)))))
    hot = 0.1 * float(np.ptp(pos, 0).max()) + 0.3 * model["spring_length"]
    for step in range(steps):
        temperature = hot * (1 - step / steps) + 2.0
        force = _forces(pos, src, dst, degree, model, cells)
        length = np.sqrt((force ** 2).sum(1))
        pos += force * (np.minimum(length, temperature) / np.maximum(length, 1e-9))[:, None]
    return pos


def _steps(k: int) -> int:
    """Relaxation sweeps: MDS has the shape already, so a few dozen settle it."""
    return 60 if k <= 300 else 50 if k <= 1200 else 35


def _pivot_mds(adjacency: list[list[int]], pivots: int = 40) -> Any:
    """Brandes & Pich's pivot MDS: BFS from max-min pivots, double-centre, top-2 axes."""
    import numpy as np

    k = len(adjacency)
    p = min(pivots, k)
    dist = np.empty((k, p))
    nearest = np.full(k, np.inf)
    start = 0
    for c in range(p):
        d = [-1] * k
        d[start] = 0
        frontier = [start]
        while frontier:
            nxt = []
            for u in frontier:
                du = d[u] + 1
                for w in adjacency[u]:
                    if d[w] < 0:
                        d[w] = du
                        nxt.append(w)
            frontier = nxt
        dist[:, c] = d
        nearest = np.minimum(nearest, dist[:, c])
        start = int(np.argmax(nearest))
    sq = dist ** 2
    centred = -0.5 * (sq - sq.mean(0) - sq.mean(1)[:, None] + sq.mean())
    _, vectors = np.linalg.eigh(centred.T @ centred)
    return centred @ vectors[:, ::-1][:, :2]


def _forces(pos: Any, src: Any, dst: Any, degree: Any, model: dict[str, float],
            cells: int) -> Any:
    import numpy as np

    k = len(pos)
    low = pos.min(0)
    size = np.maximum(np.ptp(pos, 0) / cells, 1e-9) * (1 + 1e-9)
    cell = np.minimum(((pos - low) / size).astype(np.int64), cells - 1)
    cid = cell[:, 0] * cells + cell[:, 1]
    push = np.zeros_like(pos)
    # Far: every occupied cell that is not next to the node's own, as one mass at its centre.
    mass = np.bincount(cid, minlength=cells * cells).astype(float)
    occupied = np.nonzero(mass)[0]
    m = mass[occupied]
    cx = (np.bincount(cid, pos[:, 0], cells * cells)[occupied] / m).astype(np.float32)
    cy = (np.bincount(cid, pos[:, 1], cells * cells)[occupied] / m).astype(np.float32)
    near = np.abs(cell[:, 0:1] - (occupied // cells)[None, :]) <= 1
    near &= np.abs(cell[:, 1:2] - (occupied % cells)[None, :]) <= 1
    p32 = pos.astype(np.float32)
    dx = p32[:, 0:1] - cx[None, :]
    dy = p32[:, 1:2] - cy[None, :]
    f = dx * dx
    f += dy * dy
    np.maximum(f, 1.0, out=f)
    np.divide(m.astype(np.float32)[None, :], f, out=f)
    f[near] = 0.0
    push[:, 0] = (dx * f).sum(1)
    push[:, 1] = (dy * f).sum(1)
    # Near: exactly, pair by pair.
    i, j = _near_pairs(cell, cid, cells)
    d = pos[i] - pos[j]
    d2 = np.maximum((d ** 2).sum(1), 1.0)
    push[:, 0] += np.bincount(i, d[:, 0] / d2, k)
    push[:, 1] += np.bincount(i, d[:, 1] / d2, k)
    force = push * (model["gravity"] * degree)[:, None]
    e = pos[src] - pos[dst]
    length = np.maximum(np.sqrt((e ** 2).sum(1)), 0.01)
    pull = e * (model["spring"] * (model["spring_length"] - length) / length)[:, None]
    for axis in (0, 1):
        force[:, axis] += (np.bincount(src, pull[:, axis], k)
                           - np.bincount(dst, pull[:, axis], k))
    force -= (model["central"] * degree)[:, None] * (pos - pos.mean(0))
    return force


def _near_pairs(cell: Any, cid: Any, cells: int) -> tuple[Any, Any]:
    """Ordered pairs (i, j), i != j, of nodes in the same or adjacent grid cells."""
    import numpy as np

    order = np.argsort(cid, kind="stable")
    ordered = cid[order]
    index = np.arange(len(cid))
    firsts, seconds = [], []
    for ox in (-1, 0, 1):
        for oy in (-1, 0, 1):
            gx, gy = cell[:, 0] + ox, cell[:, 1] + oy
            inside = (gx >= 0) & (gx < cells) & (gy >= 0) & (gy < cells)
            key = np.where(inside, gx * cells + gy, -1)
            lo = np.searchsorted(ordered, key, "left")
            count = np.where(inside, np.searchsorted(ordered, key, "right") - lo, 0)
            total = int(count.sum())
            if total:
                firsts.append(np.repeat(index, count))
                offset = np.arange(total) - np.repeat(np.cumsum(count) - count, count)
                seconds.append(order[np.repeat(lo, count) + offset])
    i, j = np.concatenate(firsts), np.concatenate(seconds)
    keep = i != j
    return i[keep], j[keep]


def _pack(placed: list[tuple[list[str], Any]], gap: float) -> dict[str, tuple[float, float]]:
    """Shelf-pack component boxes, largest first, into a roughly 4:3 landscape block."""
    import numpy as np

    boxes = [(comp, pos - pos.min(0)) for comp, pos in placed]
    dims = [(float(p[:, 0].max()) + gap, float(p[:, 1].max()) + gap) for _, p in boxes]
    area = sum(w * h for w, h in dims)
    width = max(np.sqrt(area * 4 / 3), max(w for w, _ in dims))
    out: dict[str, tuple[float, float]] = {}
    x = y = shelf = 0.0
    for (comp, pos), (w, h) in zip(boxes, dims, strict=True):
        if x > 0 and x + w > width:
            x, y, shelf = 0.0, y + shelf, 0.0
        for node, (px, py) in zip(comp, pos.tolist(), strict=True):
            out[node] = (round(x + px, 1), round(y + py, 1))
        x += w
        shelf = max(shelf, h)
    return out
