//! Per-account integration settings (JOB-9). API keys arrive here already
//! encrypted (see `igny8_jobs::secrets`); this module never sees plaintext.

use crate::error::DbResult;
use crate::models::IntegrationSettings;
use crate::schema::integration_settings;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

pub async fn get(
    conn: &mut AsyncPgConnection,
    account_id: Uuid,
) -> DbResult<Option<IntegrationSettings>> {
    Ok(integration_settings::table
        .filter(integration_settings::account_id.eq(account_id))
        .select(IntegrationSettings::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Writes the whole row (insert or replace).
pub async fn put(
    conn: &mut AsyncPgConnection,
    row: &IntegrationSettings,
) -> DbResult<IntegrationSettings> {
    Ok(diesel::insert_into(integration_settings::table)
        .values(row)
        .on_conflict(integration_settings::account_id)
        .do_update()
        .set(row)
        .returning(IntegrationSettings::as_returning())
        .get_result(conn)
        .await?)
}
