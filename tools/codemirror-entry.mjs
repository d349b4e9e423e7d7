// What the page uses of CodeMirror 6, bundled by `npm run vendor` (tools/vendor.mjs) into one ES module,
// wwwroot/lib/codemirror/codemirror.js. State and view whole; of the commands, history and the plain-text keys.
export * from '@codemirror/state';
export * from '@codemirror/view';
export {
  history, historyKeymap, standardKeymap, insertNewline, undo, redo, undoDepth, redoDepth, isolateHistory,
  invertedEffects, selectAll, cursorDocStart, cursorDocEnd,
} from '@codemirror/commands';
