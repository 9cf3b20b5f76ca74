// Maps objects out of `kustomize build` back to the file and line that define them ("Go to source"): by kind
// and name against the resource files of the kustomize tree, allowing the names kustomize changed with
// namePrefix/nameSuffix, and generated ConfigMaps/Secrets (name + hash) to their generator entry.
import type { DesiredObject, SourceLocation } from '../model';
import type { KustomizeTree } from './kustomizeTree';
import { expandLists, isBuildConfig, isKubeObject } from './parseManifests';
import { FileReads } from './fileReads';
import { readYamlDocuments } from './parsedYamlFiles';

interface Definition {
  name: string;
  namespace?: string;
  source: SourceLocation;
}

async function definitionsByKind(tree: KustomizeTree, reads: FileReads): Promise<Map<string, Definition[]>> {
  const byKind = new Map<string, Definition[]>();
  for (const file of tree.resourceFiles) {
    let documents;
    try {
      documents = await readYamlDocuments(file, reads);
    } catch {
      continue; // kustomize itself reports malformed files
    }
    for (const document of documents) {
      for (const value of expandLists(document.value)) {
        if (!isKubeObject(value) || isBuildConfig(value)) continue;
        const list = byKind.get(value.kind) ?? [];
        list.push({ name: value.metadata.name, namespace: value.metadata.namespace, source: { file, line: document.line } });
        byKind.set(value.kind, list);
      }
    }
  }
  return byKind;
}

/** Where a generator (`configMapGenerator`/`secretGenerator` entry) with this base name is declared. */
async function generatorEntry(name: string, tree: KustomizeTree, reads: FileReads): Promise<SourceLocation | undefined> {
  for (const file of tree.kustomizationFiles) {
    const lines = (await reads.readText(file)).split('\n');
    for (let index = 0; index < lines.length; index++) {
      const match = /^\s*-?\s*name:\s*["']?([^"'\s#]+)/.exec(lines[index]);
      if (match && (name === match[1] || name.includes(`${match[1]}-`))) {
        return { file, line: index + 1 };
      }
    }
  }
  return undefined;
}

function bestDefinition(name: string, namespace: string | undefined, candidates: Definition[]): Definition | undefined {
  const exact = candidates.filter((candidate) => candidate.name === name);
  const renamed = exact.length > 0 ? exact : candidates
    .filter((candidate) => name.includes(candidate.name))
    .sort((a, b) => b.name.length - a.name.length)
    .filter((candidate, _index, sorted) => candidate.name.length === sorted[0].name.length);
  return renamed.find((candidate) => candidate.namespace === namespace) ?? renamed[0];
}

export async function mapSources(objects: DesiredObject[], tree: KustomizeTree, reads = new FileReads()): Promise<DesiredObject[]> {
  const byKind = await definitionsByKind(tree, reads);
  const fallback: SourceLocation = { file: tree.kustomizationFiles[0] };
  return Promise.all(objects.map(async (desired) => {
    const { kind, metadata } = desired.object;
    const definition = bestDefinition(metadata.name, metadata.namespace, byKind.get(kind) ?? []);
    const generated = definition || (kind !== 'ConfigMap' && kind !== 'Secret') ? undefined : await generatorEntry(metadata.name, tree, reads);
    return { ...desired, source: definition?.source ?? generated ?? fallback };
  }));
}
