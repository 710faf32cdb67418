"""The store as a networkx graph, for ranking, clustering and drawing.

One job per module: `project` reads quads into the graph a reader sees (facts folded into
edges) and makes its views; `rank` says who matters (PageRank, communities); `layout` places
nodes; `overview` draws a store too big for its statements as actors and places joined by
aggregated edges. Everything is re-exported here, so `from kg.graph import project` and
`graph.layout(...)` keep working.
"""

from kg.graph.layout import FORCES, layout
from kg.graph.overview import Link, Overview, overview, overview_links
from kg.graph.project import (
    FACT_CLASSES,
    LABEL_MAX,
    RELATIONS,
    SHAPE_PREDICATES,
    UNTYPED,
    Edge,
    Index,
    Shape,
    ViewError,
    find,
    focus,
    induced,
    project,
    relation,
    relation_names,
    shape,
    top,
    truncate,
)
from kg.graph.rank import communities, most_central, pagerank, weighted_pagerank, weighted_view

__all__ = [
    "FACT_CLASSES", "FORCES", "LABEL_MAX", "RELATIONS", "SHAPE_PREDICATES", "UNTYPED", "Edge",
    "Index", "Link", "Overview", "Shape", "ViewError", "communities", "find", "focus",
    "induced", "layout", "most_central", "overview", "overview_links", "pagerank", "project",
    "relation", "relation_names", "shape", "top", "truncate", "weighted_pagerank",
    "weighted_view",
]
