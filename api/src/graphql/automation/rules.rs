//! Automation rules (AUT-2): CRUD and the execution log. Rules fire in the
//! worker (`igny8_jobs::automation`): after a job that created clusters,
//! ideas or articles, and on the sweeper's tick for keywords added.

use super::query::visible_site;
use super::types::AutomationStage;
use crate::error::{ApiResult, not_found};
use crate::graphql::spine::{IdInput, caller, ensure_site_admin, parse_id};
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_core::automation as a;
use igny8_db::AsyncPgConnection;
use igny8_db::automation as db;
use uuid::Uuid;

/// Executions shown per rule, newest first.
const EXECUTIONS_SHOWN: i64 = 20;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::RuleTrigger")]
pub enum AutomationRuleTrigger {
    KeywordAdded,
    ClusterCreated,
    IdeaCreated,
    ContentGenerated,
    /// Refused on save: a site's schedule (`updateAutomationConfig`) starts
    /// runs at set times.
    Schedule,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "a::RuleOutcome")]
pub enum AutomationRuleOutcome {
    Started,
    SkippedCondition,
    SkippedLimit,
    SkippedBusy,
    SkippedDisabled,
    LoopPrevented,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationRuleExecution {
    pub id: ID,
    pub outcome: AutomationRuleOutcome,
    pub message: String,
    /// What fired it: `job:<id>` or `keywords:<time>`.
    pub event: String,
    pub run_id: Option<ID>,
    pub created_at: DateTime<Utc>,
}

#[derive(SimpleObject, Clone)]
pub struct AutomationRule {
    pub id: ID,
    pub site_id: ID,
    pub name: String,
    pub enabled: bool,
    pub trigger: AutomationRuleTrigger,
    /// Condition: at least this many items pending for the action's stage.
    pub min_pending: i32,
    /// The stage a firing runs (only that stage).
    pub action_stage: AutomationStage,
    pub max_executions_per_day: i32,
    /// The credit cap of each run it starts.
    pub credit_limit_per_execution: i64,
    /// Runs started today (UTC).
    pub executions_today: i64,
    pub created_at: DateTime<Utc>,
    /// The latest executions, newest first (at most 20).
    pub executions: Vec<AutomationRuleExecution>,
}

async fn shown(
    tx: &mut AsyncPgConnection,
    rows: Vec<db::RuleRow>,
) -> ApiResult<Vec<AutomationRule>> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let execs = if ids.is_empty() {
        vec![]
    } else {
        db::executions(tx, &ids, EXECUTIONS_SHOWN).await?
    };
    Ok(rows
        .into_iter()
        .map(|r| AutomationRule {
            id: r.id.into(),
            site_id: r.site_id.into(),
            name: r.name,
            enabled: r.enabled,
            trigger: r.trigger.into(),
            min_pending: r.min_pending,
            action_stage: a::Stage::from_number(r.action_stage)
                .unwrap_or(a::Stage::Clusters)
                .into(),
            max_executions_per_day: r.max_executions_per_day,
            credit_limit_per_execution: r.credit_limit_per_execution,
            executions_today: r.started_today,
            created_at: r.created_at,
            executions: execs
                .iter()
                .filter(|e| e.rule_id == r.id)
                .map(|e| AutomationRuleExecution {
                    id: e.id.into(),
                    outcome: e.outcome.into(),
                    message: e.message.clone(),
                    event: e.event_key.clone(),
                    run_id: e.run_id.map(ID::from),
                    created_at: e.created_at,
                })
                .collect(),
        })
        .collect())
}

#[derive(Default)]
pub struct RulesQuery;

#[Object]
impl RulesQuery {
    /// A site's automation rules with their latest executions.
    async fn automation_rules(
        &self,
        ctx: &Context<'_>,
        site_id: ID,
    ) -> Result<Vec<AutomationRule>> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &site_id)?;
        c.read(async |tx| {
            visible_site(tx, &c.scope, site).await?;
            let rows = db::list_rules(tx, &c.scope, site).await?;
            shown(tx, rows).await
        })
        .await
    }
}

#[derive(InputObject)]
pub struct CreateAutomationRuleInput {
    pub site_id: ID,
    pub name: String,
    pub trigger: AutomationRuleTrigger,
    pub action_stage: AutomationStage,
    /// Default 1.
    pub min_pending: Option<i32>,
    /// Default 10.
    pub max_executions_per_day: Option<i32>,
    /// Default 100.
    pub credit_limit_per_execution: Option<i64>,
    /// Default true.
    pub enabled: Option<bool>,
}

#[derive(InputObject)]
pub struct UpdateAutomationRuleInput {
    pub id: ID,
    pub name: Option<String>,
    pub trigger: Option<AutomationRuleTrigger>,
    pub action_stage: Option<AutomationStage>,
    pub min_pending: Option<i32>,
    pub max_executions_per_day: Option<i32>,
    pub credit_limit_per_execution: Option<i64>,
    pub enabled: Option<bool>,
}

fn checked(f: db::RuleFields) -> ApiResult<db::RuleFields> {
    let name = igny8_core::validate::name("name", &f.name)?;
    a::check_rule(
        f.min_pending,
        f.max_executions_per_day,
        f.credit_limit_per_execution,
        f.trigger,
    )?;
    Ok(db::RuleFields { name, ..f })
}

#[derive(Default)]
pub struct RulesMutation;

#[Object]
impl RulesMutation {
    /// Adds a rule to a site (owners and admins).
    async fn create_automation_rule(
        &self,
        ctx: &Context<'_>,
        input: CreateAutomationRuleInput,
    ) -> Result<AutomationRule> {
        let c = caller(ctx).await?;
        let site = parse_id("siteId", &input.site_id)?;
        let f = checked(db::RuleFields {
            name: input.name,
            enabled: input.enabled.unwrap_or(true),
            trigger: input.trigger.into(),
            min_pending: input.min_pending.unwrap_or(1),
            action_stage: input.action_stage.into(),
            max_executions_per_day: input.max_executions_per_day.unwrap_or(10),
            credit_limit_per_execution: input.credit_limit_per_execution.unwrap_or(100),
        })?;
        c.run(async |tx| {
            let site = visible_site(tx, &c.scope, site).await?;
            ensure_site_admin(c.actor, "manage automation rules")?;
            let row = db::create_rule(tx, site.account_id, site.id, c.actor.user_id, &f).await?;
            Ok(shown(tx, vec![row]).await?.remove(0))
        })
        .await
    }

    /// Changes a rule (owners and admins).
    async fn update_automation_rule(
        &self,
        ctx: &Context<'_>,
        input: UpdateAutomationRuleInput,
    ) -> Result<AutomationRule> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            let r = db::get_rule(tx, &c.scope, id)
                .await
                .map_err(not_found("automation rule"))?;
            ensure_site_admin(c.actor, "manage automation rules")?;
            let f = checked(db::RuleFields {
                name: input.name.unwrap_or(r.name),
                enabled: input.enabled.unwrap_or(r.enabled),
                trigger: input.trigger.map(Into::into).unwrap_or(r.trigger),
                min_pending: input.min_pending.unwrap_or(r.min_pending),
                action_stage: input
                    .action_stage
                    .map(Into::into)
                    .or(a::Stage::from_number(r.action_stage))
                    .unwrap_or(a::Stage::Clusters),
                max_executions_per_day: input
                    .max_executions_per_day
                    .unwrap_or(r.max_executions_per_day),
                credit_limit_per_execution: input
                    .credit_limit_per_execution
                    .unwrap_or(r.credit_limit_per_execution),
            })?;
            let row = db::update_rule(tx, id, &f).await?;
            Ok(shown(tx, vec![row]).await?.remove(0))
        })
        .await
    }

    /// Deletes a rule and its log (owners and admins).
    async fn delete_automation_rule(&self, ctx: &Context<'_>, input: IdInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let id = parse_id("id", &input.id)?;
        c.run(async |tx| {
            db::get_rule(tx, &c.scope, id)
                .await
                .map_err(not_found("automation rule"))?;
            ensure_site_admin(c.actor, "manage automation rules")?;
            db::delete_rule(tx, id).await?;
            Ok(input.id)
        })
        .await
    }
}
