#!/usr/bin/env node
// test-cluster.js — several `procsim serve` processes on one PostgreSQL
// behind nginx, as docs/deploy.md sets them up, all on loopback ports.
// Run inside `pg-cluster.sh run` (PSIM_TEST_PG_URI), with PROCSIM_EXE and
// PSIM_SOURCE_ROOT set as the suite sets them.
//
//   alternate  one trainee plays every bundled scenario with its perfect
//              and mistakes answers through nginx; consecutive answers of a
//              session reach the two servers in turn (nginx names the one
//              in X-Upstream), and each session ends with exactly the
//              score, maximum and pass of `procsim train --answers`.
//   forwarded  the login rate limit counts the clients behind the proxy
//              (X-Forwarded-For from loopback), not the proxy.
//   kill       four trainees play at once; one server is killed with
//              SIGKILL in the middle; they carry on through the other and
//              finish with the same scores. An answer whose reply was lost
//              with the server is found stored or not by reading the
//              session back, as a browser would after an error.
'use strict';

const path = require('path');
const {
  servers, check, startServer, startProxy, addTrainees, terminalScore, readAnswers, login,
  newSession, play, sameScore, cases, run,
} = require('./cluster-lib.js');

async function testAlternate(base) {
  const token = await login(base, 'lan');
  for (const c of cases()) {
    const label = `alternate ${path.basename(c.file)}`;
    const id = await newSession(base, token, c.scenario);
    const { last, upstreams } = await play(base, token, id, readAnswers(c.file));
    sameScore(label, last, terminalScore(c.scenario, c.file));
    let turns = 0;
    for (let i = 1; i < upstreams.length; i++) if (upstreams[i] !== upstreams[i - 1]) turns++;
    check(upstreams.length < 2 || turns === upstreams.length - 1,
      `${label}: answers did not alternate between the servers: ${upstreams.join(' ')}`);
    check(new Set(upstreams).size === Math.min(2, upstreams.length),
      `${label}: answers reached ${[...new Set(upstreams)].join(' ')}`);
  }
  console.log('ok alternate: every session alternated between the two servers, same scores');
}

async function testKill(base, victim) {
  const trainees = ['t1', 't2', 't3', 't4'];
  const all = cases();
  let answered = 0;
  let killedAt = -1;
  const total = trainees.reduce((n, _, k) => n + readAnswers(all[k % all.length].file).length, 0);
  const onAnswer = async () => {
    answered++;
    if (killedAt < 0 && answered >= total / 3) {
      killedAt = answered;
      victim.proc.kill('SIGKILL');
    }
  };
  const runs = trainees.map(async (user, k) => {
    const c = all[k % all.length];
    const token = await login(base, user);
    const id = await newSession(base, token, c.scenario);
    const { last, upstreams } = await play(base, token, id, readAnswers(c.file), onAnswer);
    sameScore(`kill ${user} ${path.basename(c.file)}`, last, terminalScore(c.scenario, c.file));
    return upstreams;
  });
  const results = await Promise.all(runs);
  check(killedAt > 0 && killedAt < total, `the server was killed mid-run (${killedAt} of ${total})`);
  const byVictim = results.flat().filter((u) => u === victim.addr).length;
  check(byVictim > 0, 'the killed server had taken answers before it died');
  console.log(`ok kill: ${trainees.length} trainees finished after a SIGKILL at answer ` +
    `${killedAt} of ${total}, same scores`);
}

// Behind the proxy every request comes from loopback: the login rate limit
// counts per client address as the proxy reports it (X-Forwarded-For), so
// that one client's failures do not lock every trainee out.
async function testForwardedFor(server) {
  const direct = `http://${server.addr}`;
  const from = async (address, user, password) => {
    const r = await fetch(`${direct}/api/v1/login`, { method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `203.0.113.9, ${address}` },
      body: JSON.stringify({ user, password }) });
    return r.status;
  };
  let last = 0;
  for (let i = 0; i < 21; i++) last = await from('198.51.100.1', `nobody${i}`, 'wrong password');
  check(last === 429, `the 21st failure from one client is ${last}, not 429`);
  check(await from('198.51.100.2', 'lan', 'correct horse battery') === 200,
    'another client behind the same proxy can still log in');
  console.log('ok forwarded: the login limit counts clients, not the proxy');
}

async function main() {
  addTrainees(['lan', 't1', 't2', 't3', 't4']);
  // Two servers starting together on one database: one migrates.
  const [a] = await Promise.all([startServer(), startServer()]);
  const base = startProxy();
  await testAlternate(base);
  await testForwardedFor(servers[1]);
  await testKill(base, a);
}

run('test-cluster', main, 240);
