// Finding the berth executable: the `berth.path` setting first, then PATH.
// Pure apart from the `Host`, so tests can simulate any machine, Windows included.
import * as path from 'path';

export interface Host {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  /** Folder a relative `berth.path` is resolved against (the first workspace folder). */
  cwd: string | undefined;
  isExecutableFile(file: string): boolean;
}

export type Discovery =
  | { found: true; path: string; from: 'setting' | 'PATH' }
  | { found: false; message: string };

export function findBerth(setting: string | undefined, host: Host): Discovery {
  const p = pathApi(host.platform);
  const configured = (setting ?? '').trim();
  if (configured !== '') {
    const file = resolveSetting(configured, host);
    if (host.isExecutableFile(file)) {
      return { found: true, path: file, from: 'setting' };
    }
    return {
      found: false,
      message: `The berth.path setting points at ${file}, but there is no executable file there.`,
    };
  }
  for (const dir of searchPath(host)) {
    for (const name of executableNames(host)) {
      const file = p.join(dir, name);
      if (host.isExecutableFile(file)) {
        return { found: true, path: file, from: 'PATH' };
      }
    }
  }
  return {
    found: false,
    message: 'Could not find the berth executable on PATH, and the berth.path setting is empty.',
  };
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

function resolveSetting(configured: string, host: Host): string {
  const p = pathApi(host.platform);
  let file = configured;
  if (file === '~' || file.startsWith('~/') || file.startsWith('~\\')) {
    file = p.join(host.homedir, file.slice(1));
  }
  if (!p.isAbsolute(file) && host.cwd !== undefined) {
    file = p.resolve(host.cwd, file);
  }
  return file;
}

/** Environment lookup that is case-insensitive on Windows (`Path` vs `PATH`). */
function getEnv(host: Host, name: string): string | undefined {
  if (host.platform !== 'win32') {
    return host.env[name];
  }
  const key = Object.keys(host.env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : host.env[key];
}

function searchPath(host: Host): string[] {
  const delimiter = host.platform === 'win32' ? ';' : ':';
  // An empty entry would mean "the current directory": never run a binary from there.
  return (getEnv(host, 'PATH') ?? '')
    .split(delimiter)
    .map((d) => d.trim().replace(/^"(.*)"$/, '$1'))
    .filter((d) => d !== '');
}

function executableNames(host: Host): string[] {
  if (host.platform !== 'win32') {
    return ['berth'];
  }
  const exts = (getEnv(host, 'PATHEXT') ?? '.COM;.EXE;.BAT;.CMD')
    .split(';')
    .filter((e) => e !== '');
  return exts.map((e) => `berth${e.toLowerCase()}`);
}
