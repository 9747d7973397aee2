//! The GraphQL schema: one module per domain, each with `query`, `mutation`
//! and `types`, merged here. Resolvers are thin: the caller, its inputs, a
//! guard, one unit of work (see [`spine`]); errors get their codes in
//! `crate::error`.

pub mod account;
pub mod auth;
pub mod automation;
pub mod batch;
pub mod connection;
pub mod context;
pub mod enums;
pub mod integrations;
pub mod jobs;
pub mod limits;
pub mod loaders;
pub mod planner;
pub mod publishing;
pub mod reference;
pub mod sites;
pub mod spine;
pub mod staff;
pub mod thinker;
pub mod usage;
pub mod users;
pub mod writer;

use crate::config::Limits;
use async_graphql::{MergedObject, MergedSubscription, Schema, SchemaBuilder};

#[derive(MergedObject, Default)]
pub struct Query(
    auth::query::AuthQuery,
    account::query::AccountQuery,
    users::query::UsersQuery,
    sites::query::SitesQuery,
    reference::query::ReferenceQuery,
    planner::query::PlannerQuery,
    writer::query::WriterQuery,
    jobs::query::JobsQuery,
    thinker::query::ThinkerQuery,
    integrations::query::IntegrationsQuery,
    automation::query::AutomationQuery,
    automation::rules::RulesQuery,
    staff::query::StaffQuery,
    usage::UsageQuery,
);

#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::mutation::AuthMutation,
    users::mutation::UsersMutation,
    sites::mutation::SitesMutation,
    planner::mutation::PlannerMutation,
    writer::mutation::WriterMutation,
    jobs::mutation::JobsMutation,
    thinker::mutation::ThinkerMutation,
    integrations::mutation::IntegrationsMutation,
    publishing::mutation::PublishingMutation,
    automation::mutation::AutomationMutation,
    automation::rules::RulesMutation,
    staff::mutation::StaffMutation,
);

#[derive(MergedSubscription, Default)]
pub struct Subscription(
    jobs::subscription::JobsSubscription,
    automation::subscription::AutomationSubscription,
);

pub type AppSchema = Schema<Query, Mutation, Subscription>;

/// The schema with its limits, before any runtime data is attached.
///
/// It has no extensions, because any extension puts every field resolution
/// on async-graphql's slow path (a registry lookup and an extension chain per
/// field). The transports apply the alias limit, attach the per-operation
/// `RequestCtx` and give errors their codes themselves: the HTTP handler, and
/// `ws::Operations` for WebSocket operations.
pub fn schema_builder(
    limits: Limits,
    introspection: bool,
) -> SchemaBuilder<Query, Mutation, Subscription> {
    let mut b = Schema::build(
        Query::default(),
        Mutation::default(),
        Subscription::default(),
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_recursive_depth(64)
    .limit_directives(8);
    if !introspection {
        // "did you mean …" would name the fields introspection hides
        b = b.disable_introspection().disable_suggestions();
    }
    b
}

/// The SDL that `schema.graphql` must equal.
pub fn sdl() -> String {
    schema_builder(Limits::default(), true).finish().sdl()
}
