//! Row types, one per table.

use crate::schema::*;
use crate::stored::Stored;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use igny8_core::jobs::{JobKind, JobPhase, JobStatus};
use uuid::Uuid;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = plans)]
pub struct Plan {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub monthly_credits: i64,
    pub price_cents: i64,
    pub features: serde_json::Value,
    pub credit_costs: serde_json::Value,
    pub is_default: bool,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    /// ISO 4217, lower case (Stripe's spelling).
    pub currency: String,
    /// `monthly` or `annual`.
    pub billing_cycle: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = industries)]
pub struct Industry {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = industry_sectors)]
pub struct IndustrySector {
    pub id: Uuid,
    pub industry_id: Uuid,
    pub slug: String,
    pub name: String,
    pub description: String,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = accounts)]
pub struct Account {
    pub id: Uuid,
    pub name: String,
    pub slug: String,
    pub status: String,
    pub plan_id: Uuid,
    pub credits_balance: i64,
    pub credits_held: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The part of `credits_balance` granted by the plan for the current
    /// period (expires at its end); the rest never expires.
    pub plan_credits: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub account_id: Uuid,
    pub email: String,
    pub name: String,
    pub password_hash: String,
    pub role: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the user proved they read mail at `email` (a link followed).
    pub email_verified_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sites)]
pub struct Site {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub slug: String,
    pub domain: Option<String>,
    pub industry_id: Option<Uuid>,
    pub is_active: bool,
    pub wp_url: Option<String>,
    pub wp_username: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = sectors)]
pub struct Sector {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub name: String,
    pub slug: String,
    pub industry_sector_id: Option<Uuid>,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshToken {
    pub id: Uuid,
    pub account_id: Uuid,
    pub user_id: Uuid,
    pub family_id: Uuid,
    pub token_hash: Vec<u8>,
    pub expires_at: DateTime<Utc>,
    pub rotated_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = credit_transactions)]
pub struct CreditTransaction {
    pub id: Uuid,
    pub account_id: Uuid,
    pub kind: String,
    pub amount: i64,
    pub balance_after: i64,
    pub description: String,
    pub reference: Option<String>,
    pub created_at: DateTime<Utc>,
    /// The part of `amount` that moved plan credits; the rest moved
    /// purchased (never-expiring) credits.
    pub plan_amount: i64,
    pub purchased_amount: i64,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName)]
#[diesel(table_name = seed_keywords)]
pub struct SeedKeyword {
    pub id: Uuid,
    pub industry_sector_id: Uuid,
    pub keyword: String,
    pub volume: Option<i64>,
    pub difficulty: Option<i32>,
    pub intent: Option<String>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = clusters)]
pub struct Cluster {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub name: String,
    pub description: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Written by clustering and not edited since: rewritten from the
    /// keywords whenever they change.
    pub description_generated: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = keywords)]
pub struct Keyword {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub keyword: String,
    pub keyword_key: String,
    pub volume: Option<i64>,
    pub difficulty: Option<i32>,
    pub intent: Option<String>,
    pub status: String,
    pub cluster_id: Option<Uuid>,
    pub seed_keyword_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = content_ideas)]
pub struct Idea {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub cluster_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub content_type: String,
    pub content_structure: String,
    pub outline: serde_json::Value,
    pub target_keywords: Vec<String>,
    pub estimated_word_count: i32,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = tasks)]
pub struct Task {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub cluster_id: Option<Uuid>,
    pub idea_id: Option<Uuid>,
    pub title: String,
    pub description: String,
    pub target_keywords: Vec<String>,
    pub content_type: String,
    pub content_structure: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = contents)]
pub struct Content {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub task_id: Uuid,
    pub html: String,
    pub word_count: i32,
    pub status: String,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub primary_keyword: Option<String>,
    pub secondary_keywords: Vec<String>,
    pub wp_post_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = images)]
pub struct Image {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Uuid,
    pub sector_id: Uuid,
    pub task_id: Uuid,
    pub content_id: Option<Uuid>,
    pub image_type: String,
    pub prompt: String,
    pub storage_key: Option<String>,
    pub url: Option<String>,
    pub position: i32,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable, serde::Serialize)]
#[diesel(table_name = ai_jobs)]
pub struct AiJob {
    pub id: Uuid,
    pub account_id: Uuid,
    pub user_id: Option<Uuid>,
    pub site_id: Option<Uuid>,
    #[diesel(deserialize_as = Stored<JobKind>, serialize_as = Stored<JobKind>)]
    pub kind: JobKind,
    pub payload: serde_json::Value,
    #[diesel(deserialize_as = Stored<JobStatus>, serialize_as = Stored<JobStatus>)]
    pub status: JobStatus,
    #[diesel(deserialize_as = Stored<JobPhase>, serialize_as = Stored<JobPhase>)]
    pub phase: JobPhase,
    pub attempt: i32,
    pub deliveries: i32,
    pub lease_token: Option<Uuid>,
    pub lease_expires_at: Option<DateTime<Utc>>,
    pub run_after: DateTime<Utc>,
    pub percent: i32,
    pub items_done: i32,
    pub items_total: i32,
    pub message: String,
    pub error: Option<String>,
    pub raw_output: Option<serde_json::Value>,
    pub result: Option<serde_json::Value>,
    pub model: Option<String>,
    pub tokens_in: i32,
    pub tokens_out: i32,
    pub cost_micro_usd: i64,
    pub credits_held: i64,
    pub credits_charged: i64,
    pub cancel_requested: bool,
    pub seq: i64,
    pub enqueued_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl AiJob {
    /// What became of each item, from `result.outcomes` (`[ItemOutcome]`,
    /// written when the job ends); entries this version cannot read are
    /// left out rather than failing the whole job's read.
    pub fn item_outcomes(&self) -> Vec<igny8_core::jobs::ItemOutcome> {
        self.result
            .as_ref()
            .and_then(|r| r.get("outcomes"))
            .and_then(|o| o.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|o| serde_json::from_value(o.clone()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, QueryableByName, Insertable)]
#[diesel(table_name = credit_usage_logs)]
pub struct CreditUsageLog {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Option<Uuid>,
    pub job_id: Uuid,
    pub operation: String,
    pub credits: i64,
    pub model: Option<String>,
    pub tokens_in: i32,
    pub tokens_out: i32,
    pub cost_micro_usd: i64,
    pub related_type: Option<String>,
    pub related_ids: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = author_profiles)]
pub struct AuthorProfile {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub description: String,
    pub tone: String,
    pub language: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = strategies)]
pub struct Strategy {
    pub id: Uuid,
    pub account_id: Uuid,
    pub site_id: Option<Uuid>,
    pub sector_id: Option<Uuid>,
    pub name: String,
    pub description: String,
    /// Stored function names (`generate_content`, …); empty means all.
    pub prompt_types: Vec<String>,
    pub section_logic: String,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = prompt_overrides)]
pub struct PromptOverride {
    pub account_id: Uuid,
    pub function: String,
    pub template: String,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

/// Encrypted keys stay opaque bytes here: `igny8_jobs::secrets` opens them.
#[derive(Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = integration_settings, treat_none_as_null = true)]
pub struct IntegrationSettings {
    pub account_id: Uuid,
    pub text_provider: Option<String>,
    pub image_provider: Option<String>,
    pub openai_base_url: Option<String>,
    pub openai_api_key: Option<Vec<u8>>,
    pub openai_key_hint: Option<String>,
    pub runware_api_key: Option<Vec<u8>>,
    pub runware_key_hint: Option<String>,
    pub models: serde_json::Value,
    pub updated_by: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for IntegrationSettings {
    // ciphertext is not secret, but nobody needs it in a log line either
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntegrationSettings")
            .field("account_id", &self.account_id)
            .field("text_provider", &self.text_provider)
            .field("image_provider", &self.image_provider)
            .field("openai_base_url", &self.openai_base_url)
            .field("openai_key_hint", &self.openai_key_hint)
            .field("runware_key_hint", &self.runware_key_hint)
            .field("models", &self.models)
            .finish_non_exhaustive()
    }
}
