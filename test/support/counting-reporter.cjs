// Mocha's spec output, plus the pass/fail counts written to $DRIFTLINE_RESULTS_FILE so that
// `npm test` can sum every suite (unit, integration, VS Code, browser) into one closing line.
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.DRIFTLINE_RESULTS_FILE;
      if (!file) return;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      const { passes, failures, pending } = runner.stats ?? this.stats;
      fs.writeFileSync(file, JSON.stringify({ passes, failures, pending }));
    });
  }
}
module.exports = CountingReporter;
