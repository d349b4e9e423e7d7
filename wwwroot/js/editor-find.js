// The browser's own find (Ctrl+F) in co-edited texts. CodeMirror draws only the lines near the screen, so
// find would miss the rest of a long draft, which a textarea never did. Drawing every line all the time costs
// each keystroke (measured: the slowest tenth of keystrokes took twice as long), so the whole text is drawn
// only while the reader may be finding: from Ctrl+F (or F3, or the page losing focus to the find bar) until
// they type or click in a text again. CodeMirror has no public switch for this; it draws everything while
// printing (viewState.printing), and that flag is what this module sets, on the vendored, pinned version.

import { ViewPlugin } from '../lib/codemirror/codemirror.js';

const views = new Set();
let finding = false;

function apply(view) {
  const viewState = view.viewState;
  if (!viewState || !('printing' in viewState) || viewState.printing === finding) return;
  viewState.printing = finding;
  view.requestMeasure();
}

function setFinding(on) {
  if (finding === on) return;
  finding = on;
  for (const view of views) apply(view);
}

/** True while every text is drawn whole, for the browser's find. */
export function isFinding() { return finding; }

let listening = false;
function listen() {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  window.addEventListener('keydown', (event) => {
    const key = event.key.toLowerCase();
    if (((event.ctrlKey || event.metaKey) && (key === 'f' || key === 'g')) || key === 'f3') setFinding(true);
  }, { capture: true });
  // Opening the find bar (from the keyboard or the browser's menu) takes the focus away from the page.
  window.addEventListener('blur', () => setFinding(true));
}

/** The extension: registers the editor, keeps its drawing in step, and leaves find mode when the user edits or clicks in it. */
export const findableText = ViewPlugin.fromClass(class {
  constructor(view) {
    this.view = view;
    listen();
    views.add(view);
    apply(view);
  }

  update(update) {
    if (finding && update.transactions.some((tr) => tr.isUserEvent('input') || tr.isUserEvent('delete'))) {
      setFinding(false);
    }
    // Printing resets the flag when it is done: put it back as find mode wants it.
    apply(update.view);
  }

  destroy() {
    views.delete(this.view);
  }
}, {
  eventHandlers: {
    pointerdown() { setFinding(false); },
  },
});
