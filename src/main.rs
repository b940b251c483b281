fn main() -> std::process::ExitCode {
    portreg::cli::main()
}
