use crate::auth;
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::auth::mutation::security;
use crate::graphql::auth::types::{Role, User};
use crate::graphql::spine::{
    caller, ensure_account_admin, not_found, parse_id, parse_ids, run_system, run_tenant,
};
use crate::mail::Mail;
use crate::sessions::Revoked;
use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_core::{Actor, Scope, validate};
use igny8_db::{DbResult, Tx};
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

/// What `createUser` and `inviteUser` check first: the caller manages
/// users and may give `role` (`verb` names the refusal); the address, the
/// name (may be left out) and the sites are well-formed.
struct Newcomer {
    role: igny8_core::Role,
    email: String,
    name: String,
    site_ids: Vec<Uuid>,
}

fn newcomer(
    a: &Actor,
    verb: &str,
    role: Role,
    email: &str,
    name: &str,
    site_ids: &[ID],
) -> ApiResult<Newcomer> {
    manager(a)?;
    let role: igny8_core::Role = role.into();
    if !role.assignable_by(a.role) {
        return Err(ApiError::forbidden(format!(
            "you cannot {verb} a user with role {role}"
        )));
    }
    Ok(Newcomer {
        role,
        email: validate::email(email)?,
        name: validate::optional_person_name("name", name)?.unwrap_or_default(),
        site_ids: parse_ids("siteIds", site_ids)?,
    })
}

/// Loads a user of the caller's account, or `NOT_FOUND`.
async fn account_user(tx: &mut Tx, a: &Actor, id: Uuid) -> ApiResult<igny8_db::models::User> {
    igny8_db::users::get(tx, &Scope::account(a.account_id), id)
        .await
        .map_err(not_found("user"))
}

/// A change of one user's access to one site of the account (`change`
/// gets the account, the user, the site and the caller's user id).
async fn site_access(
    ctx: &Context<'_>,
    input: SiteAccessInput,
    change: impl AsyncFnOnce(&mut Tx, Uuid, Uuid, Uuid, Uuid) -> DbResult<()>,
) -> Result<User> {
    let c = caller(ctx).await?;
    manager(c.actor)?;
    let (user_id, site_id) = (
        parse_id("userId", &input.user_id)?,
        parse_id("siteId", &input.site_id)?,
    );
    let a = c.actor;
    c.run_in_account(async |tx| {
        let user = account_user(tx, a, user_id).await?;
        igny8_db::sites::get(tx, &Scope::account(a.account_id), site_id)
            .await
            .map_err(not_found("site"))?;
        change(tx, a.account_id, user_id, site_id, a.user_id).await?;
        Ok(User::of(user))
    })
    .await
}

#[Object]
impl UsersMutation {
    /// Adds a user to the caller's account (owner/admin), with a password
    /// to hand over. Prefer `inviteUser`, which lets the user choose it. An
    /// email registered in another account is not revealed: the answer has
    /// the same shape, nothing is created, and the address's owner is told.
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> Result<User> {
        let c = caller(ctx).await?;
        let (a, n) = (
            c.actor,
            newcomer(
                c.actor,
                "create",
                input.role,
                &input.email,
                &input.name,
                &input.site_ids,
            )?,
        );
        validate::new_password(&input.password, &n.email).map_err(gql)?;
        let s = security(ctx);
        let password_hash = s.hash(input.password).await?;

        let new_user = igny8_db::users::NewUser {
            id: Uuid::now_v7(),
            account_id: a.account_id,
            email: n.email,
            name: n.name,
            password_hash,
            role: n.role.as_str().into(),
            // the administrator vouches for the address
            email_verified_at: Some(Utc::now()),
        };
        // the sites first, so that an address registered elsewhere gets the
        // same answer as a new one for the same input
        c.read_in_account(async |tx| {
            for site in &n.site_ids {
                igny8_db::sites::get(tx, &Scope::account(a.account_id), *site)
                    .await
                    .map_err(not_found("site"))?;
            }
            Ok(())
        })
        .await?;
        let existing = run_system(s.db, async |sys| {
            Ok(igny8_db::users::find_for_login(sys, &new_user.email).await?)
        })
        .await?;
        match existing {
            // the account's own users are the caller's to see
            Some(u) if u.account_id == a.account_id => {
                return Err(gql(igny8_db::DbError::Conflict("users_email_key".into())));
            }
            Some(_) => return Ok(User::decoy(not_created(&s, new_user), n.site_ids.clone())),
            None => {}
        }
        let created = run_tenant(c.db(), a.account_id, async |tx| {
            let user = igny8_db::users::create(tx, new_user.clone()).await?;
            for site in &n.site_ids {
                // a site of another account fails the composite key: NOT_FOUND, nothing written
                igny8_db::users::grant_site(tx, a.account_id, user.id, *site, a.user_id).await?;
            }
            Ok(user)
        })
        .await;
        let user = match created {
            Ok(u) => u,
            // registered elsewhere meanwhile (rolled back)
            Err(ApiError::Conflict { .. }) => {
                return Ok(User::decoy(not_created(&s, new_user), n.site_ids.clone()));
            }
            Err(e) => return Err(e.into()),
        };
        tracing::info!(user.id = %user.id, by = %a.user_id, "user created");
        Ok(User::of(user))
    }

    /// Invites someone to the account by email (owner/admin): the link in
    /// the mail lets them choose a password and join. The answer is the same
    /// whether or not the address already has an account elsewhere.
    async fn invite_user(&self, ctx: &Context<'_>, input: InviteUserInput) -> Result<Invitation> {
        let c = caller(ctx).await?;
        let (a, n) = (
            c.actor,
            newcomer(
                c.actor,
                "invite",
                input.role,
                &input.email,
                &input.name,
                &input.site_ids,
            )?,
        );
        let role = n.role;
        let s = security(ctx);
        s.mailer.ensure_available()?;
        let token = auth::new_mailed_token();
        let now = Utc::now();
        let invitation = igny8_db::invitations::Invitation {
            id: Uuid::now_v7(),
            account_id: a.account_id,
            email: n.email,
            name: n.name,
            role: role.as_str().into(),
            site_ids: n.site_ids,
            invited_by: Some(a.user_id),
            token_hash: auth::hash_refresh_token(&token),
            expires_at: now + INVITATION_TTL,
            accepted_at: None,
            created_at: now,
        };
        let account = c
            .run_in_account(async |tx| {
                for site in &invitation.site_ids {
                    igny8_db::sites::get(tx, &Scope::account(a.account_id), *site)
                        .await
                        .map_err(not_found("site"))?;
                }
                igny8_db::invitations::create(tx, &invitation).await?;
                Ok(igny8_db::accounts::get(tx, a.account_id).await?)
            })
            .await?;
        let link = s.mailer.link("accept-invitation", &token);
        s.mailer.send(Mail {
            to: invitation.email.clone(),
            subject: format!("You are invited to {} on igny8", account.name),
            body: format!(
                "You are invited to join {} on igny8 as {role}. To accept, open this link and \
                 choose a password (valid for 7 days, once):\n\n{link}\n\n\
                 If you did not expect this, ignore this mail.\n",
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
        let c = caller(ctx).await?;
        let a = c.actor;
        manager(a)?;
        let id = parse_id("userId", &input.user_id)?;
        let role: igny8_core::Role = input.role.into();
        c.run_in_account(async |tx| {
            igny8_db::accounts::lock(tx, a.account_id).await?;
            let target = account_user(tx, a, id).await?;
            let current: igny8_core::Role = target.role.parse().map_err(ApiError::internal)?;
            if !role.assignable_by(a.role) || !current.assignable_by(a.role) {
                return Err(ApiError::forbidden(format!(
                    "you cannot change a {current} into a {role}"
                )));
            }
            if role != igny8_core::Role::Owner {
                igny8_db::users::ensure_not_last_owner(tx, &target).await?;
            }
            let user = igny8_db::users::set_role(tx, a.account_id, id, role.as_str()).await?;
            Ok(User::of(user))
        })
        .await
    }

    /// Grants a user access to a site of the account.
    async fn grant_site_access(&self, ctx: &Context<'_>, input: SiteAccessInput) -> Result<User> {
        site_access(ctx, input, async |tx, account, user, site, by| {
            igny8_db::users::grant_site(tx, account, user, site, by).await
        })
        .await
    }

    /// Revokes a user's access to a site.
    async fn revoke_site_access(&self, ctx: &Context<'_>, input: SiteAccessInput) -> Result<User> {
        site_access(ctx, input, async |tx, account, user, site, _| {
            igny8_db::users::revoke_site(tx, account, user, site)
                .await
                .map(drop)
        })
        .await
    }

    /// Removes a user from the account and ends their sessions.
    async fn remove_user(&self, ctx: &Context<'_>, input: RemoveUserInput) -> Result<ID> {
        let c = caller(ctx).await?;
        let a = c.actor;
        manager(a)?;
        let id = parse_id("userId", &input.user_id)?;
        c.run_in_account(async |tx| {
            igny8_db::accounts::lock(tx, a.account_id).await?;
            let target = account_user(tx, a, id).await?;
            let role: igny8_core::Role = target.role.parse().map_err(ApiError::internal)?;
            if !role.assignable_by(a.role) {
                return Err(ApiError::forbidden(format!("you cannot remove a {role}")));
            }
            igny8_db::users::ensure_not_last_owner(tx, &target).await?;
            igny8_db::tokens::revoke_user(tx, id, Utc::now()).await?;
            Ok(igny8_db::users::remove(tx, a.account_id, id).await?)
        })
        .await?;
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
