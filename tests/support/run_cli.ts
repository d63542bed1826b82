/** Runs the CLI the way a user does: `deno run main.ts ...` as a subprocess. */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** What the command printed and how it ended. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode runMain}. */
export interface RunMainOptions {
  /** Environment on top of a minimal one (PATH, HOME) — never the developer's own config. */
  env?: Record<string, string>;
  /** Text written to stdin, then stdin is closed. */
  stdin?: string;
  /** Send SIGINT after this text appears on stdout. */
  interruptAfter?: string;
}

/**
 * Runs `main.ts` with `args` in a subprocess.
 *
 * @returns its exit code, stdout and stderr
 */
export async function runMain(args: string[], options: RunMainOptions = {}): Promise<CliRun> {
  const env = { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1", ...options.env };
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--quiet", "-A", MAIN, ...args],
    env,
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  if (options.stdin !== undefined) await writer.write(new TextEncoder().encode(options.stdin));
  // To test Ctrl-C, stdin stays open (a person at the prompt) until the signal is sent.
  let interruptAfter = options.interruptAfter;
  if (interruptAfter === undefined) await writer.close();
  const decoder = new TextDecoder();
  let stdout = "";
  const readStdout = (async () => {
    for await (const chunk of child.stdout) {
      stdout += decoder.decode(chunk, { stream: true });
      if (interruptAfter !== undefined && stdout.includes(interruptAfter)) {
        interruptAfter = undefined;
        child.kill("SIGINT");
        await writer.close().catch(() => {});
      }
    }
  })();
  const stderr = new Response(child.stderr).text();
  const [status] = await Promise.all([child.status, readStdout]);
  return { code: status.code, stdout, stderr: await stderr };
}

/** A fresh MYCOSWARM_HOME, removed by the returned dispose function. */
export async function tempHome(): Promise<{ home: string } & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "mycoswarm-test-" });
  return {
    home,
    [Symbol.asyncDispose]: () => Deno.remove(home, { recursive: true }),
  };
}
