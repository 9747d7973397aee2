use super::types::{
    AutomationConfig, AutomationOverview, AutomationRun, AutomationRunStatus,
    AutomationStagePending,
};
use crate::error::{ApiResult, not_found};
use crate::graphql::connection::{Conn, connection, cost, page_args};
use crate::graphql::spine::{caller, parse_id};
use async_graphql::{Context, ID, Object, Result};
use igny8_core::Scope;
use igny8_core::automation::AutomationSettings;
use igny8_core::jobs::CreditCosts;
use igny8_db::automation as runs;
use igny8_db::models::Site;
use igny8_db::{AsyncPgConnection, sites};
use igny8_jobs::automation::RunState;
use uuid::Uuid;

/// Skipped and failed items shown per stage.
const ISSUES_PER_STAGE: i64 = 50;

#[derive(Default)]
pub struct AutomationQuery;

/// The site the scope sees (`NOT_FOUND` of "site" otherwise).
pub async fn visible_site(tx: &mut AsyncPgConnection, scope: &Scope, id: Uuid) -> ApiResult<Site> {
    sites::get(tx, scope, id).await.map_err(not_found("site"))
}

/// The site's configuration: the saved one, or the defaults.
pub async fn settings(
    tx: &mut AsyncPgConnection,
    site: &Site,
) -> ApiResult<(AutomationSettings, Option<chrono::DateTime<chrono::Utc>>)> {
    Ok(match runs::config(tx, site.account_id, site.id).await? {
        Some(c) => (
            serde_json::from_value(c.settings).unwrap_or_default(),
            Some(c.updated_at),
        ),
        None => (AutomationSettings::default(), None),
    })
}

/// Runs as the API shows them: their stages and their items' issues, in
/// two statements whatever the number of runs.
pub async fn shown(
    tx: &mut AsyncPgConnection,
    rows: Vec<runs::RunRow>,
) -> ApiResult<Vec<AutomationRun>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let stages = runs::stages(tx, &ids).await?;
    let issues = runs::problems(tx, &ids, ISSUES_PER_STAGE).await?;
    Ok(rows
        .into_iter()
        .map(|run| {
            let st = stages
                .iter()
                .filter(|s| s.run_id == run.id)
                .cloned()
                .collect();
            AutomationRun::new(&RunState { run, stages: st }, &issues)
        })
        .collect())
}

/// One run the scope sees, shown.
pub async fn run_shown(
    tx: &mut AsyncPgConnection,
    scope: &Scope,
    id: Uuid,
) -> ApiResult<AutomationRun> {
    let row = runs::get_run(tx, scope, id)
        .await
        .map_err(not_found("automation run"))?;
    Ok(shown(tx, vec![row]).await?.remove(0))
}

#[Object]
impl AutomationQuery {
    /// A site's automation configuration (the defaults until saved).
    async fn automation_config(&self, ctx: &Context<'_>, site_id: ID) -> Result<AutomationConfig> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &site_id)?;
        c.read(async |tx| {
            let site = visible_site(tx, &c.scope, site).await?;
            let (s, at) = settings(tx, &site).await?;
            let connected = igny8_db::publishing::connection(tx, site.account_id, site.id)
                .await?
                .is_some();
            Ok(AutomationConfig::new(site.id, &s, at, connected))
        })
        .await
    }

    /// One automation run; another account's id, or a run of a site the
    /// caller was not granted, is `NOT_FOUND`.
    async fn automation_run(&self, ctx: &Context<'_>, id: ID) -> Result<AutomationRun> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &id)?;
        c.read(async |tx| run_shown(tx, &c.scope, id).await).await
    }

    /// A site's runs, newest first (its history).
    #[graphql(complexity = "cost(first, last, child_complexity)")]
    #[allow(clippy::too_many_arguments)]
    async fn automation_runs(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
        status: Option<AutomationRunStatus>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
        offset: Option<i32>,
    ) -> Result<Conn<AutomationRun>> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &site_id)?;
        let args = page_args(first, after, last, before, offset)?;
        c.read(async |tx| {
            visible_site(tx, &c.scope, site).await?;
            // the window needs the total first
            let (_, total) =
                runs::list_runs(tx, &c.scope, site, status.map(Into::into), 0, 0).await?;
            let page = args.window(total);
            let (rows, _) = runs::list_runs(
                tx,
                &c.scope,
                site,
                status.map(Into::into),
                page.offset,
                page.limit,
            )
            .await?;
            Ok(connection(shown(tx, rows).await?, page, total))
        })
        .await
    }

    /// What a run would do now: pending items per stage and their credit
    /// estimate, the credits available, and the run that is not finished.
    async fn automation_overview(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
    ) -> Result<AutomationOverview> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &site_id)?;
        c.read(async |tx| {
            let site = visible_site(tx, &c.scope, site).await?;
            let (s, _) = settings(tx, &site).await?;
            let plan = igny8_db::accounts::plan_of_account(tx, site.account_id).await?;
            let costs = CreditCosts::with_overrides(&plan.credit_costs);
            let account = igny8_db::accounts::get(tx, site.account_id).await?;
            let counts = runs::pending_counts(tx, site.id).await?;
            let stages: Vec<AutomationStagePending> = counts
                .into_iter()
                .map(|(st, n)| {
                    let cfg = s.stage(st);
                    AutomationStagePending {
                        stage: st.into(),
                        number: st.number(),
                        enabled: cfg.enabled,
                        pending: n,
                        estimated_credits: st.estimate(&costs, n, cfg.batch_size),
                    }
                })
                .collect();
            let (active, _) = runs::list_runs(tx, &c.scope, site.id, None, 0, 1).await?;
            let active: Vec<_> = active
                .into_iter()
                .filter(|r| r.status.is_active() || r.current_job_id.is_some())
                .collect();
            Ok(AutomationOverview {
                site_id: site.id.into(),
                estimated_credits: stages
                    .iter()
                    .filter(|s| s.enabled)
                    .map(|s| s.estimated_credits)
                    .sum(),
                stages,
                credits_available: account.credits_balance - account.credits_held,
                active_run: shown(tx, active).await?.pop(),
            })
        })
        .await
    }
}
