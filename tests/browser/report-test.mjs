// report-test.mjs — `procsim compare --format html` in a real browser:
// Debian's chromium driven by playwright-core, in English and Vietnamese.
//
//   - on screen (1280 px): axe-core finds no serious or critical
//     violation; the page's language, the per-step tables of both
//     paths, the graph at its natural size in a box that scrolls (not
//     squeezed to the page), tooltips in words (no internal id), no bar
//     label past its picture, no text running out of its table cell, no
//     page wider than the screen;
//   - printed to PDF with the page sizes the report asks for: every page
//     A4, one landscape page holding the side-by-side graph with its
//     heading, then each path drawn alone top to bottom on pages of its
//     own, the steps' names at 8 pt or more, then what each new step
//     replaces; the per-step tables and the sources present (read back
//     with poppler's pdfinfo and pdftotext, its -bbox for the printed
//     size of the words).
//
// Environment: PROCSIM_EXE, PSIM_SOURCE_ROOT, CHROMIUM (default
// /usr/bin/chromium), PDFINFO and PDFTOTEXT (default from PATH),
// PSIM_BROWSER_SHOTS (a folder for the screenshots and PDFs; default a
// temporary one). Exit 77 (skipped) when playwright-core is not installed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = process.env.PSIM_SOURCE_ROOT;
const exe = process.env.PROCSIM_EXE;
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const pdfinfo = process.env.PDFINFO || 'pdfinfo';
const pdftotext = process.env.PDFTOTEXT || 'pdftotext';
const require = createRequire(path.join(root, 'package.json'));
let playwright;
try {
  playwright = require('playwright-core');
} catch (e) {
  console.log('playwright-core is not installed (run npm ci): skipped');
  process.exit(77);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'procsim-report-'));
const shots = process.env.PSIM_BROWSER_SHOTS || path.join(tmp, 'shots');
fs.mkdirSync(shots, { recursive: true });
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
let step = 'start';

function check(cond, message) {
  if (!cond) throw new Error(`${step}: ${message}`);
}

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, LANG: 'C.UTF-8', ...env } });
  check(r.status === 0, `${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  return r.stdout;
}

// The words the report must show in each language (from po/vi.po).
const words = {
  en: { steps: 'Step by step', graph: 'The two paths side by side', sources: 'Sources and legal basis',
    before: 'Before', after: 'After', links: 'What each new step replaces' },
  vi: { steps: 'Từng bước', graph: 'Hai quy trình đặt cạnh nhau', sources: 'Nguồn và căn cứ pháp lý',
    before: 'Trước', after: 'Sau', links: 'Mỗi bước mới thay cho bước nào' },
};

// A4 in PostScript points, either way round.
const A4 = [595.3, 841.9];
const near = (a, b) => Math.abs(a - b) < 2;

const browser = await playwright.chromium.launch({
  executablePath: chromiumPath,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  for (const lang of ['en', 'vi']) {
    const w = words[lang];
    step = `${lang}: procsim compare`;
    const file = path.join(tmp, `report-${lang}.html`);
    // In Vietnamese with a million cases a year: figures of 17 characters
    // (1.020.000.000.000) for the bar labels to fit.
    run(exe, ['--lang', lang, 'compare', path.join(root, 'workflows', 'land-title-transfer.xml'),
      '--format', 'html', '-o', file, ...(lang === 'vi' ? ['--volume', '1000000'] : [])],
    { SOURCE_DATE_EPOCH: '1764720000' });

    step = `${lang}: on screen`;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();
    const outside = [];
    page.on('request', (r) => { if (!r.url().startsWith('file:')) outside.push(r.url()); });
    await page.goto('file://' + file);
    check(await page.evaluate(() => document.documentElement.lang) === lang, 'wrong lang attribute');
    await page.evaluate(axeSource);
    const violations = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ['violations'] });
      return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
    });
    check(violations.length === 0, `axe-core:\n  ${violations.join('\n  ')}`);
    const screen = await page.evaluate(() => {
      const px = (v) => parseFloat(v) * (v.endsWith('pt') ? 4 / 3 : 1);
      const svg = document.querySelector('svg.graph');
      const box = svg.parentElement;
      const rows = (id) => [...document.querySelectorAll(`#${id} tbody tr`)]
        .map((tr) => tr.querySelector('th').textContent);
      // Text wider than its cell, or past the right edge of its picture.
      const overflowing = [...document.querySelectorAll('td, th, p, li, h1, h2, h3, figcaption')]
        .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
        .map((e) => e.textContent.slice(0, 60));
      const clipped = [];
      for (const bars of document.querySelectorAll('svg.bars')) {
        const width = bars.viewBox.baseVal.width;
        for (const t of bars.querySelectorAll('text')) {
          const b = t.getBBox();
          if (b.x < -0.5 || b.x + b.width > width + 0.5) clipped.push(`${t.textContent} (${b.x}..${b.x + b.width} of ${width})`);
        }
      }
      const titles = [...svg.querySelectorAll('title')].map((t) => t.textContent);
      const paths = [...document.querySelectorAll('figure.path figcaption')].map((f) => f.textContent);
      const pathsShown = getComputedStyle(document.querySelector('div.graph-paths')).display !== 'none';
      return {
        natural: px(svg.getAttribute('width')), shown: svg.getBoundingClientRect().width,
        scrolls: box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight,
        before: rows('steps-before'), after: rows('steps-after'),
        heads: [...document.querySelectorAll('table.figures thead th')].map((th) => th.textContent),
        overflowing, clipped, titles, paths, pathsShown,
        wider: document.documentElement.scrollWidth - window.innerWidth,
        meta: document.querySelector('p.meta').textContent,
      };
    });
    check(near(screen.shown, screen.natural), `the graph is ${screen.shown} px wide, not its natural ${screen.natural}`);
    check(screen.scrolls, 'the graph larger than the screen does not scroll in its box');
    check(screen.before.length >= 5 && screen.after.length >= 3,
      `per-step tables: ${screen.before.length} steps before, ${screen.after.length} after`);
    check(screen.heads.some((h) => h.startsWith(w.before)) && screen.heads.some((h) => h.startsWith(w.after)),
      `figure table headings: ${screen.heads.join(' | ')}`);
    check(!screen.heads.some((h) => /legacy|digital/.test(h)), `variant ids in the headings: ${screen.heads}`);
    check(screen.overflowing.length === 0, `text out of its box: ${screen.overflowing.join(' | ')}`);
    check(screen.clipped.length === 0, `bar labels past their picture: ${screen.clipped.join(' | ')}`);
    check(screen.titles.length > 20, `only ${screen.titles.length} tooltips`);
    const ids = screen.titles.filter((t) => /^(legacy|digital|cluster_|legend_)|:|->/.test(t));
    check(ids.length === 0, `tooltips with internal ids: ${ids.slice(0, 5).join(' | ')}`);
    check(screen.wider <= 0, `the page is ${screen.wider} px wider than the screen`);
    check(!screen.pathsShown, 'the printed pictures of each path show on screen');
    check(screen.paths.length >= 2 && screen.paths[0].startsWith(w.before)
      && screen.paths[screen.paths.length - 1].startsWith(w.after),
    `the pictures of each path: ${screen.paths.join(' | ')}`);
    check(/2025-12-03/.test(screen.meta) && /0\.\d+\.\d+/.test(screen.meta), `no date or version: ${screen.meta}`);
    check(outside.length === 0, `requests outside the file: ${outside.join(' ')}`);
    await page.screenshot({ path: path.join(shots, `report-${lang}-screen.png`), fullPage: true });

    step = `${lang}: print`;
    const pdf = path.join(shots, `report-${lang}.pdf`);
    await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    await ctx.close();
    const info = run(pdfinfo, ['-f', '1', '-l', '99', pdf]);
    const sizes = [...info.matchAll(/Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)/g)]
      .map((m) => ({ page: Number(m[1]), w: Number(m[2]), h: Number(m[3]) }));
    check(sizes.length >= 3, `${sizes.length} pages:\n${info}`);
    for (const s of sizes) {
      check((near(s.w, A4[0]) && near(s.h, A4[1])) || (near(s.w, A4[1]) && near(s.h, A4[0])),
        `page ${s.page} is ${s.w} x ${s.h} pt, not A4`);
    }
    const text = (p) => run(pdftotext, ['-f', String(p), '-l', String(p), '-layout', pdf, '-']);
    // The side-by-side graph on one landscape page, then each path alone,
    // top to bottom, on the pages that follow (portrait, or landscape
    // when that shows it larger), each captioned with its path.
    const landscape = sizes.filter((s) => s.w > s.h);
    check(landscape.length >= 1, 'no landscape page for the graph');
    const pathPages = sizes.filter((s) => s.page > landscape[0].page && s.page <= landscape[0].page + screen.paths.length);
    check(pathPages.length === screen.paths.length,
      `${pathPages.length} pages after the graph for the ${screen.paths.length} pictures of the paths`);
    for (const [i, s] of pathPages.entries()) {
      const caption = screen.paths[i].split(/\s+/)[0];
      check(text(s.page).trim().startsWith(caption), `page ${s.page} does not open with "${screen.paths[i]}"`);
    }
    // The paths print the steps' names at 8 pt or more. poppler gives each
    // word's box, whose height is the font's size times its ascent and
    // descent: measured against the picture's caption, 9 pt (0.9 of the
    // printed 10 pt), in the same font.
    const nameWords = new Set([...screen.before, ...screen.after]
      .flatMap((n) => n.replace(/^\d+\. /, '').split(/\s+/)).filter((x) => x.length > 3));
    const partSizes = [];
    for (const s of pathPages) {
      const boxes = [...run(pdftotext, ['-bbox', '-f', String(s.page), '-l', String(s.page), pdf, '-'])
        .matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<\/word>/g)]
        .map((m) => ({ top: Number(m[1]), h: Number(m[2]) - Number(m[1]), word: m[3] }));
      check(boxes.length > 0, `no words on the path's page ${s.page}`);
      const caption = boxes.reduce((a, b) => (b.top < a.top ? b : a));
      const heights = boxes.filter((b) => b !== caption && nameWords.has(b.word)).map((b) => b.h)
        .sort((a, b) => a - b);
      check(heights.length > 0, `no step names on the path's page ${s.page}`);
      const size = (heights[Math.floor(heights.length / 2)] / caption.h) * 9;
      partSizes.push(size);
      check(size >= 7.95, `the steps' names print at ${size.toFixed(1)} pt on page ${s.page}, under 8 pt`);
    }
    const graphPage = text(landscape[0].page);
    check(graphPage.includes(w.graph), `the landscape page ${landscape[0].page} lacks the graph's heading`);
    // The graph's own words are on that page (a lane's and a step's name).
    const names = screen.before.map((n) => n.replace(/^\d+\. /, ''));
    check(names.some((n) => graphPage.replace(/\s+/g, ' ').includes(n.split(' ')[0])),
      'the graph page shows none of the steps');
    for (const p of sizes) {
      const t = text(p.page).trim();
      check(t.length > 0, `page ${p.page} is empty`);
      check(!(t.split('\n').length <= 2 && t.includes(w.graph)), `page ${p.page} holds the graph's heading alone`);
    }
    const all = sizes.map((s) => text(s.page)).join('\n');
    for (const h of [w.steps, w.sources, w.links]) check(all.includes(h), `"${h}" is not in the PDF`);
    console.log(`${lang}: ${sizes.length} A4 pages, the graph on page ${landscape[0].page} and the ` +
      `${screen.paths.length} pictures of the paths on pages ${pathPages.map((s) => `${s.page}` +
      `${s.w > s.h ? ' (landscape)' : ''}`).join(', ')}, names at ` +
      `${partSizes.map((x) => x.toFixed(1)).join(', ')} pt; ` +
      `${screen.before.length} + ${screen.after.length} steps; graph ${Math.round(screen.natural)} px wide on screen`);
  }
} finally {
  await browser.close();
  if (!process.env.PSIM_BROWSER_SHOTS) fs.rmSync(tmp, { recursive: true, force: true });
}
