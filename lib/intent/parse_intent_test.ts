import assert from "node:assert/strict";
import { parseIntent } from "./parse_intent.ts";
import { DEFAULT_INTENT } from "./types.ts";

Deno.test("parseIntent() reads a plain JSON object", () => {
  const parsed = parseIntent('{"tool": "rag", "mode": "recall", "scope": "docs"}');
  assert.deepEqual(parsed, {
    intent: { tool: "rag", mode: "recall", scope: "docs" },
    json: true,
    defaulted: [],
  });
});

Deno.test("parseIntent() strips code fences and a leading json", () => {
  const fenced = '```json\n{"tool": "web_search", "mode": "explore", "scope": "all"}\n```';
  assert.deepEqual(parseIntent(fenced).intent, {
    tool: "web_search",
    mode: "explore",
    scope: "all",
  });
  assert.equal(parseIntent('json {"tool": "rag"}').intent.tool, "rag");
  assert.equal(parseIntent('```\n{"tool": "web_and_rag"}\n```').intent.tool, "web_and_rag");
});

Deno.test("parseIntent() finds one JSON object inside prose", () => {
  const raw =
    'Sure! Here it is: {"tool": "rag", "mode": "execute", "scope": "session"} Hope it helps.';
  assert.deepEqual(parseIntent(raw).intent, { tool: "rag", mode: "execute", scope: "session" });
});

Deno.test("parseIntent() defaults each invalid field on its own", () => {
  const parsed = parseIntent('{"tool": "telepathy", "mode": "recall", "scope": 7}');
  assert.deepEqual(parsed.intent, { tool: "answer", mode: "recall", scope: "all" });
  assert.deepEqual(parsed.defaulted, ["tool", "scope"]);
  assert.deepEqual(parseIntent("{}").intent, DEFAULT_INTENT);
  assert.deepEqual(parseIntent("{}").defaulted, ["tool", "mode", "scope"]);
});

Deno.test("parseIntent() accepts case, spaces, hyphens and the documents/personal aliases", () => {
  const raw = '{"tool": "Web Search", "mode": "RECALL", "scope": "documents"}';
  assert.deepEqual(parseIntent(raw).intent, { tool: "web_search", mode: "recall", scope: "docs" });
  assert.equal(parseIntent('{"scope": "personal"}').intent.scope, "session");
  assert.equal(parseIntent('{"tool": "web-and-rag"}').intent.tool, "web_and_rag");
});

Deno.test("parseIntent() takes web_search from 'I think this is web_search.'", () => {
  const parsed = parseIntent("I think this is web_search.");
  assert.deepEqual(parsed.intent, { tool: "web_search", mode: "chat", scope: "all" });
  assert.equal(parsed.json, false);
});

Deno.test("parseIntent() prefers web_and_rag, then web_search, then rag, then answer in text", () => {
  assert.equal(parseIntent("answer or rag or web_and_rag").intent.tool, "web_and_rag");
  assert.equal(parseIntent("answer, maybe rag, or web_search").intent.tool, "web_search");
  assert.equal(parseIntent("I would answer with rag").intent.tool, "rag");
  assert.equal(parseIntent("Just answer it").intent.tool, "answer");
});

Deno.test("parseIntent() gives the default for text without a tool, not 'rag' in 'paragraph'", () => {
  assert.deepEqual(parseIntent("Read the paragraph about storage.").intent, DEFAULT_INTENT);
  assert.deepEqual(parseIntent("").intent, DEFAULT_INTENT);
  assert.deepEqual(parseIntent('{"tool": "rag"').intent, { ...DEFAULT_INTENT, tool: "rag" });
  assert.deepEqual(parseIntent("[1, 2]").intent, DEFAULT_INTENT);
});
