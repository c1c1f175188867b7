// A minimal static file server for www/ on 127.0.0.1, used by `./build.sh serve` and the tests.
// Usage: node tests/serve.mjs <dir> [port]   (port 0 picks a free one; the chosen URL is printed)
//
// It sends the headers of <dir>/_headers (the file Netlify and Cloudflare Pages read) as such a
// host would: www/_headers gives every response the Content-Security-Policy, which is how the
// workers get one (a page's <meta> policy does not reach its workers). It writes the service
// worker's file list, /precache.js, afresh for every request (tools/precache.mjs), so a page shows
// an edited file on its next loads without a build.
import { createServer } from 'node:http';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { precacheList, precacheScript } from '../tools/precache.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.wasm': 'application/wasm', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.webmanifest': 'application/manifest+json', '.bin': 'application/octet-stream', '.csv': 'text/csv', '.ico': 'image/x-icon',
};

/**
 * The rules of a `_headers` file: [{ pattern: RegExp, headers: { name: value } }]. A line that
 * starts without a space is a path (`*` matches anything); the indented `Name: value` lines under
 * it are its headers; `#` starts a comment.
 */
export function parseHeaders(text) {
  const rules = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const glob = line.trim().replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
      rules.push({ pattern: new RegExp(`^${glob}$`), headers: {} });
    } else if (rules.length) {
      const at = line.indexOf(':');
      if (at > 0) rules.at(-1).headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
    }
  }
  return rules;
}

/** The headers every rule matching `path` gives. */
export const headersFor = (rules, path) => Object.assign({}, ...rules.filter((r) => r.pattern.test(path)).map((r) => r.headers));

/**
 * Starts serving `dir`; resolves to `{ url, close }`. `routes`: { [path]: (req, res, headers) }
 * answers those paths itself (the tests' forged files), `headers` being what `_headers` gives.
 */
export function serve(dir, port = 0, { routes = {} } = {}) {
  const root = resolve(dir);
  const rules = existsSync(join(root, '_headers')) ? parseHeaders(readFileSync(join(root, '_headers'), 'utf8')) : [];
  routes = { '/precache.js': (req, res, headers) => sendPrecache(root, res, headers), ...routes };
  const server = createServer(async (req, res) => {
    let path = '/';
    try {
      path = new URL(req.url, 'http://x').pathname;
    } catch {}
    const headers = headersFor(rules, path);
    try {
      if (Object.hasOwn(routes, path)) return await routes[path](req, res, headers);
      let file = normalize(join(root, decodeURIComponent(path)));
      if (file !== root && !file.startsWith(root + sep)) throw Object.assign(new Error('outside root'), { code: 'ENOENT' });
      let info = await stat(file);
      if (info.isDirectory()) {
        file = join(file, 'index.html');
        info = await stat(file);
      }
      // The headers file is the host's, not the site's.
      if (basename(file) === '_headers' || !info.isFile()) throw Object.assign(new Error('not served'), { code: 'ENOENT' });
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': info.size, 'cache-control': 'no-cache' });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    } catch {
      if (res.headersSent) return res.destroy();
      res.writeHead(404, { ...headers, 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => ok({
      url: `http://127.0.0.1:${server.address().port}/`,
      close: () => new Promise((done) => {
        server.closeAllConnections?.();
        server.close(done);
      }),
    }));
  });
}

/** The service worker's file list for the files in `root` now. */
function sendPrecache(root, res, headers) {
  const body = precacheScript(precacheList(root));
  res.writeHead(200, { ...headers, 'content-type': TYPES['.js'], 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
  res.end(body);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { url } = await serve(process.argv[2] ?? 'www', Number(process.argv[3] ?? 8080));
  console.log(`serving ${process.argv[2] ?? 'www'} at ${url}`);
}
