// `npm run vendor`: copies the browser libraries the page loads from the npm packages pinned in package.json
// into wwwroot/lib/, so that the page itself has no build step. The SignalR client is copied as it ships;
// CodeMirror 6 is a set of ES modules with bare imports that a browser cannot resolve, so esbuild (pinned)
// bundles the parts the page uses into one ES module, with the licence of every package that ends up in it.
// axe-core is not for the page: the browser tests inject it to audit the page's accessibility, so it goes to
// tests/BriefingRoom.BrowserTests/vendor/, and `dotnet test` needs no npm.

import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const packageJson = (name) => JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));

function vendorSignalR() {
  const from = join(root, 'node_modules/@microsoft/signalr/dist/browser');
  const to = join(root, 'wwwroot/lib/signalr');
  mkdirSync(to, { recursive: true });
  for (const file of ['signalr.min.js', 'signalr.min.js.map']) copyFileSync(join(from, file), join(to, file));
  const { version } = packageJson('@microsoft/signalr');
  writeFileSync(join(to, 'VERSION'), `${version}\n`);
  console.log(`vendored @microsoft/signalr ${version} into wwwroot/lib/signalr/`);
}

// style-mod puts CodeMirror's own CSS into a <style> element unless the root is a shadow root. The page's
// Content-Security-Policy (style-src 'self') refuses <style> elements, but not constructed stylesheets
// (document.adoptedStyleSheets), which every browser we support has: so use those for documents too.
const styleModUnderCsp = {
  name: 'style-mod-under-csp',
  setup(esbuild) {
    esbuild.onLoad({ filter: /style-mod[\\/]src[\\/]style-mod\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const shadowOnly = 'if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {';
      if (!source.includes(shadowOnly)) {
        throw new Error(`style-mod changed: '${shadowOnly}' is not in ${args.path}; check how it mounts styles before vendoring it.`);
      }
      return { contents: source.replace(shadowOnly, 'if (root.adoptedStyleSheets && win.CSSStyleSheet) {'), loader: 'js' };
    });
  },
};

/** "node_modules/@codemirror/view/dist/index.js" -> "@codemirror/view" */
function packageOf(input) {
  const parts = input.split('node_modules/')[1]?.split('/');
  if (!parts) return null;
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

async function vendorCodeMirror() {
  const to = join(root, 'wwwroot/lib/codemirror');
  rmSync(to, { recursive: true, force: true });
  mkdirSync(join(to, 'licenses'), { recursive: true });
  const outfile = join(to, 'codemirror.js');
  const result = await build({
    entryPoints: [join(root, 'tools/codemirror-entry.mjs')],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    metafile: true,
    plugins: [styleModUnderCsp],
    banner: { js: '// CodeMirror 6 (MIT), bundled by tools/vendor.mjs; the packages and their licences are listed in VERSION and licenses/.' },
  });
  const packages = new Set();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      if (name && bytesInOutput > 0) packages.add(name);
    }
  }
  const lines = [];
  for (const name of [...packages].sort()) {
    const { version, license } = packageJson(name);
    if (license !== 'MIT') throw new Error(`${name} ${version} is licensed ${license}, not MIT: do not vendor it without a decision.`);
    const dir = join(root, 'node_modules', name);
    const licenceFile = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].map((f) => join(dir, f)).find((f) => existsSync(f));
    if (!licenceFile) throw new Error(`${name} ships no licence file.`);
    copyFileSync(licenceFile, join(to, 'licenses', `${name.replace('/', '__')}.LICENSE`));
    lines.push(`${name} ${version} ${license}`);
  }
  writeFileSync(join(to, 'VERSION'), `${lines.join('\n')}\nbundled with esbuild ${packageJson('esbuild').version}\n`);
  console.log(`vendored CodeMirror into wwwroot/lib/codemirror/:\n  ${lines.join('\n  ')}`);
}

// axe-core is MPL-2.0: its licence (and the third-party notices of what axe.min.js bundles) stay beside it.
function vendorAxe() {
  const from = join(root, 'node_modules/axe-core');
  const to = join(root, 'tests/BriefingRoom.BrowserTests/vendor/axe-core');
  mkdirSync(to, { recursive: true });
  for (const file of ['axe.min.js', 'LICENSE', 'LICENSE-3RD-PARTY.txt']) copyFileSync(join(from, file), join(to, file));
  const { version, license } = packageJson('axe-core');
  writeFileSync(join(to, 'VERSION'), `axe-core ${version} ${license}\n`);
  console.log(`vendored axe-core ${version} into tests/BriefingRoom.BrowserTests/vendor/axe-core/`);
}

vendorSignalR();
await vendorCodeMirror();
vendorAxe();
