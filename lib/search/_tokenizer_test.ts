import assert from "node:assert/strict";
import { MAX_TOKEN_LENGTH, tokenize } from "./_tokenizer.ts";

Deno.test("tokenize() lower-cases, drops stop words and keeps every occurrence", () => {
  assert.deepEqual(tokenize("The backup and the NAS, the backup!"), ["backup", "na", "backup"]);
});

Deno.test("tokenize() stems English words, so a plural finds its singular", () => {
  assert.deepEqual(tokenize("backups"), tokenize("backup"));
  assert.deepEqual(tokenize("Gathering gathered gathers"), ["gather", "gather", "gather"]);
});

Deno.test("tokenize() keeps any script's letters and digits and folds accents", () => {
  assert.deepEqual(tokenize("Café naïve"), ["cafe", "naiv"]);
  assert.deepEqual(tokenize("Привет, мир! 東京 2024"), ["привет", "мир", "東京", "2024"]);
});

Deno.test("tokenize() keeps a code identifier whole (unstemmed) and as its stemmed parts", () => {
  assert.deepEqual(tokenize("dirs_exist_ok"), ["dirs_exist_ok", "dir", "exist", "ok"]);
  assert.deepEqual(tokenize("asyncio.gather()"), ["asyncio.gather", "asyncio", "gather"]);
  assert.deepEqual(tokenize("getElementById"), ["getelementbyid", "get", "element", "id"]);
  assert.deepEqual(tokenize("HTTPServer utf8"), [
    "httpserver",
    "http",
    "server",
    "utf8",
    "utf",
    "8",
  ]);
});

Deno.test("tokenize() treats a sentence's closing dot and a name's underscores as edges", () => {
  assert.deepEqual(tokenize("Restore the backups. __init__"), ["restor", "backup", "init"]);
});

Deno.test("tokenize() drops over-long tokens", () => {
  assert.deepEqual(tokenize(`key ${"x".repeat(MAX_TOKEN_LENGTH + 1)} value`), ["kei", "valu"]);
});

Deno.test("tokenize() cuts unspaced Chinese and Japanese into overlapping pairs, so a word inside a sentence is found", () => {
  assert.deepEqual(tokenize("東京タワー"), ["東京", "京タ", "タワ", "ワー"]);
  assert.deepEqual(tokenize("Python入門 の"), ["python", "入門", "の"]);
  const sentence = tokenize(
    "東京タワーは日本の首都東京にある有名な電波塔で多くの観光客が訪れる人気の観光地です",
  );
  for (const term of tokenize("観光客")) assert.ok(sentence.includes(term), term);
  assert.deepEqual(tokenize("𠮷野家"), ["𠮷野", "野家"]);
});
