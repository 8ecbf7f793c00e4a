import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPOSE_GLOB, COMPOSE_NAMES, documentSelector, LANGUAGES } from '../src/documents';

// minimatch ships with vscode-languageclient; its major version differs in how it exports.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const mm = require('minimatch');
const minimatch: (p: string, g: string) => boolean = mm.minimatch ?? mm;

test('the compose glob matches compose names in any folder, and nothing else', () => {
  for (const name of [
    'compose.yaml',
    'docker-compose.yml',
    'compose.override.yaml',
    'compose.prod.yml',
    'docker-compose.override.yml',
    'docker-compose-ci.yaml',
  ]) {
    assert.ok(minimatch(`/w/app/${name}`, COMPOSE_GLOB), name);
    assert.ok(minimatch(name, COMPOSE_GLOB), name);
  }
  for (const name of ['config.yaml', 'compose.json', 'mycompose.yaml', 'environment.yml']) {
    assert.ok(!minimatch(`/w/app/${name}`, COMPOSE_GLOB), name);
  }
});

test('every language berth handles is selected, yaml only by compose name', () => {
  const selector = documentSelector();
  for (const language of LANGUAGES) {
    assert.ok(selector.some((f) => f.language === language && f.pattern === undefined), language);
  }
  const yaml = selector.filter((f) => f.language === 'yaml');
  assert.deepEqual(yaml, [{ scheme: 'file', language: 'yaml', pattern: COMPOSE_GLOB }]);
});

test('package.json contributes the same compose names and activates on every language', () => {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'),
  );
  const compose = manifest.contributes.languages.find((l: { id: string }) => l.id === 'dockercompose');
  const contributed = [...compose.filenames, ...compose.filenamePatterns].sort();
  assert.deepEqual(contributed, [...COMPOSE_NAMES].sort());
  for (const language of [...LANGUAGES, 'yaml']) {
    assert.ok(manifest.activationEvents.includes(`onLanguage:${language}`), language);
  }
  const dotenv = manifest.contributes.languages.find((l: { id: string }) => l.id === 'dotenv');
  assert.deepEqual(dotenv.filenames, ['.env']);
  assert.deepEqual(dotenv.filenamePatterns, ['.env.*', '*.env']);
});
