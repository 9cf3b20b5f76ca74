// Summarizes a V8 CPU profile (`node --cpu-prof`, what `npm run bench -- --profile` writes): self time by
// function and by source file, to find what a Driftline status spends its CPU on.
//   node bench/profile-summary.mjs <file.cpuprofile> [top N]
import fs from 'node:fs';
import path from 'node:path';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top N]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map();
// samples[i] ran for timeDeltas[i + 1] (the delta to the next sample).
profile.samples.forEach((id, i) => {
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i + 1] ?? 0));
});
const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
const byFunction = new Map();
const byFile = new Map();
const shorten = (url) => url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'node_modules/').replace(/.*\/out\//, 'out/');
for (const [id, us] of selfUs) {
  const { callFrame } = nodes.get(id);
  const where = callFrame.url ? `${shorten(callFrame.url)}:${callFrame.lineNumber + 1}` : '(native)';
  const fn = `${callFrame.functionName || '(anonymous)'} ${where}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  const source = callFrame.url ? shorten(callFrame.url) : callFrame.functionName || '(native)';
  byFile.set(source, (byFile.get(source) ?? 0) + us);
}
const print = (title, map) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${(us / 1000).toFixed(0).padStart(7)} ms ${(100 * us / totalUs).toFixed(1).padStart(5)}%  ${name}`);
  }
};
console.log(`${path.basename(file)}: ${(totalUs / 1000).toFixed(0)} ms sampled`);
print('self time by function', byFunction);
print('self time by file', byFile);
