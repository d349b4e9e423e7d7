// A control that is disabled while it works ("Save stance" while saving) loses the keyboard focus: the browser
// moves it to the top of the page, and a keyboard user has to find their way back. This watches the whole page:
// when the control that had the focus is disabled, and is enabled again while the focus is still nowhere, the
// focus goes back to it. Forms need not do anything for it.

/** Whether the keyboard focus is nowhere: on the page itself, as after the control that had it was taken away. */
export function focusIsNowhere(doc = document) {
  return doc.activeElement === null || doc.activeElement === doc.body || doc.activeElement === doc.documentElement;
}

/** @param {Document} doc */
export function keepFocusThroughDisabling(doc) {
  let focused = null;
  let parked = null;
  doc.addEventListener('focusin', (event) => {
    focused = event.target;
    parked = null;
  }, true);

  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const el = record.target;
      if (record.oldValue === null) {
        // Just disabled (the attribute was absent): remember it if it is the control the person was on.
        if (el === focused) parked = el;
      } else if (!el.hasAttribute('disabled') && el === parked) {
        parked = null;
        if (el.isConnected && focusIsNowhere(doc)) el.focus({ preventScroll: true });
      }
    }
  });
  observer.observe(doc.documentElement, { subtree: true, attributes: true, attributeFilter: ['disabled'], attributeOldValue: true });
  return () => observer.disconnect();
}
