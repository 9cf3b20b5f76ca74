// The objects a tool printed (kustomize build): machine-written YAML, so no line numbers or comments are
// needed (mapSources points each object at the repo file that defines it). js-yaml reads it ~5x faster than
// the `yaml` Document API, which repo files keep for their line numbers and comments; with the core schema
// it reads YAML 1.2 scalars as `yaml` does (no timestamps, no merge keys).
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import type { DesiredObject } from '../model';
import { expandLists, isBuildConfig, isKubeObject, ManifestParseError, mayShareValues, plainDataProblem } from './parseManifests';

export function parseToolOutput(text: string, file: string): DesiredObject[] {
  let documents: unknown[];
  try {
    documents = loadAll(text, undefined, { schema: CORE_SCHEMA, filename: file });
  } catch (error) {
    if (!(error instanceof YAMLException)) throw error;
    throw new ManifestParseError(file, error.mark ? error.mark.line + 1 : undefined, error.reason);
  }
  const objects: DesiredObject[] = [];
  const checkShared = mayShareValues(text);
  for (const document of documents) {
    const problem = checkShared ? plainDataProblem(document) : undefined;
    if (problem) throw new ManifestParseError(file, undefined, problem);
    for (const value of expandLists(document)) {
      if (isKubeObject(value) && !isBuildConfig(value)) objects.push({ object: value, source: { file } });
    }
  }
  return objects;
}
