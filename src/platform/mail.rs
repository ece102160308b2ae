//! Handing an email draft to the user's mail app.
//!
//! In order: the configured `mail_command`, then the system opener (`xdg-open` / `open`), both
//! given a `mailto:` URL (RFC 6068); when neither starts, the draft is saved as an `.eml` file
//! (RFC 5322, marked `X-Unsent: 1` so mail apps open it as a draft) for the user to open by hand.
//!
//! The TUI owns the terminal, so children get null stdin/stdout/stderr and their own process group.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use base64::prelude::{BASE64_STANDARD, Engine as _};
use chrono::{DateTime, Utc};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::EnvFacts;
use crate::domain::text::{clean, clean_multiline, escaped, shown_path};

/// An email to propose to the user; nothing is sent by twotier itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// RFC 6068 header values: everything outside `unreserved` is encoded, so `&`, `=`, `#` and `+`
/// cannot end or change a field, and a space is `%20` (mail apps do not read `+` as a space).
const FIELD: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// RFC 6068 addresses may also hold `some-delims` as they are, which keeps `user+tag@host` and
/// the `,` between addresses readable; `%`, `?`, `#`, `&`, `/`, `=`, spaces and non-ASCII are encoded.
const ADDRESS: &AsciiSet = &FIELD
    .remove(b'!')
    .remove(b'$')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b':')
    .remove(b'@');

/// `mailto:<to>?subject=…&body=…` (RFC 6068). Empty fields are left out; body line breaks are
/// `%0D%0A` as the RFC asks.
pub fn mailto_url(d: &Draft) -> String {
    let mut url = String::from("mailto:");
    url.extend(utf8_percent_encode(&clean(d.to.trim()), ADDRESS));
    let subject = clean(&d.subject);
    let body = clean_multiline(&d.body).replace('\n', "\r\n");
    let mut separator = '?';
    for (name, value) in [("subject", subject.as_ref()), ("body", body.as_str())] {
        if value.is_empty() {
            continue;
        }
        url.push(separator);
        url.push_str(name);
        url.push('=');
        url.extend(utf8_percent_encode(value, FIELD));
        separator = '&';
    }
    url
}

/// The draft as an RFC 5322 message with CRLF line endings, for mail apps to open as a draft.
///
/// Header values are sanitised with `clean`, which turns CR and LF into harmless characters: user
/// text can never start a header line of its own (no `Bcc:` injection).
pub fn eml(d: &Draft, from: &str, date: DateTime<Utc>) -> String {
    let headers = [
        // A name of encoded-words (see `mailbox`) folds between them and before the address.
        (
            "From",
            clean(from.trim())
                .replace("?= =?", "?=\r\n =?")
                .replace("?= <", "?=\r\n <"),
        ),
        ("To", clean(d.to.trim()).into_owned()),
        ("Subject", encoded_words(&clean(&d.subject))),
        ("Date", date.to_rfc2822()),
        ("MIME-Version", "1.0".to_owned()),
        ("Content-Type", "text/plain; charset=utf-8".to_owned()),
        ("Content-Transfer-Encoding", "8bit".to_owned()),
        ("X-Unsent", "1".to_owned()),
    ];
    let mut message = String::new();
    for (name, value) in headers {
        message.push_str(name);
        message.push_str(": ");
        message.push_str(&value);
        message.push_str("\r\n");
    }
    message.push_str("\r\n");
    for line in clean_multiline(&d.body).lines() {
        message.push_str(line);
        message.push_str("\r\n");
    }
    message
}

/// The operator as the `From` of a draft: `"Display Name" <upn>` (RFC 5322). An ASCII name is a
/// quoted-string (`"` and `\` escaped); a name with non-ASCII characters is RFC 2047 encoded-words,
/// which must not be quoted. No name: the bare address. Both are cleaned first, so neither can
/// end the header line.
pub fn mailbox(display_name: &str, address: &str) -> String {
    let name = clean(display_name.trim());
    let address = clean(address.trim());
    if name.is_empty() {
        return address.into_owned();
    }
    let phrase = if name.is_ascii() && !name.contains("=?") {
        format!("\"{}\"", name.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        // One line: `eml` cleans the header value, and the space between two encoded-words is
        // not part of the name (RFC 2047 §6.2).
        encoded_words(&name).replace("\r\n ", " ")
    };
    format!("{phrase} <{address}>")
}

/// RFC 2047: a header text with non-ASCII (or something that looks like an encoded-word) becomes
/// `=?UTF-8?B?…?=` words, folded onto continuation lines. 39 bytes per word make 64-character words,
/// so `Subject: ` plus one word stays within the recommended 78 characters per line.
fn encoded_words(text: &str) -> String {
    const MAX_BYTES: usize = 39;
    if text.is_ascii() && !text.contains("=?") {
        return text.to_owned();
    }
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in text.char_indices() {
        // Split between characters: a word must hold whole UTF-8 sequences.
        if i + c.len_utf8() - start > MAX_BYTES {
            words.push(&text[start..i]);
            start = i;
        }
    }
    words.push(&text[start..]);
    words
        .iter()
        .map(|w| format!("=?UTF-8?B?{}?=", BASE64_STANDARD.encode(w)))
        .collect::<Vec<_>>()
        .join("\r\n ")
}

/// How the draft reached the user, for the toast.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    /// The configured `mail_command` started; holds its program.
    MailCommand(String),
    /// The system opener (`xdg-open`, `open`) handled the `mailto:` URL.
    SystemOpener(&'static str),
    /// Nothing could open it: the draft was saved here.
    EmlDraft(PathBuf),
}

impl Delivery {
    pub fn describe(&self) -> String {
        match self {
            Delivery::MailCommand(program) => {
                format!("Opened in email with {}", escaped(program))
            }
            Delivery::SystemOpener(_) => "Opened in your default email app".to_owned(),
            Delivery::EmlDraft(path) => format!(
                "No email app could be opened: saved the draft as {}",
                shown_path(path)
            ),
        }
    }
}

/// The programs `open_in_email_with` tries; tests put in their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Openers {
    /// `mail_command` from the config, split like a shell would (`thunderbird -compose`).
    pub mail_command: Option<String>,
    /// The OS's URL opener, `None` when there is none to try.
    pub system: Option<&'static str>,
}

/// This OS's URL opener. Windows has none that takes a URL as a plain argument; the draft is saved.
pub const SYSTEM_OPENER: Option<&str> = if cfg!(target_os = "macos") {
    Some("open")
} else if cfg!(windows) {
    None
} else {
    Some("xdg-open")
};

impl Openers {
    /// The configured mail command and this machine's opener.
    pub fn detect(mail_command: Option<&str>) -> Self {
        Self::for_env(mail_command, &EnvFacts::from_env())
    }

    /// Without a graphical session the opener is skipped: xdg-open would then fall back to a text
    /// browser such as lynx, which cannot share the terminal with the TUI.
    pub fn for_env(mail_command: Option<&str>, env: &EnvFacts) -> Self {
        Self {
            mail_command: mail_command.map(str::to_owned),
            system: SYSTEM_OPENER.filter(|_| env.has_display()),
        }
    }
}

/// How long the system opener has to report failure: xdg-open exits 3 or 4 at once when nothing
/// handles `mailto:`, while on success it may keep running as long as the mail app does.
const OPENER_GRACE: Duration = Duration::from_millis(1500);

/// Opens the draft with the configured `mail_command`, else the system opener, else saves it as
/// an `.eml` file in `eml_dir`. May block for up to ~1.5 s (see `OPENER_GRACE`): call it off the UI
/// thread. Errors only when even the `.eml` file cannot be written.
pub fn open_in_email(
    d: &Draft,
    mail_command: Option<&str>,
    eml_dir: &Path,
    from: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Delivery> {
    open_in_email_with(d, &Openers::detect(mail_command), eml_dir, from, now)
}

/// [`open_in_email`] with explicit programs.
pub fn open_in_email_with(
    d: &Draft,
    openers: &Openers,
    eml_dir: &Path,
    from: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<Delivery> {
    let url = mailto_url(d);
    if let Some(command) = openers.mail_command.as_deref().map(str::trim)
        && !command.is_empty()
    {
        match run_mail_command(command, &url) {
            Ok(program) => return Ok(Delivery::MailCommand(program)),
            Err(e) => tracing::warn!(
                command = %escaped(command),
                error = %format!("{e:#}"),
                "mail_command failed"
            ),
        }
    }
    if let Some(opener) = openers.system {
        match run_opener(opener, &url) {
            Ok(()) => return Ok(Delivery::SystemOpener(opener)),
            Err(e) => tracing::warn!(opener, error = %format!("{e:#}"), "system opener failed"),
        }
    }
    save_eml(d, from, now, eml_dir).map(Delivery::EmlDraft)
}

/// Started is success: a GUI mail app may run for hours, and we must not wait for it.
fn run_mail_command(command: &str, url: &str) -> anyhow::Result<String> {
    let mut words = shell_words::split(command).context("mail_command is not valid shell words")?;
    if words.is_empty() {
        bail!("mail_command is empty");
    }
    let program = words.remove(0);
    let child =
        spawn(&program, &words, url).with_context(|| format!("starting {}", escaped(&program)))?;
    reap_in_background(child);
    Ok(program)
}

/// Success unless the opener exits non-zero within `OPENER_GRACE`.
fn run_opener(opener: &str, url: &str) -> anyhow::Result<()> {
    let mut child = spawn(opener, &[], url).with_context(|| format!("starting {opener}"))?;
    let deadline = Instant::now() + OPENER_GRACE;
    loop {
        match child.try_wait()? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => bail!("{opener} {status}"),
            None if Instant::now() >= deadline => {
                reap_in_background(child);
                return Ok(());
            }
            None => std::thread::sleep(Duration::from_millis(25)),
        }
    }
}

/// The URL goes last; it starts with `mailto:`, so no program can mistake it for an option.
fn spawn(program: &str, args: &[String], url: &str) -> io::Result<Child> {
    let mut command = Command::new(program);
    command
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // Its own process group: the terminal's signals (hang-up on close) are not meant for it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command.spawn()
}

/// Waits for the child on a detached thread so it does not linger as a zombie.
fn reap_in_background(mut child: Child) {
    let spawned = std::thread::Builder::new()
        .name("mail-child".to_owned())
        .spawn(move || {
            let _ = child.wait();
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "cannot wait for the mail app; it will linger until exit");
    }
}

/// Writes `partnership-request-<YYYYmmdd-HHMMSS>-<n>.eml`, never overwriting an existing file.
fn save_eml(d: &Draft, from: &str, now: DateTime<Utc>, dir: &Path) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", shown_path(dir)))?;
    let content = eml(d, from, now);
    let stamp = now.format("%Y%m%d-%H%M%S");
    for n in 1..=1000 {
        let path = dir.join(format!("partnership-request-{stamp}-{n}.eml"));
        let mut file = match create_new(&path) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("creating {}", shown_path(&path))),
        };
        if let Err(e) = file.write_all(content.as_bytes()) {
            let _ = std::fs::remove_file(&path);
            return Err(e).with_context(|| format!("writing {}", shown_path(&path)));
        }
        return Ok(path);
    }
    bail!(
        "too many drafts named partnership-request-{stamp}-*.eml in {}",
        shown_path(dir)
    )
}

/// Only the user may read it: a draft holds names and email addresses.
fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(to: &str, subject: &str, body: &str) -> Draft {
        Draft {
            to: to.into(),
            subject: subject.into(),
            body: body.into(),
        }
    }

    #[test]
    fn mailto_leaves_out_empty_fields_and_keeps_plus_in_addresses() {
        assert_eq!(
            mailto_url(&draft(" a+b@x.example ", "", "")),
            "mailto:a+b@x.example"
        );
        assert_eq!(
            mailto_url(&draft("a@x.example", "", "Hi")),
            "mailto:a@x.example?body=Hi"
        );
        assert_eq!(
            mailto_url(&draft("a@x.example", "a+b=c", "")),
            "mailto:a@x.example?subject=a%2Bb%3Dc"
        );
    }

    #[test]
    fn long_non_ascii_subjects_fold_into_short_encoded_words() {
        let subject =
            "Partnerschaftsanfrage für Müller & Söhne — bitte prüfen Sie die Vereinbarung";
        let encoded = encoded_words(subject);
        let mut decoded = Vec::new();
        for word in encoded.split("\r\n ") {
            assert!(word.len() <= 75, "{word}");
            let b64 = word
                .strip_prefix("=?UTF-8?B?")
                .and_then(|w| w.strip_suffix("?="))
                .unwrap();
            // Every word decodes on its own: no UTF-8 sequence is split.
            let bytes = BASE64_STANDARD.decode(b64).unwrap();
            assert!(String::from_utf8(bytes.clone()).is_ok());
            decoded.extend(bytes);
        }
        assert!(encoded.contains("\r\n "));
        assert_eq!(String::from_utf8(decoded).unwrap(), subject);
        assert_eq!(encoded_words("Plain"), "Plain");
        assert!(encoded_words("=?UTF-8?Q?x?=").starts_with("=?UTF-8?B?"));
    }

    #[test]
    fn describe_for_the_toast() {
        assert_eq!(
            Delivery::MailCommand("thunderbird".into()).describe(),
            "Opened in email with thunderbird"
        );
        assert_eq!(
            Delivery::SystemOpener("xdg-open").describe(),
            "Opened in your default email app"
        );
        assert_eq!(
            Delivery::EmlDraft("/tmp/d/x.eml".into()).describe(),
            "No email app could be opened: saved the draft as /tmp/d/x.eml"
        );
        assert_eq!(
            Delivery::MailCommand("mail\u{1b}]0;x\u{7}".into()).describe(),
            "Opened in email with mail\\u{1b}]0;x\\u{7}"
        );
        assert_eq!(
            Delivery::EmlDraft("/tmp/\u{202e}d\u{200b}/x.eml".into()).describe(),
            "No email app could be opened: saved the draft as /tmp/\\u{202e}d\\u{200b}/x.eml"
        );
    }

    #[test]
    fn no_system_opener_without_a_display() {
        let none = Openers::for_env(Some("mutt"), &EnvFacts::default());
        assert_eq!(none.mail_command.as_deref(), Some("mutt"));
        assert_eq!(none.system, None);
        let x11 = EnvFacts {
            display: Some(":0".into()),
            ..EnvFacts::default()
        };
        assert_eq!(Openers::for_env(None, &x11).system, SYSTEM_OPENER);
    }
}
