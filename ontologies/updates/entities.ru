# Keep the merged entity graph equal to the union of the articles' entity descriptions.
# Each article graph keeps what that article called an entity (provenance); this graph is the
# union, one place to read an entity's label, aliases, class, links and articles. It records,
# per article, the content hash it merged (kg:mergedHash), so a build merges only what it
# lacks: adding ten articles to a large store merges ten, and an article left unmerged by an
# interrupted build is merged by the next one. One request, so one transaction.
PREFIX kg: <https://w3id.org/kg/ns#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>

# 1. An article revised since it was merged may have dropped an alias or a link that no other
#    article states, and shared triples cannot be told apart: forget the merge, redo it all.
DELETE { GRAPH <https://w3id.org/kg/id/graph/entities> { ?s ?p ?o } }
WHERE {
  {
    SELECT (1 AS ?stale) WHERE {
      GRAPH <https://w3id.org/kg/id/graph/entities> { ?a kg:mergedHash ?merged }
      OPTIONAL { GRAPH ?a { ?a kg:contentHash ?now } }
      FILTER (!BOUND(?now) || ?now != ?merged)
    } LIMIT 1
  }
  GRAPH <https://w3id.org/kg/id/graph/entities> { ?s ?p ?o }
} ;

# 2. Merge every article not merged yet. The unmerged articles are picked first (a sub-select,
#    so the check runs once per article, not once per triple), and DISTINCT inserts an entity
#    triple that many articles state once: about a fifth of the time of the plain form.
INSERT { GRAPH <https://w3id.org/kg/id/graph/entities> { ?e ?p ?o } }
WHERE {
  SELECT DISTINCT ?e ?p ?o WHERE {
    {
      SELECT ?article WHERE {
        GRAPH ?article { ?article kg:contentHash ?hash }
        FILTER NOT EXISTS {
          GRAPH <https://w3id.org/kg/id/graph/entities> { ?article kg:mergedHash ?any }
        }
      }
    }
    GRAPH ?article {
      ?e kg:mentionedIn ?article ;
         ?p ?o .
      FILTER (?p IN (rdf:type, rdfs:label, skos:altLabel, owl:sameAs, kg:standsFor, kg:role,
                     kg:affiliation, kg:mentionedIn,
                     <http://www.w3.org/2003/01/geo/wgs84_pos#lat>,
                     <http://www.w3.org/2003/01/geo/wgs84_pos#long>))
    }
  }
} ;

# 3. Record what was merged.
INSERT { GRAPH <https://w3id.org/kg/id/graph/entities> { ?article kg:mergedHash ?hash } }
WHERE {
  GRAPH ?article { ?article a kg:Article ; kg:contentHash ?hash }
  FILTER NOT EXISTS {
    GRAPH <https://w3id.org/kg/id/graph/entities> { ?article kg:mergedHash ?any }
  }
}
