# Forget the merged entity graph, before entities.ru rebuilds it from every article: run when
# an article was replaced, since its old aliases and links must not linger.
DROP SILENT GRAPH <https://w3id.org/kg/id/graph/entities>
