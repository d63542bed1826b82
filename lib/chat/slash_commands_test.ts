import assert from "node:assert/strict";
import { parseSlashCommand, slashHelpText } from "./slash_commands.ts";

Deno.test("parseSlashCommand() reads the name, aliases and argument", () => {
  assert.deepEqual(parseSlashCommand("/model gemma3:1b"), { name: "model", arg: "gemma3:1b" });
  assert.deepEqual(parseSlashCommand("  /QUIT  "), { name: "quit", arg: "" });
  assert.deepEqual(parseSlashCommand("/exit"), { name: "quit", arg: "" });
  assert.deepEqual(parseSlashCommand("/q"), { name: "quit", arg: "" });
  assert.equal(parseSlashCommand("what is /etc/hosts?"), null);
  assert.equal(parseSlashCommand("/"), null);
});

Deno.test("slashHelpText() lists every command", () => {
  const help = slashHelpText();
  for (const command of ["/help", "/model", "/clear", "/save", "/quit"]) {
    assert.ok(help.includes(command), command);
  }
});
