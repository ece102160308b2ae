//! What `update` asks the runtime to do at the edge.

use crate::domain::credentials::Secret;
use crate::store::worker::DbCmd;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Db(DbCmd),
    /// Put this text on the clipboard; the result comes back as `Action::Copied`.
    Copy {
        text: String,
    },
    /// Put a secret on the clipboard, marked for clipboard managers not to keep, and clear it
    /// after 30 s (and on exit) if the clipboard still holds it.
    CopySecret {
        text: Secret,
    },
    /// Hand this email to the mail client; the result comes back as `Action::MailOpened`.
    OpenMail {
        to: String,
        subject: String,
        body: String,
    },
    Quit,
}
