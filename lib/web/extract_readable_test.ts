import assert from "node:assert/strict";
import { extractReadable } from "./extract_readable.ts";
import { fixture } from "../../testing/web_fixture.ts";

Deno.test("extractReadable() keeps an article and drops nav, scripts and footers", async () => {
  const { title, text } = extractReadable(await fixture("article.html"));
  assert.equal(title, "Running a Local AI Swarm on Old Laptops");
  assert.match(text, /^Most homes have more computing power than they think\./);
  assert.match(text, /\n\nWhy spread the work at all\?\n\n/);
  assert.match(text, /\n- Slow or rate-limited search providers only hold up one worker\.\n/);
  assert.match(
    text,
    /\nmycoswarm daemon\nmycoswarm research "which laptop batteries last longest\?" -n 5\n/,
  );
  assert.match(text, /a naïve page fetcher/);
  assert.match(text, /which was the point all along\.$/);
  for (
    const chrome of [
      "cookies",
      "Newsletter",
      "Related posts",
      "Subscribe",
      "gtag",
      "schema.org",
      "Share on",
    ]
  ) {
    assert.ok(!text.includes(chrome), chrome);
  }
});

Deno.test("extractReadable() falls back to the stripped body for short pages", () => {
  const page = "<html><head><title>T</title><script>x()</script></head><body><nav>Menu</nav>" +
    "<p>Text &amp; more</p><footer>Footer</footer></body></html>";
  assert.deepEqual(extractReadable(page), { title: "T", text: "Text & more" });
});

Deno.test("extractReadable() reads pages without html or body elements", () => {
  assert.deepEqual(extractReadable("<p>Just <b>a</b> paragraph</p>"), {
    title: "",
    text: "Just a paragraph",
  });
  assert.deepEqual(
    extractReadable("<html><head><title>H</title></head><h1>Top</h1><p>Body</p></html>"),
    {
      title: "H",
      text: "Top\n\nBody",
    },
  );
  assert.deepEqual(extractReadable(""), { title: "", text: "" });
});

Deno.test("extractReadable() keeps line breaks and indentation inside <pre>", () => {
  const page = "<html><body><pre>if (x) {\n  y();\n}</pre><p>after</p></body></html>";
  assert.equal(extractReadable(page).text, "if (x) {\n  y();\n}\n\nafter");
});
