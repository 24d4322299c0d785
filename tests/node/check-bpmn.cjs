// check-bpmn.cjs — reads BPMN files with bpmn-moddle (the reader of
// bpmn.io and Camunda Modeler) and lints them with bpmnlint's recommended
// rules. Fails on any warning of the reader and on any lint error; lint
// warnings are printed. Test-only: run by tests/meson.build when node and
// the npm test tools (package.json) are there.
//   node check-bpmn.cjs FILE.bpmn...
'use strict';
const fs = require('fs');
const BpmnModdle = require('bpmn-moddle');
const Linter = require('bpmnlint/lib/linter');
const NodeResolver = require('bpmnlint/lib/resolver/node-resolver');

async function check(file) {
  const moddle = new BpmnModdle();
  const xml = fs.readFileSync(file, 'utf8');
  const { rootElement, warnings } = await moddle.fromXML(xml, 'bpmn:Definitions');
  let failed = false;
  for (const w of warnings) {
    console.error(`${file}: bpmn-moddle: ${w.message}`);
    failed = true;
  }
  const linter = new Linter({
    config: { extends: 'bpmnlint:recommended' },
    resolver: new NodeResolver()
  });
  const reports = await linter.lint(rootElement);
  for (const [rule, list] of Object.entries(reports)) {
    for (const r of list) {
      const category = r.category || 'error';
      console.error(`${file}: bpmnlint ${category}: ${rule}: ${r.id}: ${r.message}`);
      if (category === 'error') {
        failed = true;
      }
    }
  }
  return !failed;
}

(async () => {
  let ok = true;
  for (const file of process.argv.slice(2)) {
    ok = (await check(file)) && ok;
  }
  process.exit(ok ? 0 : 1);
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
