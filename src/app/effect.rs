//! What `update` asks the runtime to do at the edge.

use super::nav::To;
use super::remote::RemoteCmd;
use crate::domain::credentials::Secret;
use crate::store::worker::DbCmd;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Ask the store; the reply comes back as `Action::Db` to the same address.
    Db(To, DbCmd),
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
    /// Ask Partner Center (sign in, sync); the runtime reports back as `Action::Remote`.
    Remote(RemoteCmd),
    /// Close this book and open the console again on the book at `path`, acting as `upn` (a
    /// book just set up from the demo).
    Reopen {
        path: std::path::PathBuf,
        upn: String,
    },
}

impl Effect {
    /// A request from the model that returns it: `update` writes in its address.
    pub fn db(cmd: DbCmd) -> Effect {
        Effect::Db(To::Asker, cmd)
    }

    /// Addressed to `to` if it was the asker's.
    pub fn from(self, to: To) -> Effect {
        match self {
            Effect::Db(To::Asker, cmd) => Effect::Db(to, cmd),
            other => other,
        }
    }
}
