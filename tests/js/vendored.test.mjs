// The vendored browser libraries are the versions package.json pins, each with its licence beside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

const read = (path) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const pins = JSON.parse(read('package.json')).devDependencies;

test('the CodeMirror bundle holds the pinned versions, and every package in it has its licence beside it', () => {
  const lines = read('wwwroot/lib/codemirror/VERSION').trim().split('\n');
  const bundled = new Map(lines.filter((l) => !l.startsWith('bundled with')).map((l) => {
    const [name, version, licence] = l.split(' ');
    return [name, { version, licence }];
  }));
  for (const name of ['@codemirror/state', '@codemirror/view', '@codemirror/commands']) {
    assert.equal(bundled.get(name)?.version, pins[name], `${name} in the bundle is the pinned version`);
  }
  assert.equal(lines.at(-1), `bundled with esbuild ${pins.esbuild}`);
  for (const [name, { licence }] of bundled) {
    assert.equal(licence, 'MIT', name);
    assert.ok(existsSync(new URL(`../../wwwroot/lib/codemirror/licenses/${name.replace('/', '__')}.LICENSE`, import.meta.url)), `${name} licence`);
  }
});

test('the SignalR client is the pinned version', () => {
  assert.equal(read('wwwroot/lib/signalr/VERSION').trim(), pins['@microsoft/signalr']);
});

test('the lock file names no download addresses', () => {
  assert.doesNotMatch(read('package-lock.json'), /"resolved"/);
});
