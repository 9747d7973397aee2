//! Roles (TEN-3) and account status (TEN-5).

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What a user may do. Stored as lower-case text in `users.role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Every account, every site (support staff).
    Developer,
    /// The whole account, users and billing.
    Owner,
    /// The whole account and its users.
    Admin,
    /// Writes, on granted sites only.
    Editor,
    /// Reads, on granted sites only.
    Viewer,
    /// Automation inside its account.
    SystemBot,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::Developer,
        Role::Owner,
        Role::Admin,
        Role::Editor,
        Role::Viewer,
        Role::SystemBot,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Developer => "developer",
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
            Role::SystemBot => "system_bot",
        }
    }

    /// Sees and writes every site of its account without grants.
    pub fn is_account_wide(self) -> bool {
        matches!(
            self,
            Role::Developer | Role::Owner | Role::Admin | Role::SystemBot
        )
    }

    /// May create users, change roles and grant site access in its account.
    pub fn manages_users(self) -> bool {
        matches!(self, Role::Developer | Role::Owner | Role::Admin)
    }

    /// May write planner/writer data (on the sites it can see).
    pub fn can_write(self) -> bool {
        !matches!(self, Role::Viewer)
    }

    /// Roles an owner or admin may hand out. Nobody creates developers
    /// through the API, and only an owner makes another owner.
    pub fn assignable_by(self, granter: Role) -> bool {
        match self {
            Role::Developer => false,
            Role::Owner => matches!(granter, Role::Owner | Role::Developer),
            _ => granter.manages_users(),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {0:?}")]
pub struct UnknownValue(pub String);

impl FromStr for Role {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

/// Lifecycle of an account. Suspended and cancelled accounts read nothing and
/// start no job; only `me` answers for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    Trial,
    Suspended,
    Cancelled,
}

impl AccountStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Trial => "trial",
            AccountStatus::Suspended => "suspended",
            AccountStatus::Cancelled => "cancelled",
        }
    }

    pub fn is_usable(self) -> bool {
        matches!(self, AccountStatus::Active | AccountStatus::Trial)
    }
}

impl FromStr for AccountStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            AccountStatus::Active,
            AccountStatus::Trial,
            AccountStatus::Suspended,
            AccountStatus::Cancelled,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
        .ok_or_else(|| UnknownValue(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_text() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>(), Ok(r));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn only_owners_make_owners_and_nobody_makes_developers() {
        assert!(Role::Owner.assignable_by(Role::Owner));
        assert!(!Role::Owner.assignable_by(Role::Admin));
        assert!(Role::Editor.assignable_by(Role::Admin));
        assert!(!Role::Editor.assignable_by(Role::Editor));
        assert!(!Role::Developer.assignable_by(Role::Owner));
    }

    #[test]
    fn suspended_and_cancelled_accounts_are_not_usable() {
        assert!(AccountStatus::Trial.is_usable());
        assert!(AccountStatus::Active.is_usable());
        assert!(!AccountStatus::Suspended.is_usable());
        assert!(!AccountStatus::Cancelled.is_usable());
    }
}
