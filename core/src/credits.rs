//! How a staff adjustment of credits splits between the two pools.
//!
//! An account's `balance` is plan credits (granted per period, expiring at
//! its end) plus purchased credits (bought or granted by staff, never
//! expiring); `held` is reserved by running jobs. A positive adjustment is
//! a bonus: it lands in the purchased pool. A negative one takes back
//! purchased credits first (undoing a bonus), then plan credits, and never
//! takes the balance below what jobs hold (below zero for new work).

/// An account's credits before a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pools {
    pub balance: i64,
    pub plan: i64,
    pub held: i64,
}

impl Pools {
    pub fn purchased(self) -> i64 {
        self.balance - self.plan
    }

    pub fn available(self) -> i64 {
        self.balance - self.held
    }
}

/// The split of an adjustment: how much of it changes each pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split {
    pub plan: i64,
    pub purchased: i64,
}

/// Why an adjustment was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AdjustmentError {
    #[error("an adjustment of 0 changes nothing")]
    Zero,
    /// Taking `taken` would leave less than nothing available.
    #[error("the account has {available} credits available; taking {taken} would go below zero")]
    BelowZero { available: i64, taken: i64 },
}

/// Splits `amount` (positive: added, negative: taken) between the pools.
pub fn split_adjustment(pools: Pools, amount: i64) -> Result<Split, AdjustmentError> {
    if amount == 0 {
        return Err(AdjustmentError::Zero);
    }
    if amount > 0 {
        return Ok(Split {
            plan: 0,
            purchased: amount,
        });
    }
    let taken = amount.checked_neg().unwrap_or(i64::MAX);
    if taken > pools.available() {
        return Err(AdjustmentError::BelowZero {
            available: pools.available(),
            taken,
        });
    }
    let from_purchased = taken.min(pools.purchased());
    Ok(Split {
        plan: -(taken - from_purchased),
        purchased: -from_purchased,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: Pools = Pools {
        balance: 100,
        plan: 70,
        held: 10,
    };

    #[test]
    fn bonuses_land_in_the_purchased_pool() {
        assert_eq!(
            split_adjustment(P, 25),
            Ok(Split {
                plan: 0,
                purchased: 25
            })
        );
    }

    #[test]
    fn taking_back_spends_purchased_credits_first_then_plan_credits() {
        assert_eq!(
            split_adjustment(P, -20),
            Ok(Split {
                plan: 0,
                purchased: -20
            })
        );
        assert_eq!(
            split_adjustment(P, -50),
            Ok(Split {
                plan: -20,
                purchased: -30
            })
        );
    }

    #[test]
    fn never_below_zero_nor_below_what_jobs_hold() {
        assert_eq!(
            split_adjustment(P, -90),
            Ok(Split {
                plan: -60,
                purchased: -30
            })
        );
        assert_eq!(
            split_adjustment(P, -91),
            Err(AdjustmentError::BelowZero {
                available: 90,
                taken: 91
            })
        );
        assert!(split_adjustment(P, i64::MIN).is_err());
        assert_eq!(split_adjustment(P, 0), Err(AdjustmentError::Zero));
    }
}
