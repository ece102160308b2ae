//! Where twotier keeps its files, and the optional config file: sparse TOML over built-in
//! defaults. twotier writes the config file once, only to make it: when you set up your own book
//! at the default path and there is no config file yet, it records you as its `operator` (see
//! [`remember_operator`]); a file that exists is never rewritten.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::ids::TenantId;
use crate::domain::permission::Matrix;
use crate::domain::text::{escaped, shown_path};

/// The folders twotier uses, from the XDG base directories (or the platform's equivalents).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    pub config_file: PathBuf,
    pub log_file: PathBuf,
}

impl Paths {
    pub fn discover() -> Paths {
        match directories::ProjectDirs::from("", "", "twotier") {
            Some(dirs) => Paths {
                data_dir: dirs.data_dir().to_owned(),
                config_file: dirs.config_dir().join("config.toml"),
                log_file: dirs
                    .state_dir()
                    .unwrap_or(dirs.data_dir())
                    .join("twotier.log"),
            },
            // No home folder at all: keep everything beside the working directory.
            None => Paths {
                data_dir: PathBuf::from("."),
                config_file: PathBuf::from("twotier.toml"),
                log_file: PathBuf::from("twotier.log"),
            },
        }
    }

    /// Where your own book lives when no path is given.
    pub fn default_db(&self) -> PathBuf {
        self.data_dir.join("twotier.db")
    }

    /// The demo book, kept apart from your own.
    pub fn demo_db(&self) -> PathBuf {
        self.data_dir.join("demo.db")
    }
}

/// The config file. Every key is optional; unknown keys are an error, so a typo is caught.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The operator (UPN) to act as when `--operator` is not given.
    pub operator: Option<String>,
    /// The database to open when `--db` is not given.
    pub db: Option<PathBuf>,
    /// A program that opens a `mailto:` URL (its one argument), instead of the system opener.
    pub mail_command: Option<String>,
    #[serde(default)]
    pub invitations: InvitationConfig,
    /// Overrides of the permission matrix: `permission = ["role", …]`.
    #[serde(default)]
    pub roles: BTreeMap<String, Vec<String>>,
    /// The Partner Center connection; without it twotier works offline.
    pub partner_center: Option<PartnerCenterConfig>,
}

/// `[partner_center]`: the partner tenant and the Entra app that signs in to Partner Center.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartnerCenterConfig {
    /// The partner tenant: its ID (a GUID) or a domain such as `contoso.onmicrosoft.com`.
    pub tenant: String,
    /// The Entra app (client) ID registered for the Partner Center API.
    pub client_id: String,
    /// The Partner Center REST API (a test points it at a local server).
    #[serde(default = "default_api_url")]
    pub api_url: String,
    /// The Microsoft identity platform that signs in.
    #[serde(default = "default_authority_url")]
    pub authority_url: String,
}

pub const DEFAULT_API_URL: &str = "https://api.partnercenter.microsoft.com";
pub const DEFAULT_AUTHORITY_URL: &str = "https://login.microsoftonline.com";

fn default_api_url() -> String {
    DEFAULT_API_URL.to_owned()
}

fn default_authority_url() -> String {
    DEFAULT_AUTHORITY_URL.to_owned()
}

impl PartnerCenterConfig {
    /// Each key's rule, with the key named in the message.
    fn check(&self) -> Result<(), String> {
        if TenantId::parse(&self.tenant).is_err() && !is_domain(self.tenant.trim()) {
            return Err(format!(
                "key `partner_center.tenant`: \"{}\" is neither a tenant ID (a GUID) nor a domain such as contoso.onmicrosoft.com",
                escaped(&self.tenant)
            ));
        }
        if TenantId::parse(&self.client_id).is_err() {
            return Err(format!(
                "key `partner_center.client_id`: \"{}\" is not a GUID (the Application (client) ID of your Entra app)",
                escaped(&self.client_id)
            ));
        }
        for (key, url) in [
            ("api_url", &self.api_url),
            ("authority_url", &self.authority_url),
        ] {
            if !is_http_url(url) {
                return Err(format!(
                    "key `partner_center.{key}`: \"{}\" is not an http(s) URL",
                    escaped(url)
                ));
            }
        }
        Ok(())
    }
}

/// `http://` or `https://` and a host, with no blank or control character.
fn is_http_url(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    rest.is_some_and(|r| {
        !r.is_empty()
            && !r.starts_with('/')
            && !r.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

/// A DNS name with at least two labels of letters, digits and inner hyphens.
fn is_domain(text: &str) -> bool {
    let labels: Vec<&str> = text.split('.').collect();
    text.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationConfig {
    /// Overrides the provider's invitation base URL.
    pub base_url: Option<String>,
    /// Days after which an unanswered partnership request counts as expired (default 30).
    pub expiry_days: Option<u32>,
}

/// A config file that could not be used, with the file's path in the message. The path and the
/// problem (which may quote the file's own text) are shown with visible escapes.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}: {source}", shown_path(.path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {} is not valid: {}", shown_path(.path), escaped(.message))]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Reads the config file; a missing file is the empty config.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: path.to_owned(),
                    source,
                });
            }
        };
        Config::parse(&text).map_err(|message| ConfigError::Invalid {
            path: path.to_owned(),
            message,
        })
    }

    /// Parses config text; the error names the key and what is wrong with it, the file's text it
    /// quotes with visible escapes.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        if let Some(0) = config.invitations.expiry_days {
            return Err("key `invitations.expiry_days`: must be at least 1 day".into());
        }
        if let Some(url) = &config.invitations.base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(format!(
                "key `invitations.base_url`: \"{}\" is not an http(s) URL",
                escaped(url)
            ));
        }
        if let Some(pc) = &config.partner_center {
            pc.check()?;
        }
        // The message names the key or role as written in the file.
        config
            .matrix()
            .map_err(|message| escaped(&message).into_owned())?;
        Ok(config)
    }

    /// The permission matrix: the default with this file's `[roles]` overrides.
    pub fn matrix(&self) -> Result<Matrix, String> {
        Matrix::with_overrides(&self.roles)
    }
}

/// What [`remember_operator`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remembered {
    /// The config file was made, naming this operator: plain `twotier` now acts as them.
    Written,
    /// The config file already names this operator.
    Already,
    /// A config file exists (naming another operator, or none) and is left as it is.
    LeftAlone { operator: Option<String> },
}

impl Remembered {
    /// One line for the person who set up the book: how the next `twotier` knows who they are.
    pub fn advice(&self, config_file: &Path, upn: &str) -> String {
        let file = shown_path(config_file);
        let upn = escaped(upn);
        match self {
            Remembered::Written => {
                format!("{file} now says operator = \"{upn}\": plain `twotier` opens as you.")
            }
            Remembered::Already => {
                format!("{file} names you as operator: plain `twotier` opens as you.")
            }
            Remembered::LeftAlone {
                operator: Some(other),
            } => format!(
                "{file} says operator = \"{}\": open your book with `twotier --operator {upn}`, or change that line.",
                escaped(other)
            ),
            Remembered::LeftAlone { operator: None } => format!(
                "Open your book with `twotier --operator {upn}`, or add operator = \"{upn}\" at the top of {file}."
            ),
        }
    }
}

/// Records `upn` as the operator in a new config file at `path`, so that plain `twotier` acts as
/// the Global admin who just set up their book. An existing file (even one that doesn't parse) is
/// never touched: it is the user's, with their comments. The file is made with `create_new`, so a
/// file that appears meanwhile is not overwritten.
pub fn remember_operator(path: &Path, upn: &str) -> std::io::Result<Remembered> {
    use std::io::Write;
    if path.exists() {
        let operator = Config::load(path).ok().and_then(|c| c.operator);
        return Ok(if operator.as_deref() == Some(upn) {
            Remembered::Already
        } else {
            Remembered::LeftAlone { operator }
        });
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    // A UPN is checked before a book is made (no quotes, no controls); TOML's basic string
    // escapes the rest.
    let line = toml::Value::String(upn.to_owned()).to_string();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(
        format!(
            "# twotier's config: every key is optional (see the README). Written by the set-up of your\n\
             # own book; twotier never rewrites it.\noperator = {line}\n"
        )
        .as_bytes(),
    )?;
    file.sync_all()?;
    Ok(Remembered::Written)
}

/// Turns a TOML error into one line: where, which key, and the problem. The file's text it quotes
/// (the line, a key name in the parser's message) is shown with visible escapes.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = escaped(e.message().trim()).into_owned();
    match e.span() {
        Some(span) => {
            // Bytes, not a str slice: a span inside a multi-byte character must not panic.
            let before = &text.as_bytes()[..span.start.min(text.len())];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let source_line = text.lines().nth(line - 1).unwrap_or("").trim();
            format!("line {line} (`{}`): {message}", escaped(source_line))
        }
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_sparse_files_parse() {
        assert_eq!(Config::parse("").unwrap(), Config::default());
        let c = Config::parse("operator = \"ava@example.com\"\n[invitations]\nexpiry_days = 14\n")
            .unwrap();
        assert_eq!(c.operator.as_deref(), Some("ava@example.com"));
        assert_eq!(c.invitations.expiry_days, Some(14));
    }

    #[test]
    fn unknown_key_is_named() {
        let err = Config::parse("operater = \"x\"\n").unwrap_err();
        assert!(err.contains("line 1") && err.contains("operater"), "{err}");
    }

    #[test]
    fn wrong_type_is_named_with_its_line() {
        let err = Config::parse("[invitations]\nexpiry_days = \"soon\"\n").unwrap_err();
        assert!(
            err.contains("line 2") && err.contains("expiry_days"),
            "{err}"
        );
    }

    #[test]
    fn role_overrides_are_checked() {
        assert!(
            Config::parse("[roles]\nset-support-contact = [\"global-admin\", \"sales-agent\"]\n")
                .is_ok()
        );
        let err = Config::parse("[roles]\nset-support-contact = [\"boss\"]\n").unwrap_err();
        assert!(
            err.contains("roles.set-support-contact") && err.contains("boss"),
            "{err}"
        );
        assert!(
            Config::parse("[roles]\nfly = []\n")
                .unwrap_err()
                .contains("roles.fly")
        );
    }

    #[test]
    fn hostile_text_in_the_file_is_escaped() {
        let err = Config::parse("\"\\u001b]0;pwned\\u0007\" = 1\n").unwrap_err();
        assert!(
            !err.contains('\u{1b}') && err.contains("\\u{1b}]0;pwned\\u{7}"),
            "{err}"
        );
        let err = Config::parse("operator = \"ava\" \u{202e}x\n").unwrap_err();
        assert!(
            !err.contains('\u{202e}') && err.contains("\\u{202e}"),
            "{err}"
        );
        let err = Config::parse("[roles]\n\"\\u009b\" = []\n").unwrap_err();
        assert!(err.contains("\\u{9b}"), "{err}");
    }

    #[test]
    fn hostile_paths_are_escaped() {
        let path = PathBuf::from("/tmp/a\u{1b}[2J\u{200b}/config.toml");
        let read = ConfigError::Read {
            path: path.clone(),
            source: std::io::Error::other("nope"),
        };
        let invalid = ConfigError::Invalid {
            path,
            message: "key \u{7}".into(),
        };
        for text in [read.to_string(), invalid.to_string()] {
            assert!(
                !text.contains(['\u{1b}', '\u{200b}', '\u{7}'])
                    && text.contains("\\u{1b}[2J\\u{200b}"),
                "{text}"
            );
        }
    }

    #[test]
    fn remember_operator_makes_a_file_once_and_never_rewrites_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cfg/twotier/config.toml");
        assert_eq!(
            remember_operator(&path, "ava@contoso.com").unwrap(),
            Remembered::Written
        );
        let written = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            Config::parse(&written).unwrap().operator.as_deref(),
            Some("ava@contoso.com")
        );
        assert_eq!(
            remember_operator(&path, "ava@contoso.com").unwrap(),
            Remembered::Already
        );
        assert_eq!(
            remember_operator(&path, "ben@contoso.com").unwrap(),
            Remembered::LeftAlone {
                operator: Some("ava@contoso.com".into())
            }
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), written);
        // Someone's own file, without an operator and not even valid: left byte for byte.
        std::fs::write(&path, "# mine\nnot toml [\n").unwrap();
        assert_eq!(
            remember_operator(&path, "ava@contoso.com").unwrap(),
            Remembered::LeftAlone { operator: None }
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "# mine\nnot toml [\n"
        );
    }

    #[test]
    fn partner_center_section_is_sparse_and_checked() {
        assert_eq!(Config::parse("").unwrap().partner_center, None);
        let c = Config::parse(
            "[partner_center]\ntenant = \"northwind.onmicrosoft.com\"\nclient_id = \"00000000-0000-0000-0000-000000000000\"\n",
        )
        .unwrap();
        let pc = c.partner_center.unwrap();
        assert_eq!(pc.api_url, DEFAULT_API_URL);
        assert_eq!(pc.authority_url, DEFAULT_AUTHORITY_URL);
        let with = |extra: &str| {
            Config::parse(&format!(
                "[partner_center]\ntenant = \"484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1\"\nclient_id = \"00000000-0000-0000-0000-000000000000\"\n{extra}"
            ))
        };
        assert!(with("api_url = \"http://127.0.0.1:8080\"\n").is_ok());
        for (extra, key) in [
            ("api_url = \"ftp://x\"\n", "partner_center.api_url"),
            (
                "authority_url = \"https://\"\n",
                "partner_center.authority_url",
            ),
            ("secret = \"x\"\n", "secret"),
        ] {
            let err = with(extra).unwrap_err();
            assert!(err.contains(key), "{extra}: {err}");
        }
        let err = Config::parse("[partner_center]\ntenant = \"not a tenant\"\nclient_id = \"00000000-0000-0000-0000-000000000000\"\n").unwrap_err();
        assert!(err.contains("partner_center.tenant"), "{err}");
        let err =
            Config::parse("[partner_center]\ntenant = \"a.b\"\nclient_id = \"app\"\n").unwrap_err();
        assert!(err.contains("partner_center.client_id"), "{err}");
        let err = Config::parse("[partner_center]\ntenant = \"a.b\"\n").unwrap_err();
        assert!(err.contains("client_id"), "{err}");
    }

    #[test]
    fn rule_violations_are_named() {
        assert!(
            Config::parse("[invitations]\nexpiry_days = 0\n")
                .unwrap_err()
                .contains("invitations.expiry_days")
        );
        assert!(
            Config::parse("[invitations]\nbase_url = \"ftp://x\"\n")
                .unwrap_err()
                .contains("base_url")
        );
    }
}
