import assert from "node:assert/strict";
import { isEmbeddingModel, modelWeight, parameterBillions, pickRoles, rolesOf } from "./roles.ts";
import type { ModelInfo } from "./types.ts";

const names = (...list: string[]): ModelInfo[] => list.map((name) => ({ name }));

Deno.test("pickRoles() prefers gemma3:1b as gate and the largest model for chat", () => {
  const roles = pickRoles(names("qwen2.5:14b", "gemma3:1b", "llama3.2:3b", "nomic-embed-text"));
  assert.deepEqual(roles, {
    chat: "qwen2.5:14b",
    gate: "gemma3:1b",
    embedding: "nomic-embed-text",
  });
});

Deno.test("pickRoles() follows the gate preference order, not the listing order", () => {
  assert.equal(pickRoles(names("llama3.2:3b", "gemma3:4b", "llama3.2:1b")).gate, "llama3.2:1b");
  assert.equal(pickRoles(names("llama3.2:3b:latest", "phi4:14b")).gate, "llama3.2:3b:latest");
});

Deno.test("pickRoles() falls back to the smallest chat model as gate", () => {
  const roles = pickRoles(names("mistral:7b", "phi3:3.8b", "qwen2.5:32b"));
  assert.equal(roles.gate, "phi3:3.8b");
  assert.equal(roles.chat, "qwen2.5:32b");
});

Deno.test("pickRoles() uses server sizes over names when it has them", () => {
  const models: ModelInfo[] = [
    { name: "big-name:70b", size_bytes: 1_000_000 },
    { name: "custom-model", size_bytes: 9_000_000_000 },
  ];
  assert.equal(pickRoles(models).chat, "custom-model");
});

Deno.test("pickRoles() never gives an embedding model a chat role", () => {
  const roles = pickRoles([
    { name: "mxbai-embed-large" },
    { name: "all-minilm:22m" },
    { name: "bge-m3", family: "bert" },
  ]);
  assert.equal(roles.chat, null);
  assert.equal(roles.gate, null);
  assert.equal(roles.embedding, "mxbai-embed-large");
});

Deno.test("pickRoles() prefers nomic-embed-text, else any *embed* model", () => {
  assert.equal(
    pickRoles(names("mxbai-embed-large", "nomic-embed-text:latest")).embedding,
    "nomic-embed-text:latest",
  );
  assert.equal(pickRoles(names("llama3.2:3b")).embedding, null);
});

Deno.test("pickRoles() lets overrides win", () => {
  const roles = pickRoles(names("qwen2.5:14b", "gemma3:1b"), { chat: "gemma3:1b", gate: null });
  assert.equal(roles.chat, "gemma3:1b");
  assert.equal(roles.gate, "gemma3:1b");
});

Deno.test("parameterBillions() reads the server's size, else the NNb in the name", () => {
  assert.equal(parameterBillions({ name: "x", parameter_size: "3.2B" }), 3.2);
  assert.equal(parameterBillions({ name: "x", parameter_size: "137M" }), 0.137);
  assert.equal(parameterBillions({ name: "qwen2.5:14b" }), 14);
  assert.equal(parameterBillions({ name: "qwen2.5:0.5b-instruct" }), 0.5);
  assert.equal(parameterBillions({ name: "mixtral:8x7b" }), 56);
  assert.equal(parameterBillions({ name: "llama3.2" }), null);
  assert.equal(modelWeight({ name: "llama3.2" }), null);
});

Deno.test("isEmbeddingModel() knows embedding names and BERT families", () => {
  assert.ok(isEmbeddingModel({ name: "nomic-embed-text" }));
  assert.ok(isEmbeddingModel({ name: "snowflake-arctic-embed:m" }));
  assert.ok(isEmbeddingModel({ name: "custom", family: "nomic-bert" }));
  assert.ok(!isEmbeddingModel({ name: "gemma3:1b", family: "gemma3" }));
});

Deno.test("rolesOf() lists every role a model plays", () => {
  const roles = pickRoles(names("llama3.2:3b"));
  assert.deepEqual(rolesOf("llama3.2:3b", roles), ["chat", "gate"]);
  assert.deepEqual(rolesOf("other", roles), []);
});

Deno.test("pickRoles() ranks only known sizes; with none known it takes the server's first", () => {
  const mixed = pickRoles(names("mistral", "phi3:mini", "qwen2.5:0.5b", "llama3.1:8b"));
  assert.equal(mixed.chat, "llama3.1:8b");
  assert.equal(mixed.gate, "qwen2.5:0.5b");
  const unknown = pickRoles(names("mistral", "phi3:mini"));
  assert.deepEqual([unknown.chat, unknown.gate], ["mistral", "mistral"]);
});
