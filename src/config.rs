//! Where twotier keeps its files, and the optional config file: sparse TOML over built-in
//! defaults. twotier never writes the config file.

use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::domain::permission::Matrix;

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

    pub fn default_db(&self) -> PathBuf {
        self.data_dir.join("twotier.db")
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
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InvitationConfig {
    /// Overrides the provider's invitation base URL.
    pub base_url: Option<String>,
    /// Days after which an unanswered partnership request counts as expired (default 30).
    pub expiry_days: Option<u32>,
}

/// A config file that could not be used, with the file's path in the message.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the config file {} is not valid: {message}", .path.display())]
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

    /// Parses config text; the error names the key and what is wrong with it.
    pub fn parse(text: &str) -> Result<Config, String> {
        let config: Config = toml::from_str(text).map_err(|e| describe_toml_error(text, &e))?;
        if let Some(0) = config.invitations.expiry_days {
            return Err("key `invitations.expiry_days`: must be at least 1 day".into());
        }
        if let Some(url) = &config.invitations.base_url
            && !(url.starts_with("https://") || url.starts_with("http://"))
        {
            return Err(format!(
                "key `invitations.base_url`: {url:?} is not an http(s) URL"
            ));
        }
        config.matrix()?;
        Ok(config)
    }

    /// The permission matrix: the default with this file's `[roles]` overrides.
    pub fn matrix(&self) -> Result<Matrix, String> {
        Matrix::with_overrides(&self.roles)
    }
}

/// Turns a TOML error into one line: where, which key, and the problem.
fn describe_toml_error(text: &str, e: &toml::de::Error) -> String {
    let message = e.message().trim().to_owned();
    match e.span() {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            let source_line = text.lines().nth(line - 1).unwrap_or("").trim();
            format!("line {line} (`{source_line}`): {message}")
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
