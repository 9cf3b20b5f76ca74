// Two apps of one environment that both define an object would fight over it (each sync undoes the other):
// reported as a problem naming both apps, the object and where each defines it.
import { describeRef, groupOf, type DiscoveryProblem, type RenderedApp, type SourceLocation } from '../model';

function where(source: SourceLocation): string {
  return source.line ? `${source.file}:${source.line}` : source.file;
}

export function findDuplicateObjects(rendered: RenderedApp[]): DiscoveryProblem[] {
  const problems: DiscoveryProblem[] = [];
  const firstDefinition = new Map<string, { appName: string; source: SourceLocation }>();
  for (const { app, objects } of rendered) {
    for (const { object, source } of objects) {
      const ref = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name, namespace: object.metadata.namespace };
      const key = [app.environment, groupOf(object.apiVersion), object.kind, ref.namespace ?? '', ref.name].join('\0');
      const first = firstDefinition.get(key);
      if (!first) {
        firstDefinition.set(key, { appName: app.name, source });
      } else if (first.appName !== app.name) {
        problems.push({
          file: source.file,
          ...(source.line ? { line: source.line } : {}),
          message: `${describeRef(ref)} is defined by two apps of environment ${app.environment}: ` +
            `"${first.appName}" (${where(first.source)}) and "${app.name}" (${where(source)})`,
        });
      }
    }
  }
  return problems;
}
