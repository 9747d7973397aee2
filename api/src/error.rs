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
    /// `LIMIT_EXCEEDED` with `extensions.limit`, `max`, `plan`, `usage`.
    PlanLimit(igny8_db::error::PlanLimit),
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
            ApiError::LimitExceeded(_) | ApiError::PlanLimit(_) => "LIMIT_EXCEEDED",
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
            ApiError::PlanLimit(p) => format!(
                "the {} plan allows {} {}; {} in use",
                p.plan,
                p.max,
                p.limit.strip_prefix("max_").unwrap_or(&p.limit),
                p.usage
            ),
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
            DbError::InvalidReference(constraint) => reference_error(&constraint),
            DbError::LimitExceeded(m) => ApiError::LimitExceeded(
                m.strip_prefix("igny8: sector_limit: ")
                    .unwrap_or(&m)
                    .to_owned(),
            ),
            DbError::Conflict(constraint) => conflict_for(&constraint),
            DbError::PlanLimit(p) => ApiError::PlanLimit(p),
            DbError::InsufficientCredits { available, needed } => ApiError::InsufficientCredits(
                format!("this needs {needed} credits; {available} are available"),
            ),
            other => ApiError::internal(other),
        }
    }
}

/// A missing row, or another tenant's, as `NOT_FOUND` of `what`:
/// `.map_err(not_found("keyword"))`. Other errors (a dangling reference
/// included) keep the code the `From` impl above gives them.
pub fn not_found(what: &'static str) -> impl Fn(DbError) -> ApiError {
    move |e| match e {
        DbError::NotFound => ApiError::NotFound(what),
        other => other.into(),
    }
}

/// A reference the database could not resolve. Where the caller named it
/// in a field, that field is bad input; otherwise, to the caller, it is an
/// id that does not exist (it may be another tenant's).
fn reference_error(constraint: &str) -> ApiError {
    let (field, message) = match constraint {
        "sites_industry_id_fkey" => ("industryId", "industryId: no such industry"),
        "sectors_industry_sector_id_fkey" => {
            ("industrySectorId", "industrySectorId: no such industry")
        }
        // raised by `igny8_db::keywords::assign_cluster`
        "keywords_cluster_sector" => (
            "keywordIds",
            "keywordIds: every keyword must be in the cluster's sector",
        ),
        _ => return ApiError::NotFound("referenced resource"),
    };
    ApiError::bad_input(field, message)
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
        "clusters_sector_name_key" => ("name", "the sector already has a cluster with this name"),
        "tasks_idea_id_key" => ("ideaId", "the idea already has a task"),
        "automation_runs_one_active" => (
            "siteId",
            "the site already has an automation run that is not finished",
        ),
        "contents_task_id_key" => ("taskId", "the task already has content"),
        igny8_db::users::LAST_OWNER => (
            "userId",
            "the account's last owner cannot be demoted or removed",
        ),
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
        let plan_limit = match &e {
            ApiError::PlanLimit(p) => Some(p.clone()),
            _ => None,
        };
        async_graphql::Error::new(e.message()).extend_with(|_, ext| {
            ext.set("code", code);
            if let Some(p) = plan_limit {
                ext.set("limit", p.limit);
                ext.set("max", p.max);
                ext.set("plan", p.plan);
                ext.set("usage", p.usage);
            }
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

impl From<igny8_jobs::kinds::Refusal> for ApiError {
    fn from(r: igny8_jobs::kinds::Refusal) -> Self {
        use igny8_jobs::kinds::Refusal;
        match r {
            Refusal::NotFound(what) => ApiError::NotFound(what),
            Refusal::Forbidden(m) => ApiError::Forbidden(m),
            Refusal::BadInput(field, m) => ApiError::bad_input(field, m),
            Refusal::LimitExceeded(m) => ApiError::LimitExceeded(m),
            Refusal::Db(e) => e.into(),
        }
    }
}

impl From<igny8_jobs::EnqueueError> for ApiError {
    fn from(e: igny8_jobs::EnqueueError) -> Self {
        use igny8_core::jobs::InputRefusal;
        use igny8_jobs::EnqueueError;
        match e {
            EnqueueError::Input(InputRefusal::Invalid(v)) => v.into(),
            EnqueueError::Input(InputRefusal::TooMany(m)) => ApiError::LimitExceeded(m),
            EnqueueError::Refused(r) => r.into(),
            EnqueueError::Db(e) => e.into(),
            EnqueueError::InsufficientCredits { available, needed } => {
                DbError::InsufficientCredits { available, needed }.into()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_errors_get_their_codes_wherever_they_are_raised() {
        let e = ApiError::from(DbError::InsufficientCredits {
            available: 2,
            needed: 5,
        });
        assert_eq!(e.code(), "INSUFFICIENT_CREDITS");
        assert_eq!(e.message(), "this needs 5 credits; 2 are available");
        let e = ApiError::from(DbError::LimitExceeded(
            "igny8: sector_limit: at most 5 active sectors".into(),
        ));
        assert_eq!(
            (e.code(), e.message().as_str()),
            ("LIMIT_EXCEEDED", "at most 5 active sectors")
        );
        let e = ApiError::from(DbError::Conflict("tasks_idea_id_key".into()));
        assert!(matches!(e, ApiError::Conflict { field: Some(ref f), .. } if f == "ideaId"));
    }

    #[test]
    fn a_named_dangling_reference_is_bad_input_on_its_field_and_any_other_is_not_found() {
        let e = ApiError::from(DbError::InvalidReference("sites_industry_id_fkey".into()));
        assert!(matches!(e, ApiError::BadInput { ref field, .. } if field == "industryId"));
        let e = ApiError::from(DbError::InvalidReference("users_sites_fkey".into()));
        assert_eq!(e.code(), "NOT_FOUND");
    }

    #[test]
    fn not_found_names_the_missing_row_and_leaves_other_errors_their_code() {
        assert_eq!(
            not_found("keyword")(DbError::NotFound).message(),
            "keyword not found"
        );
        let e = not_found("cluster")(DbError::InvalidReference("keywords_cluster_sector".into()));
        assert!(matches!(e, ApiError::BadInput { ref field, .. } if field == "keywordIds"));
        let e = not_found("keyword")(DbError::Pool("down".into()));
        assert_eq!(e.code(), "INTERNAL");
    }
}
