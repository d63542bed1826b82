import assert from "node:assert/strict";
import { redactUrl } from "./redact_url.ts";

Deno.test("redactUrl() masks the password and keeps where the URL points", () => {
  assert.equal(redactUrl("http://me:hunter2@gpu.lan:8000/v1"), "http://me:***@gpu.lan:8000/v1");
  assert.equal(redactUrl("http://me:p@ss@gpu.lan/v1"), "http://me:***@gpu.lan/v1");
  assert.equal(redactUrl("https://ghp_abc@example.com/x"), "https://***@example.com/x");
  assert.equal(redactUrl("http://127.0.0.1:11434"), "http://127.0.0.1:11434");
  assert.equal(redactUrl("http://host/a?mail=x@y.z"), "http://host/a?mail=x@y.z");
});

Deno.test("redactUrl() masks every URL in a message", () => {
  assert.equal(
    redactUrl("No model server at http://u:s3cret@a/v1 (from MYCOSWARM_LLM_URL) or http://b:c@d"),
    "No model server at http://u:***@a/v1 (from MYCOSWARM_LLM_URL) or http://b:***@d",
  );
});
