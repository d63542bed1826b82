/** Runs `main.ts daemon` as a subprocess, reads its URL from the start line, stops it by pid. */

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** A running daemon. */
export interface DaemonProcess extends AsyncDisposable {
  /** e.g. "http://127.0.0.1:41234" */
  url: string;
  port: number;
  /** The daemon's process id (its memory can be read from /proc). */
  pid: number;
  /** Stdout so far (the start line and whatever followed). */
  stdout(): string;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: Deno.Signal): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts a daemon on an ephemeral loopback port and waits for its start line.
 *
 * @param env environment on top of a minimal one (PATH, NO_COLOR)
 * @param options `prefix`: a command to run it through, e.g. `ip netns exec NAME`; `main`:
 *   another checkout's `main.ts` (benchmarks compare two versions)
 * @throws when the daemon exits before it listens, with its stderr
 */
export async function startDaemon(
  env: Record<string, string>,
  args: string[] = ["--port", "0", "--bind", "127.0.0.1"],
  options: { prefix?: string[]; main?: string } = {},
): Promise<DaemonProcess> {
  const [program, ...programArgs] = [
    ...(options.prefix ?? []),
    Deno.execPath(),
    "run",
    "--quiet",
    "-A",
    options.main ?? MAIN,
    "daemon",
    ...args,
  ];
  const child = new Deno.Command(program!, {
    args: programArgs,
    env: { PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin", NO_COLOR: "1", ...env },
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let out = "";
  const listening = Promise.withResolvers<string>();
  const reading = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      out += decoder.decode(chunk, { stream: true });
      const url = out.match(/listening on (http:\/\/\S+)\n/)?.[1];
      if (url) listening.resolve(url);
    }
    listening.reject(new Error(`the daemon exited before listening: ${await stderr}`));
  })();
  let exited: Promise<{ code: number; stdout: string; stderr: string }> | null = null;
  const stop = (signal: Deno.Signal = "SIGTERM") => {
    exited ??= (async () => {
      try {
        child.kill(signal);
      } catch { /* already gone */ }
      const [status] = await Promise.all([child.status, reading]);
      return { code: status.code, stdout: out, stderr: await stderr };
    })();
    return exited;
  };
  let url: string;
  try {
    url = await listening.promise;
  } catch (error) {
    await stop("SIGKILL");
    throw error;
  }
  return {
    url,
    port: Number(new URL(url).port),
    pid: child.pid,
    stdout: () => out,
    stop,
    [Symbol.asyncDispose]: async () => void await stop("SIGKILL"),
  };
}
