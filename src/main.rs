fn main() -> std::process::ExitCode {
    portreg::run_cli()
}
