//! The one error boundary of the API: every failure becomes a GraphQL error
//! with `extensions.code`; internals are logged once and never returned.

use async_graphql::ErrorExtensions;
use igny8_core::ValidationError;
use igny8_core::page::PageError;
use igny8_db::DbError;

/// Deliberately not `Display`: async-graphql converts every `Display` type
/// into an error without a code, so this one must go through `From` below.
#[derive(Debug, Clone)]
pub enum ApiError {
    Unauthenticated(String),
    Forbidden(String),
    NotFound(&'static str),
    BadInput {
        field: String,
        message: String,
    },
    Conflict {
        field: Option<String>,
        message: String,
    },
    InsufficientCredits(String),
    LimitExceeded(String),
    RateLimited(String),
    /// `RATE_LIMITED` with `extensions.retryAfter`: seconds until a retry
    /// can succeed.
    Throttled {
        message: String,
        retry_after_secs: u64,
    },
    Internal(String),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::BadInput { .. } => "BAD_USER_INPUT",
            ApiError::Conflict { .. } => "CONFLICT",
            ApiError::InsufficientCredits(_) => "INSUFFICIENT_CREDITS",
            ApiError::LimitExceeded(_) => "LIMIT_EXCEEDED",
            ApiError::RateLimited(_) | ApiError::Throttled { .. } => "RATE_LIMITED",
            ApiError::Internal(_) => "INTERNAL",
        }
    }

    pub fn message(&self) -> String {
        match self {
            ApiError::Unauthenticated(m)
            | ApiError::Forbidden(m)
            | ApiError::InsufficientCredits(m)
            | ApiError::LimitExceeded(m)
            | ApiError::RateLimited(m)
            | ApiError::Throttled { message: m, .. } => m.clone(),
            ApiError::NotFound(what) => format!("{what} not found"),
            ApiError::BadInput { message, .. } | ApiError::Conflict { message, .. } => {
                message.clone()
            }
            ApiError::Internal(_) => "internal error".into(),
        }
    }

    pub fn bad_input(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::BadInput {
            field: field.into(),
            message: message.into(),
        }
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        ApiError::Forbidden(message.into())
    }

    /// Logs the cause (with the request id of the current span) and hides it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let cause = cause.to_string();
        tracing::error!(error.cause = %cause, "internal error");
        ApiError::Internal(cause)
    }
}

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::BadInput {
            field: e.field.into(),
            message: format!("{}: {}", e.field, e.message),
        }
    }
}

impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        ApiError::BadInput {
            field: e.field.into(),
            message: format!("{}: {}", e.field, e.message),
        }
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::NotFound => ApiError::NotFound("resource"),
            // a reference the database could not resolve is, to the caller,
            // an id that does not exist (it may be another tenant's)
            DbError::InvalidReference(_) => ApiError::NotFound("referenced resource"),
            DbError::LimitExceeded(m) => ApiError::LimitExceeded(
                m.strip_prefix("igny8: sector_limit: ")
                    .unwrap_or(&m)
                    .to_owned(),
            ),
            DbError::Conflict(constraint) => conflict_for(&constraint),
            other => ApiError::internal(other),
        }
    }
}

/// Names the field a unique constraint is about, in GraphQL spelling.
fn conflict_for(constraint: &str) -> ApiError {
    let (field, message) = match constraint {
        "users_email_key" => ("email", "a user with this email already exists"),
        "sites_account_id_slug_key" => (
            "slug",
            "a site with this slug already exists in the account",
        ),
        "sectors_site_id_slug_key" => {
            ("slug", "a sector with this slug already exists in the site")
        }
        "keywords_sector_id_keyword_key_key" => ("keyword", "the sector already has this keyword"),
        "tasks_idea_id_key" => ("ideaId", "the idea already has a task"),
        "contents_task_id_key" => ("taskId", "the task already has content"),
        "accounts_slug_key" => ("accountName", "an account with this name already exists"),
        "author_profiles_account_id_name_key" => {
            ("name", "an author profile with this name already exists")
        }
        _ => ("", "the request conflicts with existing data"),
    };
    ApiError::Conflict {
        field: (!field.is_empty()).then(|| field.to_owned()),
        message: message.into(),
    }
}

impl From<ApiError> for async_graphql::Error {
    fn from(e: ApiError) -> Self {
        let code = e.code();
        let field = match &e {
            ApiError::BadInput { field, .. } => Some(field.clone()),
            ApiError::Conflict { field, .. } => field.clone(),
            _ => None,
        };
        let retry_after = match &e {
            ApiError::Throttled {
                retry_after_secs, ..
            } => Some(*retry_after_secs),
            _ => None,
        };
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(f) = field {
                ext.set("field", f);
            }
            if let Some(s) = retry_after {
                ext.set("retryAfter", s);
            }
        })
    }
}

/// Maps any error type convertible to [`ApiError`] in a resolver: `.map_err(gql)`.
pub fn gql(e: impl Into<ApiError>) -> async_graphql::Error {
    e.into().into()
}
