#!/usr/bin/env node
// Static server of the demo page (`npm run demo:web`, after `npm run build`): node:http, no deps.
//   /            src/web/index.html          /web/*   src/web/*
//   /demo.js     out/web/demo.js (built)     /dist/*  dist/* (the browser bundle, the WASM)
// Usage: node src/web/serve.mjs [--port N] [--host H]   (default 127.0.0.1:8080; --port 0 = any free)
// Also importable: `const { server, url } = await serve({ port: 0 })` (the e2e test does).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

/** Maps a URL path to a file under the repository, or undefined (404). */
function resolvePath(pathname) {
  let rel;
  if (pathname === '/' || pathname === '/index.html') rel = 'src/web/index.html';
  else if (pathname === '/demo.js') rel = 'out/web/demo.js';
  else if (pathname.startsWith('/dist/')) rel = pathname.slice(1);
  else if (pathname.startsWith('/web/')) rel = `src/${pathname.slice(1)}`;
  else return undefined;
  const file = normalize(join(root, rel));
  const base = normalize(join(root, rel.startsWith('dist/') ? 'dist' : rel.startsWith('out/') ? 'out' : 'src/web')) + sep;
  return file.startsWith(base) ? file : undefined; // no ../ escapes
}

export function serve({ port = 8080, host = '127.0.0.1', log = false } = {}) {
  const server = createServer(async (req, res) => {
    const send = (code, body, type = 'text/plain; charset=utf-8') => {
      res.writeHead(code, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
      res.end(body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'method not allowed');
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      return send(400, 'bad request');
    }
    const file = resolvePath(pathname);
    if (log) console.log(req.method, req.url);
    if (!file) return send(404, `not found: ${pathname}`);
    try {
      if (!(await stat(file)).isFile()) return send(404, `not found: ${pathname}`);
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-cache',
        // Nothing but this origin (the page makes no other requests); blob: for inline workers.
        'content-security-policy': "default-src 'self'; worker-src 'self' blob:; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
        'x-content-type-options': 'nosniff',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      if (e.code === 'ENOENT') {
        const hint = pathname === '/demo.js' || pathname.startsWith('/dist/') ? ' (run `npm run build` first)' : '';
        return send(404, `not found: ${pathname}${hint}`);
      }
      send(500, String(e.message ?? e));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const a = server.address();
      resolve({ server, url: `http://${host.includes(':') ? `[${host}]` : host}:${a.port}/` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  const args = process.argv.slice(2);
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : dflt;
  };
  const port = Number(opt('port', process.env.PORT ?? 8080));
  const host = opt('host', '127.0.0.1');
  for (const need of ['dist/browser.js', 'dist/browser-worker.js', 'dist/interphase.wasm', 'out/web/demo.js']) {
    try {
      await stat(join(root, need));
    } catch {
      console.error(`missing ${need}: run \`npm run build\` first`);
      process.exit(1);
    }
  }
  const { url } = await serve({ port, host, log: args.includes('--log') });
  console.log(`interphase demo: ${url}  (Ctrl-C to stop)`);
}
