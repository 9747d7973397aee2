use super::types::{Sector, Site};
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::connection::parse_id;
use crate::graphql::context::{actor, db};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result};
use igny8_core::validate;
use igny8_db::DbError;
use uuid::Uuid;

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
pub struct DeleteInput {
    pub id: ID,
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

fn optional_id(field: &str, id: Option<&ID>) -> ApiResult<Option<Uuid>> {
    id.map(|i| parse_id(field, i)).transpose()
}

fn maybe_id(field: &str, v: &MaybeUndefined<ID>) -> ApiResult<Option<Option<Uuid>>> {
    Ok(match v {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(id) => Some(Some(parse_id(field, id)?)),
    })
}

/// A reference to a missing industry is bad input, not a missing site.
fn reference_error(field: &str, e: DbError) -> async_graphql::Error {
    match e {
        DbError::InvalidReference(_) => gql(ApiError::bad_input(
            field,
            format!("{field}: no such industry"),
        )),
        other => gql(other),
    }
}

#[Object]
impl SitesMutation {
    /// Creates a site in the caller's account (owner/admin).
    async fn create_site(&self, ctx: &Context<'_>, input: CreateSiteInput) -> Result<Site> {
        let a = actor(ctx).await?;
        if !a.can_manage_sites() {
            return Err(ApiError::forbidden("only owners and admins create sites").into());
        }
        let name = validate::name("name", &input.name).map_err(gql)?;
        let slug = slug_for(input.slug.as_deref(), &name)?;
        let domain = validate::domain(input.domain.as_deref().unwrap_or_default()).map_err(gql)?;
        let industry_id = optional_id("industryId", input.industry_id.as_ref())?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let site = igny8_db::sites::create(
            &mut tx,
            igny8_db::sites::NewSite {
                account_id: a.account_id,
                name,
                slug,
                domain,
                industry_id,
            },
        )
        .await
        .map_err(|e| reference_error("industryId", e))?;
        tx.commit().await.map_err(gql)?;
        Ok(Site(site))
    }

    /// Changes a site (owner/admin).
    async fn update_site(&self, ctx: &Context<'_>, input: UpdateSiteInput) -> Result<Site> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = igny8_db::sites::SiteChanges {
            name: input
                .name
                .as_deref()
                .map(|n| validate::name("name", n))
                .transpose()
                .map_err(gql)?,
            slug: input
                .slug
                .as_deref()
                .map(|s| validate::slug("slug", s))
                .transpose()
                .map_err(gql)?,
            domain: match &input.domain {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(d) => Some(validate::domain(d).map_err(gql)?),
            },
            industry_id: maybe_id("industryId", &input.industry_id)?,
            is_active: input.is_active,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        igny8_db::sites::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("site")))?;
        if !a.can_manage_sites() {
            return Err(ApiError::forbidden("only owners and admins change sites").into());
        }
        let site = igny8_db::sites::update(&mut tx, &scope, id, changes)
            .await
            .map_err(|e| reference_error("industryId", e))?;
        tx.commit().await.map_err(gql)?;
        Ok(Site(site))
    }

    /// Deletes a site with its sectors and everything in them (owner/admin).
    async fn delete_site(&self, ctx: &Context<'_>, input: DeleteInput) -> Result<ID> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        igny8_db::sites::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("site")))?;
        if !a.can_manage_sites() {
            return Err(ApiError::forbidden("only owners and admins delete sites").into());
        }
        igny8_db::sites::delete(&mut tx, &scope, id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(id.into())
    }

    /// Adds a sector to a site (writers of the site). A 6th active sector
    /// is refused with `LIMIT_EXCEEDED`.
    async fn create_sector(&self, ctx: &Context<'_>, input: CreateSectorInput) -> Result<Sector> {
        let a = actor(ctx).await?;
        let site_id = parse_id("siteId", &input.site_id)?;
        let name = validate::name("name", &input.name).map_err(gql)?;
        let slug = slug_for(input.slug.as_deref(), &name)?;
        let industry_sector_id =
            optional_id("industrySectorId", input.industry_sector_id.as_ref())?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        igny8_db::sites::get(&mut tx, &scope, site_id)
            .await
            .map_err(|_| gql(ApiError::NotFound("site")))?;
        if !a.can_write_site(site_id) {
            return Err(ApiError::forbidden("you cannot change this site").into());
        }
        let sector = igny8_db::sectors::create(
            &mut tx,
            &scope,
            igny8_db::sectors::NewSector {
                site_id,
                name,
                slug,
                industry_sector_id,
                is_active: input.is_active.unwrap_or(true),
            },
        )
        .await
        .map_err(|e| reference_error("industrySectorId", e))?;
        tx.commit().await.map_err(gql)?;
        Ok(Sector(sector))
    }

    /// Changes a sector (writers of its site).
    async fn update_sector(&self, ctx: &Context<'_>, input: UpdateSectorInput) -> Result<Sector> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let changes = igny8_db::sectors::SectorChanges {
            name: input
                .name
                .as_deref()
                .map(|n| validate::name("name", n))
                .transpose()
                .map_err(gql)?,
            slug: input
                .slug
                .as_deref()
                .map(|s| validate::slug("slug", s))
                .transpose()
                .map_err(gql)?,
            industry_sector_id: maybe_id("industrySectorId", &input.industry_sector_id)?,
            is_active: input.is_active,
        };
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let current = igny8_db::sectors::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("sector")))?;
        if !a.can_write_site(current.site_id) {
            return Err(ApiError::forbidden("you cannot change this site").into());
        }
        let sector = igny8_db::sectors::update(&mut tx, &scope, id, changes)
            .await
            .map_err(|e| reference_error("industrySectorId", e))?;
        tx.commit().await.map_err(gql)?;
        Ok(Sector(sector))
    }

    /// Deletes a sector and everything in it (writers of its site).
    async fn delete_sector(&self, ctx: &Context<'_>, input: DeleteInput) -> Result<ID> {
        let a = actor(ctx).await?;
        let id = parse_id("id", &input.id)?;
        let scope = a.scope();
        let mut tx = db(ctx).begin(&scope).await.map_err(gql)?;
        let current = igny8_db::sectors::get(&mut tx, &scope, id)
            .await
            .map_err(|_| gql(ApiError::NotFound("sector")))?;
        if !a.can_write_site(current.site_id) {
            return Err(ApiError::forbidden("you cannot change this site").into());
        }
        igny8_db::sectors::delete(&mut tx, &scope, id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(id.into())
    }
}
