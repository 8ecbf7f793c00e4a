import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { findBerth, Host } from '../src/discovery';

// A fake machine: `files` are the executable files that exist.
function host(over: Partial<Host> & { files?: string[] }): Host {
  const files = new Set(over.files ?? []);
  return {
    platform: over.platform ?? 'linux',
    env: over.env ?? {},
    homedir: over.homedir ?? '/home/ada',
    cwd: over.cwd,
    isExecutableFile: (f) => files.has(f),
  };
}

test('the setting wins over PATH', () => {
  const h = host({ env: { PATH: '/usr/bin' }, files: ['/usr/bin/berth', '/opt/berth/bin/berth'] });
  assert.deepEqual(findBerth('/opt/berth/bin/berth', h), {
    found: true,
    path: '/opt/berth/bin/berth',
    from: 'setting',
  });
});

test('a setting pointing nowhere is an error, not a silent fallback to PATH', () => {
  const h = host({ env: { PATH: '/usr/bin' }, files: ['/usr/bin/berth'] });
  const r = findBerth('/nope/berth', h);
  assert.equal(r.found, false);
  assert.match(r.found ? '' : r.message, /berth\.path.*\/nope\/berth/);
});

test('~ and relative settings are expanded', () => {
  const h = host({ cwd: '/work/proj', files: ['/home/ada/.cargo/bin/berth', '/work/proj/bin/berth'] });
  assert.deepEqual(findBerth('~/.cargo/bin/berth', h), {
    found: true,
    path: '/home/ada/.cargo/bin/berth',
    from: 'setting',
  });
  assert.deepEqual(findBerth('./bin/berth', h), {
    found: true,
    path: '/work/proj/bin/berth',
    from: 'setting',
  });
});

test('an empty or blank setting searches PATH in order', () => {
  const h = host({
    env: { PATH: '/usr/local/bin::/home/ada/.cargo/bin:/usr/bin' },
    files: ['/home/ada/.cargo/bin/berth', '/usr/bin/berth'],
  });
  for (const setting of [undefined, '', '   ']) {
    assert.deepEqual(findBerth(setting, h), {
      found: true,
      path: '/home/ada/.cargo/bin/berth',
      from: 'PATH',
    });
  }
});

test('empty PATH entries never mean the current directory', () => {
  const h = host({ env: { PATH: ':/usr/bin' }, cwd: '/work/proj', files: ['berth', '/work/proj/berth'] });
  assert.equal(findBerth('', h).found, false);
});

test('not found anywhere gives a message naming the setting', () => {
  const r = findBerth('', host({ env: { PATH: '/usr/bin:/bin' } }));
  assert.equal(r.found, false);
  assert.match(r.found ? '' : r.message, /PATH.*berth\.path/);
});

test('Windows: Path is case-insensitive, PATHEXT decides the names', () => {
  const h = host({
    platform: 'win32',
    env: { Path: 'C:\\Tools;"C:\\Program Files\\berth"', PATHEXT: '.COM;.EXE' },
    files: ['C:\\Program Files\\berth\\berth.exe'],
  });
  assert.deepEqual(findBerth(undefined, h), {
    found: true,
    path: 'C:\\Program Files\\berth\\berth.exe',
    from: 'PATH',
  });
});

test('Windows: a setting with backslashes and ~ works', () => {
  const h = host({
    platform: 'win32',
    homedir: 'C:\\Users\\ada',
    files: ['C:\\Users\\ada\\.cargo\\bin\\berth.exe'],
  });
  assert.deepEqual(findBerth('~\\.cargo\\bin\\berth.exe', h), {
    found: true,
    path: 'C:\\Users\\ada\\.cargo\\bin\\berth.exe',
    from: 'setting',
  });
});
