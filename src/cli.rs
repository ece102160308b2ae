//! The command line: the TUI by default, and subcommands for scripts.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};

use crate::config::Paths;
use crate::domain::role::Role;
use crate::domain::text::{escaped, shown_path};

mod renewals;
pub use renewals::RenewalsArgs;

#[derive(Debug, Parser)]
#[command(
    name = "twotier",
    version,
    about = "A keyboard-first console for CSP indirect providers: resellers, customers, orders.",
    long_about = None
)]
pub struct Cli {
    /// The database file [default: in the data folder, see below]
    #[arg(long, value_name = "PATH", global = true, env = "TWOTIER_DB")]
    pub db: Option<PathBuf>,

    /// Act as this operator (UPN) [default: `operator` in the config file, else your OS user]
    #[arg(long, value_name = "UPN", global = true)]
    pub operator: Option<String>,

    /// The config file [default: in the config folder, see below]
    #[arg(long, value_name = "PATH", global = true, env = "TWOTIER_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// (Re)create the demo book of any size, deterministically: demo.db in the data folder, or --db
    Demo(DemoArgs),
    /// Create a new, empty book of your own: your company, one Global admin, the offer catalog
    #[command(after_long_help = INIT_HELP)]
    Init(InitArgs),
    /// Indirect resellers: list them, remove a partnership
    #[command(subcommand)]
    Resellers(ResellersCommand),
    /// Partnership requests: list them, record an acceptance
    #[command(subcommand)]
    Invitations(InvitationsCommand),
    /// Operators and their roles: list, add, disable, enable, set-role
    #[command(subcommand)]
    Users(UsersCommand),
    /// The activity log: who did what, when, to what
    #[command(subcommand)]
    Activity(ActivityCommand),
    /// Customers: list them, with their reseller and subscriptions; add one from a script
    #[command(subcommand)]
    Customers(CustomersCommand),
    /// Subscriptions: list them, with partner of record and support contact
    #[command(subcommand)]
    Subscriptions(SubscriptionsCommand),
    /// Export every reseller, customer or subscription: CSV (Partner Center's columns first), or JSON
    Export(ExportArgs),
    /// Import resellers, customers or subscriptions from a CSV file: Partner Center's exports or
    /// twotier's own; all rows or none
    #[command(after_long_help = IMPORT_HELP)]
    Import(ImportArgs),
    /// Copy the book to FILE, consistent while a console writes, and verify the copy
    Backup(BackupArgs),
    /// Put a backup in place of the book at --db (your own book), keeping the old one
    Restore(RestoreArgs),
    /// Sign in to Partner Center (App + User, device code): needs [partner_center] in the config
    Signin,
    /// Forget the Partner Center sign-in: removes its refresh token from the OS keyring
    Signout,
    /// Partner Center: offline or which tenant, the signed-in account, last sync, what waits
    Status(StatusArgs),
    /// Pull the provider's profile, the indirect resellers, the customers and their
    /// subscriptions from Partner Center into the book; after a complete pass only what the audit
    /// records say changed; a stopped sync continues where it stopped
    Sync(SyncArgs),
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Pull every customer and every subscription again, not only what changed since the last
    /// sync
    #[arg(long)]
    pub full: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// JSON (one object) instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    /// Where to write the copy (written beside it, renamed into place once verified)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace FILE if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    /// The backup to restore: a twotier book this build knows
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Replace an existing NAME.before-restore (the book a restore keeps)
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ResellersCommand {
    /// List the active indirect resellers (with --all, removed partnerships too)
    List {
        /// JSON (one array) instead of a table
        #[arg(long)]
        json: bool,
        /// Include removed partnerships
        #[arg(long)]
        all: bool,
        /// Only resellers whose name, PartnerID, Microsoft ID or email contains TEXT (any case,
        /// any accent)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
    },
    /// Remove the partnership with the reseller that has this PartnerID
    Remove {
        /// The reseller's PartnerID (MPN ID)
        partner_id: String,
        /// Confirm: the reseller leaves the list; its customers and subscriptions keep it
        #[arg(long)]
        yes: bool,
    },
    /// After Remove partnership: the subscriptions that still name the removed reseller with
    /// this PartnerID, as partner of record or designated support contact
    FollowUp {
        /// The removed reseller's PartnerID (MPN ID)
        partner_id: String,
        /// JSON (one array of objects) instead of a table
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum InvitationsCommand {
    /// List every partnership request, newest first, with its link
    List {
        /// JSON (one array) instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Record that the reseller accepted the request with this token or link
    Accept {
        /// The invitation token, or the whole personalized link
        token: String,
        /// The reseller's PartnerID (MPN ID): digits only
        #[arg(long)]
        partner_id: String,
        /// The reseller's company name
        #[arg(long)]
        name: String,
        /// The reseller's country (ISO 3166 alpha-2, such as US)
        #[arg(long)]
        country: String,
        /// The reseller's Microsoft Entra tenant ID (a GUID)
        #[arg(long)]
        tenant_id: Option<String>,
    },
    /// Note the PartnerID and/or tenant ID of the partner a Sent request went to: `twotier sync`
    /// marks it Accepted when that partner appears among your indirect resellers
    Expect {
        /// The invitation token, or the whole personalized link
        token: String,
        /// The partner's PartnerID (MPN ID): digits only
        #[arg(long)]
        partner_id: Option<String>,
        /// The partner's Microsoft Entra tenant ID (a GUID)
        #[arg(long)]
        tenant_id: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Your company's legal name, as on Microsoft's indirect providers list
    #[arg(long, value_name = "NAME")]
    pub company: String,
    /// Your PartnerID (MPN ID): digits only
    #[arg(long, value_name = "ID")]
    pub partner_id: String,
    /// Your Microsoft Entra tenant ID (a GUID)
    #[arg(long, value_name = "GUID")]
    pub tenant_id: String,
    /// Your country (ISO 3166 alpha-2, such as US)
    #[arg(long, value_name = "CC")]
    pub country: String,
    /// The first operator, a Global admin: a UPN such as ava@contoso.com (not your OS user)
    #[arg(long, value_name = "UPN")]
    pub admin: String,
    /// The Global admin's display name [default: the UPN]
    #[arg(
        long,
        value_name = "NAME",
        default_value = "",
        hide_default_value = true
    )]
    pub admin_name: String,
}

/// `init --help`: what the new book holds, and the defaults of what the command does not take.
pub const INIT_HELP: &str = r#"The book is written at --db [default: twotier.db in the data folder that `twotier --help`
shows; the demo lives apart, in demo.db]. An existing file at that path, even an empty one, is
refused and left as it was. A field that is not valid is refused in words, exit status 1, and no
file is made.

The new book holds your company profile, one Global admin (the --admin UPN), the offer catalog
that ships with twotier, no resellers, no customers, and one activity-log entry, "Book created".
The profile fields this command does not take get these defaults:
  website              https://DOMAIN, DOMAIN being that of the --admin UPN
  support email        support@DOMAIN
  support phone        none
  CSP region           from the country (North America, Europe, Latin America, Asia Pacific;
                       else none)
  regions served       the country
  listing profile      none
  invitation links     https://partner.microsoft.com/dashboard/v2/indirectpartners/invitation

Open it with `twotier --operator UPN` (the --admin UPN; or set `operator` in the config file):
at the default path the console prefers it to the demo book; elsewhere add --db PATH.

Example:
  twotier init --company "Contoso Distribution" --partner-id 1234567 \
    --tenant-id 484e548c-6ae5-4d12-b6a2-3b7ab5c5e2f1 --country US --admin ava@contoso.com"#;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of indirect resellers
    #[arg(long, default_value_t = 12)]
    pub resellers: u32,
    /// Number of customers
    #[arg(long, default_value_t = 60)]
    pub customers: u32,
    /// Number of subscriptions, spread evenly over the customers
    #[arg(long, default_value_t = 150)]
    pub subscriptions: u32,
    /// Random seed: the same seed and date give the same data
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// The day the dates are laid out from (YYYY-MM-DD) [default: today, UTC]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Replace the file even when it holds a real (not demo) book
    #[arg(long)]
    pub force: bool,
}

/// The help text's footer: where data, config and logs live on this machine (the paths come from
/// HOME and the XDG variables, so they are shown with visible escapes).
pub fn files_help(paths: &Paths) -> String {
    format!(
        "Files:\n  database  {}  (your own book; the console opens it when it exists)\n  \
         demo      {}  (the demo book, otherwise; `twotier demo` writes it)\n  \
         config    {}\n  log       {}  (level: TWOTIER_LOG=debug)\n\n\
         Keys: press ? in the app for every key of the current screen.",
        shown_path(&paths.default_db()),
        shown_path(&paths.demo_db()),
        shown_path(&paths.config_file),
        shown_path(&paths.log_file)
    )
}

#[derive(Debug, Subcommand)]
pub enum CustomersCommand {
    /// List the customers by company name
    List {
        /// Only the customers of the indirect reseller (active or removed) with this PartnerID
        #[arg(long, value_name = "PARTNER_ID")]
        reseller: Option<String>,
        /// Only customers whose company name, primary domain or Microsoft ID contains TEXT (any
        /// case, any accent: "toso" finds Contoso, "zurich" Zürich)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Only the customers a sync marked removed: Partner Center no longer lists them (kept in
        /// the book, left out of every list otherwise)
        #[arg(long)]
        removed: bool,
        /// JSON (one array) instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Add a customer and its subscriptions from a JSON description (--help: the fields)
    ///
    /// The customer, its Microsoft Customer Agreement acceptance, its order and subscriptions,
    /// its reseller and the activity log entry are written in one transaction: all or nothing.
    /// The admin user name and temporary password are printed once, to stdout.
    #[command(after_long_help = CUSTOMERS_ADD_HELP)]
    Add {
        /// The JSON description of the customer: a file, or - to read it from stdin
        #[arg(long, value_name = "FILE|-")]
        from: PathBuf,
        /// Print the credentials as one JSON object instead of `USER<TAB>PASSWORD`
        #[arg(long)]
        json: bool,
    },
}

/// `customers add --help`: the fields of the JSON description and what the command prints.
pub const CUSTOMERS_ADD_HELP: &str = r#"The description is one JSON object; a field not listed here is an error. `?` marks a field that
may be left out (or null); every other one is required.

  company_name                   the customer's exact legal name
  domain_prefix                  letters and digits, at most 27: <prefix>.onmicrosoft.com, not taken
  first_name, last_name          the customer's contact person
  email                          the contact's email (not at microsoft.com, not at your own domain)
  phone?                         digits and + - ( ); required in some countries (BR, IN, PL, ...)
  address_line1, address_line2?
  city, state?, postal_code?
  country                        ISO 3166 alpha-2, such as US
  culture?, language?            such as en-US and en [default: from the country, as the console]
  registration_number?           only where the country requires one, and there it is required
  reseller_partner_id?           the indirect reseller, by PartnerID [default: none, a direct customer]
  mca                            the Microsoft Customer Agreement acceptance:
                                   {"signer_name", "signer_email", "date_agreed": "YYYY-MM-DD"}
  subscriptions                  the order, one line per offer ([] for none):
                                   [{"offer_id", "quantity", "term"?, "billing_cycle"?}]
                                   term: P1M, P1Y or P3Y, as the offer allows [default: P1Y]
                                   billing_cycle: monthly, annual or triennial, no longer than
                                   the term [default: monthly]
  partner_of_record_partner_id?  the reseller credited as partner of record, by PartnerID
                                   [default: reseller_partner_id; null: none]
  attest_partner_of_record       true accepts the partner-of-record attestation (required to
                                   credit a reseller)

Every field is checked by the rules of the console's Add new customer form. A refusal names each
field that needs attention and says why, exits with status 1, and writes nothing. Your role must
allow add-customer, and place-orders when there are subscriptions (a User admin adds a customer
with "subscriptions": [] only).

Output: the admin user name, a tab and the temporary password, on one line of stdout (--json: an
object with admin_user_name, temporary_password, microsoft_id, primary_domain and subscriptions).
The password is printed this once: never to stderr, the log or the database.

Example:
  {"company_name": "Fabrikam Robotics", "domain_prefix": "fabrikamrobotics",
   "first_name": "Ana", "last_name": "Silva", "email": "ana@fabrikam.example",
   "address_line1": "1 Main St", "city": "Seattle", "state": "WA", "postal_code": "98101",
   "country": "US", "reseller_partner_id": "5139005",
   "mca": {"signer_name": "Ana Silva", "signer_email": "ana@fabrikam.example",
           "date_agreed": "2026-10-30"},
   "subscriptions": [{"offer_id": "CFQ7TTC0LCHC", "quantity": 25}],
   "attest_partner_of_record": true}"#;

#[derive(Debug, Subcommand)]
pub enum SubscriptionsCommand {
    /// List the subscriptions, customer by customer
    List {
        /// Only this customer's subscriptions: its Microsoft ID (tenant ID) or primary domain
        #[arg(long, value_name = "ID")]
        customer: Option<String>,
        /// Only subscriptions with the reseller (active or removed) with this PartnerID as
        /// partner of record
        #[arg(long, value_name = "PARTNER_ID")]
        reseller: Option<String>,
        /// Only subscriptions whose customer (company name, domain, Microsoft ID), partner of
        /// record (name, PartnerID), offer or subscription ID contains TEXT (any case, any accent)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// JSON (one array) instead of a table
        #[arg(long)]
        json: bool,
    },
    /// What renews or expires soon: subscriptions by commitment end date, grouped overdue,
    /// 0–30, 31–60 and 61–90 days (the console's Renewals screen, 6)
    Renewals(RenewalsArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// What to export
    #[arg(value_enum)]
    pub what: ExportWhat,
    /// csv: Partner Center's columns, safe to open in a spreadsheet; json: the objects of
    /// `list --json`
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Write to FILE (complete, or not at all) instead of stdout
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportWhat {
    Customers,
    Subscriptions,
    Resellers,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds
    #[arg(value_enum)]
    pub what: ImportWhat,
    /// The CSV file (UTF-8, with or without a byte order mark; a header line first)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Check every row and say what would be added, updated and unchanged; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Subscriptions only: the customer (Microsoft ID or company name) of each row that names
    /// none, as in Partner Center's export of one customer's subscriptions
    #[arg(long, value_name = "CUSTOMER")]
    pub customer: Option<String>,
    /// Print the report as one JSON object
    #[arg(long)]
    pub json: bool,
    /// No progress bar (it is shown only when stderr is a terminal)
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportWhat {
    Resellers,
    Customers,
    Subscriptions,
}

const IMPORT_HELP: &str = "\
Import in this order: resellers, then customers (they name their reseller), then subscriptions
(they name their customer, partner of record and support contact). Rows are matched by PartnerID,
Microsoft ID and Subscription ID; importing the same file again changes nothing.

Headers match in any case and order; unknown columns are ignored and listed. Any invalid row: nothing
is imported, each problem is printed as FILE:LINE: column \"X\": what is wrong, and the exit status is 1.
The whole import is one transaction: interrupted, it leaves the book as it was.

  twotier export customers --format csv --out customers.csv
  twotier import customers customers.csv --dry-run";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// List the operators with their roles
    List {
        /// JSON (one array) instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Add an operator (User admin or Global admin)
    Add {
        /// The operator's UPN (sign-in name), such as ava@contoso.com
        upn: String,
        /// global-admin, user-admin, admin-agent, sales-agent, billing-admin or helpdesk-agent
        #[arg(long, value_parser = RoleParser)]
        role: Role,
        /// The operator's display name [default: the UPN]
        #[arg(long, default_value = "")]
        name: String,
    },
    /// Disable an operator: it can no longer use twotier
    Disable { upn: String },
    /// Enable a disabled operator again
    Enable { upn: String },
    /// Change an operator's role
    SetRole {
        upn: String,
        #[arg(long, value_parser = RoleParser)]
        role: Role,
    },
}

#[derive(Debug, Subcommand)]
pub enum ActivityCommand {
    /// List the activity log, newest first
    List {
        /// JSON (one array) instead of a table
        #[arg(long)]
        json: bool,
        /// Only entries by operators whose UPN starts with this (`--operator` is who you act as)
        #[arg(long, value_name = "OPERATOR")]
        by: Option<String>,
        /// Only entries whose action starts with this (such as "Partnership")
        #[arg(long)]
        action: Option<String>,
        /// Only entries whose target starts with this
        #[arg(long)]
        target: Option<String>,
        /// At most this many entries
        #[arg(long, default_value_t = 1000)]
        limit: usize,
    },
}

/// `--role`: a role's key. clap's own refusal of a value quotes it raw, so this one builds the
/// same message around the value with visible escapes.
#[derive(Debug, Clone, Copy)]
struct RoleParser;

impl clap::builder::TypedValueParser for RoleParser {
    type Value = Role;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Role, clap::Error> {
        use clap::error::{ContextKind, ContextValue, ErrorKind};
        if let Some(role) = value.to_str().and_then(Role::from_key) {
            return Ok(role);
        }
        let mut err = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
        let arg = arg.map_or_else(|| "--role <ROLE>".to_owned(), ToString::to_string);
        let known = Role::ALL.iter().map(|r| r.key().to_owned()).collect();
        err.insert(ContextKind::InvalidArg, ContextValue::String(arg));
        err.insert(
            ContextKind::InvalidValue,
            ContextValue::String(escaped(&value.to_string_lossy()).into_owned()),
        );
        err.insert(ContextKind::ValidValue, ContextValue::Strings(known));
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    fn role_error(role: &str) -> String {
        let args = ["twotier", "users", "add", "ava@example.com", "--role", role];
        Cli::try_parse_from(args).unwrap_err().to_string()
    }

    #[test]
    fn roles_parse_by_key() {
        let cli =
            Cli::try_parse_from(["twotier", "users", "add", "a@b.com", "--role", "user-admin"])
                .unwrap();
        assert!(matches!(
            cli.command,
            Some(Command::Users(UsersCommand::Add {
                role: Role::UserAdmin,
                ..
            }))
        ));
    }

    #[test]
    fn an_unknown_role_is_quoted_escaped_with_the_known_ones() {
        let err = role_error("boss\u{1b}]0;x\u{7}\u{202e}");
        assert!(
            err.contains("invalid value 'boss\\u{1b}]0;x\\u{7}\\u{202e}' for '--role <ROLE>'"),
            "{err}"
        );
        assert!(!err.contains(['\u{1b}', '\u{7}', '\u{202e}']), "{err:?}");
        assert!(
            err.contains("global-admin") && err.contains("helpdesk-agent"),
            "{err}"
        );
    }

    #[test]
    fn the_files_footer_escapes_hostile_paths() {
        let paths = Paths {
            data_dir: "/home/a\u{9b}b/.local/share/twotier".into(),
            config_file: "/home/a\u{9b}b/.config/twotier/config.toml".into(),
            log_file: "/home/a\u{9b}b/.local/state/twotier/twotier.log".into(),
        };
        let help = files_help(&paths);
        assert!(!help.contains('\u{9b}'), "{help:?}");
        assert_eq!(help.matches("/home/a\\u{9b}b/").count(), 4, "{help}");
    }
}
