//! `zhibiao lsp`: a Language Server Protocol server over standard input and
//! output, for editors. It reads messages with the `lsp-server` crate's
//! framing and types from `lsp-types`, and answers from the library's
//! public API: `compile` for diagnostics, the outline for names and spans,
//! `Program::check` for outcomes on configured data.
//!
//! A bad message is logged and skipped, and a panic while answering one is
//! caught and answered with an error: nothing a client sends stops the
//! server but `exit` or the end of its input.

mod complete;
mod convert;
mod formatting;
mod initials;
mod navigate;
mod position;
mod uri;
mod workspace;

use std::io::{BufRead, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::process::ExitCode;
use std::sync::mpsc;

use lsp_server::{ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{self as notify, Notification as _};
use lsp_types::request::{self as ask, Request as _};
use lsp_types::{
    CodeActionProviderCapability, CompletionOptions, HoverProviderCapability, InitializeParams,
    MessageType, OneOf, ServerCapabilities, ServerInfo, SignatureHelpOptions,
    TextDocumentSyncCapability, TextDocumentSyncKind,
};
use serde_json::Value;

use formatting::Formatted;
use workspace::Workspace;

/// Serves one client until `exit` or the end of standard input. Exits 0
/// after `shutdown` then `exit`, 1 otherwise, as the protocol asks.
pub fn run() -> ExitCode {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || read_messages(std::io::stdin().lock(), &sender));
    let mut server = Server {
        workspace: Workspace::default(),
        out: std::io::stdout(),
        shut_down: false,
        pending: None,
    };
    loop {
        let message = match server.pending.take() {
            Some(message) => message,
            None => match receiver.recv() {
                Ok(message) => message,
                Err(_) => return ExitCode::from(1),
            },
        };
        if let Message::Notification(notification) = &message {
            if notification.method == notify::Exit::METHOD {
                return ExitCode::from(if server.shut_down { 0 } else { 1 });
            }
        }
        server.handle(message, &receiver);
    }
}

/// Reads framed messages until the input ends. A frame whose body is not
/// a JSON-RPC message is skipped: `Message::read` has consumed it whole.
fn read_messages(mut input: impl BufRead, sender: &mpsc::Sender<Message>) {
    loop {
        match Message::read(&mut input) {
            Ok(Some(message)) => {
                if sender.send(message).is_err() {
                    return;
                }
            }
            Ok(None) => return,
            Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
                eprintln!("zhibiao lsp: skipped a bad message: {error}");
            }
            Err(error) => {
                eprintln!("zhibiao lsp: cannot read input: {error}");
                return;
            }
        }
    }
}

struct Server {
    workspace: Workspace,
    out: std::io::Stdout,
    shut_down: bool,
    /// A message read ahead while coalescing edits, handled next.
    pending: Option<Message>,
}

impl Server {
    fn send(&mut self, message: Message) {
        let mut out = self.out.lock();
        if let Err(error) = message.write(&mut out).and_then(|()| out.flush()) {
            eprintln!("zhibiao lsp: cannot write output: {error}");
        }
    }

    fn notify(&mut self, method: &str, params: impl serde::Serialize) {
        self.send(Message::Notification(Notification::new(
            method.to_string(),
            params,
        )));
    }

    /// A line for the client's log (VS Code's output channel).
    fn log(&mut self, typ: MessageType, message: String) {
        self.notify(
            notify::LogMessage::METHOD,
            lsp_types::LogMessageParams { typ, message },
        );
    }

    fn handle(&mut self, message: Message, receiver: &mpsc::Receiver<Message>) {
        match message {
            Message::Request(request) => {
                let id = request.id.clone();
                let method = request.method.clone();
                let response = catch_unwind(AssertUnwindSafe(|| self.request(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            format!("zhibiao lsp failed while answering `{method}`"),
                        )
                    });
                self.send(Message::Response(response));
            }
            Message::Notification(notification) => {
                let method = notification.method.clone();
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    self.notification(notification, receiver);
                }));
                if outcome.is_err() {
                    eprintln!("zhibiao lsp: failed while handling `{method}`");
                }
            }
            // The server sends no requests, so expects no responses.
            Message::Response(_) => {}
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let Request { id, method, params } = request;
        if self.shut_down && method != ask::Shutdown::METHOD {
            return Response::new_err(
                id,
                ErrorCode::InvalidRequest as i32,
                "the server is shutting down".to_string(),
            );
        }
        let answer =
            match method.as_str() {
                ask::Initialize::METHOD => parse(params).map(|params| self.initialize(params)),
                ask::Shutdown::METHOD => {
                    self.shut_down = true;
                    Ok(Value::Null)
                }
                ask::HoverRequest::METHOD => parse(params)
                    .map(|params| to_value(navigate::hover(&mut self.workspace, params))),
                ask::Completion::METHOD => parse(params)
                    .map(|params| to_value(complete::completion(&self.workspace, params))),
                ask::SignatureHelpRequest::METHOD => parse(params)
                    .map(|params| to_value(complete::signature_help(&self.workspace, params))),
                ask::GotoDefinition::METHOD => parse(params)
                    .map(|params| to_value(navigate::definition(&self.workspace, params))),
                ask::References::METHOD => parse(params)
                    .map(|params| to_value(navigate::references(&self.workspace, params))),
                ask::DocumentSymbolRequest::METHOD => {
                    parse(params).map(|params| to_value(navigate::symbols(&self.workspace, params)))
                }
                ask::CodeActionRequest::METHOD => {
                    parse(params).map(|params| to_value(convert::code_actions(params)))
                }
                ask::Formatting::METHOD => {
                    parse(params).map(|params| {
                        match formatting::formatting(&self.workspace, &params) {
                            Formatted::Edits(edits) => to_value(edits),
                            Formatted::Not(why) => {
                                self.log(MessageType::WARNING, why);
                                Value::Null
                            }
                        }
                    })
                }
                _ => {
                    return Response::new_err(
                        id,
                        ErrorCode::MethodNotFound as i32,
                        format!("`{method}` is not supported"),
                    )
                }
            };
        match answer {
            Ok(result) => Response::new_ok(id, result),
            Err(message) => Response::new_err(id, ErrorCode::InvalidParams as i32, message),
        }
    }

    fn initialize(&mut self, params: InitializeParams) -> Value {
        self.workspace.configure(&params);
        let capabilities = ServerCapabilities {
            text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
            hover_provider: Some(HoverProviderCapability::Simple(true)),
            completion_provider: Some(CompletionOptions {
                trigger_characters: Some(vec!["「".to_string(), "@".to_string()]),
                ..CompletionOptions::default()
            }),
            signature_help_provider: Some(SignatureHelpOptions {
                trigger_characters: Some(vec!["(".to_string(), ",".to_string()]),
                ..SignatureHelpOptions::default()
            }),
            definition_provider: Some(OneOf::Left(true)),
            references_provider: Some(OneOf::Left(true)),
            document_symbol_provider: Some(OneOf::Left(true)),
            code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
            document_formatting_provider: Some(OneOf::Left(true)),
            ..ServerCapabilities::default()
        };
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": ServerInfo {
                name: "zhibiao".to_string(),
                version: Some(env!("CARGO_PKG_VERSION").to_string()),
            },
        })
    }

    fn notification(&mut self, notification: Notification, receiver: &mpsc::Receiver<Message>) {
        let Notification { method, params } = notification;
        let changed = match method.as_str() {
            notify::DidOpenTextDocument::METHOD => {
                let Ok(params) = parse::<lsp_types::DidOpenTextDocumentParams>(params) else {
                    return;
                };
                let document = params.text_document;
                self.workspace.open(document.uri, document.text)
            }
            notify::DidChangeTextDocument::METHOD => {
                let Ok(mut params) = parse::<lsp_types::DidChangeTextDocumentParams>(params) else {
                    return;
                };
                // Full sync: the last change holds the whole text.
                let Some(change) = params.content_changes.pop() else {
                    return;
                };
                let uri = params.text_document.uri;
                // A change to a document never opened is the client's error.
                if self.workspace.get(&uri).is_none() {
                    return;
                }
                let text = self.latest_text(&uri, change.text, receiver);
                self.workspace.open(uri, text)
            }
            notify::DidCloseTextDocument::METHOD => {
                let Ok(params) = parse::<lsp_types::DidCloseTextDocumentParams>(params) else {
                    return;
                };
                let (cleared, importers) = self.workspace.close(&params.text_document.uri);
                for uri in cleared {
                    self.publish(uri, Vec::new());
                }
                importers
            }
            _ => return,
        };
        for changed in changed {
            for (uri, diagnostics) in self.workspace.diagnose(&changed) {
                self.publish(uri, diagnostics);
            }
        }
    }

    /// While typing, edits to one file can arrive faster than it compiles;
    /// only the last of a run of edits is compiled.
    fn latest_text(
        &mut self,
        uri: &lsp_types::Uri,
        mut text: String,
        receiver: &mpsc::Receiver<Message>,
    ) -> String {
        while let Ok(next) = receiver.try_recv() {
            let newer = match &next {
                Message::Notification(notification)
                    if notification.method == notify::DidChangeTextDocument::METHOD =>
                {
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(
                        notification.params.clone(),
                    )
                    .ok()
                    .filter(|params| params.text_document.uri == *uri)
                    .and_then(|mut params| params.content_changes.pop())
                }
                _ => None,
            };
            match newer {
                Some(change) => text = change.text,
                None => {
                    self.pending = Some(next);
                    break;
                }
            }
        }
        text
    }

    fn publish(&mut self, uri: lsp_types::Uri, diagnostics: Vec<lsp_types::Diagnostic>) {
        self.notify(
            notify::PublishDiagnostics::METHOD,
            lsp_types::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            },
        );
    }
}

fn parse<T: serde::de::DeserializeOwned>(params: Value) -> Result<T, String> {
    serde_json::from_value(params).map_err(|error| format!("bad parameters: {error}"))
}

fn to_value(result: impl serde::Serialize) -> Value {
    serde_json::to_value(result).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(id: i32, method: &str, params: Value) -> Request {
        Request::new(lsp_server::RequestId::from(id), method.to_string(), params)
    }

    #[test]
    fn a_bad_frame_is_skipped_and_the_next_one_read() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let input = format!(
            "Content-Length: 5\r\n\r\n{{oopsContent-Length: {}\r\n\r\n{good}",
            good.len()
        );
        let (sender, receiver) = mpsc::channel();
        read_messages(input.as_bytes(), &sender);
        let messages: Vec<Message> = receiver.try_iter().collect();
        assert_eq!(messages.len(), 1);
        assert!(matches!(&messages[0], Message::Notification(n) if n.method == "initialized"));
    }

    #[test]
    fn unknown_methods_and_bad_parameters_are_errors_not_crashes() {
        let mut server = Server {
            workspace: Workspace::default(),
            out: std::io::stdout(),
            shut_down: false,
            pending: None,
        };
        let response = server.request(request(1, "zhibiao/nothing", Value::Null));
        assert_eq!(
            response.error.map(|error| error.code),
            Some(ErrorCode::MethodNotFound as i32)
        );
        let response = server.request(request(2, "textDocument/hover", serde_json::json!(7)));
        assert_eq!(
            response.error.map(|error| error.code),
            Some(ErrorCode::InvalidParams as i32)
        );
    }
}
