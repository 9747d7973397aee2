//! Tenant-scoped DataLoaders, built per request (no cache or tenant leaks
//! across requests). Every relation resolves through one of these, so a
//! nested query costs a number of statements bounded by its depth.

use crate::error::ApiError;
use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use igny8_core::Scope;
use igny8_db::models::{Account, Industry, IndustrySector, Sector, Site};
use igny8_db::{Db, DbResult, Tx};
use std::collections::HashMap;
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
}

fn dl<L: Loader<Uuid>>(l: L) -> DataLoader<L, HashMapCache> {
    DataLoader::with_cache(l, tokio::spawn, HashMapCache::default())
}

impl Loaders {
    pub fn new(db: Db, scope: Scope) -> Self {
        let s = Scoped { db, scope };
        Loaders {
            accounts: dl(AccountLoader(s.clone())),
            sites: dl(SiteLoader(s.clone())),
            sectors: dl(SectorLoader(s.clone())),
            sectors_by_site: dl(SectorsBySiteLoader(s.clone())),
            industries: dl(IndustryLoader(s.clone())),
            industry_sectors: dl(IndustrySectorLoader(s.clone())),
            industry_sectors_by_industry: dl(IndustrySectorsByIndustryLoader(s.clone())),
            user_sites: dl(UserSitesLoader(s)),
        }
    }
}

#[derive(Clone)]
pub struct Scoped {
    db: Db,
    scope: Scope,
}

impl Scoped {
    /// Runs one read in a transaction of the loader's scope.
    async fn read<T>(
        &self,
        f: impl AsyncFnOnce(&mut Tx, &Scope) -> DbResult<T>,
    ) -> Result<T, ApiError> {
        let mut tx = self.db.begin(&self.scope).await?;
        let out = f(&mut tx, &self.scope).await?;
        tx.commit().await?;
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
