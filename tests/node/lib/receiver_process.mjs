// The event callback receiver process (started by lib/receiver.mjs with an IPC channel):
// an HTTP server on 127.0.0.1 that answers every POST according to the mode of its path and
// reports each one to the parent — method, path, content type, the multipart field names and
// the parsed JSON of the `json` field.
//
//   node receiver_process.mjs PORT [record|count] [MODES_JSON ({path: mode})]
//
// Modes: ok (200 "Hello API Event Received"), error (500), noack (200 without the
// acknowledgement), hang (never answers; the client times out). Parent messages:
// {type: 'mode', path, mode}, {type: 'count'}. Child messages: {type: 'ready', port},
// {type: 'post', ...}, {type: 'count', count}.

import http from 'node:http';

const ACK = 'Hello API Event Received';
const MAX_BODY = 4 << 20;

const port = Number(process.argv[2] || 0);
const record = (process.argv[3] || 'record') === 'record';
const modes = new Map(Object.entries(JSON.parse(process.argv[4] || '{}')));
let count = 0;

function answer(res, mode) {
  switch (mode) {
    case 'error':
      res.writeHead(500, { 'content-type': 'text/plain' }).end('Internal Server Error');
      return;
    case 'noack':
      res.writeHead(200, { 'content-type': 'text/plain' }).end('OK, thanks');
      return;
    case 'hang':
      return; // never answered; the socket closes when the client gives up
    default:
      res.writeHead(200, { 'content-type': 'text/plain' }).end(ACK);
  }
}

async function parse(body, contentType) {
  try {
    const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
    const fields = [...form.keys()];
    const text = form.get('json');
    return { fields, json: typeof text === 'string' ? JSON.parse(text) : null, parseError: null };
  } catch (err) {
    return { fields: [], json: null, parseError: String(err) };
  }
}

const server = http.createServer((req, res) => {
  // Stamped on arrival: parsing below is asynchronous and, under load, slow enough (the first
  // formData() especially) to make two tries seem closer together than they came.
  const at = Date.now();
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY) chunks.push(chunk);
  });
  req.on('end', async () => {
    count += 1;
    const path = req.url;
    const mode = modes.get(path) || 'ok';
    if (record) {
      const contentType = req.headers['content-type'] || '';
      const parsed = await parse(Buffer.concat(chunks), contentType);
      process.send({ type: 'post', at, method: req.method, path, contentType, mode,
        userAgent: req.headers['user-agent'] || '', ...parsed });
    }
    answer(res, mode);
  });
});
server.keepAliveTimeout = 5000;

process.on('message', (msg) => {
  if (msg.type === 'mode') modes.set(msg.path, msg.mode);
  else if (msg.type === 'count') process.send({ type: 'count', count });
});
process.on('disconnect', () => process.exit(0));

server.listen(port, '127.0.0.1', () => {
  process.send({ type: 'ready', port: server.address().port });
});
server.on('error', (err) => {
  process.send({ type: 'error', error: String(err), code: err.code });
  process.exit(1);
});
