use crate::error::ApiError;
use crate::graphql::account::types::Account;
use crate::graphql::context::{actor, loaders};
use crate::graphql::sites::types::Site;
use crate::graphql::spine::read_tenant;
use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use igny8_db::models;

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "igny8_core::Role")]
pub enum Role {
    Developer,
    Owner,
    Admin,
    Editor,
    Viewer,
    SystemBot,
}

pub struct User(pub models::User, Option<Vec<uuid::Uuid>>);

impl User {
    pub fn of(u: models::User) -> Self {
        User(u, None)
    }

    /// The answer to `createUser` for an address registered elsewhere: it
    /// looks like a created user, with the grants that were asked for.
    pub fn decoy(u: models::User, granted: Vec<uuid::Uuid>) -> Self {
        User(u, Some(granted))
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    async fn email(&self) -> &str {
        &self.0.email
    }
    /// Platform staff (may use the `admin*` operations). Answered for the
    /// caller itself (`me`); false for anyone else.
    async fn is_staff(&self, ctx: &Context<'_>) -> bool {
        match crate::graphql::context::any_actor(ctx).await {
            Ok(a) => a.user_id == self.0.id && a.is_staff,
            Err(_) => false,
        }
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn role(&self) -> Result<Role> {
        Ok(self
            .0
            .role
            .parse::<igny8_core::Role>()
            .map_err(ApiError::internal)?
            .into())
    }
    async fn is_active(&self) -> bool {
        self.0.is_active
    }
    /// The user followed a link mailed to their address.
    async fn email_verified(&self) -> bool {
        self.0.email_verified_at.is_some()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// The user's account. Readable even while the account is suspended, so
    /// the client can say why nothing else is.
    async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
        let me = crate::graphql::context::any_actor(ctx).await?;
        let reads = crate::graphql::context::reads(ctx);
        let id = self.0.account_id;
        // `me` answers for suspended accounts too: read without the loaders
        let acc = read_tenant(&reads, me.account_id, async |tx| {
            Ok(if me.account_id == id || me.crosses_accounts() {
                igny8_db::accounts::get(tx, id).await.ok()
            } else {
                None
            })
        })
        .await?;
        acc.map(Account)
            .ok_or_else(|| ApiError::NotFound("account").into())
    }
    /// Sites granted to this user (editors and viewers see only these).
    async fn granted_sites(&self, ctx: &Context<'_>) -> Result<Vec<Site>> {
        let _ = actor(ctx).await?;
        let l = loaders(ctx).await?;
        let ids = match &self.1 {
            Some(granted) => granted.clone(),
            None => l.user_sites.load_one(self.0.id).await?.unwrap_or_default(),
        };
        let sites = l.sites.load_many(ids.iter().copied()).await?;
        Ok(ids
            .iter()
            .filter_map(|id| sites.get(id).cloned().map(Site))
            .collect())
    }
}

/// A session. When the server requires verified addresses
/// (`IGNY8_REQUIRE_EMAIL_VERIFICATION`), `signup` answers with empty tokens
/// — for a new address and for a registered one alike, so the answer does
/// not tell them apart: follow the link mailed to the address, then sign in.
#[derive(SimpleObject)]
pub struct AuthPayload {
    /// A JWT for `Authorization: Bearer …`; valid for at most 15 minutes.
    /// Empty until the address is verified, when the server requires it.
    pub access_token: String,
    /// Exchange it with `refreshToken` for a new pair; single use. Empty
    /// until the address is verified, when the server requires it.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: i64,
    pub user: User,
    pub account: Account,
}

#[derive(InputObject)]
pub struct SignupInput {
    pub email: String,
    pub password: String,
    pub account_name: String,
}

#[derive(InputObject)]
pub struct LoginInput {
    pub email: String,
    pub password: String,
}

#[derive(InputObject)]
pub struct RefreshTokenInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct LogoutInput {
    pub refresh_token: String,
}

#[derive(InputObject)]
pub struct LogoutAllInput {
    /// Keep the session making this request (sign out everywhere else).
    #[graphql(default)]
    pub keep_current: bool,
}

#[derive(InputObject)]
pub struct ChangePasswordInput {
    pub current_password: String,
    pub new_password: String,
}

#[derive(InputObject)]
pub struct RequestPasswordResetInput {
    pub email: String,
}

#[derive(InputObject)]
pub struct ResetPasswordInput {
    /// The token from the mailed link.
    pub token: String,
    pub new_password: String,
}

#[derive(InputObject)]
pub struct VerifyEmailInput {
    /// The token from the mailed link.
    pub token: String,
}

#[derive(InputObject)]
pub struct AcceptInvitationInput {
    /// The token from the mailed link.
    pub token: String,
    pub password: String,
    #[graphql(default)]
    pub name: String,
}
