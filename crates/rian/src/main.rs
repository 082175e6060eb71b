//! `rian`: the command line. It parses, calls one subcommand, prints an error once and
//! exits with a documented code: 0 success, 1 the input was refused (or rian failed; the
//! one-line reason is on stderr), 2 a usage error (from the argument parser).

mod cli;
mod cmd;
mod table;

use clap::Parser;
use std::process::ExitCode;

// The workbench server allocates for every request on every thread, and the search
// index's writers for every change: glibc's allocator spent about 8 % of the server's
// time under issue 10's load test, more than mimalloc does (figures in BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("rian: เริ่มทำงานไม่ได้ / cannot start: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(cmd::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`rian search … | head`): not a failure.
        Err(rian_core::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("rian: {e}");
            ExitCode::from(1)
        }
    }
}
