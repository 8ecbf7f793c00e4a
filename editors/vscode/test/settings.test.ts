import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { configurationFor, toServerSettings } from '../src/settings';

test('defaults: no rules, secrets masked', () => {
  assert.deepEqual(toServerSettings({}), {
    settings: { rules: {}, maskSecrets: true },
    problems: [],
  });
});

test('rule levels are normalised and aliases accepted', () => {
  const { settings, problems } = toServerSettings({
    rules: { 'env-typo': 'Error', DL3008: 'off', 'env-missing': 'warn', UndefinedVar: ' info ' },
    maskSecrets: false,
  });
  assert.deepEqual(settings, {
    rules: { 'env-typo': 'error', DL3008: 'off', 'env-missing': 'warning', UndefinedVar: 'information' },
    maskSecrets: false,
  });
  assert.deepEqual(problems, []);
});

test('bad entries are dropped with a message, good ones kept', () => {
  const { settings, problems } = toServerSettings({
    rules: { 'env-typo': 'loud', 'unknown-key': 2, '': 'off', 'undefined-service': 'hint' },
    maskSecrets: 'yes',
  });
  assert.deepEqual(settings, { rules: { 'undefined-service': 'hint' }, maskSecrets: true });
  assert.equal(problems.length, 4);
  assert.match(problems[0], /env-typo.*"loud"/);
});

test('rules that are not an object are ignored', () => {
  for (const rules of [['env-typo'], 'env-typo=off', 3]) {
    const { settings, problems } = toServerSettings({ rules });
    assert.deepEqual(settings.rules, {});
    assert.equal(problems.length, 1);
  }
});

test('workspace/configuration answers the berth section with the same shape', () => {
  const s = { rules: { 'env-typo': 'error' as const }, maskSecrets: false };
  assert.deepEqual(configurationFor('berth', s), s);
  assert.deepEqual(configurationFor('berth.rules', s), s.rules);
  assert.equal(configurationFor('berth.maskSecrets', s), false);
  assert.equal(configurationFor('python', s), undefined);
  assert.equal(configurationFor(undefined, s), undefined);
});
