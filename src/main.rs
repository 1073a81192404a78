fn main() -> std::process::ExitCode {
    dactyl::cli::main()
}
