/** Bytes → text for the text-based document types, refusing binary content. */

/** How much of a file is sniffed for binary content. */
const SNIFF_BYTES = 8 * 1024;

/**
 * Above this share of undecodable characters the sample is not text. Legacy
 * 8-bit text (Latin-1 prose) stays far below it; compressed or image data sits
 * near 50 %.
 */
const MAX_INVALID_RATIO = 0.3;

/**
 * Control characters other than tab, newline, form feed, carriage return and
 * escape: text never has many, random bytes have about one in ten.
 */
const MAX_CONTROL_RATIO = 0.02;

/**
 * True when the first 8 KB look like binary data: a NUL byte (no text
 * encoding we read uses one, except UTF-16, recognised by its BOM), or too many
 * bytes that are invalid UTF-8 or control characters.
 */
export function isBinary(bytes: Uint8Array): boolean {
  if (utf16Encoding(bytes) !== null) return false;
  const sample = bytes.subarray(0, SNIFF_BYTES);
  if (sample.includes(0)) return true;
  // stream: true so a character cut at the sample's end is not counted as invalid.
  const text = new TextDecoder("utf-8").decode(sample, { stream: true });
  if (text.length === 0) return false;
  let invalid = 0;
  let control = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0xfffd) invalid++;
    else if (code < 0x20 && !"\t\n\v\f\r\x1b".includes(ch)) control++;
  }
  return invalid / text.length > MAX_INVALID_RATIO || control / text.length > MAX_CONTROL_RATIO;
}

/**
 * Decodes text: UTF-16 when it starts with a BOM, else UTF-8; a file that is
 * not UTF-8 at all (no valid multi-byte character in it) is read as
 * Windows-1252, the usual legacy encoding. Line endings become `\n`.
 */
export function decodeText(bytes: Uint8Array): string {
  const utf16 = utf16Encoding(bytes);
  let text: string;
  if (utf16 !== null) {
    text = new TextDecoder(utf16).decode(bytes);
  } else {
    text = new TextDecoder("utf-8").decode(bytes);
    if (text.includes("\ufffd") && !hasMultiByteChar(text)) {
      text = new TextDecoder("windows-1252").decode(bytes);
    }
  }
  return text.replace(/\r\n?/g, "\n");
}

function utf16Encoding(bytes: Uint8Array): "utf-16le" | "utf-16be" | null {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/** True when some non-ASCII character decoded fine: the file is damaged UTF-8, not legacy. */
function hasMultiByteChar(text: string): boolean {
  return /[\u0080-\ufffc\ufffe\uffff]/.test(text);
}
