import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * Commands the policy knows by a tool's name but that run as a module of the workspace's Python:
 * `pytest …` starts `<python> -m pytest …`, `unittest …` starts `<python> -m unittest …`. The
 * policy decides on the tool and its flags (an interpreter is never allowed as such); the runtime
 * picks the interpreter: the one the editor or the command line names (the Python extension's
 * selection, --python), else a virtual environment in the project or the workspace (`.venv`,
 * `venv`), else `python3`.
 */
export const PYTHON_MODULE_TOOLS: ReadonlySet<string> = new Set(['pytest', 'unittest']);

export type Launcher = (file: string, args: readonly string[], cwd: string) => Promise<{ readonly file: string; readonly args: readonly string[] }>;

const VENV_PYTHONS = process.platform === 'win32' ? ['.venv/Scripts/python.exe', 'venv/Scripts/python.exe'] : ['.venv/bin/python', 'venv/bin/python'];

async function isFile(p: string): Promise<boolean> {
  return fs.stat(p).then((s) => s.isFile(), () => false);
}

export async function findPythonInterpreter(root: string, cwd: string, configured: string | undefined): Promise<string> {
  if (configured && (await isFile(configured))) return configured;
  for (const dir of cwd === root ? [root] : [cwd, root]) {
    for (const rel of VENV_PYTHONS) {
      const candidate = path.join(dir, rel);
      if (await isFile(candidate)) return candidate;
    }
  }
  return process.platform === 'win32' ? 'python' : 'python3';
}

export function pythonLauncher(root: string, configured: () => Promise<string | undefined>): Launcher {
  return async (file, args, cwd) => {
    if (!PYTHON_MODULE_TOOLS.has(file)) return { file, args };
    const python = await findPythonInterpreter(root, cwd, await configured().catch(() => undefined));
    return { file: python, args: ['-m', file, ...args] };
  };
}
