fn main() -> std::process::ExitCode {
    zhibiao::run()
}
