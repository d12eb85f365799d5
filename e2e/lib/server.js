// Serves a directory with Python's static server on 127.0.0.1 and a free port,
// the way a plain static host would (no rewrites, no compression).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

/** The built site: LECHE_DIST, else ../dist next to e2e/. */
function distDir() {
  return path.resolve(process.env.LECHE_DIST || path.join(__dirname, '..', '..', 'dist'));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function answers(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(1000, () => req.destroy());
  });
}

/**
 * Starts `python3 -m http.server` on `dir`; resolves once `/` answers 200.
 * `port` reuses a port (same origin: a "new deploy" to the same site, after
 * the previous server was stopped); default a free one.
 * Returns { url, port, stop }. `url` ends with a slash.
 */
async function startServer(dir = distDir(), { port: wanted } = {}) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`no index.html in ${dir}: build the app first (trunk build --release --offline) or set LECHE_DIST`);
  }
  const port = wanted || (await freePort());
  const child = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  let exited = null;
  child.on('exit', (code) => {
    exited = code;
  });
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 15_000;
  while (!(await answers(url))) {
    if (exited !== null) throw new Error(`http.server exited with ${exited}: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`http.server on ${url} did not answer within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const stop = () =>
    new Promise((resolve) => {
      if (exited !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => {
        if (exited === null) child.kill('SIGKILL');
      }, 2000).unref();
    });
  return { url, port, dir, stop };
}

module.exports = { startServer, distDir };
