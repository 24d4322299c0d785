// cluster-lib.js — what the pg suite's Node tests share: servers on the
// test cluster's database, nginx in front of them, HTTP requests through
// it, sessions played answer by answer as a browser would (an answer whose
// reply was lost is looked for in the session before it is sent again),
// and the terminal trainer's scores to compare with.
'use strict';

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const readline = require('readline');

const uri = process.env.PSIM_TEST_PG_URI;
const exe = process.env.PROCSIM_EXE;
const root = process.env.PSIM_SOURCE_ROOT;
if (!uri || !exe || !root) {
  console.error('pg suite: PSIM_TEST_PG_URI, PROCSIM_EXE and PSIM_SOURCE_ROOT are needed');
  process.exit(2);
}
const here = path.join(root, 'tests', 'pg');
const scenarios = path.join(root, 'scenarios');
const answersDir = path.join(root, 'tests', 'data', 'train');
const PASSWORD = 'correct horse battery';
// nginx runs as another user when we are root: its folder must be reachable.
const tmp = fs.mkdtempSync('/tmp/psim-cluster.');
fs.chmodSync(tmp, 0o755);
const servers = [];
const proxy = { dir: null };
const state = { failures: 0 };

function check(ok, what) {
  if (!ok) {
    state.failures++;
    console.error(`FAIL: ${what}`);
  }
  return ok;
}

function cleanup() {
  for (const s of servers) if (s.proc.exitCode === null) s.proc.kill('SIGKILL');
  if (proxy.dir) execFileSync(path.join(here, 'nginx-proxy.sh'), ['stop', proxy.dir]);
  fs.rmSync(tmp, { recursive: true, force: true });
}

// Starts `procsim serve` on the cluster's database, with @extra options.
function startServer(extra = []) {
  return new Promise((resolve, reject) => {
    const proc = spawn(exe, ['--lang', 'en', 'serve', '--listen', '127.0.0.1:0', '--db', uri,
      '--scenarios', scenarios, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: proc.stdout });
    lines.on('line', (line) => {
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) {
        const s = { proc, port: Number(m[1]), addr: `127.0.0.1:${m[1]}` };
        servers.push(s);
        resolve(s);
      }
    });
    proc.on('exit', (code) => reject(new Error(`procsim serve exited (${code})`)));
  });
}

// The terminal trainer's score for @answers on @scenario (once each).
const scores = new Map();
function terminalScore(scenario, answers) {
  if (scores.has(answers)) return scores.get(answers);
  const rec = path.join(tmp, 'records');
  const id = `t-${scenario}-${path.basename(answers)}`;
  execFileSync(exe, ['--lang', 'en', 'train', '--answers', answers, '--record', rec, '--id', id,
    scenario], { stdio: ['ignore', 'ignore', 'inherit'] });
  scores.set(answers, JSON.parse(fs.readFileSync(path.join(rec, `${id}.json`), 'utf8')).score);
  return scores.get(answers);
}

function readAnswers(file) {
  return fs.readFileSync(file, 'utf8').split('\n').map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
}

// One request through the proxy: {status, json, upstream}; status 0 when
// the connection failed.
async function request(base, method, p, token, body) {
  const headers = { 'Accept-Language': 'en' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const r = await fetch(base + p, { method, headers,
      body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
    return { status: r.status, json, text, upstream: r.headers.get('x-upstream') };
  } catch (e) {
    return { status: 0, json: null, text: String(e), upstream: null };
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function login(base, user) {
  for (let i = 0; i < 20; i++) {
    const r = await request(base, 'POST', '/api/v1/login', null, { user, password: PASSWORD });
    if (r.status === 200) return r.json.token;
    await sleep(250);
  }
  throw new Error(`${user} cannot log in`);
}

async function newSession(base, token, scenario) {
  for (let i = 0; i < 20; i++) {
    const r = await request(base, 'POST', '/api/v1/sessions', token, { scenario });
    if (r.status === 201) return r.json.id;
    await sleep(250);
  }
  throw new Error(`no session of ${scenario}`);
}

// Plays @answers in session @id; answer i is sent until the session holds
// i + 1 answers (a reply lost with a server is checked by reading the
// session back). Returns the last answer's reply and the upstreams that
// took the answers.
async function play(base, token, id, answers, onAnswer) {
  const upstreams = [];
  let last = null;
  for (let i = 0; i < answers.length; i++) {
    // Long enough for a database restarting after a crash.
    const deadline = Date.now() + 90000;
    for (;;) {
      if (Date.now() > deadline) throw new Error(`session ${id}: answer ${i + 1} never stored`);
      const r = await request(base, 'POST', `/api/v1/sessions/${id}/answers`, token,
        { answer: answers[i] });
      if (r.status === 200) {
        last = r.json;
        upstreams.push(r.upstream);
        break;
      }
      await sleep(100);
      const s = await request(base, 'GET', `/api/v1/sessions/${id}`, token);
      if (s.status === 200 && s.json.answers === i + 1) {
        // Stored before the reply was lost: read the end from the session.
        last = s.json;
        upstreams.push(null);
        break;
      }
    }
    if (onAnswer) await onAnswer();
  }
  if (last && last.finished && last.score === undefined) {
    const s = await request(base, 'GET', `/api/v1/sessions/${id}`, token);
    last = s.json;
  }
  return { last, upstreams };
}

function sameScore(label, got, want) {
  check(got && got.finished === true, `${label}: finished`);
  check(got && got.score === want.score, `${label}: score ${got && got.score} != ${want.score}`);
  check(got && got.max_score === want.max, `${label}: max ${got && got.max_score} != ${want.max}`);
  check(got && got.passed === want.passed, `${label}: passed ${got && got.passed} != ${want.passed}`);
}

function cases() {
  const out = [];
  for (const f of fs.readdirSync(answersDir).sort()) {
    const m = /^(.*)\.(perfect|mistakes)$/.exec(f);
    if (m && fs.existsSync(path.join(scenarios, `${m[1]}.xml`))) {
      out.push({ scenario: m[1], file: path.join(answersDir, f) });
    }
  }
  return out;
}

// Starts nginx in front of every server started so far; its URL.
function startProxy() {
  proxy.dir = path.join(tmp, 'nginx');
  return execFileSync(path.join(here, 'nginx-proxy.sh'),
    ['start', proxy.dir, ...servers.map((s) => s.addr)], { encoding: 'utf8' }).trim();
}

function addTrainees(names) {
  for (const user of names) {
    execFileSync(exe, ['users', 'add', user, '--role', 'trainee', '--db', uri],
      { input: PASSWORD + '\n', stdio: ['pipe', 'ignore', 'inherit'] });
  }
}

// Runs @main with a deadline, cleans up, and exits 0 when no check failed.
function run(name, main, seconds) {
  const timer = setTimeout(() => {
    console.error(`FAIL: ${name} took more than ${seconds} s`);
    cleanup();
    process.exit(1);
  }, seconds * 1000);
  main().then(() => {
    clearTimeout(timer);
    cleanup();
    process.exit(state.failures > 0 ? 1 : 0);
  }, (e) => {
    console.error(`FAIL: ${e.stack || e}`);
    cleanup();
    process.exit(1);
  });
}

module.exports = {
  here, tmp, servers, check, startServer, startProxy, addTrainees, terminalScore, readAnswers,
  request, sleep, login, newSession, play, sameScore, cases, run,
};
