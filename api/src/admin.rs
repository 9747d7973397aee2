//! Operator commands of the `igny8` binary (`igny8 admin …`): work done
//! on the database directly, outside GraphQL, by whoever runs the binary.

use crate::auth::hash_password;
use igny8_db::{Db, DbError};
use std::io::BufRead;
use uuid::Uuid;

/// Why `create-staff` refused.
#[derive(Debug, thiserror::Error)]
pub enum CreateStaffError {
    #[error("{0}")]
    Invalid(String),
    #[error("a user with the email {0} already exists")]
    EmailTaken(String),
    #[error("database: {0}")]
    Db(#[from] DbError),
}

/// The password: the first line of `input` (stdin), without its line end.
pub fn read_password(input: impl BufRead) -> std::io::Result<String> {
    let mut line = String::new();
    let mut input = input;
    input.read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_owned())
}

/// Creates a platform staff member who signs in with the ordinary `login`
/// (see `igny8_db::staff::create_staff`). Answers the user id.
pub async fn create_staff(db: &Db, email: &str, password: &str) -> Result<Uuid, CreateStaffError> {
    let email = igny8_core::validate::email(email)
        .map_err(|e| CreateStaffError::Invalid(format!("--email {}", e.message)))?;
    igny8_core::validate::new_password(password, &email)
        .map_err(|e| CreateStaffError::Invalid(format!("the password {}", e.message)))?;
    let hash = {
        let p = password.to_owned();
        tokio::task::spawn_blocking(move || hash_password(&p))
            .await
            .map_err(|e| CreateStaffError::Invalid(e.to_string()))?
    };
    let mut tx = db.begin_system().await?;
    let id = match igny8_db::staff::create_staff(&mut tx, &email, &hash).await {
        Ok(id) => id,
        Err(DbError::Conflict(c)) if c == "users_email_key" => {
            return Err(CreateStaffError::EmailTaken(email));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(id)
}
