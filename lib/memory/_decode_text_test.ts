import assert from "node:assert/strict";
import { decodeText, isBinary } from "./_decode_text.ts";

const utf8 = (text: string) => new TextEncoder().encode(text);

Deno.test("isBinary() says no for UTF-8, Latin-1 and UTF-16 text", () => {
  assert.equal(isBinary(utf8("Plain text, naïve café, 菌糸体, emoji 🍄\n\ttabbed\r\n")), false);
  assert.equal(
    isBinary(Uint8Array.from("Caf\xe9 cr\xe8me br\xfbl\xe9e", (c) => c.charCodeAt(0))),
    false,
  );
  assert.equal(isBinary(new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x42, 0x00])), false);
  assert.equal(isBinary(new Uint8Array()), false);
});

Deno.test("isBinary() says yes for a NUL byte in the first 8 KB", () => {
  assert.equal(isBinary(new Uint8Array([0x48, 0x69, 0x00, 0x21])), true);
  const late = utf8("a".repeat(9000));
  late[8500] = 0;
  assert.equal(isBinary(late), false);
});

Deno.test("isBinary() says yes for control codes or invalid UTF-8 without NULs", () => {
  assert.equal(isBinary(Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 0x41 : 0x01))), true);
  assert.equal(isBinary(Uint8Array.from({ length: 100 }, (_, i) => (i % 2 ? 0x41 : 0xfe))), true);
});

Deno.test("isBinary() does not count a character cut at 8 KB as invalid", () => {
  assert.equal(isBinary(utf8("é".repeat(5000))), false);
});

Deno.test("decodeText() reads UTF-8, UTF-16 and Windows-1252, with \\n line ends", () => {
  assert.equal(decodeText(utf8("\ufeffa\r\nb\rc")), "a\nb\nc");
  assert.equal(decodeText(new Uint8Array([0xfe, 0xff, 0x00, 0x41, 0x00, 0xe9])), "Aé");
  assert.equal(decodeText(Uint8Array.from("\x93ok\x94 \xe9", (c) => c.charCodeAt(0))), "“ok” é");
});

Deno.test("decodeText() keeps damaged UTF-8 as UTF-8", () => {
  const bytes = new Uint8Array([...utf8("café "), 0xff, ...utf8(" ok")]);
  assert.equal(decodeText(bytes), "café \ufffd ok");
});
