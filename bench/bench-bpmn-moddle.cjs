// bench-bpmn-moddle.cjs — the reference of bench/bpmn: bpmn-moddle (the
// reader of bpmn.io and Camunda Modeler) reading the same files as procsim,
// in process, the same number of rounds after the same warm-up. Prints, for
// each timed round, its wall-clock and CPU (user + system) time in
// microseconds, on one line.
//   node bench-bpmn-moddle.cjs ROUNDS WARMUP FILE...
'use strict';
const fs = require('fs');
const BpmnModdle = require('bpmn-moddle');

(async () => {
  const [rounds, warmup] = process.argv.slice(2, 4).map(Number);
  const texts = process.argv.slice(4).map((f) => fs.readFileSync(f, 'utf8'));
  const moddle = new BpmnModdle();
  for (let r = 0; r < warmup + rounds; r++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    for (const xml of texts) {
      await moddle.fromXML(xml, 'bpmn:Definitions');
    }
    const us = Number((process.hrtime.bigint() - t0) / 1000n);
    const cpu = process.cpuUsage(c0);
    if (r >= warmup) {
      console.log(`${us} ${cpu.user + cpu.system}`);
    }
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
