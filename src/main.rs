fn main() -> std::process::ExitCode {
    zhibiao::cli::run()
}
