// Shebao portal: keeps what a person typed into a form across the sign-in an expired
// session asks for (issue 15, item 6). On every post the form's fields are noted in this
// tab's sessionStorage, never a password, a PIN, a file or the form's hidden tokens. The
// An input marked `data-private` (an ID or bank card number) is never noted either. The
// sign-in page shown for an expired session marks the notes to be given back; the page
// the person returns to after signing in fills its form from them, if they are the same
// user. Any other page forgets them (the post they came from was answered), and so does
// signing out. Pages work the same without this script.
(() => {
  'use strict';
  const KEY = 'shebao-drafts';
  const KEEP_MS = 30 * 60 * 1000;
  const read = () => {
    try {
      return JSON.parse(sessionStorage.getItem(KEY)) || {};
    } catch {
      return {};
    }
  };
  const write = (drafts) => {
    try {
      sessionStorage.setItem(KEY, JSON.stringify(drafts));
    } catch {
      // Storage full or refused: nothing is kept.
    }
  };
  const kept = (el) =>
    el.name && !['password', 'hidden', 'file', 'submit', 'button'].includes(el.type) &&
    el.name !== 'csrf' && el.name !== 'key' && !('private' in el.dataset);
  const actionOf = (form) => new URL(form.action, location.href).pathname;
  // The signed-in user a draft belongs to (the header names them): another user signing in
  // on the same tab never gets it.
  const user = () => document.querySelector('header form[action="/logout"] [translate="no"]')?.textContent ?? '';

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== 'post') return;
    const action = actionOf(form);
    if (action === '/logout') {
      sessionStorage.removeItem(KEY);
      return;
    }
    if (action.startsWith('/login')) return;
    const fields = [];
    for (const el of form.elements) {
      if (kept(el)) fields.push([el.name, el.type === 'checkbox' ? el.checked : el.value]);
    }
    const drafts = read();
    drafts[action] = { fields, user: user(), at: Date.now(), resume: false };
    write(drafts);
  }, true);

  const restore = () => {
    const drafts = read();
    const now = Date.now();
    if (document.querySelector('[data-session-expired]')) {
      for (const draft of Object.values(drafts)) draft.resume = now - draft.at < KEEP_MS;
      write(drafts);
      return;
    }
    for (const [action, draft] of Object.entries(drafts)) {
      const form = [...document.forms].find((f) => actionOf(f) === action);
      if (!draft.resume || now - draft.at >= KEEP_MS || draft.user !== user()) {
        delete drafts[action];
        continue;
      }
      if (!form) continue;
      const queue = draft.fields.slice();
      for (const el of form.elements) {
        if (!kept(el)) continue;
        const at = queue.findIndex(([name]) => name === el.name);
        if (at < 0) continue;
        const [, value] = queue.splice(at, 1)[0];
        if (el.type === 'checkbox') el.checked = Boolean(value);
        else el.value = String(value);
      }
      delete drafts[action];
    }
    write(drafts);
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', restore);
  else restore();
})();
// A receipt's print button: shown only where this script runs (without it, the browser's
// own print command prints the receipt alone just the same), also on a receipt htmx swapped
// in.
(() => {
  'use strict';
  document.documentElement.classList.add('scripted');
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-print]')) window.print();
  });
})();
