fn main() -> std::process::ExitCode {
    twotier::main()
}
