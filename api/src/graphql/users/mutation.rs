use crate::auth;
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::auth::mutation::blocking;
use crate::graphql::auth::types::{Role, User};
use crate::graphql::connection::{parse_id, parse_ids};
use crate::graphql::context::{actor, db, ensure_account_admin};
use async_graphql::{Context, ID, InputObject, Object, Result};
use chrono::Utc;
use igny8_core::{Actor, validate};
use igny8_db::Tx;
use uuid::Uuid;

#[derive(Default)]
pub struct UsersMutation;

#[derive(InputObject)]
pub struct CreateUserInput {
    pub email: String,
    /// The initial password, to hand to the new user.
    pub password: String,
    #[graphql(default)]
    pub name: String,
    pub role: Role,
    /// Sites to grant right away (editors and viewers see only these).
    #[graphql(default)]
    pub site_ids: Vec<ID>,
}

#[derive(InputObject)]
pub struct UpdateUserRoleInput {
    pub user_id: ID,
    pub role: Role,
}

#[derive(InputObject)]
pub struct SiteAccessInput {
    pub user_id: ID,
    pub site_id: ID,
}

#[derive(InputObject)]
pub struct RemoveUserInput {
    pub user_id: ID,
}

fn manager(a: &Actor) -> ApiResult<()> {
    ensure_account_admin(a, "manage users")
}

/// Loads a user of the caller's account, or `NOT_FOUND`.
async fn account_user(tx: &mut Tx, a: &Actor, id: Uuid) -> ApiResult<igny8_db::models::User> {
    igny8_db::users::get(tx, &igny8_core::Scope::account(a.account_id), id)
        .await
        .map_err(|_| ApiError::NotFound("user"))
}

async fn ensure_not_last_owner(
    tx: &mut Tx,
    a: &Actor,
    target: &igny8_db::models::User,
) -> ApiResult<()> {
    if target.role == "owner" && igny8_db::users::count_owners(tx, a.account_id).await? <= 1 {
        return Err(ApiError::Conflict {
            field: Some("userId".into()),
            message: "the account's last owner cannot be demoted or removed".into(),
        });
    }
    Ok(())
}

#[Object]
impl UsersMutation {
    /// Adds a user to the caller's account (owner/admin).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let a = actor(ctx).await?;
        manager(a)?;
        let role: igny8_core::Role = input.role.into();
        if !role.assignable_by(a.role) {
            return Err(
                ApiError::forbidden(format!("you cannot create a user with role {role}")).into(),
            );
        }
        let email = validate::email(&input.email).map_err(gql)?;
        validate::password(&input.password).map_err(gql)?;
        let name = if input.name.trim().is_empty() {
            String::new()
        } else {
            validate::name("name", &input.name).map_err(gql)?
        };
        let site_ids = parse_ids("siteIds", &input.site_ids)?;
        let password = input.password;
        let password_hash = blocking(move || auth::hash_password(&password)).await?;

        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let user = igny8_db::users::create(
            &mut tx,
            igny8_db::users::NewUser {
                id: Uuid::now_v7(),
                account_id: a.account_id,
                email,
                name,
                password_hash,
                role: role.as_str().into(),
            },
        )
        .await
        .map_err(gql)?;
        for site in site_ids {
            // a site of another account fails the composite key: NOT_FOUND, nothing written
            igny8_db::users::grant_site(&mut tx, a.account_id, user.id, site, a.user_id)
                .await
                .map_err(gql)?;
        }
        tx.commit().await.map_err(gql)?;
        tracing::info!(user.id = %user.id, by = %a.user_id, "user created");
        Ok(User(user))
    }

    /// Changes a user's role (owner/admin; only owners make owners).
    async fn update_user_role(
        &self,
        ctx: &Context<'_>,
        input: UpdateUserRoleInput,
    ) -> Result<User> {
        let a = actor(ctx).await?;
        manager(a)?;
        let id = parse_id("userId", &input.user_id)?;
        let role: igny8_core::Role = input.role.into();
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let target = account_user(&mut tx, a, id).await?;
        let current: igny8_core::Role = target.role.parse().map_err(ApiError::internal)?;
        if !role.assignable_by(a.role) || !current.assignable_by(a.role) {
            return Err(ApiError::forbidden(format!(
                "you cannot change a {current} into a {role}"
            ))
            .into());
        }
        if role != igny8_core::Role::Owner {
            ensure_not_last_owner(&mut tx, a, &target).await?;
        }
        let user = igny8_db::users::set_role(&mut tx, a.account_id, id, role.as_str())
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(User(user))
    }

    /// Grants a user access to a site of the account.
    async fn grant_site_access(&self, ctx: &Context<'_>, input: SiteAccessInput) -> Result<User> {
        let a = actor(ctx).await?;
        manager(a)?;
        let (user_id, site_id) = (
            parse_id("userId", &input.user_id)?,
            parse_id("siteId", &input.site_id)?,
        );
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let user = account_user(&mut tx, a, user_id).await?;
        igny8_db::sites::get(&mut tx, &igny8_core::Scope::account(a.account_id), site_id)
            .await
            .map_err(|_| gql(ApiError::NotFound("site")))?;
        igny8_db::users::grant_site(&mut tx, a.account_id, user_id, site_id, a.user_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(User(user))
    }

    /// Revokes a user's access to a site.
    async fn revoke_site_access(&self, ctx: &Context<'_>, input: SiteAccessInput) -> Result<User> {
        let a = actor(ctx).await?;
        manager(a)?;
        let (user_id, site_id) = (
            parse_id("userId", &input.user_id)?,
            parse_id("siteId", &input.site_id)?,
        );
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let user = account_user(&mut tx, a, user_id).await?;
        igny8_db::sites::get(&mut tx, &igny8_core::Scope::account(a.account_id), site_id)
            .await
            .map_err(|_| gql(ApiError::NotFound("site")))?;
        igny8_db::users::revoke_site(&mut tx, a.account_id, user_id, site_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(User(user))
    }

    /// Removes a user from the account and ends their sessions.
    async fn remove_user(&self, ctx: &Context<'_>, input: RemoveUserInput) -> Result<ID> {
        let a = actor(ctx).await?;
        manager(a)?;
        let id = parse_id("userId", &input.user_id)?;
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let target = account_user(&mut tx, a, id).await?;
        let role: igny8_core::Role = target.role.parse().map_err(ApiError::internal)?;
        if !role.assignable_by(a.role) {
            return Err(ApiError::forbidden(format!("you cannot remove a {role}")).into());
        }
        ensure_not_last_owner(&mut tx, a, &target).await?;
        igny8_db::tokens::revoke_user(&mut tx, id, Utc::now())
            .await
            .map_err(gql)?;
        igny8_db::users::remove(&mut tx, a.account_id, id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        Ok(id.into())
    }
}
