// `driftline diff`: a unified diff per drifted object, live against Git, like `kubectl diff` (normalized:
// no server defaults, status or managedFields; Secret values masked). Exit status 0 in sync, 1 drift, 2 error.
import { resourceYaml, unifiedDiff } from '../core/drift/diffText';
import { exitCodeFor } from '../core/drift/summarize';
import { describeRef, shownKinds } from '../core/identity';
import { interruptible } from './interrupt';
import type { CliIO } from './io';
import { engineFor, readStatusArgs, STATUS_OPTIONS_HELP } from './statusArgs';

const HELP = `Usage: driftline diff [options]\n\nPrints what differs between the live cluster and Git, one unified diff per object.\n\n${STATUS_OPTIONS_HELP}\n`;

export async function runDiff(args: string[], io: CliIO): Promise<number> {
  const parsed = readStatusArgs('diff', args, io, HELP, { json: false });
  if (typeof parsed === 'number') return parsed;
  const engine = engineFor(parsed, io);
  try {
    // Ctrl-C stops the comparison (tool processes killed) and the command exits 130.
    const report = await interruptible('diff', io, (signal) => engine.status(parsed.filter, signal));
    if (typeof report === 'number') return report;
    for (const environment of report.environments) {
      if (environment.reason) io.stderr.write(`${environment.name}: ${environment.reason}\n`);
      for (const app of environment.apps) {
        if (app.reason && app.reason !== environment.reason) io.stderr.write(`${environment.name}/${app.name}: ${app.reason}\n`);
        const kinds = shownKinds(app.resources);
        for (const [index, resource] of app.resources.entries()) {
          if (resource.status === 'Unknown') {
            io.stderr.write(`${environment.name}/${app.name}: Unknown ${describeRef(resource)}: ${resource.reason ?? ''}\n`);
            continue;
          }
          if (resource.status === 'Synced') continue;
          const desired = resource.status === 'Extra' ? undefined : resourceYaml(resource, 'desired');
          io.stdout.write(unifiedDiff(resource, resourceYaml(resource, 'live'), desired, describeRef({ ...resource, kind: kinds[index] })));
        }
      }
    }
    return exitCodeFor(report);
  } finally {
    engine.close();
  }
}
