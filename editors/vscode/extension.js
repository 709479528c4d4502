// Starts `zhibiao lsp` for `.rules` files and passes it the data settings.
// The server does the work; this file only connects VS Code to it.

const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

// The settings are read when the extension starts; reload the window after
// changing them.
function activate() {
  const settings = vscode.workspace.getConfiguration("zhibiao");
  const command = settings.get("path") || "zhibiao";
  const server = { command, args: ["lsp"] };
  client = new LanguageClient(
    "zhibiao",
    "zhibiao",
    { run: server, debug: server },
    {
      documentSelector: [
        { scheme: "file", language: "zhibiao" },
        { scheme: "untitled", language: "zhibiao" },
      ],
      initializationOptions: {
        data: settings.get("data") || [],
        asOf: settings.get("asOf") ?? null,
      },
    }
  );
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
