//! How a store refusal reaches the shell.

use crate::store::CommandError;

/// Turns a refusal into a plain message (exit status 1), without the "error:" noise of a bug.
pub fn refused(e: CommandError) -> anyhow::Error {
    match e {
        CommandError::Refused(message) => anyhow::anyhow!(message),
        CommandError::Db(e) => anyhow::Error::new(e).context("the database failed"),
    }
}
