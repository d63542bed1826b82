/** The two classes of routes: client routes (Ollama, OpenAI) and node routes (the swarm's). */

/**
 * True for the routes an Ollama or OpenAI client calls: `/`, `/api/…` (Ollama), `/v1/…`
 * (OpenAI). Everything else but `/health` is a node route.
 */
export function isClientRoute(path: string): boolean {
  return path === "/" || /^\/(api|v1)(\/|$)/.test(path);
}
