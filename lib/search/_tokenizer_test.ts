import assert from "node:assert/strict";
import { MAX_TOKEN_LENGTH, tokenize } from "./_tokenizer.ts";

Deno.test("tokenize() lower-cases, drops stop words and keeps each token once", () => {
  assert.deepEqual(tokenize("The NAS and the backup, the NAS!"), ["nas", "backup"]);
});

Deno.test("tokenize() keeps any script's letters and digits and folds accents", () => {
  assert.deepEqual(tokenize("Café résumé naïve"), ["cafe", "resume", "naive"]);
  assert.deepEqual(tokenize("Привет, мир! 東京 2024"), ["привет", "мир", "東京", "2024"]);
});

Deno.test("tokenize() drops over-long tokens", () => {
  assert.deepEqual(tokenize(`key ${"x".repeat(MAX_TOKEN_LENGTH + 1)} value`), ["key", "value"]);
});

Deno.test("tokenize() output re-tokenises to itself (removal relies on it)", () => {
  const tokens = tokenize("Über-fast Tokenizer: ÉCOLE, école; 3.14 ﬁnal naïve-test");
  assert.deepEqual(tokenize(tokens.join(" ")), tokens);
});
