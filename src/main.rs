use std::process::ExitCode;

use rfsession::cli::Cli;
use rfsession::exit;
use rfsession::output::escape_controls;

fn main() -> ExitCode {
    rfsession::harden();
    let cli = match Cli::parse_words(std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::ExitCode::Usage
            } else {
                exit::ExitCode::Success
            };
            let _ = e.print();
            return code.into();
        }
    };
    match rfsession::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("rfsession: {}", escape_controls(&e.to_string()));
            e.exit_code().into()
        }
    }
}
