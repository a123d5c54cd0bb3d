// hardcompose's language server in VS Code: `npm install` here, then copy or
// link this folder into ~/.vscode/extensions/ (or package it with vsce).
// The server command comes from the settings hardcompose.server.command and
// hardcompose.server.args (defaults in package.json: hardcompose lsp --stdio).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");
let client;
exports.activate = () => {
  const cfg = vscode.workspace.getConfiguration("hardcompose.server");
  client = new LanguageClient("hardcompose", "hardcompose",
    { command: cfg.get("command"), args: cfg.get("args") },
    { documentSelector: [{ language: "dockercompose" }, { language: "yaml" }] });
  return client.start();
};
exports.deactivate = () => client && client.stop();
