// browser-test.mjs — the browser trainer in a real browser: Debian's
// chromium driven by playwright-core (no browser is ever downloaded), on a
// `procsim serve` of our own over a temporary database.
//
//   - a trainee logs in and plays a scenario in Vietnamese to the debrief
//     at 360 px, with the keyboard alone (Tab, Enter, the number keys);
//   - another starts one in English at 360 px, stops, and resumes it in a
//     second browser context at 1280 px; both debriefs give the scores the
//     terminal trainer gives for the same answers;
//   - their trainer sees the attempts on the dashboard, at both widths;
//   - a scenario with an error is uploaded: the page shows its line;
//   - the admin imports a CSV file of users: a bad one shows its lines, a
//     good one adds them and shows the made-up passwords once;
//   - a visitor practises as a guest from the login page (the server is on
//     loopback), with the keyboard;
//   - axe-core finds no serious or critical violation on any page, and at
//     360 px no page is wider than the screen.
//
// Environment: PROCSIM_EXE, PSIM_SOURCE_ROOT, PSIM_TEST_DATA (as the other
// tests), CHROMIUM (default /usr/bin/chromium), PSIM_BROWSER_SHOTS (a
// folder for screenshots; default a temporary one). Exit 77 (skipped) when
// playwright-core is not installed (npm ci).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.env.PSIM_SOURCE_ROOT;
const exe = process.env.PROCSIM_EXE;
const data = process.env.PSIM_TEST_DATA || path.join(root, 'tests', 'data');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const require = createRequire(path.join(root, 'package.json'));
let playwright;
try {
  playwright = require('playwright-core');
} catch (e) {
  console.log('playwright-core is not installed (run npm ci): skipped');
  process.exit(77);
}
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'procsim-browser-'));
const shots = process.env.PSIM_BROWSER_SHOTS || path.join(tmp, 'shots');
fs.mkdirSync(shots, { recursive: true });
const db = 'sqlite:' + path.join(tmp, 'db.sqlite3');
const PASSWORD = 'correct horse 42';

let server = null;
let serverLog = '';
let browser = null;
let current = null; // the page being tested, for a screenshot on failure
let step = 'start';

function fail(message) {
  throw new Error(`${step}: ${message}`);
}

function check(cond, message) {
  if (!cond) fail(message);
}

function procsim(args, input) {
  const r = spawnSync(exe, args, { input, encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8' } });
  if (r.status !== 0) fail(`procsim ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

function answersOf(name) {
  return fs.readFileSync(path.join(data, 'train', name), 'utf8')
    .split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

// The terminal trainer's score for the same answers: "Score 28 of 100".
function terminalScore(scenario, answersFile) {
  const out = procsim(['--lang', 'en', 'train', '--answers', path.join(data, 'train', answersFile),
    '--record', path.join(tmp, 'records'), '--seed', '0', scenario]);
  const m = /Score (\d+) of (\d+)/.exec(out);
  check(m, `no score in the terminal trainer's output:\n${out}`);
  return [Number(m[1]), Number(m[2])];
}

async function startServer() {
  server = spawn(exe, ['serve', '--listen', '127.0.0.1:0', '--db', db,
    '--scenarios', path.join(root, 'scenarios')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  server.stderr.on('data', (d) => { serverLog += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${out}${serverLog}`)), 20000);
    server.stdout.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+?)\/?\s/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code, signal) => {
      serverLog += `\n[the server exited: ${code ?? signal}]\n`;
      reject(new Error(`the server exited (${code ?? signal}):\n${out}${serverLog}`));
    });
  });
}

const checked = [];
const t0 = Date.now();

// axe-core on the page as it is: no serious or critical violation. At
// 360 px, nothing wider than the screen either.
async function audit(page, name) {
  current = page;
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  check(bad.length === 0, `axe-core on ${name} (${page.url()}):\n` +
    bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} at ${v.nodes.join(', ')}`).join('\n'));
  const width = page.viewportSize().width;
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  check(over <= 0, `${name} is ${over} px wider than the ${width} px screen`);
  checked.push(`${name} @${width} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
}

// Tab until the focused element matches @selector; its focus must show.
async function tabTo(page, selector) {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press('Tab');
    const state = await page.evaluate((sel) => {
      const el = document.activeElement;
      if (!el || !el.matches(sel)) return null;
      const s = getComputedStyle(el);
      return { outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 };
    }, selector);
    if (state) {
      check(state.outline, `the focus on ${selector} is not visible`);
      return;
    }
  }
  fail(`Tab never reaches ${selector} on ${page.url()}`);
}

// Runs @action and waits for the page that follows it.
async function andWait(page, action) {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), action()]);
}

async function login(page, base, user) {
  await page.goto(base + '/login');
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  check(focused === 'user', 'the login form does not start on the user name');
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(PASSWORD);
  await andWait(page, () => page.keyboard.press('Enter'));
  check(new URL(page.url()).pathname === '/', `after logging in: ${page.url()}`);
}

// Starts @scenario from the start page, with Tab and Enter.
async function startScenario(page, scenario) {
  await tabTo(page, `form[action="/train/${scenario}"] button`);
  await andWait(page, () => page.keyboard.press('Enter'));
  check(/\/session\/[0-9a-f]+$/.test(new URL(page.url()).pathname), `not a session: ${page.url()}`);
}

async function focusIsTextField(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el && el.tagName === 'INPUT' && el.type !== 'checkbox';
  });
}

// Gives one answer as the terminal trainer's answer files write it, with
// the keyboard: the number keys for options, check boxes and keys h and s;
// Tab and typing for places and numbers.
async function answer(page, text) {
  const form = page.locator('form.point');
  check(await form.count() === 1, `no point to answer "${text}" at ${page.url()}`);
  if (text === 'hint' || text === 'skip') {
    const key = text[0];
    if (await focusIsTextField(page)) {
      await tabTo(page, `button[data-key="${key}"]`);
      await andWait(page, () => page.keyboard.press('Enter'));
    } else {
      await andWait(page, () => page.keyboard.press(key));
    }
    return;
  }
  if (await page.locator('button.option').count() > 0) {
    const key = await page.locator(`button.option[value="${text}"]`).getAttribute('data-key');
    check(key, `no option "${text}" at ${page.url()}`);
    await andWait(page, () => page.keyboard.press(key));
    return;
  }
  if (await page.locator('label.pick').count() > 0) {
    for (const id of text.split(',')) {
      const key = await page.locator(`label.pick:has(input[value="${id}"])`).getAttribute('data-key');
      check(key, `no option "${id}" at ${page.url()}`);
      await page.keyboard.press(key);
    }
    await tabTo(page, 'button[name="do"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    return;
  }
  if (await page.locator('ol.places select').count() > 0) {
    const ids = text.split(',');
    for (let i = 0; i < ids.length; i++) {
      await tabTo(page, `select[data-option="${ids[i]}"]`);
      await page.keyboard.type(String(i + 1));
    }
    await tabTo(page, 'button[name="do"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    return;
  }
  if (!(await focusIsTextField(page))) await tabTo(page, '#number');
  await page.keyboard.type(text);
  await andWait(page, () => page.keyboard.press('Enter'));
}

async function play(page, answers, name) {
  const seen = new Set();
  for (const a of answers) {
    const kind = await page.locator('form.point').getAttribute('data-kind');
    if (!seen.has(kind)) {
      seen.add(kind);
      await audit(page, `${name}: a point (${kind})`);
    }
    await answer(page, a);
    const problem = await page.locator('.problem').allTextContents();
    check(problem.length === 0, `the answer "${a}" was refused: ${problem.join(' ')}`);
  }
  check(await page.locator('section.debrief').count() === 1, `no debrief after the answers at ${page.url()}`);
}

async function debriefScore(page) {
  const text = await page.locator('.verdict').textContent();
  const m = /(\d+)\D+(\d+)/.exec(text);
  check(m, `no score in "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

async function main() {
  step = 'accounts';
  procsim(['users', 'add', 'admin', '--role', 'admin', '--db', db], PASSWORD + '\n');
  procsim(['users', 'add', 'thu', '--role', 'trainer', '--group', 'hn-1', '--db', db], PASSWORD + '\n');
  procsim(['users', 'add', 'lan', '--role', 'trainee', '--group', 'hn-1', '--db', db], PASSWORD + '\n');
  procsim(['users', 'add', 'minh', '--role', 'trainee', '--group', 'hn-1', '--db', db], PASSWORD + '\n');
  step = 'terminal scores';
  const viExpected = terminalScore('land-title-digital', 'land-title-digital.mistakes');
  const enExpected = terminalScore('business-registration-digital', 'business-registration-digital.mistakes');

  step = 'server';
  const base = await startServer();
  browser = await playwright.chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const phone = { viewport: { width: 360, height: 740 } };
  const desk = { viewport: { width: 1280, height: 900 } };

  // Lan, in Vietnamese (her browser asks for it), on a phone.
  step = 'Vietnamese, 360 px';
  {
    const ctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
    const page = await ctx.newPage();
    await page.goto(base + '/login');
    await audit(page, 'login (vi)');
    await shot(page, 'login-vi-360');
    await login(page, base, 'lan');
    check(await page.evaluate(() => document.documentElement.lang) === 'vi', 'the page is not in Vietnamese');
    await audit(page, 'start page (vi)');
    await shot(page, 'home-vi-360');
    await startScenario(page, 'land-title-digital');
    check(await page.locator('#case-panel').evaluate((d) => !d.open), 'the case panel is open on a phone');
    await shot(page, 'point-vi-360');
    const legend = await page.locator('form.point legend').textContent();
    check(legend.trim() !== 'What happens next?', `the point is in English: ${legend}`);
    await play(page, answersOf('land-title-digital.mistakes'), 'session (vi)');
    await audit(page, 'debrief (vi)');
    await shot(page, 'debrief-vi-360');
    const got = await debriefScore(page);
    check(got.join() === viExpected.join(), `debrief score ${got} , the terminal trainer's ${viExpected}`);
    // The legal limits of the case, in Vietnamese: the whole procedure's
    // (10 working days, met on the digital path) first.
    const limits = await page.locator('ul.limits li').allTextContents();
    check(limits.length >= 2 && /Toàn bộ thủ tục/.test(limits[0]) && /✓/.test(limits[0]),
      `the debrief's legal limits: ${JSON.stringify(limits)}`);
    await ctx.close();
  }

  // Minh, in English: starts on a phone, stops, resumes on a desktop.
  step = 'English, 360 px then 1280 px';
  const enAnswers = answersOf('business-registration-digital.mistakes');
  const cut = 5;
  {
    const ctx = await browser.newContext({ ...phone, locale: 'en-GB' });
    const page = await ctx.newPage();
    await login(page, base, 'minh');
    check(await page.evaluate(() => document.documentElement.lang) === 'en', 'the page is not in English');
    await startScenario(page, 'business-registration-digital');
    await play(page, enAnswers.slice(0, cut), 'session (en)').catch((e) => {
      if (!/no debrief/.test(e.message)) throw e;
    });
    await shot(page, 'point-en-360');
    await ctx.close();
  }
  {
    const ctx = await browser.newContext({ ...desk, locale: 'en-GB' });
    const page = await ctx.newPage();
    await login(page, base, 'minh');
    await audit(page, 'start page with a session to resume (en)');
    await tabTo(page, 'ul.sessions a');
    await andWait(page, () => page.keyboard.press('Enter'));
    check(await page.locator('#case-panel').evaluate((d) => d.open), 'the case panel is closed on a desktop');
    const answered = await page.locator('input[name="n"]').getAttribute('value');
    check(answered === String(cut), `resumed after ${answered} answers, not ${cut}`);
    await shot(page, 'point-en-1280');
    await play(page, enAnswers.slice(cut), 'session (en)');
    await audit(page, 'debrief (en)');
    await shot(page, 'debrief-en-1280');
    const got = await debriefScore(page);
    check(got.join() === enExpected.join(), `debrief score ${got}, the terminal trainer's ${enExpected}`);
    await ctx.close();
  }

  // Their trainer: the dashboard counts both attempts, at both widths.
  for (const [label, size] of [['1280', desk], ['360', phone]]) {
    step = `trainer's dashboard, ${label} px`;
    const ctx = await browser.newContext({ ...size, locale: 'en-GB' });
    const page = await ctx.newPage();
    await login(page, base, 'thu');
    await tabTo(page, 'a[href="/trainer"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    await audit(page, "trainer's dashboard");
    await shot(page, `dashboard-en-${label}`);
    for (const id of ['land-title-digital', 'business-registration-digital']) {
      const attempts = await page.locator(`tr[data-scenario="${id}"] td.attempts`).textContent();
      check(attempts.trim() === '1', `${id}: ${attempts} attempts on the dashboard, not 1`);
    }
    await tabTo(page, 'a[href="/trainer/scenario/land-title-digital"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    await audit(page, "a scenario's report");
    await shot(page, `report-en-${label}`);
    check(await page.locator('td', { hasText: 'lan' }).count() > 0, 'lan is not in the report');
    await ctx.close();
  }

  // A scenario with an error: the page shows the line.
  step = 'upload';
  {
    const ctx = await browser.newContext({ ...desk, locale: 'en-GB' });
    const page = await ctx.newPage();
    await login(page, base, 'thu');
    await page.goto(base + '/trainer/upload');
    await audit(page, 'upload form');
    const bad = path.join(tmp, 'broken-scenario.xml');
    const good = fs.readFileSync(path.join(root, 'scenarios', 'land-title-digital.xml'), 'utf8');
    // An unknown element on line 3: the schema refuses it there.
    const lines = good.split('\n');
    const at = lines.findIndex((l) => /<scenario[\s>]/.test(l));
    lines.splice(at + 1, 0, '  <no-such-element/>');
    fs.writeFileSync(bad, lines.join('\n'));
    await page.setInputFiles('input[name="scenario"]', bad);
    await page.setInputFiles('input[name="procedure"]',
      path.join(root, 'workflows', 'land-title-transfer.xml'));
    await tabTo(page, 'form.upload button[type="submit"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    await audit(page, 'upload diagnostics');
    await shot(page, 'upload-error-en-1280');
    const text = await page.locator('.diagnostics').textContent();
    check(text.includes(`broken-scenario.xml:${at + 2}`), `the diagnostics do not name line ${at + 2}:\n${text}`);
    check(text.includes('no-such-element'), `the diagnostics do not show the line:\n${text}`);
    await ctx.close();
  }

  step = 'admin';
  {
    const ctx = await browser.newContext({ ...phone, locale: 'vi-VN' });
    const page = await ctx.newPage();
    await login(page, base, 'admin');
    await page.goto(base + '/admin');
    await audit(page, 'users and groups (vi)');
    await shot(page, 'admin-vi-360');
    check(await page.locator('td', { hasText: 'minh' }).count() > 0, 'minh is not in the list of users');
    // A CSV file with a bad line: its line shown, nobody added.
    const bad = path.join(tmp, 'users-bad.csv');
    fs.writeFileSync(bad, 'name,role,group\nngoc,trainee,hn-1\nphuong,boss,hn-1\n');
    await page.setInputFiles('#csv', bad);
    await tabTo(page, 'form.import button[type="submit"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    await audit(page, 'users import problems (vi)');
    const problems = await page.locator('ul.problems').textContent();
    check(problems.includes('users-bad.csv:3'), `the import's problems do not name line 3:\n${problems}`);
    check(await page.locator('td', { hasText: 'ngoc' }).count() === 0, 'ngoc was added from a bad file');
    // A good one: both added, ngoc's password made up and shown.
    const good = path.join(tmp, 'users.csv');
    fs.writeFileSync(good, 'name,role,group,password\nngoc,trainee,hn-1,\nphuong,trainee,hn-1,' + PASSWORD + '\n');
    await page.setInputFiles('#csv', good);
    await tabTo(page, 'form.import button[type="submit"]');
    await andWait(page, () => page.keyboard.press('Enter'));
    await audit(page, 'users imported (vi)');
    await shot(page, 'admin-import-vi-360');
    check(await page.locator('table.passwords td', { hasText: 'ngoc' }).count() === 1, 'no made-up password for ngoc');
    check(await page.locator('table.users td', { hasText: 'phuong' }).count() === 1, 'phuong is not in the list of users');
    await ctx.close();
  }

  step = 'guest';
  {
    const ctx = await browser.newContext({ ...desk, locale: 'en-GB' });
    const page = await ctx.newPage();
    await page.goto(base + '/login');
    await tabTo(page, 'form[action="/guest"] button');
    await andWait(page, () => page.keyboard.press('Enter'));
    check(new URL(page.url()).pathname === '/', `after "practise as a guest": ${page.url()}`);
    await audit(page, 'start page of a guest (en)');
    check((await page.locator('body').textContent()).includes('guest-'), 'the guest is not named on the page');
    await startScenario(page, 'land-title-digital');
    await ctx.close();
  }
}

main().then(() => {
  console.log(`ok: ${checked.length} pages checked with axe-core:\n  ${checked.join('\n  ')}`);
  console.log(`screenshots in ${shots}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}, async (e) => {
  console.error(`FAIL ${e.message.startsWith(step) ? '' : step + ': '}${e.message}`);
  if (serverLog) console.error(`the server said:\n${serverLog.slice(-3000)}`);
  process.exitCode = 1;
  if (current && !current.isClosed()) {
    await current.screenshot({ path: path.join(shots, 'failure.png'), fullPage: true }).catch(() => {});
    console.error(`the page at the failure: ${path.join(shots, 'failure.png')} (${current.url()})`);
  }
}).finally(async () => {
  if (browser) await browser.close();
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  // PSIM_BROWSER_SERVER_LOG=FILE keeps what the server said (for a run on
  // a sanitizer build: its reports go there).
  if (process.env.PSIM_BROWSER_SERVER_LOG) fs.writeFileSync(process.env.PSIM_BROWSER_SERVER_LOG, serverLog);
  fs.rmSync(tmp, { recursive: true, force: true });
});
