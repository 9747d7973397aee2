//! Tenant-scoped DataLoaders, built per request (no cache or tenant leaks
//! across requests). Every relation resolves through one of these, so a
//! nested query costs a number of statements bounded by its depth.

use crate::error::ApiError;
use crate::graphql::batch::Spawner;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use igny8_core::Scope;
use igny8_db::models::{Account, Industry, IndustrySector, Sector, Site};
use igny8_db::{DbResult, ReadTx, Reads};
use std::collections::HashMap;
use std::time::Duration;
use uuid::Uuid;

pub struct Loaders {
    pub accounts: DataLoader<AccountLoader, HashMapCache>,
    pub sites: DataLoader<SiteLoader, HashMapCache>,
    pub sectors: DataLoader<SectorLoader, HashMapCache>,
    pub sectors_by_site: DataLoader<SectorsBySiteLoader, HashMapCache>,
    pub industries: DataLoader<IndustryLoader, HashMapCache>,
    pub industry_sectors: DataLoader<IndustrySectorLoader, HashMapCache>,
    pub industry_sectors_by_industry: DataLoader<IndustrySectorsByIndustryLoader, HashMapCache>,
    pub user_sites: DataLoader<UserSitesLoader, HashMapCache>,
    pub planner: PlannerLoaders,
    pub publishing: PublishingLoaders,
}

/// How loaders run their batched loads: on the request's own queue
/// (deterministic batches, see `batch`) or, without one, on the runtime.
#[derive(Clone)]
pub enum Dispatch {
    Request(Spawner),
    Runtime,
}

fn dl<L: Loader<Uuid>>(d: &Dispatch, l: L) -> DataLoader<L, HashMapCache> {
    dl_any(d, l)
}

impl Loaders {
    pub fn new(reads: Reads, scope: Scope, d: &Dispatch) -> Self {
        let s = Scoped { reads, scope };
        Loaders {
            accounts: dl(d, AccountLoader(s.clone())),
            sites: dl(d, SiteLoader(s.clone())),
            sectors: dl(d, SectorLoader(s.clone())),
            sectors_by_site: dl(d, SectorsBySiteLoader(s.clone())),
            industries: dl(d, IndustryLoader(s.clone())),
            industry_sectors: dl(d, IndustrySectorLoader(s.clone())),
            industry_sectors_by_industry: dl(d, IndustrySectorsByIndustryLoader(s.clone())),
            user_sites: dl(d, UserSitesLoader(s.clone())),
            publishing: PublishingLoaders::new(&s, d),
            planner: PlannerLoaders::new(s, d),
        }
    }
}

#[derive(Clone)]
pub struct Scoped {
    reads: Reads,
    scope: Scope,
}

impl Scoped {
    /// Runs one read in a read-only transaction of the loader's scope.
    async fn read<T>(
        &self,
        f: impl AsyncFnOnce(&mut ReadTx, &Scope) -> DbResult<T>,
    ) -> Result<T, ApiError> {
        let mut tx = self.reads.begin(&self.scope).await?;
        let out = f(&mut tx, &self.scope).await?;
        tx.done().await?;
        Ok(out)
    }
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> HashMap<Uuid, T> {
    rows.into_iter().map(|r| (id(&r), r)).collect()
}

fn group<T>(rows: Vec<T>, key: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Vec<T>> {
    let mut m: HashMap<Uuid, Vec<T>> = HashMap::new();
    for r in rows {
        m.entry(key(&r)).or_default().push(r);
    }
    m
}

pub struct AccountLoader(Scoped);
impl Loader<Uuid> for AccountLoader {
    type Value = Account;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Account>, ApiError> {
        let rows = self
            .0
            .read(async |tx, _| igny8_db::accounts::by_ids(tx, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.id))
    }
}

pub struct SiteLoader(Scoped);
impl Loader<Uuid> for SiteLoader {
    type Value = Site;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Site>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::sites::by_ids(tx, s, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.id))
    }
}

pub struct SectorLoader(Scoped);
impl Loader<Uuid> for SectorLoader {
    type Value = Sector;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Sector>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::sectors::by_ids(tx, s, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.id))
    }
}

/// Sectors of each site, oldest first.
pub struct SectorsBySiteLoader(Scoped);
impl Loader<Uuid> for SectorsBySiteLoader {
    type Value = Vec<Sector>;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Sector>>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::sectors::by_site_ids(tx, s, keys).await)
            .await?;
        Ok(group(rows, |r| r.site_id))
    }
}

pub struct IndustryLoader(Scoped);
impl Loader<Uuid> for IndustryLoader {
    type Value = Industry;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Industry>, ApiError> {
        let rows = self
            .0
            .read(async |tx, _| igny8_db::industries::by_ids(tx, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.id))
    }
}

pub struct IndustrySectorLoader(Scoped);
impl Loader<Uuid> for IndustrySectorLoader {
    type Value = IndustrySector;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, IndustrySector>, ApiError> {
        let rows = self
            .0
            .read(async |tx, _| igny8_db::industries::sectors_by_ids(tx, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.id))
    }
}

pub struct IndustrySectorsByIndustryLoader(Scoped);
impl Loader<Uuid> for IndustrySectorsByIndustryLoader {
    type Value = Vec<IndustrySector>;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<IndustrySector>>, ApiError> {
        let rows = self
            .0
            .read(async |tx, _| igny8_db::industries::sectors_by_industry_ids(tx, keys).await)
            .await?;
        Ok(group(rows, |r| r.industry_id))
    }
}

/// Site ids granted to each user.
pub struct UserSitesLoader(Scoped);
impl Loader<Uuid> for UserSitesLoader {
    type Value = Vec<Uuid>;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Vec<Uuid>>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::users::granted_sites(tx, s, keys).await)
            .await?;
        let mut m: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (user, site) in rows {
            m.entry(user).or_default().push(site);
        }
        Ok(m)
    }
}

// ---- planner and writer -------------------------------------------------

use igny8_db::Listed;
use igny8_db::models::{Cluster, Content, Idea, Image, Keyword, Task};
use std::hash::Hash;
use std::marker::PhantomData;
use std::sync::Arc;

/// Rows fetched by id (or by a unique column) for a loader.
pub trait ById: Send + Sync + 'static {
    type Row: Clone + Send + Sync + 'static;
    fn fetch(
        tx: &mut ReadTx,
        scope: &Scope,
        ids: &[Uuid],
    ) -> impl Future<Output = DbResult<Vec<Self::Row>>> + Send;
    fn key(row: &Self::Row) -> Uuid;
}

pub struct ByIdLoader<B: ById>(Scoped, PhantomData<B>);

impl<B: ById> Loader<Uuid> for ByIdLoader<B> {
    type Value = B::Row;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, B::Row>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| B::fetch(tx, s, keys).await)
            .await?;
        Ok(by_id(rows, B::key))
    }
}

/// A page of children of one parent, for one set of arguments: the loader
/// batches every parent asked for with the same arguments into one query.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ChildKey<A> {
    pub parent: Uuid,
    pub args: Arc<A>,
}

pub trait Children: Send + Sync + 'static {
    type Args: Clone + Eq + Hash + Send + Sync + 'static;
    type Row: Clone + Send + Sync + 'static;
    fn fetch(
        tx: &mut ReadTx,
        scope: &Scope,
        parents: &[Uuid],
        args: &Self::Args,
    ) -> impl Future<Output = DbResult<HashMap<Uuid, Listed<Self::Row>>>> + Send;
}

pub struct ChildLoader<C: Children>(Scoped, PhantomData<C>);

impl<C: Children> Loader<ChildKey<C::Args>> for ChildLoader<C> {
    type Value = Listed<C::Row>;
    type Error = ApiError;
    async fn load(
        &self,
        keys: &[ChildKey<C::Args>],
    ) -> Result<HashMap<ChildKey<C::Args>, Listed<C::Row>>, ApiError> {
        let mut groups: HashMap<Arc<C::Args>, Vec<Uuid>> = HashMap::new();
        for k in keys {
            groups.entry(k.args.clone()).or_default().push(k.parent);
        }
        let mut out = HashMap::new();
        for (args, parents) in groups {
            let pages = self
                .0
                .read(async |tx, s| C::fetch(tx, s, &parents, &args).await)
                .await?;
            for (parent, listed) in pages {
                out.insert(
                    ChildKey {
                        parent,
                        args: args.clone(),
                    },
                    listed,
                );
            }
        }
        Ok(out)
    }
}

macro_rules! by_id {
    ($name:ident, $row:ty, $f:path, $key:expr) => {
        pub struct $name;
        impl ById for $name {
            type Row = $row;
            async fn fetch(tx: &mut ReadTx, scope: &Scope, ids: &[Uuid]) -> DbResult<Vec<$row>> {
                $f(tx, scope, ids).await
            }
            fn key(row: &$row) -> Uuid {
                $key(row)
            }
        }
    };
}

by_id!(
    KeywordsById,
    Keyword,
    igny8_db::keywords::by_ids,
    |r: &Keyword| r.id
);
by_id!(
    ClustersById,
    Cluster,
    igny8_db::clusters::by_ids,
    |r: &Cluster| r.id
);
by_id!(IdeasById, Idea, igny8_db::ideas::by_ids, |r: &Idea| r.id);
by_id!(TasksById, Task, igny8_db::tasks::by_ids, |r: &Task| r.id);
by_id!(TaskByIdea, Task, igny8_db::tasks::by_ideas, |r: &Task| r
    .idea_id
    .unwrap_or_default());
by_id!(
    ContentsById,
    Content,
    igny8_db::contents::by_ids,
    |r: &Content| r.id
);
by_id!(
    ContentByTask,
    Content,
    igny8_db::contents::by_tasks,
    |r: &Content| r.task_id
);
by_id!(ImagesById, Image, igny8_db::images::by_ids, |r: &Image| r
    .id);

/// Exact `keywordsCount` and `volume` of clusters.
pub struct ClusterStatsById;
impl ById for ClusterStatsById {
    type Row = igny8_db::keywords::ClusterStats;
    async fn fetch(tx: &mut ReadTx, scope: &Scope, ids: &[Uuid]) -> DbResult<Vec<Self::Row>> {
        igny8_db::keywords::cluster_stats(tx, scope, ids).await
    }
    fn key(row: &Self::Row) -> Uuid {
        row.cluster_id
    }
}

/// Arguments of a nested list: filter, order, page.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ListArgs<F, O> {
    pub filter: F,
    pub order: Vec<O>,
    pub page: igny8_core::page::PageArgs,
}

pub type KeywordArgs = ListArgs<
    igny8_db::keywords::KeywordFilter,
    igny8_db::listing::Order<igny8_db::keywords::KeywordField>,
>;
pub type ClusterArgs = ListArgs<
    igny8_db::clusters::ClusterFilter,
    igny8_db::listing::Order<igny8_db::clusters::ClusterField>,
>;
pub type IdeaArgs =
    ListArgs<igny8_db::ideas::IdeaFilter, igny8_db::listing::Order<igny8_db::ideas::IdeaField>>;
pub type ImageArgs =
    ListArgs<igny8_db::images::ImageFilter, igny8_db::listing::Order<igny8_db::images::ImageField>>;

macro_rules! children {
    ($name:ident, $args:ty, $row:ty, |$tx:ident, $s:ident, $p:ident, $a:ident| $body:expr) => {
        pub struct $name;
        impl Children for $name {
            type Args = $args;
            type Row = $row;
            async fn fetch(
                $tx: &mut ReadTx,
                $s: &Scope,
                $p: &[Uuid],
                $a: &$args,
            ) -> DbResult<HashMap<Uuid, Listed<$row>>> {
                $body.await
            }
        }
    };
}

children!(SectorKeywords, KeywordArgs, Keyword, |tx, s, p, a| {
    igny8_db::keywords::children(
        tx,
        s,
        igny8_db::keywords::KeywordParent::Sector,
        p,
        &a.filter,
        &a.order,
        &a.page,
    )
});
children!(ClusterKeywords, KeywordArgs, Keyword, |tx, s, p, a| {
    igny8_db::keywords::children(
        tx,
        s,
        igny8_db::keywords::KeywordParent::Cluster,
        p,
        &a.filter,
        &a.order,
        &a.page,
    )
});
children!(SectorClusters, ClusterArgs, Cluster, |tx, s, p, a| {
    igny8_db::clusters::by_sectors(tx, s, p, &a.filter, &a.order, &a.page)
});
children!(ClusterIdeas, IdeaArgs, Idea, |tx, s, p, a| {
    igny8_db::ideas::by_clusters(tx, s, p, &a.filter, &a.order, &a.page)
});
children!(TaskImages, ImageArgs, Image, |tx, s, p, a| {
    igny8_db::images::children(
        tx,
        s,
        igny8_db::images::ImageParent::Task,
        p,
        &a.filter,
        &a.order,
        &a.page,
    )
});
children!(ContentImages, ImageArgs, Image, |tx, s, p, a| {
    igny8_db::images::children(
        tx,
        s,
        igny8_db::images::ImageParent::Content,
        p,
        &a.filter,
        &a.order,
        &a.page,
    )
});

/// The planner and writer loaders of one request.
pub struct PlannerLoaders {
    pub keywords: DataLoader<ByIdLoader<KeywordsById>, HashMapCache>,
    pub clusters: DataLoader<ByIdLoader<ClustersById>, HashMapCache>,
    pub cluster_stats: DataLoader<ByIdLoader<ClusterStatsById>, HashMapCache>,
    pub ideas: DataLoader<ByIdLoader<IdeasById>, HashMapCache>,
    pub tasks: DataLoader<ByIdLoader<TasksById>, HashMapCache>,
    pub task_by_idea: DataLoader<ByIdLoader<TaskByIdea>, HashMapCache>,
    pub contents: DataLoader<ByIdLoader<ContentsById>, HashMapCache>,
    pub content_by_task: DataLoader<ByIdLoader<ContentByTask>, HashMapCache>,
    pub images: DataLoader<ByIdLoader<ImagesById>, HashMapCache>,
    pub sector_keywords: DataLoader<ChildLoader<SectorKeywords>, HashMapCache>,
    pub cluster_keywords: DataLoader<ChildLoader<ClusterKeywords>, HashMapCache>,
    pub sector_clusters: DataLoader<ChildLoader<SectorClusters>, HashMapCache>,
    pub cluster_ideas: DataLoader<ChildLoader<ClusterIdeas>, HashMapCache>,
    pub task_images: DataLoader<ChildLoader<TaskImages>, HashMapCache>,
    pub content_images: DataLoader<ChildLoader<ContentImages>, HashMapCache>,
}

fn dl_any<K, L>(d: &Dispatch, l: L) -> DataLoader<L, HashMapCache>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    L: Loader<K>,
{
    // one batch per level: a nested page can ask for thousands of keys
    let loader = match d.clone() {
        Dispatch::Request(s) => {
            DataLoader::with_cache(l, move |f| s.spawn(f), HashMapCache::default())
                .delay(Duration::ZERO)
        }
        Dispatch::Runtime => DataLoader::with_cache(l, tokio::spawn, HashMapCache::default()),
    };
    loader.max_batch_size(10_000)
}

impl PlannerLoaders {
    fn new(s: Scoped, d: &Dispatch) -> Self {
        PlannerLoaders {
            keywords: dl(d, ByIdLoader(s.clone(), PhantomData)),
            clusters: dl(d, ByIdLoader(s.clone(), PhantomData)),
            cluster_stats: dl(d, ByIdLoader(s.clone(), PhantomData)),
            ideas: dl(d, ByIdLoader(s.clone(), PhantomData)),
            tasks: dl(d, ByIdLoader(s.clone(), PhantomData)),
            task_by_idea: dl(d, ByIdLoader(s.clone(), PhantomData)),
            contents: dl(d, ByIdLoader(s.clone(), PhantomData)),
            content_by_task: dl(d, ByIdLoader(s.clone(), PhantomData)),
            images: dl(d, ByIdLoader(s.clone(), PhantomData)),
            sector_keywords: dl_any(d, ChildLoader(s.clone(), PhantomData)),
            cluster_keywords: dl_any(d, ChildLoader(s.clone(), PhantomData)),
            sector_clusters: dl_any(d, ChildLoader(s.clone(), PhantomData)),
            cluster_ideas: dl_any(d, ChildLoader(s.clone(), PhantomData)),
            task_images: dl_any(d, ChildLoader(s.clone(), PhantomData)),
            content_images: dl_any(d, ChildLoader(s, PhantomData)),
        }
    }
}

/// WordPress: a site's connection, a content's publishing record, an
/// image's media-library entry.
pub struct PublishingLoaders {
    pub connections: DataLoader<WordPressConnectionLoader, HashMapCache>,
    pub records: DataLoader<PublishingRecordLoader, HashMapCache>,
    pub media: DataLoader<WordPressMediaLoader, HashMapCache>,
}

impl PublishingLoaders {
    fn new(s: &Scoped, d: &Dispatch) -> Self {
        PublishingLoaders {
            connections: dl(d, WordPressConnectionLoader(s.clone())),
            records: dl(d, PublishingRecordLoader(s.clone())),
            media: dl(d, WordPressMediaLoader(s.clone())),
        }
    }
}

pub struct WordPressConnectionLoader(Scoped);
impl Loader<Uuid> for WordPressConnectionLoader {
    type Value = igny8_db::publishing::Connection;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::publishing::connections_in_scope(tx, s, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.site_id))
    }
}

pub struct PublishingRecordLoader(Scoped);
impl Loader<Uuid> for PublishingRecordLoader {
    type Value = igny8_db::publishing::Record;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::publishing::records_in_scope(tx, s, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.content_id))
    }
}

pub struct WordPressMediaLoader(Scoped);
impl Loader<Uuid> for WordPressMediaLoader {
    type Value = igny8_db::publishing::Media;
    type Error = ApiError;
    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, ApiError> {
        let rows = self
            .0
            .read(async |tx, s| igny8_db::publishing::media_in_scope(tx, s, keys).await)
            .await?;
        Ok(by_id(rows, |r| r.image_id))
    }
}
