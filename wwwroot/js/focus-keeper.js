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

/**
 * A panel's buttons, disabled while one of its actions waits for the server's answer (one action at a time): those it
 * had when the action began, and those it draws meanwhile. The room's event can come before that answer, and a press on
 * what it drew was dropped without a word though the button looked ready. `release`, once the answer is in, enables
 * them all and gives the keyboard, if it is nowhere, to the one drawn in place of the control that had it (a disabled
 * button cannot take it; one that was only disabled gets it back from `keepFocusThroughDisabling`).
 */
export class HeldWhileBusy {
  #held = [];
  #focus = null;

  /**
   * @param {ParentNode} root where the new buttons are
   * @param {HTMLElement | null} [focus] the one to take the keyboard when they are enabled
   */
  hold(root, focus = null) {
    for (const control of root.querySelectorAll('button:not(:disabled)')) {
      control.disabled = true;
      this.#held.push(control);
    }
    if (focus) this.#focus = focus;
  }

  release(doc = document) {
    for (const control of this.#held.splice(0)) control.disabled = false;
    const focus = this.#focus;
    this.#focus = null;
    if (focus?.isConnected && !focus.disabled && focusIsNowhere(doc)) focus.focus();
  }
}
