import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { parseOllamaChatBody } from "./ollama_body.ts";

Deno.test("parseOllamaChatBody() reads Ollama's fields; streams unless told not to", () => {
  const body = parseOllamaChatBody(
    JSON.stringify({
      model: "llama3.2:3b",
      keep_alive: "5m",
      tools: [],
      options: { temperature: 0, num_predict: 64, num_ctx: 8192 },
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "what is on?" },
        { role: "assistant", content: "" },
        { role: "tool", content: "light.kitchen: on" },
      ],
    }),
    "den",
  );
  assert.deepEqual(body, {
    model: "llama3.2:3b",
    stream: true,
    session: "den",
    temperature: 0,
    maxTokens: 64,
    messages: [
      { role: "system", content: "Be brief." },
      { role: "user", content: "what is on?" },
      { role: "assistant", content: "" },
      { role: "user", content: "Tool result: light.kitchen: on" },
    ],
  });
  assert.deepEqual(parseOllamaChatBody('{"model":"gemma3:1b","messages":[]}', undefined), {
    messages: [],
    model: "gemma3:1b",
    stream: false,
    session: null,
    loadOnly: true,
  });
  const plain = parseOllamaChatBody(
    '{"stream":false,"messages":[{"role":"user","content":"x"}]}',
    undefined,
  );
  assert.deepEqual([plain.stream, plain.model, plain.session], [false, null, null]);
});

Deno.test("parseOllamaChatBody() names the bad field", () => {
  const user = { role: "user", content: "hi" };
  const cases: [unknown, string][] = [
    [{ messages: "hi" }, "messages"],
    [{ messages: [{ role: "bot", content: "x" }] }, "messages[0].role"],
    [{ messages: [{ role: "user", content: "x", images: ["aGk="] }] }, "messages[0].images"],
    [{ messages: [user, { role: "assistant", content: "x" }] }, "messages[1]"],
    [{ messages: [user], options: [] }, "options"],
    [{ messages: [user], options: { num_predict: -1 } }, "num_predict"],
    [{ messages: [user], stream: 1 }, "stream"],
  ];
  for (const [body, field] of cases) {
    assert.throws(
      () => parseOllamaChatBody(JSON.stringify(body), undefined),
      (e) => isMycoError(e, "invalid_input") && e.httpStatus === 400 && e.field === field,
      JSON.stringify(body),
    );
  }
  assert.throws(
    () => parseOllamaChatBody(JSON.stringify({ messages: [user] }), "a/b"),
    (e) => isMycoError(e, "invalid_input") && e.field === "session",
  );
});
