// The deploy/ nginx configuration, as Debian's nginx serves it (run with
// LECHE_SERVER=nginx; scripts/test.sh does, after the run against the plain
// static server): the CSP as a header equal to the page's <meta>, caching
// (index.html and sw.js revalidated, hashed assets immutable), MIME types,
// the build's precompressed files sent as they are, and the sub-path example.
'use strict';
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const zlib = require('node:zlib');
const { test, expect, open, predict, waitForRows, expectedPredictions, TOL } = require('../lib/fixtures');
const { startServer, serverKind } = require('../lib/server');

const IMMUTABLE = 'public, max-age=31536000, immutable';
// trunk's content hash in a file name: leche-<16 hex>.js, leche-<16 hex>_bg.wasm, style-<16 hex>.css.
const HASHED = /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/;
const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.png': 'image/png',
};

test.beforeEach(() => {
  test.skip(serverKind() !== 'nginx', 'checks the deploy/ nginx configuration: run with LECHE_SERVER=nginx');
});

/** GET with exactly these request headers (no automatic decompression): { status, headers, body }. */
function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${url}: no answer in 10 s`)));
  });
}

/** The files of a build (relative paths), without the precompressed copies. */
function siteFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => fs.statSync(path.join(dir, f)).isFile() && !/\.(gz|br)$/.test(f))
    .map((f) => f.split(path.sep).join('/'))
    .sort();
}

/** The policy of the page's Content-Security-Policy <meta>. */
function metaPolicy(html) {
  const m = String(html).match(/<meta http-equiv="Content-Security-Policy" content="([^"]*)"/);
  expect(m, 'index.html has a CSP <meta>').not.toBeNull();
  return m[1];
}

test('the CSP header is the page\'s own policy (trunk loader hash, no unsafe-inline), on every file', async ({ server }) => {
  const index = await get(server.url);
  expect(index.status).toBe(200);
  const policy = metaPolicy(index.body);
  expect(index.headers['content-security-policy']).toBe(policy);
  expect(policy).toMatch(/script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/]{43}='/);
  expect(policy).not.toContain('unsafe-inline');
  // The worker's and the service worker's policy come from their own responses.
  const files = siteFiles(server.dir);
  expect(files).toEqual(expect.arrayContaining(['index.html', 'sw.js', 'worker.js']));
  for (const file of files) {
    const r = await get(server.url + file);
    expect(r.status, file).toBe(200);
    expect(r.headers['content-security-policy'], file).toBe(policy);
    expect(r.headers['x-content-type-options'], file).toBe('nosniff');
  }
  // Error pages too.
  const missing = await get(`${server.url}no-such-file.js`);
  expect(missing.status).toBe(404);
  expect(missing.headers['content-security-policy']).toBe(policy);
});

test('caching: index.html and sw.js are revalidated on every use, hashed assets are immutable, the rest is revalidated', async ({ server }) => {
  const files = siteFiles(server.dir);
  const hashed = files.filter((f) => HASHED.test(f));
  expect(hashed.map((f) => path.extname(f)).sort()).toEqual(['.css', '.js', '.wasm']);
  for (const file of files) {
    const r = await get(server.url + file);
    expect(r.headers['cache-control'], file).toBe(HASHED.test(file) ? IMMUTABLE : 'no-cache');
  }
  for (const url of [server.url, `${server.url}index.html`, `${server.url}sw.js`]) {
    const r = await get(url);
    expect(r.headers['cache-control'], url).toBe('no-cache');
    // Revalidation is one cheap round trip: the ETag gives a 304 with no body.
    expect(r.headers.etag, url).toBeTruthy();
    const again = await get(url, { 'If-None-Match': r.headers.etag });
    expect(again.status, url).toBe(304);
    expect(again.body.length).toBe(0);
  }
});

test('MIME types: application/wasm for WebAssembly, UTF-8 text, the manifest type', async ({ server }) => {
  const files = siteFiles(server.dir);
  const seen = new Set();
  for (const file of files) {
    const ext = path.extname(file);
    expect(Object.keys(MIME), `a MIME type is expected for ${file}`).toContain(ext);
    const r = await get(server.url + file);
    expect(r.headers['content-type'], file).toBe(MIME[ext]);
    seen.add(ext);
  }
  expect([...seen].sort()).toEqual(Object.keys(MIME).sort());
});

test('precompressed files: the build\'s .br and .gz are sent as they are, with Vary, and decode to the file', async ({ server }) => {
  const files = siteFiles(server.dir).filter((f) => fs.existsSync(path.join(server.dir, `${f}.gz`)));
  expect(files).toEqual(expect.arrayContaining(['index.html', 'sw.js', 'artifacts/database.json']));
  // The home page's module, the pages module (loaded on demand) and the worker's.
  expect(files.filter((f) => f.endsWith('.wasm'))).toHaveLength(3);
  const sizes = {};
  for (const file of files) {
    const plain = fs.readFileSync(path.join(server.dir, file));
    const gz = fs.readFileSync(path.join(server.dir, `${file}.gz`));
    expect(fs.existsSync(path.join(server.dir, `${file}.br`)), `${file}.br written by the build (Debian's brotli installed?)`).toBe(true);
    const br = fs.readFileSync(path.join(server.dir, `${file}.br`));
    expect(zlib.gunzipSync(gz).equals(plain), `${file}.gz decodes to ${file}`).toBe(true);
    expect(zlib.brotliDecompressSync(br).equals(plain), `${file}.br decodes to ${file}`).toBe(true);

    const asGzip = await get(server.url + file, { 'Accept-Encoding': 'gzip' });
    expect(asGzip.headers['content-encoding'], file).toBe('gzip');
    expect(asGzip.headers.vary, file).toBe('Accept-Encoding');
    expect(asGzip.body.equals(gz), `${file}: the stored .gz is sent`).toBe(true);

    const asBrotli = await get(server.url + file, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(asBrotli.headers['content-encoding'], file).toBe('br');
    expect(asBrotli.body.equals(br), `${file}: the stored .br is sent`).toBe(true);

    const identity = await get(server.url + file);
    expect(identity.headers['content-encoding'], file).toBeUndefined();
    expect(identity.body.equals(plain), `${file}: sent as is without Accept-Encoding`).toBe(true);
    sizes[file] = { raw: plain.length, gzip: gz.length, brotli: br.length };
  }
  console.log(`PRECOMPRESSED ${JSON.stringify(sizes)}`);
});

test('the browser gets the compressed wasm and the app forecasts as shipped', async ({ page }) => {
  const encodings = {};
  page.on('response', async (r) => {
    if (r.url().endsWith('.wasm')) encodings[new URL(r.url()).pathname] = (await r.allHeaders())['content-encoding'];
  });
  await open(page, '#/?q=2020-01&modelo=recommended');
  const [row] = await waitForRows(page, ['2020-01']);
  const expected = expectedPredictions().find((r) => r.month === '2020-01');
  expect(Math.abs(row.predicted - expected.predicted)).toBeLessThanOrEqual(TOL);
  const main = Object.keys(encodings).find((p) => HASHED.test(p));
  expect(main, 'the page loaded its hashed wasm').toBeTruthy();
  expect(['gzip', 'br']).toContain(encodings[main]);
});

test('the sub-path example: the site under /leche/ with its headers, the rest of the host untouched', async ({ browser, server }) => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-sub-'));
  fs.symlinkSync(server.dir, path.join(root, 'leche'));
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>otro sitio</title>');
  const sub = await startServer(root);
  try {
    const index = await get(`${sub.url}leche/`, { 'Accept-Encoding': 'gzip' });
    expect(index.status).toBe(200);
    expect(index.headers['content-encoding']).toBe('gzip');
    const policy = metaPolicy(zlib.gunzipSync(index.body));
    expect(index.headers['content-security-policy']).toBe(policy);
    expect(index.headers['cache-control']).toBe('no-cache');
    const wasm = siteFiles(server.dir).find((f) => HASHED.test(f) && f.endsWith('.wasm'));
    const asset = await get(`${sub.url}leche/${wasm}`, { 'Accept-Encoding': 'br' });
    expect(asset.headers['cache-control']).toBe(IMMUTABLE);
    expect(asset.headers['content-type']).toBe('application/wasm');
    expect(asset.headers['content-encoding']).toBe('br');
    // Without the slash: a redirect to the site.
    const bare = await get(`${sub.url}leche`);
    expect(bare.status).toBe(301);
    expect(new URL(bare.headers.location, sub.url).pathname).toBe('/leche/');
    // The host's other pages get none of the site's rules.
    const other = await get(sub.url);
    expect(other.body.toString()).toContain('otro sitio');
    expect(other.headers['content-security-policy']).toBeUndefined();

    const context = await browser.newContext({ baseURL: `${sub.url}leche/` });
    const page = await context.newPage();
    await open(page, '#/?q=2020-01&modelo=recommended');
    const [row] = await waitForRows(page, ['2020-01']);
    const expected = expectedPredictions().find((r) => r.month === '2020-01');
    expect(Math.abs(row.predicted - expected.predicted)).toBeLessThanOrEqual(TOL);
    await context.close();
  } finally {
    await sub.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
});
