//! Untrusted input cannot crash, hang or read the machine: one regression
//! test per way it once could, each showing the bound that now holds
//! (a limit, a budget, a diagnostic) rather than timing the run.

use std::path::{Path, PathBuf};
use std::process::Command;

use zhibiao::data::Dataset;
use zhibiao::limits::MAX_NESTING;
use zhibiao::report::diagnostics::{render, Style};
use zhibiao::{CheckOptions, Status};

const DECLARATIONS: &str = "scope 日照市\nindicator 床位数: 张\nindicator 县域就诊率: %\n";

fn data() -> Dataset {
    Dataset::from_csv_str(
        "data.csv",
        "地区,上级,年份,指标,值\n日照市,,2024,床位数,10\n东港区,日照市,2024,床位数,4\n",
    )
    .expect("the test data loads")
}

/// Runs `work` on a thread with a 1 MiB stack, the main thread's size on
/// Windows: overflowing it would abort the test binary.
fn on_one_mib_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(work)
        .expect("spawn")
        .join()
        .expect("no panic")
}

/// Every function at the deepest nesting the parser accepts compiles,
/// checks, describes and renders on a 1 MiB stack.
#[test]
fn the_deepest_accepted_nesting_fits_a_one_mib_stack() {
    on_one_mib_stack(|| {
        let data = data();
        let wrappers: [(&str, &str); 5] = [
            ("max(下级, ", ")"),
            ("avg(下属, ", ")"),
            ("(", ")"),
            ("max(", ", 2020..2024)"),
            ("-(", ")"),
        ];
        for (open, close) in wrappers {
            let depth = MAX_NESTING - 1;
            let value = format!("{}床位数{}", open.repeat(depth), close.repeat(depth));
            let text = format!("{DECLARATIONS}rule {value} >= 1 by 2024\n");
            let program = zhibiao::compile(&text, "deep.rules")
                .unwrap_or_else(|diagnostics| panic!("{open}: {diagnostics}"));
            let report = program.check(&data, &CheckOptions::default());
            assert_eq!(report.outcomes.len(), 1, "{open}");
            let _ = program.describe();
        }
        for quantifier in ["all", "any"] {
            let depth = MAX_NESTING - 1;
            let condition = format!(
                "{}床位数 >= 1{}",
                format!("{quantifier}(下级, ").repeat(depth),
                ")".repeat(depth)
            );
            let text = format!("{DECLARATIONS}rule {condition} by 2024\n");
            let program = zhibiao::compile(&text, "deep.rules")
                .unwrap_or_else(|diagnostics| panic!("{quantifier}: {diagnostics}"));
            let report = program.check(&data, &CheckOptions::default());
            assert_eq!(report.outcomes.len(), 1);
        }
        // One bracket deeper is a diagnostic, rendered on the same stack.
        let depth = MAX_NESTING + 1;
        let text = format!(
            "{DECLARATIONS}rule {}床位数 >= 1{} by 2024\n",
            "all(下级, ".repeat(depth),
            ")".repeat(depth)
        );
        let diagnostics = zhibiao::compile(&text, "deep.rules").expect_err("too deep");
        assert_eq!(diagnostics.0[0].code, "too-deep");
        assert!(render(&diagnostics.0[0], Style::Fancy).contains("too-deep"));
    });
}

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/untrusted")
        .join(path)
}

/// A fresh scratch directory for files a test makes (symbolic links,
/// FIFOs, huge files), removed by the caller.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zhibiao-untrusted-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs the binary; returns its exit code, standard output and error.
fn zhibiao(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .env("NO_COLOR", "1")
        .args(args)
        .output()
        .expect("run zhibiao");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn codes(diagnostics: &zhibiao::diag::Diagnostics) -> Vec<&'static str> {
    diagnostics
        .iter()
        .map(|diagnostic| diagnostic.code.as_str())
        .collect()
}

/// miette panics when it underlines past column 65,535: a long line is now
/// shown as a window around the span, the column given in the message.
#[test]
fn a_diagnostic_past_column_65535_renders() {
    let text = format!("{}rule x\n", " ".repeat(70_000));
    let diagnostics = zhibiao::compile(&text, "wide.rules").expect_err("x is not declared");
    for style in [Style::Plain, Style::Fancy] {
        let rendered = render(&diagnostics.0[0], style);
        assert!(rendered.contains("column 70006"), "{rendered}");
        assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
    }
    // miette's own report handler, as a host might use it, too.
    let report = format!("{:?}", miette::Report::new(diagnostics.0[0].clone()));
    assert!(report.contains("unknown-indicator"));

    let dir = scratch("wide");
    let path = dir.join("wide.rules");
    std::fs::write(&path, &text).expect("write");
    let (code, _, stderr) = zhibiao(&["lint".as_ref(), path.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("wide.rules:1:70006"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without a resolver `compile` reads no file: an import of a file that
/// exists, next to the name given, is `import-not-allowed` and brings in
/// nothing (with a read it would declare 床位数 and compile).
#[test]
fn compile_without_a_resolver_reads_no_file() {
    let importer = fixture("diamond/main.rules");
    let text = "import \"shared.rules\"\nscope 日照市\nrule 床位数 >= 1 by 2024\n";
    let diagnostics =
        zhibiao::compile(text, &importer.display().to_string()).expect_err("the import is refused");
    assert_eq!(
        codes(&diagnostics),
        ["import-not-allowed", "unknown-indicator"]
    );
    // With the command line's resolver the same text compiles.
    let resolver = zhibiao::FileResolver::new([fixture("diamond")]);
    let options = zhibiao::CompileOptions {
        resolver: Some(&resolver),
    };
    zhibiao::compile_with(text, &importer.display().to_string(), &options)
        .expect("compiles with the resolver");
}

/// A diamond and a file imported twice are not cycles; a real cycle is.
#[test]
fn diamond_imports_are_not_cycles() {
    let program = zhibiao::compile_paths(&[fixture("diamond/main.rules")])
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(program.rule_count(), 2);
    assert_eq!(program.indicators().count(), 2);
}

/// The command line reads only regular `.rules` files inside the
/// directories of the files named, and never echoes another file.
#[cfg(unix)]
#[test]
fn imports_cannot_reach_outside_the_rule_tree() {
    let dir = scratch("imports");
    let secret = dir.join("secret");
    std::fs::create_dir_all(&secret).expect("dir");
    std::fs::write(secret.join("secret.rules"), "indicator 机密: %\n").expect("write");
    let rules = dir.join("rules");
    std::fs::create_dir_all(&rules).expect("dir");
    std::os::unix::fs::symlink(secret.join("secret.rules"), rules.join("link.rules"))
        .expect("link");
    std::os::unix::fs::symlink("/dev/zero", rules.join("zero.rules")).expect("link");
    let fifo = rules.join("fifo.rules");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(made.success());
    std::fs::write(rules.join("text.txt"), "not rules\n").expect("write");
    let main = rules.join("main.rules");
    std::fs::write(
        &main,
        "import \"/etc/passwd\"\n\
         import \"/proc/self/environ\"\n\
         import \"../secret/secret.rules\"\n\
         import \"link.rules\"\n\
         import \"zero.rules\"\n\
         import \"fifo.rules\"\n\
         import \"text.txt\"\n\
         import \"/dev/stdin\"\n",
    )
    .expect("write");
    let (code, stdout, stderr) = zhibiao(&["lint".as_ref(), main.as_os_str()]);
    assert_eq!(code, Some(2), "{stderr}");
    let refused = stderr.matches("import-not-found").count();
    assert_eq!(refused, 8, "{stderr}");
    for why in [
        "relative to the importing file",
        "outside the directories",
        "not a regular file",
        "only `.rules` files",
    ] {
        assert!(stderr.contains(why), "{why}: {stderr}");
    }
    assert!(!stderr.contains("root:") && !stdout.contains("root:"));
    assert!(!stderr.contains("机密"));

    // `--allow-import` widens the tree to the secret directory.
    let (code, _, stderr) = zhibiao(&[
        "lint".as_ref(),
        "--allow-import".as_ref(),
        secret.as_os_str(),
        main.as_os_str(),
    ]);
    assert_eq!(code, Some(2));
    assert_eq!(stderr.matches("import-not-found").count(), 6, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--allow-import DIR` lets a file import from beside its directory.
#[test]
fn allow_import_widens_the_tree() {
    let main = fixture("widen/main.rules");
    let (code, _, stderr) = zhibiao(&["lint".as_ref(), main.as_os_str()]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("outside the directories"), "{stderr}");
    let (code, _, stderr) = zhibiao(&[
        "lint".as_ref(),
        "--allow-import".as_ref(),
        fixture("other").as_os_str(),
        main.as_os_str(),
    ]);
    assert_eq!(code, Some(0), "{stderr}");
}

/// A tree of 1,111 entities: a root, 10 children, 100 grandchildren,
/// 1,000 below them, each with 床位数 in 2024.
fn big_tree() -> Dataset {
    let mut csv = String::from("地区,上级,年份,指标,值\n全国,,2024,床位数,5\n");
    for a in 0..10 {
        csv.push_str(&format!("省{a},全国,2024,床位数,{a}\n"));
        for b in 0..10 {
            csv.push_str(&format!("市{a}{b},省{a},2024,床位数,{b}\n"));
            for c in 0..10 {
                csv.push_str(&format!("县{a}{b}{c},市{a}{b},2024,床位数,{c}\n"));
            }
        }
    }
    Dataset::from_csv_str("tree.csv", &csv).expect("the tree loads")
}

/// Aggregates nested through a fixed entity cost members × depth, not
/// members to the power of the depth: three levels over 1,110 members
/// fit a budget of two million steps (without remembering, the innermost
/// would be worked out 1,110² times, over a billion steps).
#[test]
fn nested_aggregates_through_a_fixed_entity_are_polynomial() {
    let text = "scope 全国\nindicator 床位数: 张\n\
        rule share(下属, share(下属, share(下属, 床位数 @ 全国 >= 1) @ 全国 > 50%) @ 全国 > 50%) > 50% by 2024\n";
    let program = zhibiao::compile(text, "nested.rules").unwrap_or_else(|d| panic!("{d}"));
    let mut options = CheckOptions::default();
    options.budget = Some(2_000_000);
    let report = program.check(&big_tree(), &options);
    assert!(!report.budget_exceeded);
    assert_eq!(report.outcomes[0].status, Status::Pass);
}

/// A spent budget stops the check with `budget-exceeded` outcomes.
#[test]
fn a_spent_budget_is_a_budget_exceeded_outcome() {
    let text = "scope 全国\nindicator 床位数: 张\nrule avg(下属, 床位数) >= 1 by 2024\nrule 床位数 >= 1 by 2024\n";
    let program = zhibiao::compile(text, "budget.rules").unwrap_or_else(|d| panic!("{d}"));
    let mut options = CheckOptions::default();
    options.budget = Some(100);
    let report = program.check(&big_tree(), &options);
    assert!(report.budget_exceeded);
    assert_eq!(report.outcomes.len(), 2);
    for outcome in &report.outcomes {
        assert_eq!(outcome.status, Status::Error);
        let detail = outcome.detail.as_deref().unwrap_or_default();
        assert!(detail.starts_with("budget-exceeded"), "{detail}");
    }
    assert!(zhibiao::report::json(&report).contains("\"budget_exceeded\": true"));
}

/// `progress()` walks the years up to the as-of year: with data that has
/// no values that year is the last allowed one, not `i32::MAX`, and an
/// as-of year out of range is an error, not a walk of two billion years.
#[test]
fn as_of_years_are_bounded() {
    let text = "scope 日照市\nindicator 床位数: 张\nrule progress(床位数, 10, 2030, 2020) >= 0.5 by 2030\n";
    let program = zhibiao::compile(text, "progress.rules").unwrap_or_else(|d| panic!("{d}"));
    let empty = Dataset::from_csv_str("empty.csv", "地区,年份,指标,值\n日照市,2024,床位数,\n")
        .expect("loads");
    let mut options = CheckOptions::default();
    options.budget = Some(10_000);
    let report = program.check(&empty, &options);
    assert!(!report.budget_exceeded);
    assert_eq!(report.outcomes.len(), 1);

    let mut options = CheckOptions::default();
    options.as_of = Some(i32::MAX);
    let report = program.check(&empty, &options);
    assert_eq!(report.outcomes[0].status, Status::Error);
    let detail = report.outcomes[0].detail.as_deref().unwrap_or_default();
    assert!(detail.contains("outside 1900–2200"), "{detail}");

    let rules = fixture("diamond/main.rules");
    let data = fixture("data.csv");
    let (code, _, stderr) = zhibiao(&[
        "check".as_ref(),
        rules.as_os_str(),
        "--data".as_ref(),
        data.as_os_str(),
        "--as-of".as_ref(),
        "2147483647".as_ref(),
    ]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("outside 1900–2200"), "{stderr}");
}

/// A number literal too large to be finite is a diagnostic in rules, as it
/// is in data.
#[test]
fn non_finite_numbers_are_diagnosed() {
    let text = format!("{DECLARATIONS}rule 床位数 >= {} by 2025\n", "9".repeat(400));
    let diagnostics = zhibiao::compile(&text, "huge.rules").expect_err("out of range");
    assert_eq!(codes(&diagnostics), ["number-out-of-range"]);
    let csv = format!(
        "地区,年份,指标,值\n日照市,2024,床位数,{}\n",
        "9".repeat(400)
    );
    let diagnostics = Dataset::from_csv_str("huge.csv", &csv).expect_err("out of range");
    assert_eq!(codes(&diagnostics), ["data-bad-number"]);
}

/// 100,000 conditions joined by `and` exhaust the parser's backstop: that
/// is a `too-complex` diagnostic, not pest's "call limit reached".
#[test]
fn a_hundred_thousand_term_and_chain_is_too_complex() {
    let text = format!(
        "{DECLARATIONS}rule 床位数 >= 1{} by 2025\n",
        " and 床位数 >= 1".repeat(100_000)
    );
    let diagnostics = zhibiao::compile(&text, "long.rules").expect_err("too complex");
    assert_eq!(codes(&diagnostics), ["too-complex"]);
    let rendered = render(&diagnostics.0[0], Style::Plain);
    assert!(!rendered.contains("call limit"), "{rendered}");
    assert!(rendered.len() < 2_000);
}

/// A 100 MB data field is one bounded diagnostic, not 557 MB of them.
#[test]
fn a_hundred_megabyte_field_is_one_short_diagnostic() {
    let mut csv = String::from("地区,年份,指标,值\n日照市,2024,床位数,");
    csv.push_str(&"9".repeat(100 << 20));
    csv.push('\n');
    let diagnostics = Dataset::from_csv_str("big.csv", &csv).expect_err("too long");
    assert_eq!(codes(&diagnostics), ["data-field-too-long"]);
    let rendered = render(&diagnostics.0[0], Style::Plain);
    assert!(rendered.len() < 2_000, "{} bytes", rendered.len());
}

/// Diagnostics of one file stop at 200, then one says how many more.
#[test]
fn diagnostics_per_file_are_capped() {
    let mut text = String::from(DECLARATIONS);
    for at in 0..1_000 {
        text.push_str(&format!("rule 未知{at} >= 1 by 2025\n"));
    }
    let diagnostics = zhibiao::compile(&text, "many.rules").expect_err("unknown names");
    assert_eq!(diagnostics.0.len(), zhibiao::diag::MAX_PER_FILE + 1);
    let last = diagnostics.0.last().expect("a summary");
    assert_eq!(last.code, "too-many-diagnostics");
    assert_eq!(last.message, "and 800 more diagnostics in this file");
    assert!(last.is_error());
}

/// A source past the size limit is refused before it is parsed.
#[test]
fn a_source_past_the_size_limit_is_refused() {
    let limit = zhibiao::limits::MAX_SOURCE_BYTES;
    let text = format!("{DECLARATIONS}{}", "// padding\n".repeat(limit / 11 + 1));
    let diagnostics = zhibiao::compile(&text, "big.rules").expect_err("too large");
    assert_eq!(codes(&diagnostics), ["too-large"]);
}

/// In the REPL a blank line or a command ends an entry with a bracket
/// open, so `:quit` still quits and later lines still run.
#[test]
fn an_unclosed_bracket_does_not_swallow_the_session() {
    let script = "indicator 床位数: 张\nshare(下级,\n\n床位数 @ 2024\navg(下级,\n:quit\n床位数\n";
    let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
        .arg("repl")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run zhibiao repl");
    use std::io::Write as _;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(script.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Both unclosed entries are diagnosed where they were typed, the
    // value between them runs, and nothing after `:quit` does.
    assert!(
        stderr.contains("<stdin:2>") && stderr.contains("<stdin:5>"),
        "{stderr}"
    );
    assert_eq!(
        stderr.matches("no data loaded").count(),
        1,
        "{stdout}{stderr}"
    );
    assert_eq!(output.status.code(), Some(2));
}

#[path = "../fuzz/entries.rs"]
mod entries;

/// Every file under `dir` (recursively) whose name ends in `ending`.
fn files_under(dir: &Path, ending: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, ending, found);
        } else if path.to_string_lossy().ends_with(ending) {
            found.push(path);
        }
    }
}

/// The fuzz targets' seed corpus (with every crash the fuzzer found, kept
/// as a seed) and the project's own rule and data files, replayed through
/// the fuzz targets' entry functions on a 1 MiB stack.
#[test]
fn the_fuzz_corpus_replays_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rules = Vec::new();
    let mut data = Vec::new();
    files_under(&root.join("fuzz/seeds/rules"), "", &mut rules);
    files_under(&root.join("fuzz/seeds/data"), "", &mut data);
    let seeds = (rules.len(), data.len());
    for dir in ["rules", "tests"] {
        files_under(&root.join(dir), ".rules", &mut rules);
    }
    for dir in ["examples", "tests"] {
        files_under(&root.join(dir), ".csv", &mut data);
    }
    assert!(seeds.0 >= 10 && seeds.1 >= 7, "{seeds:?}");
    let count = rules.len() + data.len();
    let replayed = on_one_mib_stack(move || {
        for path in &rules {
            entries::rules(&std::fs::read(path).expect("read seed"));
        }
        for path in &data {
            entries::data(&std::fs::read(path).expect("read seed"));
        }
        rules.len() + data.len()
    });
    assert_eq!(replayed, count);
}
