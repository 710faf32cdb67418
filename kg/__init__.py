"""kg: news articles in; an RDF knowledge graph of claims, refusals and control out.

    >>> import kg
    >>> store = kg.open_store("outputs/store")               # doctest: +SKIP
    >>> kg.build([Path("seeds")], store)                      # doctest: +SKIP
"""

from kg.build import build
from kg.store import open_store

__all__ = ["build", "open_store"]
__version__ = "0.1.0"
