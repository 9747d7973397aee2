//! The Thinker (JOB-8): author profiles, strategies and per-account prompt
//! overrides. Every function runs in a tenant transaction and filters by
//! the account explicitly as well (RLS is the second wall).

use crate::Listed;
use crate::error::DbResult;
use crate::models::{AuthorProfile, PromptOverride, Strategy};
use crate::schema::{author_profiles, prompt_overrides, strategies};
use chrono::Utc;
use diesel::prelude::*;
use diesel::upsert::excluded;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use igny8_core::page::PageArgs;
use uuid::Uuid;

// --- author profiles -----------------------------------------------------------

pub async fn list_authors(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    args: &PageArgs,
) -> DbResult<Listed<AuthorProfile>> {
    let total = author_profiles::table
        .filter(author_profiles::account_id.eq(account_id))
        .count()
        .get_result(conn)
        .await?;
    let page = args.window(total);
    let rows = author_profiles::table
        .filter(author_profiles::account_id.eq(account_id))
        .order((author_profiles::created_at.asc(), author_profiles::id.asc()))
        .offset(page.offset)
        .limit(page.limit)
        .select(AuthorProfile::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

pub async fn get_author(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
) -> DbResult<AuthorProfile> {
    Ok(author_profiles::table
        .filter(author_profiles::account_id.eq(account_id))
        .filter(author_profiles::id.eq(id))
        .select(AuthorProfile::as_select())
        .first(conn)
        .await?)
}

pub struct AuthorFields {
    pub name: String,
    pub description: String,
    pub tone: String,
    pub language: String,
}

pub async fn create_author(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: AuthorFields,
) -> DbResult<AuthorProfile> {
    let now = Utc::now();
    let row = AuthorProfile {
        id: Uuid::now_v7(),
        account_id,
        name: f.name,
        description: f.description,
        tone: f.tone,
        language: f.language,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(author_profiles::table)
        .values(&row)
        .execute(conn)
        .await?;
    Ok(row)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = author_profiles)]
pub struct AuthorChanges {
    pub name: Option<String>,
    pub description: Option<String>,
    pub tone: Option<String>,
    pub language: Option<String>,
}

pub async fn update_author(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
    changes: AuthorChanges,
) -> DbResult<AuthorProfile> {
    Ok(diesel::update(
        author_profiles::table
            .filter(author_profiles::account_id.eq(account_id))
            .filter(author_profiles::id.eq(id)),
    )
    .set((changes, author_profiles::updated_at.eq(Utc::now())))
    .returning(AuthorProfile::as_returning())
    .get_result(conn)
    .await?)
}

/// Deletes a profile; returns false when there was none.
pub async fn delete_author(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
) -> DbResult<bool> {
    let n = diesel::delete(
        author_profiles::table
            .filter(author_profiles::account_id.eq(account_id))
            .filter(author_profiles::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(n > 0)
}

// --- strategies ----------------------------------------------------------------

#[derive(Debug, Default, Clone)]
pub struct StrategyFilter {
    pub sector_id: Option<Uuid>,
    pub is_active: Option<bool>,
}

fn strategies_of<'a>(
    account_id: Uuid,
    f: &StrategyFilter,
) -> strategies::BoxedQuery<'a, diesel::pg::Pg> {
    let mut q = strategies::table
        .filter(strategies::account_id.eq(account_id))
        .into_boxed();
    if let Some(s) = f.sector_id {
        q = q.filter(strategies::sector_id.eq(s));
    }
    if let Some(a) = f.is_active {
        q = q.filter(strategies::is_active.eq(a));
    }
    q
}

pub async fn list_strategies(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: &StrategyFilter,
    args: &PageArgs,
) -> DbResult<Listed<Strategy>> {
    let total = strategies_of(account_id, f)
        .count()
        .get_result(conn)
        .await?;
    let page = args.window(total);
    let rows = strategies_of(account_id, f)
        .order((strategies::created_at.asc(), strategies::id.asc()))
        .offset(page.offset)
        .limit(page.limit)
        .select(Strategy::as_select())
        .load(conn)
        .await?;
    Ok(Listed { rows, page, total })
}

pub async fn get_strategy(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
) -> DbResult<Strategy> {
    Ok(strategies::table
        .filter(strategies::account_id.eq(account_id))
        .filter(strategies::id.eq(id))
        .select(Strategy::as_select())
        .first(conn)
        .await?)
}

pub struct StrategyFields {
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub name: String,
    pub description: String,
    pub prompt_types: Vec<String>,
    pub section_logic: String,
    pub is_active: bool,
}

pub async fn create_strategy(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    f: StrategyFields,
) -> DbResult<Strategy> {
    let now = Utc::now();
    let row = Strategy {
        id: Uuid::now_v7(),
        account_id,
        site_id: f.site_id,
        sector_id: f.sector_id,
        name: f.name,
        description: f.description,
        prompt_types: f.prompt_types,
        section_logic: f.section_logic,
        is_active: f.is_active,
        created_at: now,
        updated_at: now,
    };
    diesel::insert_into(strategies::table)
        .values(&row)
        .execute(conn)
        .await?;
    Ok(row)
}

#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = strategies)]
pub struct StrategyChanges {
    pub site_id: Option<Option<Uuid>>,
    pub sector_id: Option<Option<Uuid>>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub prompt_types: Option<Vec<String>>,
    pub section_logic: Option<String>,
    pub is_active: Option<bool>,
}

pub async fn update_strategy(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
    changes: StrategyChanges,
) -> DbResult<Strategy> {
    Ok(diesel::update(
        strategies::table
            .filter(strategies::account_id.eq(account_id))
            .filter(strategies::id.eq(id)),
    )
    .set((changes, strategies::updated_at.eq(Utc::now())))
    .returning(Strategy::as_returning())
    .get_result(conn)
    .await?)
}

pub async fn delete_strategy(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    id: Uuid,
) -> DbResult<bool> {
    let n = diesel::delete(
        strategies::table
            .filter(strategies::account_id.eq(account_id))
            .filter(strategies::id.eq(id)),
    )
    .execute(conn)
    .await?;
    Ok(n > 0)
}

/// The active strategy that shapes `function` in `sector_id`: one of that
/// sector first, else one for the whole account; the newest wins a tie.
pub async fn strategy_for(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    sector_id: Uuid,
    function: &str,
) -> DbResult<Option<Strategy>> {
    use diesel::dsl::{array, sql};
    use diesel::sql_types::Bool;
    Ok(strategies::table
        .filter(strategies::account_id.eq(account_id))
        .filter(strategies::is_active.eq(true))
        .filter(
            strategies::sector_id
                .eq(sector_id)
                .or(strategies::sector_id.is_null()),
        )
        .filter(
            strategies::prompt_types
                .contains(array::<diesel::sql_types::Text, _>((function,)))
                .or(sql::<Bool>("cardinality(prompt_types) = 0")),
        )
        .order((
            strategies::sector_id.is_null().asc(),
            strategies::updated_at.desc(),
        ))
        .select(Strategy::as_select())
        .first(conn)
        .await
        .optional()?)
}

// --- prompt overrides ----------------------------------------------------------

pub async fn prompt_overrides(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
) -> DbResult<Vec<PromptOverride>> {
    Ok(prompt_overrides::table
        .filter(prompt_overrides::account_id.eq(account_id))
        .select(PromptOverride::as_select())
        .load(conn)
        .await?)
}

pub async fn prompt_override(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    function: &str,
) -> DbResult<Option<PromptOverride>> {
    Ok(prompt_overrides::table
        .filter(prompt_overrides::account_id.eq(account_id))
        .filter(prompt_overrides::function.eq(function))
        .select(PromptOverride::as_select())
        .first(conn)
        .await
        .optional()?)
}

pub async fn set_prompt(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    function: &str,
    template: &str,
    user_id: Uuid,
) -> DbResult<PromptOverride> {
    let row = PromptOverride {
        account_id,
        function: function.into(),
        template: template.into(),
        updated_by: Some(user_id),
        updated_at: Utc::now(),
    };
    Ok(diesel::insert_into(prompt_overrides::table)
        .values(&row)
        .on_conflict((prompt_overrides::account_id, prompt_overrides::function))
        .do_update()
        .set((
            prompt_overrides::template.eq(excluded(prompt_overrides::template)),
            prompt_overrides::updated_by.eq(excluded(prompt_overrides::updated_by)),
            prompt_overrides::updated_at.eq(excluded(prompt_overrides::updated_at)),
        ))
        .returning(PromptOverride::as_returning())
        .get_result(conn)
        .await?)
}

/// Back to the default; returns false when there was no override.
pub async fn reset_prompt(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
    function: &str,
) -> DbResult<bool> {
    let n = diesel::delete(
        prompt_overrides::table
            .filter(prompt_overrides::account_id.eq(account_id))
            .filter(prompt_overrides::function.eq(function)),
    )
    .execute(conn)
    .await?;
    Ok(n > 0)
}
