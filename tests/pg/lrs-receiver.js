#!/usr/bin/env node
// lrs-receiver.js — a learning record store for the tests: the statement
// resource of xAPI 1.0.3 on a loopback port, strict where a real LRS may
// be, so that a sender that passes here is right with any.
//
//   node lrs-receiver.js [--port N] [--auth USER:SECRET] [--down 503|refuse]
//
// Prints "listening http://127.0.0.1:PORT/xapi/" once it listens (port 0,
// the default, takes a free one).
//
// What it does with statements:
//   - every request needs X-Experience-API-Version 1.0.x and, with --auth,
//     that HTTP Basic login (else 400 / 401);
//   - POST …/statements with one statement or an array: each must pass
//     @learninglocker/xapi-validation and carry an id (the sender's fixed
//     id); a batch with an invalid statement or an id twice is refused
//     whole (400). A batch with an id already stored is refused whole with
//     409 and nothing stored (xAPI lets an LRS answer 409 for a known id).
//     Otherwise all are stored: 200 and the array of ids.
//   - PUT …/statements?statementId=ID: a new id is stored (204); a known id
//     with the same statement is 204 and nothing changes; a known id with
//     another statement is 409.
//   - GET …/statements?statementId=ID: the stored statement, or 404.
//
// Commands on standard input, one per line, each answered by one line of
// JSON on standard output:
//   down 503 [MS]     answer 503 to everything (for MS milliseconds)
//   down refuse [MS]  close the port: connections are refused
//   up                back to normal (the same port)
//   load FILE         stores the statements of FILE (a JSON array) as if
//                     received: a sender's earlier send whose reply it lost
//   stats             {"stored", "ids", "times_sent", "conflicts",
//                      "invalid", "requests", "unavailable"}: the ids
//                      stored in order, how many times each was received,
//                      the 409s for a different statement under a known
//                      id, the statements refused as invalid, and so on
//   quit
'use strict';

const http = require('http');
const validate = require('@learninglocker/xapi-validation').default;

const args = process.argv.slice(2);
function option(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}
let port = Number(option('--port', '0'));
const auth = option('--auth', null);
let down = option('--down', null); // null, '503' or 'refuse'
let upTimer = null;

const stored = new Map(); // id → canonical JSON of the statement
const order = [];         // ids in the order stored
const timesSent = {};     // id → how many times it was received
let conflicts = 0;
const invalid = [];
let requests = 0;
let unavailable = 0;

// The statement as compared for "the same statement": keys sorted, and
// without the properties an LRS sets itself.
function canonical(value) {
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.keys(value).sort()
      .filter((k) => !['stored', 'authority', 'version'].includes(k))
      .map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
  }
  return JSON.stringify(value);
}

function reply(res, status, body) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'X-Experience-API-Version': '1.0.3',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function problems(statement) {
  if (statement === null || typeof statement !== 'object' || Array.isArray(statement)) {
    return ['not an object'];
  }
  const warnings = validate(statement);
  const out = warnings.map((w) => `${(w.path || []).join('.')}: ${w.constructor.name}`);
  if (typeof statement.id !== 'string') out.push('id: missing (the sender must fix its ids)');
  return out;
}

function count(id) {
  timesSent[id] = (timesSent[id] || 0) + 1;
}

function store(statement) {
  stored.set(statement.id, canonical(statement));
  order.push(statement.id);
}

function handle(req, res, body) {
  requests++;
  if (down === '503') {
    unavailable++;
    return reply(res, 503, { error: 'down for the test' });
  }
  if (!/^1\.0(\.\d+)?$/.test(req.headers['x-experience-api-version'] || '')) {
    return reply(res, 400, { error: 'X-Experience-API-Version 1.0.x is required' });
  }
  if (auth !== null) {
    const want = 'Basic ' + Buffer.from(auth).toString('base64');
    if (req.headers.authorization !== want) return reply(res, 401, { error: 'login' });
  }
  const url = new URL(req.url, 'http://127.0.0.1');
  if (!url.pathname.endsWith('/statements')) return reply(res, 404, { error: 'no such resource' });
  const id = url.searchParams.get('statementId');

  if (req.method === 'GET') {
    if (id === null || !stored.has(id)) return reply(res, 404, { error: 'no such statement' });
    return reply(res, 200, JSON.parse(stored.get(id)));
  }

  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    return reply(res, 400, { error: 'the body is not JSON' });
  }

  if (req.method === 'PUT') {
    if (id === null) return reply(res, 400, { error: 'PUT needs statementId' });
    if (parsed && typeof parsed === 'object' && parsed.id === undefined) parsed.id = id;
    const p = problems(parsed);
    if (p.length > 0 || parsed.id !== id) {
      invalid.push({ id, problems: p.length > 0 ? p : ['id differs from statementId'] });
      return reply(res, 400, { error: 'invalid statement', problems: p });
    }
    count(id);
    if (stored.has(id)) {
      if (stored.get(id) === canonical(parsed)) return reply(res, 204);
      conflicts++;
      return reply(res, 409, { error: 'another statement has this id' });
    }
    store(parsed);
    return reply(res, 204);
  }

  if (req.method === 'POST') {
    const batch = Array.isArray(parsed) ? parsed : [parsed];
    const seen = new Set();
    for (const s of batch) {
      const p = problems(s);
      if (p.length > 0) {
        invalid.push({ id: s && s.id, problems: p });
        return reply(res, 400, { error: 'invalid statement', id: s && s.id, problems: p });
      }
      if (seen.has(s.id)) return reply(res, 400, { error: 'an id twice in the batch', id: s.id });
      seen.add(s.id);
    }
    batch.forEach((s) => count(s.id));
    const known = batch.filter((s) => stored.has(s.id));
    if (known.length > 0) {
      if (known.some((s) => stored.get(s.id) !== canonical(s))) conflicts++;
      return reply(res, 409, { error: 'a statement with this id is stored', id: known[0].id });
    }
    batch.forEach(store);
    return reply(res, 200, batch.map((s) => s.id));
  }
  return reply(res, 405, { error: 'method' });
}

const sockets = new Set();
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
});
server.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
});

let announced = false;
function listen() {
  if (server.listening) return;
  server.listen(port, '127.0.0.1', () => {
    port = server.address().port;
    if (!announced) {
      announced = true;
      process.stdout.write(`listening http://127.0.0.1:${port}/xapi/\n`);
    }
  });
}

function setDown(mode, ms) {
  clearTimeout(upTimer);
  down = mode;
  if (mode === 'refuse') {
    server.close();
    sockets.forEach((s) => s.destroy());
  } else {
    listen();
  }
  if (mode !== null && ms > 0) upTimer = setTimeout(() => setDown(null, 0), ms);
}

function stats() {
  return {
    stored: order.length,
    ids: order,
    times_sent: timesSent,
    conflicts,
    invalid,
    requests,
    unavailable,
    down,
  };
}

if (down === 'refuse') {
  // Listen once to learn the port, then close it.
  server.listen(port, '127.0.0.1', () => {
    port = server.address().port;
    announced = true;
    process.stdout.write(`listening http://127.0.0.1:${port}/xapi/\n`);
    server.close();
  });
} else {
  listen();
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  input += chunk;
  let nl;
  while ((nl = input.indexOf('\n')) >= 0) {
    const words = input.slice(0, nl).trim().split(/\s+/);
    input = input.slice(nl + 1);
    let answer = { ok: true };
    if (words[0] === 'down' && (words[1] === '503' || words[1] === 'refuse')) {
      setDown(words[1], Number(words[2] || 0));
    } else if (words[0] === 'up') {
      setDown(null, 0);
    } else if (words[0] === 'load' && words[1]) {
      const batch = JSON.parse(require('fs').readFileSync(words[1], 'utf8'));
      batch.filter((s) => !stored.has(s.id)).forEach(store);
      answer = { ok: true, stored: order.length };
    } else if (words[0] === 'stats') {
      answer = stats();
    } else if (words[0] === 'quit') {
      process.exit(0);
    } else if (words[0] !== '') {
      answer = { ok: false, error: `unknown command '${words.join(' ')}'` };
    }
    process.stdout.write(JSON.stringify(answer) + '\n');
  }
});
// The test that started it has gone: so do we.
process.stdin.on('end', () => process.exit(0));
