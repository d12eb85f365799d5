// Loads the data, model and logs pages — the `pages` module (src/bin/pages.rs,
// built by trunk as pages.js + pages_bg.wasm) — into #pages-host, and tells
// the home page how it went (src/browser/modules.rs adds this script when the
// visitor first goes to one of those pages). A file of the site, not inline:
// the CSP allows scripts from the site only.
import init, { mount_pages } from './pages.js';

const say = (detail) => window.dispatchEvent(new CustomEvent('leche-pages', { detail }));
try {
  await init();
  mount_pages(document.getElementById('pages-host'));
  say('mounted');
} catch (e) {
  say(`failed: ${e && e.message ? e.message : e}`);
}
