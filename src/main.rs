fn main() -> std::process::ExitCode {
    let code = twotier::main();
    // The console ended by a signal, or with its terminal gone (as SIGHUP): 128 + the signal.
    match twotier::runtime::exit_status() {
        Some(status) => status.into(),
        None => code,
    }
}
