//! Billing's scheduled work: the renewal of each subscription at its
//! period's end (`billing.renew`, key = the subscription id). The database
//! schedules it (a trigger on `subscriptions`), so every subscription has
//! exactly one renewal row whatever code created or moved its period.

use crate::scheduler::{Handler, Next, handler};
use igny8_db::billing::{self, Renewal};

/// The scheduler kind of renewals.
pub const RENEW: &str = "billing.renew";

/// Closes the period that ended at the due time and opens the next
/// (`igny8_db::billing::renew`), in the scheduler's transaction; the next
/// due time is the new period's end, so after downtime each missed period
/// is renewed once, in order.
pub fn renewal() -> impl Handler {
    handler(|tx, due| {
        Box::pin(async move {
            let subscription: uuid::Uuid = due.task.key.parse()?;
            match billing::renew(tx, subscription, due.task.due_at, due.now).await? {
                Renewal::Renewed {
                    expired,
                    granted,
                    next_end,
                } => {
                    tracing::info!(subscription.id = %subscription, period_end = %due.task.due_at,
                                   expired, granted, "subscription renewed");
                    Ok(Next::At(next_end, None))
                }
                Renewal::Moved { next_end } => Ok(Next::At(next_end, None)),
                Renewal::Gone => Ok(Next::Done),
            }
        })
    })
}
