// Rules for the page's source that a reviewer should not have to check by eye: no HTML sinks (user text
// goes in as text only), nothing inline that a strict CSP would block, and hub names spelled in one module.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../wwwroot/', import.meta.url));

function filesUnder(dir, ext) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'lib' ? [] : filesUnder(path, ext);
    return path.endsWith(ext) ? [path] : [];
  });
}

const scripts = filesUnder(join(root, 'js'), '.js');
const source = (path) => readFileSync(path, 'utf8');

describe('the page source', () => {
  test('never turns strings into markup or code', () => {
    const sinks = /\.(innerHTML|outerHTML)\b|insertAdjacentHTML|document\.write|\beval\(|new Function\(|createContextualFragment|DOMParser/;
    for (const path of scripts) {
      const offending = source(path).split('\n').filter((line) => sinks.test(line) && !line.trim().startsWith('//'));
      assert.deepEqual(offending, [], relative(root, path));
    }
  });

  test('sets no style attributes and no inline handlers', () => {
    for (const path of scripts) {
      assert.doesNotMatch(source(path), /setAttribute\(\s*['"](style|on\w+)['"]/, relative(root, path));
    }
  });

  test('index.html has no inline script or style that the CSP would block', () => {
    const html = source(join(root, 'index.html'));
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) assert.match(tag, /\bsrc=/, tag);
    assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i);
  });

  test('hub methods and events are named only in hub-names.js', () => {
    const names = ['JoinMeeting', 'LeaveMeeting', 'GetEventsSince', 'SubmitOperation', 'GetTextHistory', 'SetPosition', 'MoveCaret', 'MeetingEvents', 'PresenceChanged', 'CaretsMoved'];
    const quoted = new RegExp(`['"\`](${names.join('|')}|Focus)['"\`]`);
    for (const path of scripts.filter((p) => !p.endsWith('hub-names.js'))) {
      assert.doesNotMatch(source(path), quoted, relative(root, path));
    }
  });

  test('event types are named only in hub-names.js', () => {
    const types = /['"`](item|agenda|position|text|meeting|participant|membership|tally|coalition)\.[a-z]+['"`]/;
    for (const path of scripts.filter((p) => !p.endsWith('hub-names.js'))) {
      assert.doesNotMatch(source(path), types, relative(root, path));
    }
  });
});
