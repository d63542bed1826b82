/** Hides the credentials in URLs before they are shown, logged or sent to a peer. */

// scheme://userinfo@ — greedy up to the last "@" before the path, as URL parsers split it.
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#]+)@/gi;

/**
 * Masks the password (or a lone user name, often a token) of every URL in `text`; the host,
 * port and path stay, so the message still says where. Use it wherever a configured URL is
 * shown; requests keep the real URL, which the server needs.
 *
 * @param text a URL, or any text with URLs in it (an error message, a log line)
 * @returns `text` with `user:password@` as `user:***@` and `token@` as `***@`
 * @example
 * ```ts
 * redactUrl("http://me:hunter2@gpu.lan:8000/v1"); // "http://me:***@gpu.lan:8000/v1"
 * redactUrl("https://ghp_abc@example.com/x"); // "https://***@example.com/x"
 * ```
 */
export function redactUrl(text: string): string {
  return text.replace(USERINFO, (_match, scheme: string, userinfo: string) => {
    const colon = userinfo.indexOf(":");
    return colon < 0 ? `${scheme}***@` : `${scheme}${userinfo.slice(0, colon)}:***@`;
  });
}
