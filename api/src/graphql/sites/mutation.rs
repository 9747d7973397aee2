use super::types::{Sector, Site};
use crate::error::{ApiResult, gql, not_found};
use crate::graphql::spine::{
    DeleteInput, caller, ensure_site_admin, ensure_writer, maybe, maybe_id, optional_id,
    optional_name, parse_id, writable,
};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use igny8_core::validate;
use igny8_db::{sectors, sites};

#[derive(Default)]
pub struct SitesMutation;

#[derive(InputObject)]
pub struct CreateSiteInput {
    pub name: String,
    pub domain: Option<String>,
    /// Derived from the name when omitted.
    pub slug: Option<String>,
    pub industry_id: Option<ID>,
}

#[derive(InputObject)]
pub struct UpdateSiteInput {
    pub id: ID,
    pub name: Option<String>,
    pub slug: Option<String>,
    /// `null` clears it.
    pub domain: MaybeUndefined<String>,
    /// `null` clears it.
    pub industry_id: MaybeUndefined<ID>,
    pub is_active: Option<bool>,
}

#[derive(InputObject)]
pub struct CreateSectorInput {
    pub site_id: ID,
    pub name: String,
    /// Derived from the name when omitted.
    pub slug: Option<String>,
    pub industry_sector_id: Option<ID>,
    /// Defaults to true; at most 5 active sectors per site.
    pub is_active: Option<bool>,
}

#[derive(InputObject)]
pub struct UpdateSectorInput {
    pub id: ID,
    pub name: Option<String>,
    pub slug: Option<String>,
    pub industry_sector_id: MaybeUndefined<ID>,
    pub is_active: Option<bool>,
}

fn slug_for(explicit: Option<&str>, name: &str) -> ApiResult<String> {
    match explicit {
        Some(s) => Ok(validate::slug("slug", s)?),
        None => Ok(validate::slugify(name)),
    }
}

fn new_slug(v: Option<&str>) -> ApiResult<Option<String>> {
    Ok(v.map(|s| validate::slug("slug", s)).transpose()?)
}

#[Object]
impl SitesMutation {
    /// Creates a site in the caller's account (owner/admin).
    async fn create_site(&self, ctx: &Context<'_>, input: CreateSiteInput) -> Result<Site> {
        let c = caller(ctx).await?;
        ensure_site_admin(c.actor, "create sites")?;
        let name = validate::name("name", &input.name).map_err(gql)?;
        let new = sites::NewSite {
            account_id: c.actor.account_id,
            slug: slug_for(input.slug.as_deref(), &name)?,
            name,
            domain: validate::domain(input.domain.as_deref().unwrap_or_default()).map_err(gql)?,
            industry_id: optional_id("industryId", input.industry_id.as_ref())?,
        };
        c.run_in_account(async |tx| Ok(Site(sites::create(tx, new).await?)))
            .await
    }

    /// Changes a site (owner/admin).
    async fn update_site(&self, ctx: &Context<'_>, input: UpdateSiteInput) -> Result<Site> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = sites::SiteChanges {
            name: optional_name("name", input.name.as_deref())?,
            slug: new_slug(input.slug.as_deref())?,
            // an empty domain clears it, as `null` does
            domain: maybe(input.domain, |d| Ok(validate::domain(&d)?))?.map(Option::flatten),
            industry_id: maybe_id("industryId", &input.industry_id)?,
            is_active: input.is_active,
        };
        c.run(async |tx| {
            sites::get(tx, &c.scope, id)
                .await
                .map_err(not_found("site"))?;
            ensure_site_admin(c.actor, "change sites")?;
            Ok(Site(sites::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    /// Deletes a site with its sectors and everything in them (owner/admin).
    async fn delete_site(&self, ctx: &Context<'_>, input: DeleteInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            sites::get(tx, &c.scope, id)
                .await
                .map_err(not_found("site"))?;
            ensure_site_admin(c.actor, "delete sites")?;
            sites::delete(tx, &c.scope, id).await?;
            Ok(input.id)
        })
        .await
    }

    /// Adds a sector to a site (writers of the site). A 6th active sector
    /// is refused with `LIMIT_EXCEEDED`.
    async fn create_sector(&self, ctx: &Context<'_>, input: CreateSectorInput) -> Result<Sector> {
        let c = caller(ctx).await?;
        let site_id = parse_id("siteId", &input.site_id)?;
        let name = validate::name("name", &input.name).map_err(gql)?;
        let new = sectors::NewSector {
            site_id,
            slug: slug_for(input.slug.as_deref(), &name)?,
            name,
            industry_sector_id: optional_id("industrySectorId", input.industry_sector_id.as_ref())?,
            is_active: input.is_active.unwrap_or(true),
        };
        c.run(async |tx| {
            sites::get(tx, &c.scope, site_id)
                .await
                .map_err(not_found("site"))?;
            ensure_writer(c.actor, site_id)?;
            Ok(Sector(sectors::create(tx, &c.scope, new).await?))
        })
        .await
    }

    /// Changes a sector (writers of its site).
    async fn update_sector(&self, ctx: &Context<'_>, input: UpdateSectorInput) -> Result<Sector> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = sectors::SectorChanges {
            name: optional_name("name", input.name.as_deref())?,
            slug: new_slug(input.slug.as_deref())?,
            industry_sector_id: maybe_id("industrySectorId", &input.industry_sector_id)?,
            is_active: input.is_active,
        };
        c.run(async |tx| {
            writable(c.actor, "sector", sectors::get(tx, &c.scope, id).await)?;
            Ok(Sector(sectors::update(tx, &c.scope, id, changes).await?))
        })
        .await
    }

    /// Deletes a sector and everything in it (writers of its site).
    async fn delete_sector(&self, ctx: &Context<'_>, input: DeleteInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            writable(c.actor, "sector", sectors::get(tx, &c.scope, id).await)?;
            sectors::delete(tx, &c.scope, id).await?;
            Ok(input.id)
        })
        .await
    }
}
