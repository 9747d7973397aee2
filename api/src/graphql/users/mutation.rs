use crate::auth;
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::auth::mutation::security;
use crate::graphql::auth::types::{Role, User};
use crate::graphql::connection::{parse_id, parse_ids};
use crate::graphql::context::{actor, db, ensure_account_admin};
use crate::mail::Mail;
use crate::sessions::Revoked;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
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
pub struct InviteUserInput {
    pub email: String,
    #[graphql(default)]
    pub name: String,
    pub role: Role,
    /// Sites granted when the invitation is accepted.
    #[graphql(default)]
    pub site_ids: Vec<ID>,
}

/// An invitation mailed to an address; accepting its link creates the user.
#[derive(SimpleObject)]
pub struct Invitation {
    pub id: ID,
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
}

/// How long an invitation link works.
const INVITATION_TTL: chrono::Duration = chrono::Duration::days(7);

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

/// Call after [`igny8_db::accounts::lock`]: concurrent demotions and
/// removals then count owners one after the other, so two owners demoting
/// each other cannot leave the account with none.
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
    /// Adds a user to the caller's account (owner/admin), with a password
    /// to hand over. Prefer `inviteUser`, which lets the user choose it. An
    /// email registered in another account is not revealed: the answer has
    /// the same shape, nothing is created, and the address's owner is told.
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
        validate::new_password(&input.password, &email).map_err(gql)?;
        let name = if input.name.trim().is_empty() {
            String::new()
        } else {
            validate::name("name", &input.name).map_err(gql)?
        };
        let site_ids = parse_ids("siteIds", &input.site_ids)?;
        let s = security(ctx);
        let password_hash = s.hash(input.password).await?;

        let new_user = igny8_db::users::NewUser {
            id: Uuid::now_v7(),
            account_id: a.account_id,
            email,
            name,
            password_hash,
            role: role.as_str().into(),
            // the administrator vouches for the address
            email_verified_at: Some(Utc::now()),
        };
        let mut sys = s.db.begin_system().await.map_err(gql)?;
        let existing = igny8_db::users::find_for_login(&mut sys, &new_user.email)
            .await
            .map_err(gql)?;
        sys.commit().await.map_err(gql)?;
        match existing {
            // the account's own users are the caller's to see
            Some(u) if u.account_id == a.account_id => {
                return Err(gql(igny8_db::DbError::Conflict("users_email_key".into())));
            }
            Some(_) => return Ok(User(not_created(&s, new_user))),
            None => {}
        }
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        let user = match igny8_db::users::create(
            &mut tx,
            igny8_db::users::NewUser {
                id: new_user.id,
                account_id: new_user.account_id,
                email: new_user.email.clone(),
                name: new_user.name.clone(),
                password_hash: new_user.password_hash.clone(),
                role: new_user.role.clone(),
                email_verified_at: new_user.email_verified_at,
            },
        )
        .await
        {
            Ok(u) => u,
            // registered elsewhere meanwhile
            Err(igny8_db::DbError::Conflict(_)) => return Ok(User(not_created(&s, new_user))),
            Err(e) => return Err(gql(e)),
        };
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

    /// Invites someone to the account by email (owner/admin): the link in
    /// the mail lets them choose a password and join. The answer is the same
    /// whether or not the address already has an account elsewhere.
    async fn invite_user(&self, ctx: &Context<'_>, input: InviteUserInput) -> Result<Invitation> {
        let a = actor(ctx).await?;
        manager(a)?;
        let role: igny8_core::Role = input.role.into();
        if !role.assignable_by(a.role) {
            return Err(
                ApiError::forbidden(format!("you cannot invite a user with role {role}")).into(),
            );
        }
        let email = validate::email(&input.email).map_err(gql)?;
        let name = if input.name.trim().is_empty() {
            String::new()
        } else {
            validate::name("name", &input.name).map_err(gql)?
        };
        let site_ids = parse_ids("siteIds", &input.site_ids)?;
        let s = security(ctx);
        s.mailer.ensure_available()?;
        let token = auth::new_mailed_token();
        let now = Utc::now();
        let invitation = igny8_db::invitations::Invitation {
            id: Uuid::now_v7(),
            account_id: a.account_id,
            email,
            name,
            role: role.as_str().into(),
            site_ids,
            invited_by: Some(a.user_id),
            token_hash: auth::hash_refresh_token(&token),
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            created_at: now,
        };
        let mut tx = db(ctx).begin_tenant(a.account_id).await.map_err(gql)?;
        for site in &invitation.site_ids {
            igny8_db::sites::get(&mut tx, &igny8_core::Scope::account(a.account_id), *site)
                .await
                .map_err(|_| gql(ApiError::NotFound("site")))?;
        }
        igny8_db::invitations::create(&mut tx, &invitation)
            .await
            .map_err(gql)?;
        let account = igny8_db::accounts::get(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        let link = s.mailer.link("accept-invitation", &token);
        s.mailer.send(Mail {
            to: invitation.email.clone(),
            subject: format!("You are invited to {} on igny8", account.name),
            body: format!(
                "You are invited to join {} on igny8 as {role}. To accept, open this link and                  choose a password (valid for 7 days, once):\n\n{link}\n\n                 If you did not expect this, ignore this mail.\n",
                account.name
            ),
        });
        tracing::info!(invitation.id = %invitation.id, by = %a.user_id, "user invited");
        Ok(Invitation {
            id: invitation.id.into(),
            email: invitation.email,
            role: input.role,
            expires_at: invitation.expires_at,
        })
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
        igny8_db::accounts::lock(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
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
        igny8_db::accounts::lock(&mut tx, a.account_id)
            .await
            .map_err(gql)?;
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
        // their open sockets close now, on every instance
        security(ctx)
            .revocations
            .announce(Revoked::User {
                user: id,
                keep: None,
            })
            .await;
        Ok(id.into())
    }
}

/// `createUser` for an address registered in another account: the caller
/// gets the shape a created user would have, nothing is written, and the
/// address's owner hears about it.
fn not_created(
    s: &crate::graphql::auth::mutation::Security<'_>,
    u: igny8_db::users::NewUser,
) -> igny8_db::models::User {
    s.mailer.send(Mail {
        to: u.email.clone(),
        subject: "An igny8 account tried to add your address".into(),
        body: "An administrator of an igny8 account tried to add this address as a user. It \
               already has an account, so nothing changed; if you want to join them, ask for an \
               invitation.\n"
            .into(),
    });
    let now = Utc::now();
    igny8_db::models::User {
        id: u.id,
        account_id: u.account_id,
        email: u.email,
        name: u.name,
        password_hash: String::new(),
        role: u.role,
        is_active: true,
        created_at: now,
        updated_at: now,
        email_verified_at: u.email_verified_at,
    }
}
