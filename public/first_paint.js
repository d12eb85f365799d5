// The snapshot's first-paint script: scripts/pwa_postbuild.py puts it inline in
// index.html's <head>, before the stylesheet (a script after a pending
// stylesheet waits for it, and the page may be painted meanwhile), and hashes
// it into the Content-Security-Policy. It waits for the snapshot's nodes
// (src/view/snapshot.rs) as the parser adds them — a mutation observer's
// callback runs before the next paint — and writes what the snapshot cannot
// know when it is written, so that the first paint is the page the app then
// takes over and nothing moves or changes after it:
// - another page's address (#/datos, #/modelo, #/registros): the header marks
//   that page and the forecast gives way to a loading line (style.css);
// - today: the data line says how old the last price is, and when it is more
//   than two months old the notice that the data are old leads the page.
// The words are the app's own (src/view/freshness.rs: `ago`, `last_and_age`,
// `stale_notice_html`, STALE_AFTER and MAX_AGE); e2e/tests/snapshot.spec.js
// checks that both write the same at several dates.
(function () {
  var done = false;
  var observer = new MutationObserver(function () {
    // Everything written below precedes the fan's drawings in the page, and the
    // parser may hand back (and the page be painted) while it reads those: so
    // as soon as the data line is whole (the parser is past it), or at the
    // loading line after the card.
    var line = document.getElementById('data-age');
    if ((line && line.nextSibling) || document.getElementById('snapshot-loading')) write();
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', write);

  function write() {
    if (done) return;
    done = true;
    observer.disconnect();
    var main = document.getElementById('snapshot-main');
    if (main) writeSnapshot(main);
  }

  function writeSnapshot(main) {
    var path = location.hash.replace(/^#\/?/, '').split('?')[0].replace(/\/+$/, '');
    if (path === 'datos' || path === 'modelo' || path === 'registros') {
      main.setAttribute('data-page', path);
      var links = document.querySelectorAll('#snapshot nav a');
      for (var i = 0; i < links.length; i += 1) {
        if (links[i].getAttribute('href') === '#/' + path) links[i].setAttribute('aria-current', 'page');
        else links[i].removeAttribute('aria-current');
      }
    }
    var line = document.getElementById('data-age');
    if (!line) return;
    var names = main.getAttribute('data-months').split(',');
    var last = line.getAttribute('data-last').split('-');
    last = Number(last[0]) * 12 + Number(last[1]) - 1;
    var now = new Date();
    var year = now.getFullYear();
    if (year < 1000 || year > 9999) return;
    var today = year * 12 + now.getMonth();
    var age = today - last;
    if (!(age >= 0 && age <= 1200)) return;
    var long = function (m) { return names[m % 12] + ' de ' + Math.floor(m / 12); };
    var unit = function (n, one, many) { return n + ' ' + (n === 1 ? one : many); };
    var years = Math.floor(age / 12);
    var months = age % 12;
    var ago = age === 0 ? 'este mes'
      : years === 0 ? 'hace ' + unit(months, 'mes', 'meses')
      : months === 0 ? 'hace ' + unit(years, 'año', 'años')
      : 'hace ' + unit(years, 'año', 'años') + ' y ' + unit(months, 'mes', 'meses');
    line.querySelector('strong').textContent = long(last) + ', ' + ago;
    var template = document.getElementById('snapshot-stale-template');
    var stale = document.getElementById('snapshot-stale');
    if (age <= 2 || !template || !stale) return;
    var notice = template.content.cloneNode(true);
    var section = notice.querySelector('section');
    var iso = String(Math.floor(today / 12)) + '-' + String(today % 12 + 1).padStart(2, '0');
    section.setAttribute('data-today', iso);
    section.querySelector('.age').textContent = ago;
    section.querySelector('.today').textContent = long(today);
    stale.appendChild(notice);
  }
})();
