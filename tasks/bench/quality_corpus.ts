/**
 * The quality benchmark's corpus: Debian's `python3-doc` HTML (the library reference and the
 * howtos), installed with apt-get when missing.
 */

const DOC_ROOT = "/usr/share/doc";
const SECTIONS = ["library", "howto"];

/**
 * The corpus's HTML files, one path per page (the package's many symlinked folders
 * resolved to one), sorted; installs `python3-doc` first when no copy is found.
 *
 * @returns The root (`…/html`) and its pages' paths.
 * @throws Error with one line saying what to do when the package cannot be installed.
 */
export async function pythonDocPages(): Promise<{ root: string; pages: string[] }> {
  let root = await findDocRoot();
  if (root === null) {
    console.error("python3-doc is not installed; installing it with apt-get (one time)…");
    await install();
    root = await findDocRoot();
    if (root === null) throw new Error("python3-doc installed, yet no library/*.html found");
  }
  const pages: string[] = [];
  for (const section of SECTIONS) {
    for await (const entry of Deno.readDir(`${root}/${section}`)) {
      if (entry.name.endsWith(".html")) pages.push(`${root}/${section}/${entry.name}`);
    }
  }
  return { root, pages: pages.sort() };
}

/** The page's name as queries give it: `library/shutil.html`. */
export function pageName(path: string): string {
  return path.split("/").slice(-2).join("/");
}

async function findDocRoot(): Promise<string | null> {
  const roots = new Set<string>();
  try {
    for await (const entry of Deno.readDir(DOC_ROOT)) {
      if (!entry.name.startsWith("python3")) continue;
      try {
        roots.add(await Deno.realPath(`${DOC_ROOT}/${entry.name}/html`));
      } catch {
        // a python3 package without HTML documentation
      }
    }
  } catch {
    return null;
  }
  for (const root of [...roots].sort()) {
    try {
      if ((await Deno.stat(`${root}/library/shutil.html`)).isFile) return root;
    } catch {
      // not the reference documentation
    }
  }
  return null;
}

async function install(): Promise<void> {
  const apt = async (...args: string[]) => {
    try {
      const { code, stderr } = await new Deno.Command("apt-get", {
        args,
        stdout: "null",
        stderr: "piped",
        env: { DEBIAN_FRONTEND: "noninteractive" },
      }).output();
      return code === 0 ? null : new TextDecoder().decode(stderr).trim().split("\n").at(-1) ?? "";
    } catch (error) {
      return (error as Error).message;
    }
  };
  let failure = await apt("install", "-y", "-q", "python3-doc");
  if (failure !== null) {
    failure = await apt("update", "-q") ?? await apt("install", "-y", "-q", "python3-doc");
  }
  if (failure !== null) {
    throw new Error(
      `the quality benchmark needs Debian's python3-doc and could not install it (${failure}): ` +
        "run `apt-get install python3-doc` as root, then run the benchmark again",
    );
  }
}
