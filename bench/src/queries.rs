//! The nested read every server answers: igny8 and the limit server in
//! igny8's shape, PostGraphile in its own.

pub const NESTED_QUERY: &str = "query Nested($id: ID!) { site(id: $id) { id name sectors { edges { node { id name keywords(first: 50) { edges { node { id keyword volume difficulty intent cluster { id name } } } } } } } } }";
/// The relation depth of NESTED_QUERY: site → sectors → keywords → cluster.
pub const NESTED_DEPTH: usize = 4;
pub const PG_QUERY: &str = "query Nested($id: UUID!) { siteById(id: $id) { id name sectorsBySiteIdAndAccountId(orderBy: [CREATED_AT_ASC, ID_ASC]) { edges { node { id name keywordsBySectorIdAndSiteIdAndAccountId(first: 50, orderBy: [CREATED_AT_ASC, ID_ASC]) { edges { node { id keyword volume difficulty intent clusterByClusterIdAndSectorId { id name } } } } } } } } }";
