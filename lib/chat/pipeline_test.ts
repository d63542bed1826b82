import assert from "node:assert/strict";
import { contextBudgetChars } from "./pipeline.ts";

Deno.test("contextBudgetChars() gives half a window of ~4 characters a token to context", () => {
  assert.equal(contextBudgetChars(4096), 8192);
  assert.equal(contextBudgetChars(32768), 65536);
});
