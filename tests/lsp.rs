//! `zhibiao lsp` driven over stdio as an editor drives it: Content-Length
//! framed JSON-RPC, positions in UTF-16 code units. The rule files in
//! `tests/lsp/` import a catalogue, and `zhibiao.toml` beside them names
//! the data that hovers check against.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

/// How long to wait for a message before calling the server stuck. Only
/// a guard against a hanging test; nothing is timed.
const STUCK: Duration = Duration::from_secs(120);

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications read while waiting for a response.
    notifications: Vec<Value>,
    next_id: i64,
}

impl Client {
    fn start() -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_zhibiao"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the binary runs");
        let stdin = child.stdin.take().expect("stdin is piped");
        let stdout = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = read_frame(&mut reader) {
                if sender.send(message).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            notifications: Vec::new(),
            next_id: 0,
        }
    }

    fn send_bytes(&mut self, bytes: &[u8]) {
        write!(self.stdin, "Content-Length: {}\r\n\r\n", bytes.len()).unwrap();
        self.stdin.write_all(bytes).unwrap();
        self.stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        self.send_bytes(message.to_string().as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    fn receive(&mut self) -> Value {
        self.messages
            .recv_timeout(STUCK)
            .expect("the server answers")
    }

    /// Sends a request and returns its whole response.
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        loop {
            let message = self.receive();
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    /// The result of a request that must succeed.
    fn result(&mut self, method: &str, params: Value) -> Value {
        let response = self.request(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next diagnostics published for a file.
    fn diagnostics(&mut self, uri: &str) -> Value {
        let at = self.notifications.iter().position(|message| {
            message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
        });
        if let Some(at) = at {
            return self.notifications.remove(at)["params"]["diagnostics"].clone();
        }
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].clone();
            }
            self.notifications.push(message);
        }
    }

    fn initialize(&mut self) -> Value {
        let result = self.result(
            "initialize",
            json!({ "processId": null, "rootUri": uri_of(&fixtures()), "capabilities": {} }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "zhibiao", "version": 1, "text": text } }),
        );
    }

    fn change(&mut self, uri: &str, version: i32, text: &str) {
        self.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
        );
    }

    /// Shuts the server down and returns its exit code.
    fn shut_down(mut self) -> Option<i32> {
        assert_eq!(self.result("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.child.wait().expect("the server exits").code()
    }
}

fn read_frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lsp")
}

/// A `file:` URI as editors write it: UTF-8, percent-encoded.
fn uri_of(path: &Path) -> String {
    let mut uri = String::from("file://");
    for byte in path.to_str().unwrap().bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            uri.push_str(&format!("%{byte:02X}"));
        }
    }
    uri
}

/// A reply as JSON, with the fixture directory's URI written `file:///ROOT`.
fn redacted(value: &Value) -> String {
    serde_json::to_string_pretty(value)
        .unwrap()
        .replace(&uri_of(&fixtures()), "file:///ROOT")
}

/// The LSP position of the `nth` character (counting from 0) of the first
/// `needle` in `text`: its line, and its column in UTF-16 code units.
fn position(text: &str, needle: &str, nth: usize) -> Value {
    let found = text.find(needle).unwrap_or_else(|| panic!("no {needle}"));
    let at = found + needle.chars().take(nth).map(char::len_utf8).sum::<usize>();
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |newline| newline + 1);
    let character = text[line_start..at].encode_utf16().count();
    json!({ "line": line, "character": character })
}

fn at(uri: &str, position: Value) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": position })
}

fn labels(items: &Value) -> Vec<String> {
    let mut labels: Vec<String> = items
        .as_array()
        .expect("a list")
        .iter()
        .map(|item| item["label"].as_str().unwrap().to_string())
        .collect();
    labels.sort();
    labels
}

#[test]
fn a_session_from_open_to_shutdown() {
    let mut client = Client::start();
    let capabilities = client.initialize();
    insta::assert_snapshot!("initialize", redacted(&capabilities));

    let targets = fixtures().join("targets.rules");
    let uri = uri_of(&targets);
    let text = std::fs::read_to_string(&targets).unwrap();
    let broken = text
        .replace("rule 县域就诊率 >= 90%", "rule 县域就诊律 >= 90%")
        .replace("200张 by", "200张 bye");
    client.open(&uri, &broken);
    let diagnostics = client.diagnostics(&uri);
    insta::assert_snapshot!("diagnostics", redacted(&diagnostics));

    let actions = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 12, "character": 0 } },
            "context": { "diagnostics": diagnostics },
        }),
    );
    insta::assert_snapshot!("code-actions", redacted(&actions));

    client.change(&uri, 2, &text);
    assert_eq!(client.diagnostics(&uri), json!([]));

    let hover = client.result(
        "textDocument/hover",
        at(&uri, position(&text, "县域就诊率 >= 90%", 2)),
    );
    insta::assert_snapshot!("hover-indicator", redacted(&hover));

    let hover = client.result("textDocument/hover", at(&uri, position(&text, "owner", 1)));
    insta::assert_snapshot!("hover-rule", redacted(&hover));

    let hover = client.result(
        "textDocument/hover",
        at(&uri, position(&text, "2025年底前", 0)),
    );
    insta::assert_snapshot!("hover-sentence", redacted(&hover));

    let definition = client.result(
        "textDocument/definition",
        at(&uri, position(&text, "床位数 >= 200张", 1)),
    );
    insta::assert_snapshot!("definition", redacted(&definition));

    let mut params = at(&uri, position(&text, "床位数 >= 200张", 0));
    params["context"] = json!({ "includeDeclaration": true });
    let references = client.result("textDocument/references", params);
    insta::assert_snapshot!("references", redacted(&references));

    let symbols = client.result(
        "textDocument/documentSymbol",
        json!({ "textDocument": { "uri": uri } }),
    );
    insta::assert_snapshot!("symbols", redacted(&symbols));

    let typing = format!("{text}rule 县\nrule 「5\nrule cagr(床位数, ");
    client.change(&uri, 3, &typing);
    client.diagnostics(&uri);
    let completion = client.result(
        "textDocument/completion",
        at(&uri, position(&typing, "rule 县\n", 6)),
    );
    assert_eq!(labels(&completion), ["县域内就诊率", "县域就诊率", "县级"]);
    let quoted = client.result(
        "textDocument/completion",
        at(&uri, position(&typing, "rule 「5\n", 7)),
    );
    insta::assert_snapshot!("completion-quoted", redacted(&quoted));
    let all = client.result(
        "textDocument/completion",
        at(&uri, position(&typing, "rule 县\n", 5)),
    );
    let all = labels(&all);
    for expected in ["二级甲等", "下级", "cagr", "by", "市级", "床位数"] {
        assert!(
            all.iter().any(|label| label == expected),
            "{expected}: {all:?}"
        );
    }

    let signature = client.result(
        "textDocument/signatureHelp",
        at(&uri, position(&typing, "cagr(床位数, ", 10)),
    );
    insta::assert_snapshot!("signature-help", redacted(&signature));

    // What is being typed does not compile: no edits, and why in the log.
    assert_eq!(
        capabilities["capabilities"]["documentFormattingProvider"],
        true
    );
    let formatting = client.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    );
    assert_eq!(formatting, Value::Null);

    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn positions_count_utf16_code_units() {
    let mut client = Client::start();
    client.initialize();
    let uri = uri_of(&fixtures().join("astral.rules"));
    // 𠀀 is outside the Basic Multilingual Plane: two UTF-16 units.
    let text = "indicator 「𠀀率」: %\nrule 「𠀀率」 >= 90% and 县域就诊律 >= 1%\n";
    client.open(&uri, text);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(diagnostics[0]["code"], "unknown-indicator", "{diagnostics}");
    assert_eq!(
        diagnostics[0]["range"]["start"],
        position(text, "县域就诊律", 0)
    );
    assert_eq!(diagnostics[0]["range"]["end"], position(text, " >= 1%", 0));
    assert_eq!(diagnostics[0]["range"]["start"]["character"], 22);

    let hover = client.result(
        "textDocument/hover",
        at(&uri, position(text, "率」 >= 90%", 0)),
    );
    let value = hover["contents"]["value"].as_str().unwrap();
    assert!(value.starts_with("**𠀀率** · indicator · `%`"), "{value}");
    assert_eq!(hover["range"]["start"], position(text, "「𠀀率」 >=", 0));
    assert_eq!(hover["range"]["end"], position(text, " >= 90%", 0));
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn bad_input_and_huge_documents_do_not_stop_the_server() {
    let mut client = Client::start();
    client.initialize();
    client.send_bytes(b"{not json");
    let response = client.request("textDocument/hover", json!({ "nonsense": true }));
    assert_eq!(response["error"]["code"], -32602, "{response}");
    let response = client.request("zhibiao/unknown", json!({}));
    assert_eq!(response["error"]["code"], -32601, "{response}");
    let uri = uri_of(&fixtures().join("huge.rules"));
    let hover = client.result(
        "textDocument/hover",
        at(&uri, json!({ "line": 0, "character": 0 })),
    );
    assert_eq!(hover, Value::Null);
    client.change(&uri, 2, "rule x");

    let mut huge = String::from("indicator 床位数: 张\n");
    for year in 0..20_000 {
        huge.push_str(&format!("rule 床位数 >= {year}张 by 2025\n"));
    }
    huge.push_str("rule 床位树 >= 1张\n");
    client.open(&uri, &huge);
    let diagnostics = client.diagnostics(&uri);
    assert_eq!(
        diagnostics.as_array().map(Vec::len),
        Some(1),
        "{diagnostics}"
    );
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 20_001);
    let position = json!({ "line": 20_001, "character": 99 });
    let response = client.request("textDocument/hover", at(&uri, position));
    assert!(response.get("error").is_none(), "{response}");
    assert_eq!(client.shut_down(), Some(0));
}

fn regexes(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("match" | "begin" | "end", Value::String(regex)) => found.push(regex.clone()),
                    _ => regexes(value, found),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| regexes(item, found)),
        _ => {}
    }
}

fn json_file(path: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_textmate_grammar_highlights_every_keyword_of_the_language() {
    let pest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/zhibiao.pest"))
            .unwrap();
    let keywords: Vec<&str> = pest
        .lines()
        .filter(|line| line.starts_with("kw_"))
        .filter_map(|line| line.split('"').nth(1))
        .collect();
    assert!(keywords.len() > 30, "{keywords:?}");
    let mut found = Vec::new();
    regexes(
        &json_file("editors/vscode/syntaxes/zhibiao.tmLanguage.json"),
        &mut found,
    );
    for keyword in keywords {
        let listed = found.iter().any(|regex| {
            [
                format!("({keyword}|"),
                format!("|{keyword}|"),
                format!("|{keyword})"),
            ]
            .iter()
            .any(|alternative| regex.contains(alternative.as_str()))
        });
        assert!(
            listed,
            "the TextMate grammar does not highlight `{keyword}`"
        );
    }
}

#[test]
fn the_vscode_extension_names_files_that_exist() {
    let package = json_file("editors/vscode/package.json");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("editors/vscode");
    let contributes = &package["contributes"];
    for file in [
        &package["main"],
        &contributes["grammars"][0]["path"],
        &contributes["languages"][0]["configuration"],
    ] {
        let file = file.as_str().expect("a path");
        assert!(dir.join(file).exists(), "{file}");
    }
    assert_eq!(contributes["languages"][0]["extensions"], json!([".rules"]));
    let configuration = json_file("editors/vscode/language-configuration.json");
    assert!(configuration["brackets"]
        .as_array()
        .unwrap()
        .contains(&json!(["「", "」"])));
    assert_eq!(configuration["comments"]["lineComment"], "//");
}

#[test]
fn errors_in_an_imported_catalogue_are_published_on_the_catalogue() {
    let mut client = Client::start();
    client.initialize();
    let dir = fixtures().join("imports");
    let targets = uri_of(&dir.join("targets.rules"));
    let catalogue = uri_of(&dir.join("catalogue.rules"));
    let text = std::fs::read_to_string(dir.join("targets.rules")).unwrap();
    client.open(&targets, &text);
    assert_eq!(client.diagnostics(&targets), json!([]));
    let found = client.diagnostics(&catalogue);
    assert_eq!(found.as_array().map(Vec::len), Some(1), "{found}");
    assert_eq!(found[0]["code"], "unknown-unit");
    assert_eq!(
        found[0]["range"]["start"],
        json!({ "line": 1, "character": 15 })
    );
    assert_eq!(found[0]["data"]["suggestion"], "张");
    let actions = client.result(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": catalogue },
            "range": found[0]["range"],
            "context": { "diagnostics": found },
        }),
    );
    let edits = &actions[0]["edit"]["changes"][&catalogue];
    assert_eq!(
        edits,
        &json!([{ "range": found[0]["range"], "newText": "张" }]),
        "{actions}"
    );

    // The catalogue fixed in the editor, not saved: the file importing it
    // is compiled against the editor's text.
    let fixed = std::fs::read_to_string(dir.join("catalogue.rules"))
        .unwrap()
        .replace("张以上", "张");
    client.open(&catalogue, &fixed);
    assert_eq!(client.diagnostics(&catalogue), json!([]));
    assert_eq!(client.diagnostics(&targets), json!([]));
    let uses = format!("{text}rule 床位数 >= 9张 by 2025\n");
    client.change(&targets, 2, &uses);
    assert_eq!(client.diagnostics(&targets), json!([]));

    // Closed unsaved, the catalogue is read from disk again.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": catalogue } }),
    );
    assert_eq!(client.diagnostics(&catalogue), json!([]));
    let found = client.diagnostics(&targets);
    assert_eq!(found[0]["code"], "unknown-indicator", "{found}");
    assert_eq!(client.diagnostics(&catalogue)[0]["code"], "unknown-unit");

    // Closing the only file that imports it clears the catalogue's list.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": targets } }),
    );
    assert_eq!(client.diagnostics(&catalogue), json!([]));
    assert_eq!(client.shut_down(), Some(0));
}

/// Sends `textDocument/formatting` for a document.
fn format(client: &mut Client, uri: &str) -> Value {
    client.result(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
    )
}

#[test]
fn formatting_goes_through_fmt() {
    let mut client = Client::start();
    client.initialize();
    let targets = fixtures().join("targets.rules");
    let uri = uri_of(&targets);
    let text = std::fs::read_to_string(&targets).unwrap();

    // Trailing white space and blank lines at the end: one edit over the
    // whole document gives the file as `zhibiao fmt` writes it (its
    // sentence rule kept as written: formatting converts no phrasing).
    let messy = format!(
        "{}\n\n\n",
        text.replace("scope 日照市\n", "scope 日照市   \n")
    );
    client.open(&uri, &messy);
    assert_eq!(client.diagnostics(&uri), json!([]));
    let edits = format(&mut client, &uri);
    let end = messy.lines().count();
    assert_eq!(
        edits,
        json!([{
            "range": { "start": { "line": 0, "character": 0 }, "end": { "line": end, "character": 0 } },
            "newText": text,
        }])
    );

    // Already formatted: no edits.
    client.change(&uri, 2, &text);
    assert_eq!(client.diagnostics(&uri), json!([]));
    assert_eq!(format(&mut client, &uri), json!([]));

    // A file that does not compile: no edits, the reason in the log, and
    // the server goes on.
    let broken = text.replace("200张 by", "200张 bye");
    client.change(&uri, 3, &broken);
    assert_eq!(client.diagnostics(&uri)[0]["code"], "syntax");
    assert_eq!(format(&mut client, &uri), Value::Null);
    let logged = client
        .notifications
        .iter()
        .find(|message| message["method"] == "window/logMessage")
        .expect("a log message");
    let message = logged["params"]["message"].as_str().unwrap();
    assert!(message.starts_with("not formatted: "), "{message}");
    assert!(message.ends_with("has 1 error; fix it first"), "{message}");
    assert_eq!(logged["params"]["type"], 2, "a warning");

    // A document never opened: no edits either.
    let never = uri_of(&fixtures().join("never-opened.rules"));
    assert_eq!(format(&mut client, &never), Value::Null);
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn cjk_names_complete_from_their_pinyin_initials() {
    let mut client = Client::start();
    client.initialize();
    let targets = fixtures().join("targets.rules");
    let uri = uri_of(&targets);
    let text = std::fs::read_to_string(&targets).unwrap();
    let typing = format!("{text}rule xyjzl\nrule 「5syx\nrule cws\n");
    client.open(&uri, &typing);
    client.diagnostics(&uri);

    let completion = client.result(
        "textDocument/completion",
        at(&uri, position(&typing, "xyjzl\n", 5)),
    );
    // 县域内就诊率 (xynjzl) holds the initials in order too, as an editor's
    // filter would find.
    assert_eq!(labels(&completion), ["县域内就诊率", "县域就诊率"]);
    let item = completion
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["label"] == "县域就诊率")
        .unwrap();
    assert_eq!(item["filterText"], "县域就诊率 xyjzl xyjzs");
    assert_eq!(
        item["textEdit"],
        json!({
            "range": { "start": position(&typing, "xyjzl\n", 0), "end": position(&typing, "xyjzl\n", 5) },
            "newText": "县域就诊率",
        })
    );

    let quoted = client.result(
        "textDocument/completion",
        at(&uri, position(&typing, "5syx\n", 4)),
    );
    assert_eq!(labels(&quoted), ["5岁以下儿童死亡率"]);
    assert_eq!(quoted[0]["textEdit"]["newText"], "5岁以下儿童死亡率」");

    let beds = client.result(
        "textDocument/completion",
        at(&uri, position(&typing, "cws\n", 3)),
    );
    assert_eq!(labels(&beds), ["床位数"]);
    let filter = beds[0]["filterText"].as_str().unwrap();
    assert!(filter.starts_with("床位数 cws"), "{filter}");
    assert_eq!(client.shut_down(), Some(0));
}

#[test]
fn data_can_come_from_the_initialization_option() {
    let mut client = Client::start();
    client.result(
        "initialize",
        json!({
            "processId": null,
            "rootUri": uri_of(&fixtures()),
            "capabilities": {},
            "initializationOptions": { "data": ["data.csv"], "asOf": 2023 },
        }),
    );
    client.notify("initialized", json!({}));
    // No `zhibiao.toml` beside this file: the option's data is used, its
    // path relative to the workspace root.
    let file = fixtures().join("option/targets.rules");
    let uri = uri_of(&file);
    let text = std::fs::read_to_string(&file).unwrap();
    client.open(&uri, &text);
    assert_eq!(client.diagnostics(&uri), json!([]));
    let hover = client.result("textDocument/hover", at(&uri, position(&text, "rule", 0)));
    insta::assert_snapshot!("hover-option-data", redacted(&hover));
    let hover = client.result(
        "textDocument/hover",
        at(&uri, position(&text, "妇幼保健机构等级 >=", 1)),
    );
    insta::assert_snapshot!("hover-grades", redacted(&hover));
    assert_eq!(client.shut_down(), Some(0));
}
