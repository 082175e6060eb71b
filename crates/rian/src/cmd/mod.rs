//! One short file per subcommand: wiring between the command line and rian-core.

mod eval;
mod exchange;
mod extract;
mod forums;
mod import;
mod init;
mod report;
mod search;
mod segment;
mod serve;
mod sites;
mod synthesis;
mod user;

use crate::cli::{Cli, Command, StoreArgs};
use rian_core::Result;
use rian_core::store::{Location, OpenMode, Store};

pub async fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Init { demo } => init::run(&cli.store, demo).await,
        Command::Import(args) => import::run(&cli.store, &args).await,
        Command::Migrate => init::migrate(&cli.store).await,
        Command::Copy(args) => init::copy(&cli.store, &args).await,
        Command::Sites { json } => sites::run(&cli.store, json).await,
        Command::Forums { site, json } => forums::run(&cli.store, site.as_deref(), json).await,
        Command::Extract { file, json } => extract::run(&file, json),
        Command::Eval { dir, show } => eval::run(&dir, show),
        Command::Segment { file, sep } => segment::run(file.as_deref(), &sep),
        Command::Search(args) => search::search(&cli.store, &args).await,
        Command::Concordance(args) => search::concordance(&cli.store, &args).await,
        Command::Reindex => search::reindex(&cli.store).await,
        Command::Matrix(args) => synthesis::matrix(&cli.store, &args).await,
        Command::Network(args) => synthesis::network(&cli.store, &args).await,
        Command::Map(args) => synthesis::map(&cli.store, &args).await,
        Command::Report(args) => report::run(&cli.store, &args).await,
        Command::Agreement(args) => synthesis::agreement(&cli.store, &args).await,
        Command::Export(args) => exchange::export(&cli.store, &args).await,
        Command::ImportProject(args) => exchange::import(&cli.store, &args).await,
        Command::ImportSites(args) => exchange::import_sites(&cli.store, &args).await,
        Command::ImportForums(args) => exchange::import_forums(&cli.store, &args).await,
        Command::Form(args) => exchange::form(&cli.store, &args).await,
        Command::ImportSubmissions(args) => exchange::import_submissions(&cli.store, &args).await,
        Command::Serve {
            demo,
            addr,
            user,
            login,
            plain_http,
            backup_dir,
            backup_keep,
        } => {
            let mode = serve::Mode {
                user: user.trim().to_string(),
                login,
                plain_http,
                backups: backup_dir.map(|dir| (dir, backup_keep as usize)),
            };
            serve::run(&cli.store, demo, addr, &mode).await
        }
        Command::User(command) => user::run(&cli.store, command).await,
        Command::Check { json } => init::check(&cli.store, json).await,
        Command::Backup { output } => init::backup(&cli.store, &output).await,
        Command::Restore { file } => init::restore(&cli.store, &file).await,
    }
}

/// The store the global options name.
fn location(args: &StoreArgs) -> Result<Location> {
    Location::resolve(args.db.as_deref(), &args.data_dir)
}

async fn open(args: &StoreArgs, mode: OpenMode) -> Result<Store> {
    Store::open_with(&location(args)?, mode).await
}
