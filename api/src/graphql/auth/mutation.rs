use super::types::{AuthPayload, LoginInput, LogoutInput, RefreshTokenInput, SignupInput, User};
use crate::auth::{self, JwtKeys};
use crate::config::Config;
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::account::types::Account;
use crate::graphql::context::db;
use async_graphql::{Context, Object, Result};
use chrono::Utc;
use igny8_core::validate;
use igny8_db::models::RefreshToken;
use igny8_db::{Db, Tx};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Default)]
pub struct AuthMutation;

/// Runs CPU-heavy password work off the async threads.
pub async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(ApiError::internal)
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthenticated("wrong email or password".into())
}

/// Issues an access token and a refresh token of `family` for the user,
/// storing the refresh token's hash in `tx`.
async fn issue_pair(
    tx: &mut Tx,
    config: &Config,
    jwt: &JwtKeys,
    user: &igny8_db::models::User,
    family_id: Uuid,
) -> ApiResult<(String, String)> {
    let now = Utc::now();
    let refresh = auth::new_refresh_token();
    igny8_db::tokens::insert(
        tx,
        &RefreshToken {
            id: Uuid::now_v7(),
            account_id: user.account_id,
            user_id: user.id,
            family_id,
            token_hash: auth::hash_refresh_token(&refresh),
            expires_at: now + config.refresh_token_ttl,
            rotated_at: None,
            revoked_at: None,
            created_at: now,
        },
    )
    .await?;
    let access = jwt.issue(
        user.id,
        user.account_id,
        now.timestamp(),
        config.access_token_ttl,
    );
    Ok((access, refresh))
}

async fn payload(
    db: &Db,
    config: &Config,
    jwt: &JwtKeys,
    user: igny8_db::models::User,
    family_id: Uuid,
) -> ApiResult<AuthPayload> {
    let mut tx = db.begin_tenant(user.account_id).await?;
    let (access_token, refresh_token) = issue_pair(&mut tx, config, jwt, &user, family_id).await?;
    let account = igny8_db::accounts::get(&mut tx, user.account_id).await?;
    tx.commit().await?;
    Ok(AuthPayload {
        access_token,
        refresh_token,
        expires_in: config.access_token_ttl.as_secs() as i64,
        user: User(user),
        account: Account(account),
    })
}

#[Object]
impl AuthMutation {
    /// Creates an account on the default plan with its owner, and signs in.
    async fn signup(&self, ctx: &Context<'_>, input: SignupInput) -> Result<AuthPayload> {
        let email = validate::email(&input.email).map_err(gql)?;
        validate::password(&input.password).map_err(gql)?;
        let account_name = validate::name("accountName", &input.account_name).map_err(gql)?;
        let (db, config, jwt) = (
            db(ctx),
            ctx.data_unchecked::<Arc<Config>>(),
            ctx.data_unchecked::<JwtKeys>(),
        );

        let password = input.password;
        let password_hash = blocking(move || auth::hash_password(&password)).await?;
        let account_id = Uuid::now_v7();
        // the random tail of a v7 id keeps slugs unique without a lookup
        let tail = &account_id.simple().to_string()[24..];
        let signup = igny8_db::accounts::NewSignup {
            account_id,
            account_slug: format!("{}-{tail}", validate::slugify(&account_name)),
            account_name,
            user_id: Uuid::now_v7(),
            email,
            password_hash,
        };
        let mut tx = db.begin_tenant(account_id).await.map_err(gql)?;
        let (account, user) = igny8_db::accounts::sign_up(&mut tx, signup)
            .await
            .map_err(gql)?;
        let (access_token, refresh_token) = issue_pair(&mut tx, config, jwt, &user, Uuid::now_v7())
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;
        tracing::info!(account.id = %account.id, user.id = %user.id, "signup");
        Ok(AuthPayload {
            access_token,
            refresh_token,
            expires_in: config.access_token_ttl.as_secs() as i64,
            user: User(user),
            account: Account(account),
        })
    }

    /// Signs in with email and password.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let (db, config, jwt) = (
            db(ctx),
            ctx.data_unchecked::<Arc<Config>>(),
            ctx.data_unchecked::<JwtKeys>(),
        );
        if input.password.chars().count() > validate::PASSWORD_MAX_CHARS {
            return Err(bad_credentials().into());
        }
        let email = input.email.trim().to_lowercase();
        // the one lookup by email across accounts: the system bypass
        let mut tx = db.begin_system().await.map_err(gql)?;
        let user = igny8_db::users::find_for_login(&mut tx, &email)
            .await
            .map_err(gql)?;
        tx.commit().await.map_err(gql)?;

        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let password = input.password;
        let ok = blocking(move || match hash {
            Some(h) => auth::verify_password(&password, &h),
            None => {
                // same work for unknown emails: no timing oracle
                auth::verify_password(&password, &auth::DUMMY_HASH);
                false
            }
        })
        .await?;
        let user = match user {
            Some(u) if ok && u.is_active => u,
            _ => return Err(bad_credentials().into()),
        };
        Ok(payload(db, config, jwt, user, Uuid::now_v7()).await?)
    }

    /// Exchanges a refresh token for a new pair. Each refresh token works
    /// once; presenting a rotated one again revokes its whole family.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> Result<AuthPayload> {
        let (db, config, jwt) = (
            db(ctx),
            ctx.data_unchecked::<Arc<Config>>(),
            ctx.data_unchecked::<JwtKeys>(),
        );
        let invalid =
            || ApiError::Unauthenticated("the refresh token is invalid or expired".into());
        let hash = auth::hash_refresh_token(input.refresh_token.trim());
        let now = Utc::now();

        // the token is the only credential: look it up with the system bypass
        let mut tx = db.begin_system().await.map_err(gql)?;
        let Some(token) = igny8_db::tokens::find_for_update(&mut tx, &hash)
            .await
            .map_err(gql)?
        else {
            return Err(invalid().into());
        };
        if token.revoked_at.is_some() || token.expires_at <= now {
            return Err(invalid().into());
        }
        if token.rotated_at.is_some() {
            // reuse of a rotated token: someone else may hold the family
            igny8_db::tokens::revoke_family(&mut tx, token.family_id, now)
                .await
                .map_err(gql)?;
            tx.commit().await.map_err(gql)?;
            tracing::warn!(user.id = %token.user_id, token.family = %token.family_id, "refresh token reuse; family revoked");
            return Err(invalid().into());
        }
        igny8_db::tokens::mark_rotated(&mut tx, token.id, now)
            .await
            .map_err(gql)?;
        let user = igny8_db::users::get(
            &mut tx,
            &igny8_core::Scope::account(token.account_id),
            token.user_id,
        )
        .await
        .map_err(gql)?;
        if !user.is_active {
            return Err(invalid().into());
        }
        tx.commit().await.map_err(gql)?;
        Ok(payload(db, config, jwt, user, token.family_id).await?)
    }

    /// Revokes the session the refresh token belongs to. Always `true`, so
    /// it reveals nothing about the token.
    async fn logout(&self, ctx: &Context<'_>, input: LogoutInput) -> Result<bool> {
        let db = db(ctx);
        let hash = auth::hash_refresh_token(input.refresh_token.trim());
        let mut tx = db.begin_system().await.map_err(gql)?;
        if let Some(token) = igny8_db::tokens::find_for_update(&mut tx, &hash)
            .await
            .map_err(gql)?
        {
            igny8_db::tokens::revoke_family(&mut tx, token.family_id, Utc::now())
                .await
                .map_err(gql)?;
        }
        tx.commit().await.map_err(gql)?;
        Ok(true)
    }
}
