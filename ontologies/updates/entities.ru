# Rebuild the merged entity graph from every article's own view of its entities.
# Each article graph keeps what that article called an entity (provenance); this graph is the
# union, one place to read an entity's label, aliases, class, links and articles. It is derived,
# so replacing or revising an article can never leave a stale alias behind.
PREFIX kg: <https://w3id.org/kg/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>

DROP SILENT GRAPH <https://w3id.org/kg/id/graph/entities> ;

INSERT { GRAPH <https://w3id.org/kg/id/graph/entities> { ?e ?p ?o } }
WHERE {
  GRAPH ?article {
    ?article a kg:Article .
    ?e kg:mentionedIn ?article ;
       ?p ?o .
    FILTER (?p IN (rdf:type, rdfs:label, skos:altLabel, owl:sameAs, kg:standsFor, kg:role,
                   kg:affiliation, kg:mentionedIn))
  }
}
