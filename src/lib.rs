//! twotier: a keyboard-first terminal console for Cloud Solution Provider indirect providers.
//!
//! A key press travels one way: keymap → `Action` → pure `update` → `Effect`s carried out by the
//! runtime (the store worker thread owns SQLite) → replies come back as actions → pure `view`.
//!
//! # Where things are
//!
//! Layers point down (`domain` below `store` below `app` below `ui`), no module imports one that
//! imports it back, and no file passes 600 lines; `tests/architecture.rs` checks all three.
//!
//! - `domain/`: the vocabulary and its rules, pure (ids, customer, invitation, operator, role,
//!   permission, credentials, text). It imports nothing else of twotier.
//! - `store/`: the only SQL. `Store` is the one type the worker, the scripting commands and the
//!   tests use; each file holds one family of tables and its commands (resellers, customers,
//!   subscriptions, invitations, operators, provider), `list.rs` the keyset pages, `migrations/`
//!   the schema, `import/` the CSV import (one transaction; its column lists are the export's). `worker.rs` is the thread that owns the connection: a `DbCmd` goes in with the
//!   caller's address, its `DbReply` comes back with the same one.
//! - `app/`: the state, pure. `screens/NAME.rs` is one screen or modal: its state, its keys
//!   (`KEYS`) and its `Model` (`on_command`, `on_reply`, `on_text`, `on_answer`, `permission`).
//!   `screens/mod.rs` lists them once (`with_rooms!`), which writes the registry and the view's
//!   dispatch. `update.rs` only routes (global keys, the modal stack, navigation) and carries out
//!   the `Outcome` a model returns; `outcome.rs` is what a model may answer (effects, close, `Open`
//!   a layer above, `Answer` the layer below, toast, reload, go); `nav.rs` names the screens and
//!   the reply addresses (`To`); `keys.rs` holds the binding types and the shared key sets, and
//!   `keymap.rs` reads the models' keys for mapping, the footer and help.
//! - `ui/`: the view, pure. `screens/NAME.rs` draws the model of the same name; `chrome.rs` the
//!   header, menu, footer and toasts; `widgets/` the shared pieces.
//! - At the edge: `runtime.rs` (terminal, event loop, effects), `platform/` (clipboard, mail),
//!   `cli.rs` and `scripting/` (the commands), `export.rs`, `config.rs`, `logging.rs`.
//!
//! Adding
//! - a modal: `app/screens/NAME.rs` (its struct, `KEYS`, `impl Model`), `ui/screens/NAME.rs`
//!   (`pub fn view(model, state, theme, frame, area)`) and one line in `with_rooms!`; whatever
//!   opens it names it in `outcome::Open`, built in `screens::open`.
//! - a screen: the same two files with `impl ScreenModel` and `ScreenInfo` (label, menu digit,
//!   parent, permission), one line in `with_rooms!` and its name in `nav::Screen` (the compiler
//!   points at each; a menu screen also gets its digit in `keys::GLOBAL`).
//! - a store query: a method on `Store` in the `store/` file of its tables; for the console, a
//!   `DbCmd` and `DbReply` variant in `store/worker.rs`, answered by the model that asks.
//! - the Partner Center client: `src/partner_center/` (auth, typed requests, retry), beside
//!   `store/` and above `domain/`; neither imports the other, a sync layer above both maps remote resources to
//!   store commands, and `ui` never sees a remote type.
//! - `sync/`: the pull, above both rooms: Partner Center's profile, resellers, customers and
//!   subscriptions mapped with the domain rules (`sync/map.rs`) into store commands
//!   (`store/sync*.rs`), a page or a batch per transaction, resumable from its cursor; full, or
//!   incremental from the audit records.
//!   `sync/write.rs` the write-through of a connected book (rehearse the book's rules, call
//!   Partner Center, record its answer: `store/write_through.rs`).
//! - a second backend (PostgreSQL): inside `store/` (`store/sqlite/`, `store/postgres/`, each its
//!   own SQL and migrations), `Store` staying the one public type.

pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod export;
pub mod logging;
pub mod partner_center;
pub mod platform;
pub mod runtime;
pub mod scripting;
pub mod store;
pub mod sync;
pub mod ui;

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{CommandFactory, FromArgMatches};

use cli::{Cli, Command, DemoArgs};
use config::{Config, Paths};
use domain::text;
use store::demo::{self, DemoParams};
use store::{Opened, Store};

/// The program: parse the command line, run, and turn any error into a message and exit code 1.
pub fn main() -> ExitCode {
    let paths = Paths::discover();
    let parsed = Cli::command()
        .after_help(cli::files_help(&paths))
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => exit_with_usage(e),
    };
    match run(cli, &paths) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("twotier: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Help and version go to stdout as they are; a usage error quotes what was typed, so its text
/// is escaped line by line.
fn exit_with_usage(e: clap::Error) -> ! {
    if !e.use_stderr() {
        e.exit()
    }
    let text = e.render().to_string();
    let shown: Vec<_> = text.lines().map(text::escaped).collect();
    eprintln!("{}", shown.join("\n"));
    std::process::exit(e.exit_code())
}

pub fn run(cli: Cli, paths: &Paths) -> anyhow::Result<()> {
    let config_path = cli
        .config
        .clone()
        .unwrap_or_else(|| paths.config_file.clone());
    let config = Config::load(&config_path)?;
    if let Err(e) = logging::init(&paths.log_file) {
        // Not fatal: the app works without a log.
        eprintln!(
            "twotier: no log file ({}: {e})",
            text::shown_path(&paths.log_file)
        );
    }
    let given = cli.db.clone().or(config.db.clone());
    // Signed in to Partner Center, twotier acts as that account, not as --operator.
    let signed_in_as = scripting::partner_center::kept_account(&config);
    let named = || cli.operator.clone().or(config.operator.clone());
    let operator = signed_in_as
        .clone()
        .unwrap_or_else(|| named().unwrap_or_else(os_user));
    let signed_in = signed_in_as.is_some();
    // The book a scripting command works on, acting as the operator.
    let book = || {
        script_store(
            &script_db(given.as_deref(), paths)?,
            &operator,
            signed_in,
            &config,
        )
    };
    match cli.command {
        None => {
            if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
                bail!(
                    "the console needs a terminal. For scripts, see `twotier --help` for the subcommands."
                );
            }
            // Your own book at the default path if there is one, else the demo book.
            let db = given.clone().unwrap_or_else(|| {
                let own = paths.default_db();
                if holds_a_book(&own) {
                    own
                } else {
                    paths.demo_db()
                }
            });
            let mut store = open_or_seed(&db, &operator)?;
            // Said with the book's path: your own book opens instead of the demo once it exists.
            let operator = scripting::partner_center::acting_as(&store, &operator, signed_in)
                .with_context(|| format!("opening {}", text::shown_path(&db)))?;
            store.act_as(operator.clone());
            store.configure(settings(&config));
            tracing::info!(db = %text::shown_path(&db), operator = %operator.upn, "starting the console");
            let options = runtime::Options {
                mail_command: config.mail_command.clone(),
                eml_dir: paths.data_dir.join("drafts"),
                expiry_days: store.settings().invitation_expiry_days,
                matrix: store.settings().matrix.clone(),
                own_book: runtime::own_book_at(&paths.default_db()),
                config_file: config_path.clone(),
                remote: match &config.partner_center {
                    Some(pc) => app::state::RemoteLink::PartnerCenter {
                        tenant: pc.tenant.clone(),
                    },
                    None => app::state::RemoteLink::Offline,
                },
                partner_center: config.partner_center.clone(),
                signed_in_as,
                db: db.clone(),
            };
            runtime::run_tui(store, operator, options)
        }
        Some(Command::Demo(args)) => {
            // Not the config file's `db`: that names your own book, never the demo's.
            let db = cli.db.clone().unwrap_or_else(|| paths.demo_db());
            recreate_demo(&db, &args, &operator)
        }
        Some(Command::Init(args)) => {
            let db = given.unwrap_or_else(|| paths.default_db());
            init_book(&db, &args, db == paths.default_db(), &config_path)
        }
        Some(Command::Resellers(command)) => {
            if matches!(command, cli::ResellersCommand::Remove { .. }) {
                scripting::partner_center::refuse_local_only(
                    &config,
                    "not removed",
                    "Partner Center has no call to remove a partnership, so remove it there (Indirect resellers), \
                     and `twotier sync` marks it removed here",
                )?;
            }
            scripting::resellers(&mut book()?, command)
        }
        Some(Command::Invitations(command)) => {
            if matches!(command, cli::InvitationsCommand::Accept { .. }) {
                scripting::partner_center::refuse_local_only(
                    &config,
                    "not recorded",
                    "a reseller that accepted is in Partner Center's list of indirect resellers, and `twotier sync` \
                     marks its request Accepted",
                )?;
            }
            scripting::invitations(&mut book()?, command)
        }
        Some(Command::Users(command)) => scripting::users(&mut book()?, command),
        Some(Command::Activity(command)) => scripting::activity(&mut book()?, command),
        Some(Command::Customers(command)) => scripting::customers(&mut book()?, command, &config),
        Some(Command::Subscriptions(command)) => scripting::subscriptions(&mut book()?, command),
        Some(Command::Export(args)) => scripting::export(&mut book()?, args),
        Some(Command::Import(args)) => {
            if !args.dry_run {
                scripting::partner_center::refuse_local_only(
                    &config,
                    "not imported",
                    "its resellers, customers and subscriptions come from Partner Center: `twotier sync` pulls them \
                     (import works on a book whose config has no [partner_center]; --dry-run still checks a file)",
                )?;
            }
            scripting::import::run(&mut book()?, args)
        }
        Some(Command::Backup(args)) => {
            let db = script_db(given.as_deref(), paths)?;
            let started = std::time::Instant::now();
            let done = store::backup::backup(&db, &args.file, args.force)?;
            for left in &done.removed_leftovers {
                println!(
                    "Removed {}, left by an interrupted twotier backup.",
                    text::shown_path(left)
                );
            }
            println!(
                "Backed up {} to {}{} ({} KiB, schema version {}) in {:.1} s; the copy passed the integrity check.",
                text::shown_path(&db),
                text::shown_path(&args.file),
                if done.replaced { ", replacing it" } else { "" },
                done.bytes.div_ceil(1024),
                done.schema_version,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Some(Command::Signin) => scripting::partner_center::signin(&config, &config_path),
        Some(Command::Signout) => scripting::partner_center::signout(&config, &config_path),
        Some(Command::Status(args)) => {
            // Best effort: without a readable book, the last sync is unknown (never).
            let book = script_db(given.as_deref(), paths)
                .ok()
                .and_then(|db| Store::open(&db).ok())
                .and_then(|(store, _)| store.sync_state().ok());
            scripting::partner_center::status(&config, &config_path, args.json, book)
        }
        Some(Command::Sync(args)) => {
            scripting::partner_center::sync(&config, &config_path, &book()?, args.full)
        }
        Some(Command::Restore(args)) => {
            let db = given.unwrap_or_else(|| paths.default_db());
            let done = store::backup::restore(&args.file, &db, args.force, &operator)?;
            for left in &done.removed_leftovers {
                println!(
                    "Removed {}, left by an interrupted twotier restore.",
                    text::shown_path(left)
                );
            }
            let kept = match &done.kept {
                Some(kept) => format!("; the replaced book is kept as {}", text::shown_path(kept)),
                None => String::new(),
            };
            println!(
                "Restored {} from {} (schema version {}){kept}.",
                text::shown_path(&db),
                text::shown_path(&args.file),
                done.schema_version
            );
            Ok(())
        }
    }
}

/// The book a scripting command reads or changes: the path given, or your own book at the default
/// path, or the demo book. A script never creates a book: a missing one is an error, with how to
/// make one, and no file or folder is created (nor is an empty file made into a book).
fn script_db(given: Option<&Path>, paths: &Paths) -> anyhow::Result<std::path::PathBuf> {
    match given {
        Some(path) if holds_a_book(path) => Ok(path.to_owned()),
        Some(path) => bail!(
            "no twotier database at {}{}. Make one with `twotier init --db {} …` (your own, empty) or `twotier demo --db {}` (demo data), or check the path.",
            text::shown_path(path),
            if path.is_file() { " (an empty file: remove it first)" } else { "" },
            text::shown_path(path),
            text::shown_path(path)
        ),
        None => [paths.default_db(), paths.demo_db()]
            .into_iter()
            .find(|p| holds_a_book(p))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "no twotier database yet (looked for {} and {}). `twotier init` sets up your own; `twotier` opens the console on a new \
                     demo book; --db PATH names another.",
                    text::shown_path(&paths.default_db()),
                    text::shown_path(&paths.demo_db())
                )
            }),
    }
}

/// A file with something in it: an empty one (a `touch`, or an `init` killed before it wrote) is
/// not a book, and only the console or `twotier demo` make one of it.
fn holds_a_book(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0)
}

/// The store for a scripting command, acting as the operator.
fn script_store(
    db: &Path,
    operator: &str,
    signed_in: bool,
    config: &Config,
) -> anyhow::Result<Store> {
    let (mut store, _) = Store::open(db)?;
    let operator = scripting::partner_center::acting_as(&store, operator, signed_in)?;
    store.act_as(operator);
    store.configure(settings(config));
    Ok(store)
}

/// The store's rules from the config file.
fn settings(config: &Config) -> store::Settings {
    let defaults = store::Settings::default();
    store::Settings {
        invitation_expiry_days: config
            .invitations
            .expiry_days
            .unwrap_or(defaults.invitation_expiry_days),
        invitation_base_url: config.invitations.base_url.clone(),
        // Checked when the config was read: an invalid override never gets this far.
        matrix: config.matrix().unwrap_or_default(),
    }
}

/// Opens the database; a new one is filled with the embedded demo data first, under the write
/// lock that made it, so processes starting together on a new path make one book.
pub fn open_or_seed(db: &Path, operator: &str) -> anyhow::Result<Store> {
    let (store, opened) = Store::open_or_fill(db, |store| {
        let params = DemoParams::default_for(chrono::Utc::now().date_naive());
        demo::seed(store, &params, operator).context("filling the new database with demo data")
    })?;
    if opened == Opened::Created {
        tracing::info!(db = %text::shown_path(db), "created a new database with demo data");
    }
    Ok(store)
}

/// `twotier demo`: builds the database in a temporary file beside the target and renames it into
/// place, so the old database stays whole until the new one is complete.
fn recreate_demo(db: &Path, args: &DemoArgs, operator: &str) -> anyhow::Result<()> {
    // Held from the check until the new book is in place: a book open in a console or a script
    // is never replaced under it (its next write would vanish with the old file).
    let _replacing = if db.exists() {
        // Refuses (untouched) anything that is not a twotier database.
        store::inspect_existing(db)?;
        let lock = store::lock_for_replacing(db)?;
        if !args.force && store::provider::holds_a_real_book(db)? {
            bail!(
                "{} holds a real book, not demo data: twotier demo does not replace it (nothing was changed). \
                 Choose another file with --db, or add --force to replace it.",
                text::shown_path(db)
            );
        }
        Some(lock)
    } else {
        None
    };
    let params = DemoParams {
        resellers: args.resellers,
        customers: args.customers,
        subscriptions: args.subscriptions,
        seed: args.seed,
        as_of: args
            .as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive()),
    };
    let dir = db
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", text::shown_path(dir)))?;
    for left in remove_interrupted_builds(dir) {
        println!(
            "Removed {}, left by an interrupted twotier demo.",
            text::shown_path(&left)
        );
    }
    let tmp = dir.join(format!("{DEMO_BUILD_PREFIX}{}.db", std::process::id()));
    let started = std::time::Instant::now();
    let result = (|| {
        let (mut store, _) = Store::open(&tmp)?;
        // Kept until the rename: marks the file as a build in progress, not a leftover.
        let building = std::fs::File::open(&tmp)?;
        building.lock_shared()?;
        store.bulk_load()?;
        demo::seed(&store, &params, operator)?;
        store.finish_bulk_load()?;
        store.close()?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(sidecar(db, suffix));
        }
        std::fs::rename(&tmp, db)
            .with_context(|| format!("moving the new database to {}", text::shown_path(db)))
    })();
    if result.is_err() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar(&tmp, suffix));
        }
    }
    result?;
    println!(
        "Created {} with {} resellers, {} customers and {} subscriptions (seed {}, as of {}) in {:.1} s.",
        text::shown_path(db),
        params.resellers,
        params.customers,
        params.subscriptions,
        params.seed,
        params.as_of,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `twotier init`: a new, empty book of your own; says what was made and how to open it.
fn init_book(
    db: &Path,
    args: &cli::InitArgs,
    at_default: bool,
    config_file: &Path,
) -> anyhow::Result<()> {
    let new = store::init::NewBook {
        company: args.company.clone(),
        partner_id: args.partner_id.clone(),
        tenant_id: args.tenant_id.clone(),
        country: args.country.clone(),
        admin_upn: args.admin.clone(),
        admin_name: args.admin_name.clone(),
    };
    let made = store::init::create_book(db, &new)?;
    let p = &made.provider;
    println!(
        "Created {}: {} (PartnerID {}, tenant {}, {}), Global admin {}, {} offers in the catalog, \
         no resellers, no customers.",
        text::shown_path(db),
        text::escaped(&p.company_name),
        p.partner_id,
        p.tenant_id,
        p.country,
        text::escaped(&made.admin_upn),
        made.offers
    );
    if at_default {
        // Plain `twotier` opens this book; it should act as its admin, not the OS user.
        let remembered = config::remember_operator(config_file, &made.admin_upn)
            .with_context(|| format!("writing {}", text::shown_path(config_file)))?;
        println!("{}", remembered.advice(config_file, &made.admin_upn));
    } else {
        println!(
            "Open it: twotier --db {} --operator {} (or set `operator` in the config file).",
            text::shown_path(db),
            text::escaped(&made.admin_upn)
        );
    }
    Ok(())
}

/// The temporary file of a demo build is `<this><pid>.db` beside the target.
const DEMO_BUILD_PREFIX: &str = ".twotier-demo-";

/// Removes the temporary files of demo builds that were killed: those no running build holds
/// locked. Returns what was removed.
fn remove_interrupted_builds(dir: &Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut removed = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix(DEMO_BUILD_PREFIX) else {
            continue;
        };
        let Some(pid) = rest.strip_suffix(".db") else {
            continue;
        };
        if pid.is_empty() || !pid.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let path = entry.path();
        let Ok(file) = std::fs::File::open(&path) else {
            continue;
        };
        // A build in progress holds a shared lock on its file until it is renamed into place.
        if file.try_lock().is_err() {
            continue;
        }
        for suffix in ["-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(sidecar(&path, suffix));
        }
        if std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    removed
}

fn sidecar(db: &Path, suffix: &str) -> std::path::PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push(suffix);
    name.into()
}

/// The OS user, as the default operator.
fn os_user() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()))
        .or_else(|| whoami::username().ok())
        .unwrap_or_else(|| "operator".to_owned())
}
