use super::types::{
    AcceptInvitationInput, AuthPayload, ChangePasswordInput, LoginInput, LogoutAllInput,
    LogoutInput, RefreshTokenInput, RequestPasswordResetInput, ResetPasswordInput, SignupInput,
    User, VerifyEmailInput,
};
use crate::auth::{self, JwtKeys, PasswordPool};
use crate::config::Config;
use crate::error::{ApiError, ApiResult, gql};
use crate::graphql::account::types::Account;
use crate::graphql::context::{any_actor, db, req};
use crate::graphql::spine::{run_system, run_tenant};
use crate::mail::{Mail, Mailer};
use crate::sessions::{Revocations, Revoked};
use crate::throttle::Throttle;
use async_graphql::{Context, Object, Result};
use chrono::Utc;
use igny8_core::validate;
use igny8_db::models::RefreshToken;
use igny8_db::tokens::Purpose;
use igny8_db::{Db, Tx};
use std::sync::Arc;
use uuid::Uuid;

#[derive(Default)]
pub struct AuthMutation;

/// How long mailed links work.
const VERIFY_EMAIL_TTL: chrono::Duration = chrono::Duration::days(3);
const RESET_PASSWORD_TTL: chrono::Duration = chrono::Duration::hours(1);

/// The services account security needs, from the schema's data.
pub struct Security<'a> {
    pub db: &'a Db,
    pub config: &'a Config,
    pub jwt: &'a JwtKeys,
    pub passwords: &'a PasswordPool,
    pub throttle: &'a Throttle,
    pub mailer: &'a Mailer,
    pub revocations: &'a Revocations,
}

pub fn security<'a>(ctx: &Context<'a>) -> Security<'a> {
    Security {
        db: db(ctx),
        config: ctx.data_unchecked::<Arc<Config>>(),
        jwt: ctx.data_unchecked::<JwtKeys>(),
        passwords: ctx.data_unchecked::<Arc<PasswordPool>>(),
        throttle: ctx.data_unchecked::<Arc<Throttle>>(),
        mailer: ctx.data_unchecked::<Arc<Mailer>>(),
        revocations: ctx.data_unchecked::<Revocations>(),
    }
}

/// [`security`] for one credential attempt from the caller's address:
/// `RATE_LIMITED` when the address has made too many.
pub fn throttled<'a>(ctx: &Context<'a>) -> ApiResult<Security<'a>> {
    let s = security(ctx);
    s.throttle.client(req(ctx).client_ip)?;
    Ok(s)
}

impl Security<'_> {
    /// Hashes a new password on the bounded pool.
    pub async fn hash(&self, password: String) -> ApiResult<String> {
        self.passwords
            .run(move || auth::hash_password(&password))
            .await
    }

    /// Mails `user` a link that verifies their address.
    pub async fn mail_verification(
        &self,
        tx: &mut Tx,
        user: &igny8_db::models::User,
    ) -> ApiResult<()> {
        let token = auth::new_mailed_token();
        igny8_db::tokens::insert_mailed(
            tx,
            user.account_id,
            user.id,
            Purpose::VerifyEmail,
            &auth::hash_refresh_token(&token),
            Utc::now() + VERIFY_EMAIL_TTL,
        )
        .await?;
        let link = self.mailer.link("verify-email", &token);
        self.mailer.send(Mail {
            to: user.email.clone(),
            subject: "Confirm your email address for igny8".into(),
            body: format!(
                "Confirm that this is your address by opening this link (valid for 3 days):\n\n{link}\n\n\
                 If you did not sign up for igny8, ignore this mail.\n"
            ),
        });
        Ok(())
    }
}

fn bad_credentials() -> ApiError {
    ApiError::Unauthenticated("wrong email or password".into())
}

fn bad_link() -> ApiError {
    ApiError::bad_input(
        "token",
        "the link is invalid or has expired; ask for a new one",
    )
}

/// Uses up the mailed token of `purpose`: the user and account it is for,
/// or `BAD_USER_INPUT` on `token` when it is unknown, used or expired.
async fn consume_link(tx: &mut Tx, token: &str, purpose: Purpose) -> ApiResult<(Uuid, Uuid)> {
    igny8_db::tokens::consume_mailed(tx, &auth::hash_refresh_token(token.trim()), purpose)
        .await?
        .ok_or_else(bad_link)
}

/// `ValidationError`s of a new password, named as the input field.
fn new_password_field(field: &'static str, e: igny8_core::ValidationError) -> ApiError {
    ApiError::bad_input(field, format!("{field}: {}", e.message))
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
        family_id,
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
    run_tenant(db, user.account_id, async |tx| {
        let tokens = issue_pair(tx, config, jwt, &user, family_id).await?;
        let account = igny8_db::accounts::get(tx, user.account_id).await?;
        Ok(signed_in(config, tokens, user, account))
    })
    .await
}

/// The answer of a sign-in: the tokens, the user and its account.
fn signed_in(
    config: &Config,
    (access_token, refresh_token): (String, String),
    user: igny8_db::models::User,
    account: igny8_db::models::Account,
) -> AuthPayload {
    AuthPayload {
        access_token,
        refresh_token,
        expires_in: config.access_token_ttl.as_secs() as i64,
        user: User::of(user),
        account: Account(account),
    }
}

/// The answer to a signup that must wait for the address to be verified:
/// no tokens, whether the account was created or the email was taken.
fn pending(user: igny8_db::models::User, account: igny8_db::models::Account) -> AuthPayload {
    AuthPayload {
        access_token: String::new(),
        refresh_token: String::new(),
        expires_in: 0,
        user: User::of(user),
        account: Account(account),
    }
}

#[Object]
impl AuthMutation {
    /// Creates an account on the default plan with its owner, and signs in.
    /// When the server requires verified addresses, it mails a link
    /// instead and answers without tokens — the same answer whether or not
    /// the email is already registered (its owner gets a notice instead).
    async fn signup(&self, ctx: &Context<'_>, input: SignupInput) -> Result<AuthPayload> {
        let s = throttled(ctx)?;
        let email = validate::email(&input.email).map_err(gql)?;
        validate::new_password(&input.password, &email).map_err(gql)?;
        let account_name = validate::name("accountName", &input.account_name).map_err(gql)?;
        s.throttle.email(&email)?;
        let verify_first = s.config.mail.require_verification;
        if verify_first {
            s.mailer.ensure_available()?;
        }
        let password_hash = s.hash(input.password).await?;

        let account_id = Uuid::now_v7();
        // the random tail of a v7 id keeps slugs unique without a lookup
        let tail = &account_id.simple().to_string()[24..];
        let account_slug = format!("{}-{tail}", validate::slugify(&account_name));
        let decoy = (account_id, account_name.clone(), account_slug.clone());
        let signup = igny8_db::accounts::NewSignup {
            account_id,
            account_slug,
            account_name,
            user_id: Uuid::now_v7(),
            email: email.clone(),
            password_hash,
        };
        let created = run_tenant(s.db, account_id, async |tx| {
            let (account, user) = igny8_db::accounts::sign_up(tx, signup).await?;
            s.mail_verification(tx, &user).await?;
            if verify_first {
                return Ok((account, user, None));
            }
            let tokens = issue_pair(tx, s.config, s.jwt, &user, Uuid::now_v7()).await?;
            Ok((account, user, Some(tokens)))
        })
        .await;
        let (account, user, tokens) = match created {
            // `users_email_key` (rolled back)
            Err(ApiError::Conflict { field: Some(f), .. }) if f == "email" && verify_first => {
                return Ok(self.taken_at_signup(&s, &email, decoy).await?);
            }
            r => r?,
        };
        let Some(tokens) = tokens else {
            tracing::info!(account.id = %account.id, user.id = %user.id, "signup; waiting for the address");
            return Ok(pending(user, account));
        };
        tracing::info!(account.id = %account.id, user.id = %user.id, "signup");
        Ok(signed_in(s.config, tokens, user, account))
    }

    /// Signs in with email and password.
    async fn login(&self, ctx: &Context<'_>, input: LoginInput) -> Result<AuthPayload> {
        let s = throttled(ctx)?;
        let email = input.email.trim().to_lowercase();
        if email.chars().count() > validate::EMAIL_MAX_CHARS
            || input.password.chars().count() > validate::PASSWORD_MAX_CHARS
        {
            return Err(bad_credentials().into());
        }
        s.throttle.email(&email)?;
        // the one lookup by email across accounts: the system bypass
        let user = run_system(s.db, async |tx| {
            Ok(igny8_db::users::find_for_login(tx, &email).await?)
        })
        .await?;

        let hash = user.as_ref().map(|u| u.password_hash.clone());
        let password = input.password;
        let ok = s
            .passwords
            .run(move || match hash {
                Some(h) => auth::verify_password(&password, &h),
                None => {
                    // same work for unknown emails: no timing oracle
                    auth::verify_password(&password, &auth::DUMMY_HASH);
                    false
                }
            })
            .await?;
        let verified_enough = |u: &igny8_db::models::User| {
            u.email_verified_at.is_some() || !s.config.mail.require_verification
        };
        let user = match user {
            // an unverified address reads as a wrong password: signup must
            // not be probed through login either
            Some(u) if ok && u.is_active && verified_enough(&u) => u,
            _ => return Err(bad_credentials().into()),
        };
        Ok(payload(s.db, s.config, s.jwt, user, Uuid::now_v7()).await?)
    }

    /// Exchanges a refresh token for a new pair. Each refresh token works
    /// once; presenting a rotated one again revokes its whole family.
    async fn refresh_token(
        &self,
        ctx: &Context<'_>,
        input: RefreshTokenInput,
    ) -> Result<AuthPayload> {
        let s = security(ctx);
        let invalid =
            || ApiError::Unauthenticated("the refresh token is invalid or expired".into());
        let hash = auth::hash_refresh_token(input.refresh_token.trim());
        let now = Utc::now();

        /// What the presented token leads to.
        enum Presented {
            Invalid,
            /// A rotated token again: its family is revoked (committed).
            Reused(RefreshToken),
            Rotated(RefreshToken, igny8_db::models::User),
        }
        // the token is the only credential: look it up with the system bypass
        let presented = run_system(s.db, async |tx| {
            let Some(token) = igny8_db::tokens::find_for_update(tx, &hash).await? else {
                return Ok(Presented::Invalid);
            };
            if token.revoked_at.is_some() || token.expires_at <= now {
                return Ok(Presented::Invalid);
            }
            if token.rotated_at.is_some() {
                // reuse of a rotated token: someone else may hold the family
                igny8_db::tokens::revoke_family(tx, token.family_id, now).await?;
                return Ok(Presented::Reused(token));
            }
            igny8_db::tokens::mark_rotated(tx, token.id, now).await?;
            let scope = igny8_core::Scope::account(token.account_id);
            let user = igny8_db::users::get(tx, &scope, token.user_id).await?;
            if !user.is_active {
                // nothing rotated
                return Err(invalid());
            }
            Ok(Presented::Rotated(token, user))
        })
        .await?;
        match presented {
            Presented::Invalid => Err(invalid().into()),
            Presented::Reused(token) => {
                tracing::warn!(user.id = %token.user_id, token.family = %token.family_id, "refresh token reuse; family revoked");
                s.revocations
                    .announce(Revoked::Session {
                        user: token.user_id,
                        session: token.family_id,
                    })
                    .await;
                Err(invalid().into())
            }
            Presented::Rotated(token, user) => {
                Ok(payload(s.db, s.config, s.jwt, user, token.family_id).await?)
            }
        }
    }

    /// Ends the session the refresh token belongs to: the refresh token, the
    /// access tokens issued with it and its open WebSockets. Always `true`,
    /// so it reveals nothing about the token.
    async fn logout(&self, ctx: &Context<'_>, input: LogoutInput) -> Result<bool> {
        let s = security(ctx);
        let hash = auth::hash_refresh_token(input.refresh_token.trim());
        let token = run_system(s.db, async |tx| {
            let token = igny8_db::tokens::find_for_update(tx, &hash).await?;
            if let Some(token) = &token {
                igny8_db::tokens::revoke_family(tx, token.family_id, Utc::now()).await?;
            }
            Ok(token)
        })
        .await?;
        if let Some(token) = token {
            s.revocations
                .announce(Revoked::Session {
                    user: token.user_id,
                    session: token.family_id,
                })
                .await;
        }
        Ok(true)
    }

    /// Signs the caller out everywhere: every session (or every other one,
    /// with `keepCurrent`), their access tokens and open WebSockets.
    async fn logout_all(&self, ctx: &Context<'_>, input: LogoutAllInput) -> Result<bool> {
        let s = security(ctx);
        let a = any_actor(ctx).await?;
        let sid = current_session(ctx)?;
        let keep = input.keep_current.then_some(sid);
        run_tenant(s.db, a.account_id, async |tx| {
            let now = Utc::now();
            match keep {
                Some(k) => igny8_db::tokens::revoke_user_except(tx, a.user_id, k, now).await?,
                None => igny8_db::tokens::revoke_user(tx, a.user_id, now).await?,
            };
            Ok(())
        })
        .await?;
        s.revocations
            .announce(Revoked::User {
                user: a.user_id,
                keep,
            })
            .await;
        tracing::info!(user.id = %a.user_id, "signed out everywhere");
        Ok(true)
    }

    /// Changes the caller's password; every other session ends.
    async fn change_password(&self, ctx: &Context<'_>, input: ChangePasswordInput) -> Result<bool> {
        let a = any_actor(ctx).await?;
        let sid = current_session(ctx)?;
        let s = throttled(ctx)?;
        let user = super::query::own_user(&s.db.reads(), a).await?;
        s.throttle.email(&user.email)?;
        validate::new_password(&input.new_password, &user.email)
            .map_err(|e| new_password_field("newPassword", e))?;
        if input.current_password.chars().count() > validate::PASSWORD_MAX_CHARS {
            return Err(ApiError::bad_input("currentPassword", "currentPassword is wrong").into());
        }
        let (current, new, phc) = (
            input.current_password,
            input.new_password,
            user.password_hash,
        );
        let hashed = s
            .passwords
            .run(move || auth::verify_password(&current, &phc).then(|| auth::hash_password(&new)))
            .await?;
        let Some(hash) = hashed else {
            return Err(ApiError::bad_input("currentPassword", "currentPassword is wrong").into());
        };
        run_tenant(s.db, a.account_id, async |tx| {
            igny8_db::users::set_password(tx, a.account_id, a.user_id, &hash).await?;
            igny8_db::tokens::revoke_user_except(tx, a.user_id, sid, Utc::now()).await?;
            Ok(())
        })
        .await?;
        s.revocations
            .announce(Revoked::User {
                user: a.user_id,
                keep: Some(sid),
            })
            .await;
        tracing::info!(user.id = %a.user_id, "password changed; other sessions ended");
        Ok(true)
    }

    /// Mails a password-reset link to the address, if it belongs to a user.
    /// Always `true`: the answer does not say whether it does.
    async fn request_password_reset(
        &self,
        ctx: &Context<'_>,
        input: RequestPasswordResetInput,
    ) -> Result<bool> {
        let s = throttled(ctx)?;
        let email = validate::email(&input.email).map_err(gql)?;
        // also bounds the mails one address can be sent
        s.throttle.email(&email)?;
        s.mailer.ensure_available()?;
        let mailed = run_system(s.db, async |tx| {
            let user = igny8_db::users::find_for_login(tx, &email).await?;
            let Some(u) = user.filter(|u| u.is_active) else {
                return Ok(None);
            };
            let token = auth::new_mailed_token();
            igny8_db::tokens::insert_mailed(
                tx,
                u.account_id,
                u.id,
                Purpose::ResetPassword,
                &auth::hash_refresh_token(&token),
                Utc::now() + RESET_PASSWORD_TTL,
            )
            .await?;
            Ok(Some((u, token)))
        })
        .await?;
        if let Some((u, token)) = mailed {
            let link = s.mailer.link("reset-password", &token);
            s.mailer.send(Mail {
                to: u.email,
                subject: "Reset your igny8 password".into(),
                body: format!(
                    "Someone asked to reset the password of your igny8 account. To choose a new \
                     one, open this link (valid for 1 hour, once):\n\n{link}\n\n\
                     If it was not you, ignore this mail: your password stays as it is.\n"
                ),
            });
        }
        Ok(true)
    }

    /// Sets a new password with the token of a reset mail. The address is
    /// then verified, and every session of the user ends.
    async fn reset_password(&self, ctx: &Context<'_>, input: ResetPasswordInput) -> Result<bool> {
        let s = throttled(ctx)?;
        // checked before the token is used up, so a refused password keeps the link working
        validate::password(&input.new_password)
            .map_err(|e| new_password_field("newPassword", e))?;
        let hash = s.hash(input.new_password).await?;
        let user_id = run_system(s.db, async |tx| {
            let (user_id, account_id) =
                consume_link(tx, &input.token, Purpose::ResetPassword).await?;
            igny8_db::users::set_password(tx, account_id, user_id, &hash).await?;
            igny8_db::users::mark_email_verified(tx, account_id, user_id).await?;
            igny8_db::tokens::revoke_user(tx, user_id, Utc::now()).await?;
            Ok(user_id)
        })
        .await?;
        s.revocations
            .announce(Revoked::User {
                user: user_id,
                keep: None,
            })
            .await;
        tracing::info!(user.id = %user_id, "password reset; sessions ended");
        Ok(true)
    }

    /// Marks the address verified with the token of a verification mail.
    async fn verify_email(&self, ctx: &Context<'_>, input: VerifyEmailInput) -> Result<bool> {
        let s = throttled(ctx)?;
        run_system(s.db, async |tx| {
            let (user_id, account_id) =
                consume_link(tx, &input.token, Purpose::VerifyEmail).await?;
            Ok(igny8_db::users::mark_email_verified(tx, account_id, user_id).await?)
        })
        .await?;
        Ok(true)
    }

    /// Joins an account with the token of an invitation mail: creates the
    /// user (address verified: the link proves it) and signs in.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> Result<AuthPayload> {
        let s = throttled(ctx)?;
        validate::password(&input.password).map_err(gql)?;
        let name = validate::optional_person_name("name", &input.name).map_err(gql)?;
        let hash = s.hash(input.password.clone()).await?;
        let (tokens, user, account) = run_system(s.db, async |tx| {
            let inv =
                igny8_db::invitations::accept(tx, &auth::hash_refresh_token(input.token.trim()))
                    .await?
                    .ok_or_else(bad_link)?;
            validate::new_password(&input.password, &inv.email)?;
            let user = igny8_db::users::create(
                tx,
                igny8_db::users::NewUser {
                    id: Uuid::now_v7(),
                    account_id: inv.account_id,
                    email: inv.email.clone(),
                    name: name.unwrap_or(inv.name),
                    password_hash: hash,
                    role: inv.role,
                    email_verified_at: Some(Utc::now()),
                },
            )
            .await
            .map_err(|e| match e {
                // told only to whoever reads the invited mailbox
                igny8_db::DbError::Conflict(_) => ApiError::Conflict {
                    field: Some("token".into()),
                    message:
                        "this email address already has an account: sign in, or reset its password"
                            .into(),
                },
                e => e.into(),
            })?;
            let scope = igny8_core::Scope::account(inv.account_id);
            for site in inv.site_ids {
                // a site deleted since the invitation is simply not granted
                if igny8_db::sites::get(tx, &scope, site).await.is_ok() {
                    igny8_db::users::grant_site(tx, inv.account_id, user.id, site, user.id).await?;
                }
            }
            let tokens = issue_pair(tx, s.config, s.jwt, &user, Uuid::now_v7()).await?;
            let account = igny8_db::accounts::get(tx, inv.account_id).await?;
            Ok((tokens, user, account))
        })
        .await?;
        tracing::info!(user.id = %user.id, account.id = %account.id, "invitation accepted");
        Ok(signed_in(s.config, tokens, user, account))
    }
}

impl AuthMutation {
    /// Signup with a registered email, when addresses must be verified: the
    /// owner of the address hears about it, the caller gets what a new
    /// account would have got (ids that lead nowhere, no tokens).
    async fn taken_at_signup(
        &self,
        s: &Security<'_>,
        email: &str,
        account: (Uuid, String, String),
    ) -> ApiResult<AuthPayload> {
        let (account_id, name, slug) = account;
        let (plan, unverified) = run_system(s.db, async |tx| {
            let plan = igny8_db::accounts::default_plan(tx).await?;
            let existing = igny8_db::users::find_for_login(tx, email).await?;
            let unverified = existing.filter(|u| u.email_verified_at.is_none() && u.is_active);
            if let Some(u) = &unverified {
                // its owner signing up again: the first mail may be lost
                s.mail_verification(tx, u).await?;
            }
            Ok((plan, unverified))
        })
        .await?;
        let now = Utc::now();
        let link = s.mailer.page("signin");
        if unverified.is_none() {
            s.mailer.send(Mail {
                to: email.to_owned(),
                subject: "Someone tried to sign up to igny8 with your address".into(),
                body: format!(
                    "Someone tried to create an igny8 account with this address, which already has \
                 one. If it was you, sign in, or ask for a password reset if you forgot it:\n\n\
                 {link}\n\nIf it was not you, ignore this mail: nothing changed.\n"
                ),
            });
        }
        Ok(pending(
            igny8_db::models::User {
                id: Uuid::now_v7(),
                account_id,
                email: email.to_owned(),
                name: String::new(),
                password_hash: String::new(),
                role: "owner".into(),
                is_active: true,
                created_at: now,
                updated_at: now,
                email_verified_at: None,
            },
            igny8_db::models::Account {
                id: account_id,
                name,
                slug,
                status: "trial".into(),
                plan_id: plan.id,
                credits_balance: plan.monthly_credits,
                credits_held: 0,
                created_at: now,
                updated_at: now,
                plan_credits: plan.monthly_credits,
            },
        ))
    }
}

/// The session (refresh-token family) of the caller's access token.
fn current_session(ctx: &Context<'_>) -> ApiResult<Uuid> {
    match &req(ctx).auth {
        crate::graphql::context::Auth::Token(c) => Ok(c.sid),
        _ => Err(ApiError::Unauthenticated("sign in first".into())),
    }
}
