# Forget the merged entity graph so that entities.ru merges every article again: `kg build
# --force` re-extracts unchanged texts (say, after an upgrade), and their content hashes alone
# would not show that their entity descriptions changed.
DROP SILENT GRAPH <https://w3id.org/kg/id/graph/entities>
