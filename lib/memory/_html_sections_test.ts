import assert from "node:assert/strict";
import { splitHtml } from "./_html_sections.ts";

Deno.test("splitHtml() splits at h1 to h4, h5 and h6 stay text", () => {
  const html = "<body><p>Lead</p><h1>A</h1><p>a</p><h2>B</h2><p>b</p><h3>C</h3>c<h4>D</h4>" +
    "<h5>E</h5><p>d</p><h6>F</h6></body>";
  assert.deepEqual(splitHtml(html).sections, [
    { title: null, text: "Lead" },
    { title: "A", text: "a" },
    { title: "B", text: "b" },
    { title: "C", text: "c" },
    { title: "D", text: "E\nd\nF" },
  ]);
});

Deno.test("splitHtml() takes the title from <title>, else the first h1", () => {
  assert.equal(splitHtml("<title> Page &amp; Co </title><h1>Head</h1>x").title, "Page & Co");
  assert.equal(splitHtml("<h2>Sub</h2><h1>Main  <em>one</em></h1>x").title, "Main one");
  assert.equal(splitHtml("<p>no title</p>").title, null);
  assert.deepEqual(splitHtml('<h2>Install <a href="#install">#</a></h2>x').sections, [
    { title: "Install", text: "x" },
  ]);
});

Deno.test("splitHtml() drops scripts, styles, navigation, header, footer, aside and forms", () => {
  const html = `<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style></head>
    <body><header>Logo</header><nav>Menu</nav><script>var x = 1;</script><noscript>JS!</noscript>
    <div role="navigation">Crumbs</div><div hidden>Secret</div><span aria-hidden="true">★</span>
    <p>Kept text.</p><aside>Ad</aside><form><label>Email</label><input></form>
    <footer>Footer</footer><template><p>Tpl</p></template></body></html>`;
  assert.deepEqual(splitHtml(html).sections, [{ title: null, text: "Kept text." }]);
});

Deno.test("splitHtml() keeps only <main> when the page has one, with its article header", () => {
  const html = `<body><div>Site blurb</div><main><article><header><h1>Post</h1><p>By Ada</p>
    </header><p>Body.</p><footer>Tags</footer></article></main><div>More site</div></body>`;
  assert.deepEqual(splitHtml(html).sections, [{ title: "Post", text: "By Ada\nBody." }]);
});

Deno.test("splitHtml() turns blocks into lines, lists into bullets, tables into rows", () => {
  const html = `<p>One <b>bold</b>
    word.</p><div>Two<br>lines</div><ul><li>a</li><li><p>b</p></li><li></li></ul>
    <table><tr><th>k</th><th>v</th></tr><tr><td>x</td><td>1</td></tr></table>
    <pre>  keep
    spacing</pre>`;
  assert.deepEqual(splitHtml(html).sections, [{
    title: null,
    text: "One bold word.\nTwo\nlines\n- a\n- b\nk | v\nx | 1\n  keep\n    spacing",
  }]);
});

Deno.test("splitHtml() reads <pre><code> as code, without its tags", () => {
  const html =
    "<h2>Code</h2><pre><code class=x>if (a &lt; b) {\n  <span>go</span>();\n}</code></pre>";
  assert.deepEqual(splitHtml(html).sections, [{ title: "Code", text: "if (a < b) {\n  go();\n}" }]);
});

Deno.test("splitHtml() decodes entities and reads a fragment without <body>", () => {
  assert.deepEqual(splitHtml("<h2>Caf&eacute;</h2>5&nbsp;&lt;&nbsp;6 &amp; &#x2713;").sections, [
    { title: "Café", text: "5 < 6 & ✓" },
  ]);
});
