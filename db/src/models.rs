//! Row types, one per table.

use crate::schema::*;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
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
}
