#!/usr/bin/env node
// test-lrs.js — the xAPI outbox under faults: two servers on one
// PostgreSQL behind nginx, sending to the test LRS (lrs-receiver.js).
//
//   - the LRS refuses connections for the whole first part of the run;
//   - four trainees play a scenario each; midway the database is stopped
//     as in a crash and started again (pg-cluster.sh restart … immediate):
//     the trainees carry on, and every session ends with exactly the
//     terminal trainer's score (no answer lost);
//   - both servers are then killed with SIGKILL and a third one started:
//     the outbox is in the database, not in a server;
//   - the LRS is given three of the statements directly, as if an earlier
//     send had reached it and its reply been lost: the servers' batch is
//     then refused (409) and sent again statement by statement;
//   - the LRS comes up: every statement of every session (the sessions'
//     own xAPI records, read through the API) arrives, each exactly once,
//     valid, and nothing else does.
'use strict';

const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const readline = require('readline');
const {
  here, tmp, servers, check, startServer, startProxy, addTrainees, terminalScore, readAnswers,
  request, sleep, login, newSession, play, sameScore, cases, run,
} = require('./cluster-lib.js');

// The test LRS, down (refusing) from the start; commands on its input.
function startLrs() {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(here, 'lrs-receiver.js'), '--auth', 'u:s',
      '--down', 'refuse'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: proc.stdout });
    const waiting = [];
    let url = null;
    lines.on('line', (line) => {
      if (url === null && line.startsWith('listening ')) {
        url = line.slice('listening '.length);
        resolve({
          proc,
          url,
          command: (cmd) => new Promise((res) => {
            waiting.push(res);
            proc.stdin.write(cmd + '\n');
          }),
        });
      } else if (waiting.length > 0) {
        waiting.shift()(JSON.parse(line));
      }
    });
    proc.on('exit', (code) => reject(new Error(`the test LRS exited (${code})`)));
  });
}

async function main() {
  const lrs = await startLrs();
  const lrsOptions = ['--lrs', lrs.url, '--lrs-auth', 'u:s'];
  const trainees = ['t1', 't2', 't3', 't4'];
  addTrainees(trainees);
  await Promise.all([startServer(lrsOptions), startServer(lrsOptions)]);
  const base = startProxy();

  // Play, with a database crash and restart in the middle.
  const all = cases().filter((c) => c.file.endsWith('.mistakes'));
  let answered = 0;
  let restarted = null;
  const total = trainees.reduce((n, _, k) => n + readAnswers(all[k % all.length].file).length, 0);
  const onAnswer = async () => {
    answered++;
    if (restarted === null && answered >= total / 2) {
      restarted = answered;
      execFileSync(process.env.PSIM_TEST_PG_CTL,
        ['restart', process.env.PSIM_TEST_PG_DIR, 'immediate'], { stdio: 'inherit' });
    }
  };
  const sessions = await Promise.all(trainees.map(async (user, k) => {
    const c = all[k % all.length];
    const token = await login(base, user);
    const id = await newSession(base, token, c.scenario);
    const { last } = await play(base, token, id, readAnswers(c.file), onAnswer);
    sameScore(`${user} ${path.basename(c.file)}`, last, terminalScore(c.scenario, c.file));
    const answers = await request(base, 'GET', `/api/v1/sessions/${id}`, token);
    check(answers.json && answers.json.answers === readAnswers(c.file).length,
      `${user}: every answer is stored`);
    const record = await request(base, 'GET', `/api/v1/sessions/${id}/record?format=xapi`, token);
    check(record.status === 200 && Array.isArray(record.json), `${user}: the xAPI record`);
    return record.json || [];
  }));
  check(restarted !== null, 'the database was restarted mid-run');
  console.log(`ok: 4 sessions finished with the terminal's scores across a database crash ` +
    `at answer ${restarted} of ${total}`);
  const expected = new Set(sessions.flat().map((s) => s.id));

  // Servers die; a new one takes over the outbox; the LRS comes up.
  let stats = await lrs.command('stats');
  check(stats.stored === 0, 'nothing reached the LRS while it was down');
  for (const s of servers) s.proc.kill('SIGKILL');
  await startServer(lrsOptions);
  const preloaded = sessions[0].slice(0, 3);
  fs.writeFileSync(path.join(tmp, 'preload.json'), JSON.stringify(preloaded));
  await lrs.command(`load ${path.join(tmp, 'preload.json')}`);
  await lrs.command('up');
  const deadline = Date.now() + 120000;
  do {
    await sleep(1000);
    stats = await lrs.command('stats');
  } while (stats.stored < expected.size && Date.now() < deadline);
  await sleep(2000); // anything extra would come now
  stats = await lrs.command('stats');
  const got = new Set(stats.ids);
  const missing = [...expected].filter((id) => !got.has(id));
  const extra = stats.ids.filter((id) => !expected.has(id));
  check(missing.length === 0, `statements never delivered: ${missing.join(' ')}`);
  check(extra.length === 0, `statements no session made: ${extra.join(' ')}`);
  check(got.size === stats.ids.length, 'a statement stored twice');
  check(stats.conflicts === 0, `${stats.conflicts} statements sent under a known id with ` +
    'another content');
  check(stats.invalid.length === 0, `invalid statements: ${JSON.stringify(stats.invalid)}`);
  check(preloaded.every((s) => stats.times_sent[s.id] >= 1),
    'the statements the LRS had were sent again and acknowledged (409, then 204)');
  console.log(`ok: ${expected.size} statements, each delivered exactly once, after the LRS ` +
    `was down and every server restarted (${stats.requests} requests)`);
  lrs.proc.kill();
}

run('test-lrs', main, 280);
