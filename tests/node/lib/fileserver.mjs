// A tiny HTTP server on 127.0.0.1 (port 0) serving documents for `file_urls` tests.
//
//   const fs = await startFileServer();
//   const url = fs.serve('/nda.pdf', pdfBuffer);          // -> http://127.0.0.1:PORT/nda.pdf
//   fs.serve('/gone.pdf', 'nope', { status: 404 });
//   fs.hits('/nda.pdf')                                    // number of GETs so far
//   await fs.close();
// Paths not registered answer 404.

import { createServer } from 'node:http';

export async function startFileServer() {
  const routes = new Map(); // path -> { status, body, contentType }
  const hitCounts = new Map();
  const sockets = new Set();
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    hitCounts.set(path, (hitCounts.get(path) || 0) + 1);
    const r = routes.get(path);
    if (!r) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    const body = Buffer.isBuffer(r.body) ? r.body : Buffer.from(String(r.body));
    res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': body.length });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    base,
    /** Registers `path` and returns its absolute URL. */
    serve(path, body, { status = 200, contentType = 'application/pdf' } = {}) {
      routes.set(path, { status, body, contentType });
      return base + path;
    },
    hits(path) {
      return hitCounts.get(path) || 0;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}
