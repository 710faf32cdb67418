# Merge into the entity graph every article whose entities it does not hold yet.
# Each article graph keeps what that article called an entity (provenance); this graph is the
# union, one place to read an entity's label, aliases, class, links and articles. An article is
# merged once: adding ten articles to a large store merges ten, and an article whose build was
# cut short before this step is merged by the next build. After an article is replaced, the
# build first drops this graph (entities-reset.ru), so no stale alias survives.
PREFIX kg: <https://w3id.org/kg/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>

INSERT { GRAPH <https://w3id.org/kg/id/graph/entities> { ?e ?p ?o } }
WHERE {
  GRAPH ?article { ?article a kg:Article }
  FILTER NOT EXISTS {
    GRAPH <https://w3id.org/kg/id/graph/entities> { ?merged kg:mentionedIn ?article }
  }
  GRAPH ?article {
    ?e kg:mentionedIn ?article ;
       ?p ?o .
    FILTER (?p IN (rdf:type, rdfs:label, skos:altLabel, owl:sameAs, kg:standsFor, kg:role,
                   kg:affiliation, kg:mentionedIn))
  }
}
