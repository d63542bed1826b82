import assert from "node:assert/strict";
import { isMycoError } from "../core/mod.ts";
import { parseChatBody } from "./chat_body.ts";

function fieldOf(text: string, header?: string): string | undefined {
  try {
    parseChatBody(text, header);
  } catch (error) {
    assert.ok(isMycoError(error, "invalid_input"));
    assert.equal(error.httpStatus, 400);
    return error.field ?? "(none)";
  }
  return undefined;
}

Deno.test("parseChatBody() reads OpenAI's fields; developer is system; text parts are joined", () => {
  const body = parseChatBody(
    JSON.stringify({
      model: "llama3.2:3b",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_completion_tokens: 300,
      max_tokens: 9,
      tools: [],
      messages: [
        { role: "developer", content: "Be brief." },
        {
          role: "user",
          content: [{ type: "text", text: "lights " }, { type: "text", text: "on" }],
        },
      ],
    }),
    "kitchen",
  );
  assert.deepEqual(body, {
    messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "lights on" }],
    model: "llama3.2:3b",
    stream: true,
    includeUsage: true,
    session: "kitchen",
    temperature: 0.2,
    maxTokens: 300,
  });
  const plain = parseChatBody(
    '{"messages":[{"role":"user","content":"hi"}],"session":"a.b"}',
    undefined,
  );
  assert.deepEqual([plain.model, plain.stream, plain.session, plain.maxTokens], [
    null,
    false,
    "a.b",
    undefined,
  ]);
});

Deno.test("parseChatBody() names the bad field", () => {
  const user = { role: "user", content: "hi" };
  const cases: [unknown, string][] = [
    [{}, "messages"],
    [{ messages: [] }, "messages"],
    [{ messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
    [{ messages: [{ role: "user", content: 3 }] }, "messages[0].content"],
    [{ messages: [{ role: "user", content: [{ type: "image_url" }] }] }, "messages[0].content[0]"],
    [{ messages: [user, { role: "assistant", content: "x" }] }, "messages[1]"],
    [{ messages: [user], model: 7 }, "model"],
    [{ messages: [user], stream: "yes" }, "stream"],
    [{ messages: [user], temperature: 3 }, "temperature"],
    [{ messages: [user], max_tokens: 0 }, "max_tokens"],
    [{ messages: [user], session: "../etc" }, "session"],
  ];
  for (const [body, field] of cases) {
    assert.equal(fieldOf(JSON.stringify(body)), field, JSON.stringify(body));
  }
  assert.equal(fieldOf(JSON.stringify({ messages: [user] }), "no spaces allowed"), "session");
  assert.equal(fieldOf("{"), "(none)", "not JSON");
  assert.equal(fieldOf("[1]"), "(none)", "not an object");
});
