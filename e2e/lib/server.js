// Serves a directory on 127.0.0.1 and a free port with one of two servers,
// chosen by LECHE_SERVER:
// - `static` (default): Python's http.server, the way a plain static host
//   would (no rewrites, no compression, no headers of ours);
// - `nginx`: Debian's nginx with the deploy/ configuration itself
//   (deploy/nginx/leche.conf, or leche-subpath.conf when the directory holds
//   the site under leche/), its snippets and the CSP header generated from the
//   build by deploy/nginx-csp.py; run as the current user with a temporary
//   prefix (no system configuration is read or changed).
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const DEPLOY = path.join(ROOT, 'deploy');
const NGINX = process.env.NGINX_PATH || '/usr/sbin/nginx';
const BROTLI_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';
const MIME_TYPES = '/etc/nginx/mime.types';

/** The built site: LECHE_DIST, else ../dist next to e2e/. */
function distDir() {
  return path.resolve(process.env.LECHE_DIST || path.join(__dirname, '..', '..', 'dist'));
}

/** `static` or `nginx`, from LECHE_SERVER. */
function serverKind() {
  const kind = process.env.LECHE_SERVER || 'static';
  if (kind !== 'static' && kind !== 'nginx') throw new Error(`LECHE_SERVER=${kind}: expected static or nginx`);
  return kind;
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

/** True if `dir` holds a build of the app (an index.html with the build's CSP <meta>). */
function isSite(dir) {
  const index = path.join(dir, 'index.html');
  return fs.existsSync(index) && fs.readFileSync(index, 'utf8').includes('http-equiv="Content-Security-Policy"');
}

/** Replaces `from` by `to` in a deploy file's text, failing loudly if the file no longer has it. */
function substitute(text, file, from, to) {
  if (!text.includes(from)) throw new Error(`deploy/nginx/${file} no longer contains "${from}": update e2e/lib/server.js`);
  return text.split(from).join(to);
}

/**
 * A temporary nginx prefix serving `dir` on `port`: the deploy files copied
 * in (snippets/, conf.d/), the site's CSP snippet generated from its build,
 * and the example server block with its port and paths pointed here.
 * Returns { prefix, args }.
 */
function nginxPrefix(dir, port) {
  if (!fs.existsSync(NGINX)) throw new Error(`no nginx at ${NGINX}: run scripts/setup.sh e2e (Debian's nginx) or set NGINX_PATH`);
  const real = fs.realpathSync(dir);
  const sub = path.join(real, 'leche');
  let file;
  let site;
  if (isSite(real)) {
    file = 'leche.conf';
    site = real;
  } else if (isSite(sub)) {
    file = 'leche-subpath.conf';
    site = fs.realpathSync(sub);
  } else {
    throw new Error(`${dir} holds no build of the app, neither at its root nor under leche/`);
  }
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'leche-nginx-'));
  for (const d of ['snippets', 'conf.d', 'tmp']) fs.mkdirSync(path.join(prefix, d));
  fs.copyFileSync(path.join(DEPLOY, 'nginx', 'leche-site.conf'), path.join(prefix, 'snippets', 'leche-site.conf'));
  fs.copyFileSync(path.join(DEPLOY, 'nginx', 'leche-http.conf'), path.join(prefix, 'conf.d', 'leche-http.conf'));
  const csp = execFileSync('python3', [path.join(DEPLOY, 'nginx-csp.py'), site], { encoding: 'utf8' });
  fs.writeFileSync(path.join(prefix, 'snippets', 'leche-csp.conf'), csp);

  let server = fs.readFileSync(path.join(DEPLOY, 'nginx', file), 'utf8');
  server = substitute(server, file, 'listen 80 default_server;', `listen 127.0.0.1:${port} default_server;`);
  server = substitute(server, file, '/srv/leche', site);
  if (file === 'leche-subpath.conf') server = substitute(server, file, '/srv/www', real);
  fs.writeFileSync(path.join(prefix, 'site.conf'), server);

  const tmp = (name) => `${name}_temp_path ${path.join(prefix, 'tmp', name)};`;
  const main = [
    '# Written by e2e/lib/server.js: Debian nginx with deploy/nginx, on a loopback port.',
    'daemon off;',
    'worker_processes 1;',
    `pid ${path.join(prefix, 'nginx.pid')};`,
    'error_log stderr warn;',
    // As root, nginx would run its workers as nobody, who cannot read the
    // tests' private temporary copies of the site.
    process.getuid && process.getuid() === 0 ? 'user root;' : '',
    fs.existsSync(BROTLI_MODULE) ? `load_module ${BROTLI_MODULE};` : '',
    'events { worker_connections 256; }',
    'http {',
    `  include ${MIME_TYPES};`,
    '  default_type application/octet-stream;',
    '  access_log off;',
    '  sendfile on;',
    `  ${tmp('client_body')} ${tmp('proxy')} ${tmp('fastcgi')} ${tmp('uwsgi')} ${tmp('scgi')}`,
    '  include conf.d/leche-http.conf;',
    '  include site.conf;',
    '}',
    '',
  ].join('\n');
  const conf = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(conf, main);
  return { prefix, args: ['-p', prefix, '-c', conf, '-e', 'stderr'] };
}

/**
 * Starts the server (LECHE_SERVER) on `dir`; resolves once `/` answers 200.
 * `port` reuses a port (same origin: a "new deploy" to the same site, after
 * the previous server was stopped); default a free one.
 * Returns { url, port, dir, kind, stop }. `url` ends with a slash.
 */
async function startServer(dir = distDir(), { port: wanted } = {}) {
  if (!fs.existsSync(path.join(dir, 'index.html'))) {
    throw new Error(`no index.html in ${dir}: build the app first (trunk build --release --offline) or set LECHE_DIST`);
  }
  const kind = serverKind();
  const port = wanted || (await freePort());
  let command;
  let args;
  let prefix = null;
  if (kind === 'nginx') {
    ({ prefix, args } = nginxPrefix(dir, port));
    command = NGINX;
  } else {
    command = 'python3';
    args = ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir];
  }
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  let exited = null;
  const gone = new Promise((resolve) => child.on('exit', resolve));
  child.on('exit', (code, signal) => {
    exited = code === null ? signal : code;
  });
  const cleanup = () => {
    if (prefix) fs.rmSync(prefix, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 15_000;
  while (!(await answers(url))) {
    if (exited !== null) {
      cleanup();
      throw new Error(`${kind} server exited with ${exited}: ${stderr}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await gone;
      cleanup();
      throw new Error(`${kind} server on ${url} did not answer within 15 s: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // SIGTERM: http.server exits, nginx shuts down fast (its workers too)
  // without waiting for the browser's keep-alive connections.
  const stop = async () => {
    if (exited === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (exited === null) child.kill('SIGKILL');
      }, 2000);
      timer.unref();
      await gone;
      clearTimeout(timer);
    }
    cleanup();
  };
  return { url, port, dir, kind, stop };
}

module.exports = { startServer, distDir, serverKind };
