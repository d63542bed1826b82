/** Which bodies fetchPage reads as text, and in which character set. */

/** How a body is read: as HTML, as plain text, or not at all. */
export type ContentKind = "html" | "text" | "refused";

/** The media type without parameters, lower-cased ("" when absent). */
export function mediaType(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * How to read a declared media type. Unknown or missing types are judged by
 * {@linkcode sniffKind} once the first bytes are in.
 */
export function kindOf(type: string): ContentKind | "unknown" {
  if (type === "") return "unknown";
  if (type === "text/html" || type === "application/xhtml+xml") return "html";
  if (type.startsWith("text/")) return "text";
  if (/^application\/([\w.-]+\+)?(json|xml)$/.test(type)) return "text";
  if (type === "application/javascript" || type === "application/x-ndjson") return "text";
  return "refused";
}

/** Guesses a body's kind from its first bytes: NUL bytes mean binary. */
export function sniffKind(bytes: Uint8Array): ContentKind {
  const head = bytes.subarray(0, 1024);
  if (head.includes(0)) return "refused";
  const start = new TextDecoder().decode(head).trimStart().slice(0, 256).toLowerCase();
  return /^(<!doctype html|<html|<head|<body|<!--)/.test(start) ? "html" : "text";
}

/** The body as text: the declared charset, else a `<meta>` charset, else UTF-8. */
export function decodeBody(bytes: Uint8Array, contentType: string | null, cut: boolean): string {
  const declared = /charset="?([\w.:-]+)/i.exec(contentType ?? "")?.[1];
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 2048));
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(declared ?? meta ?? "utf-8");
  } catch {
    decoder = new TextDecoder(); // an unknown label: UTF-8 is the web's default
  }
  const text = decoder.decode(bytes);
  return cut ? text.replace(/\uFFFD+$/, "") : text; // a character split by the cut
}
