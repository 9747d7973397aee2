//! Who a request acts as, and what that lets it see.

use crate::role::{AccountStatus, Role};
use uuid::Uuid;

/// The authenticated caller, resolved from a JWT and the database on every
/// request. Resolvers never take an account id from input: they use this.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Uuid,
    pub account_id: Uuid,
    pub role: Role,
    pub account_status: AccountStatus,
    /// Sites granted through site access; meaningful for editors and viewers.
    pub site_ids: Vec<Uuid>,
    /// Platform staff (a `staff_members` row, read with the actor on every
    /// request): may use the `admin*` operations. Separate from `role`,
    /// which is the user's role in its own (platform) account.
    pub is_staff: bool,
}

/// Which sites of the account an actor may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteScope {
    /// Every site of the account.
    All,
    /// Only these (granted) sites.
    Only(Vec<Uuid>),
}

impl SiteScope {
    pub fn contains(&self, site_id: Uuid) -> bool {
        match self {
            SiteScope::All => true,
            SiteScope::Only(ids) => ids.contains(&site_id),
        }
    }
}

impl Actor {
    /// Developers work across accounts; everybody else inside their own.
    pub fn crosses_accounts(&self) -> bool {
        self.role == Role::Developer
    }

    pub fn site_scope(&self) -> SiteScope {
        if self.role.is_account_wide() {
            SiteScope::All
        } else {
            SiteScope::Only(self.site_ids.clone())
        }
    }

    pub fn can_read_site(&self, site_id: Uuid) -> bool {
        self.site_scope().contains(site_id)
    }

    pub fn can_write_site(&self, site_id: Uuid) -> bool {
        self.role.can_write() && self.can_read_site(site_id)
    }

    /// Creating, renaming and deleting sites is account administration.
    pub fn can_manage_sites(&self) -> bool {
        self.role.manages_users() || self.role == Role::SystemBot
    }

    pub fn can_manage_users(&self) -> bool {
        self.role.manages_users()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, sites: Vec<Uuid>) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            account_id: Uuid::nil(),
            role,
            account_status: AccountStatus::Active,
            site_ids: sites,
            is_staff: false,
        }
    }

    #[test]
    fn editors_write_only_granted_sites() {
        let granted = Uuid::from_u128(1);
        let other = Uuid::from_u128(2);
        let editor = actor(Role::Editor, vec![granted]);
        assert!(editor.can_write_site(granted));
        assert!(!editor.can_write_site(other));
        assert!(!editor.can_read_site(other));
        assert!(!editor.can_manage_sites());
    }

    #[test]
    fn viewers_read_granted_sites_and_write_none() {
        let granted = Uuid::from_u128(1);
        let viewer = actor(Role::Viewer, vec![granted]);
        assert!(viewer.can_read_site(granted));
        assert!(!viewer.can_write_site(granted));
    }

    #[test]
    fn jobs_are_seen_in_the_own_account_even_by_developers() {
        let granted = Uuid::from_u128(1);
        let dev = actor(Role::Developer, vec![]);
        assert_eq!(dev.scope().account_id, None);
        assert_eq!(dev.job_scope().account_id, Some(dev.account_id));
        let editor = actor(Role::Editor, vec![granted]);
        assert_eq!(editor.job_scope().site_ids(), Some(&[granted][..]));
    }

    #[test]
    fn owners_and_admins_see_every_site() {
        for role in [Role::Owner, Role::Admin] {
            let a = actor(role, vec![]);
            assert_eq!(a.site_scope(), SiteScope::All);
            assert!(a.can_write_site(Uuid::from_u128(9)));
            assert!(a.can_manage_users());
        }
    }
}

/// What a unit of database work may see: one account (or every account, for
/// developers) and, inside it, all sites or only granted ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// `None` crosses accounts (developers only).
    pub account_id: Option<Uuid>,
    pub sites: SiteScope,
}

impl Scope {
    /// One account, every site: for work the caller already authorised.
    pub fn account(account_id: Uuid) -> Self {
        Scope {
            account_id: Some(account_id),
            sites: SiteScope::All,
        }
    }

    /// Granted site ids, or `None` for every site.
    pub fn site_ids(&self) -> Option<&[Uuid]> {
        match &self.sites {
            SiteScope::All => None,
            SiteScope::Only(ids) => Some(ids),
        }
    }
}

impl Actor {
    /// What the actor sees of jobs and credit usage: its own account (also
    /// for developers, whose other scope crosses accounts) and of it only
    /// the granted sites for editors and viewers.
    pub fn job_scope(&self) -> Scope {
        Scope {
            account_id: Some(self.account_id),
            sites: self.site_scope(),
        }
    }

    pub fn scope(&self) -> Scope {
        Scope {
            account_id: (!self.crosses_accounts()).then_some(self.account_id),
            sites: self.site_scope(),
        }
    }
}
