// Parsed repo files, reused while a file's text is unchanged. Environments' overlays share their bases, so one
// status parses each base file once per environment (kustomize tree, "Go to source" mapping) and every refresh
// again; parsing with line numbers is the costly part, reading the text to compare is cheap. Callers get the
// shared parse: read it, never change it.
import { FileReads } from './fileReads';
import { parseYamlDocuments, type YamlDocument } from './parseManifests';

/** Files kept; the oldest are dropped past this (a repo's kustomizations and resource files, many times over). */
const MAX_FILES = 5000;
const parsed = new Map<string, { text: string; documents: readonly YamlDocument[] }>();

/** The YAML documents of `file` (throws ManifestParseError naming file and line when malformed). */
export async function readYamlDocuments(file: string, reads = new FileReads()): Promise<readonly YamlDocument[]> {
  const text = await reads.readText(file);
  const cached = parsed.get(file);
  if (cached?.text === text) return cached.documents;
  const documents = parseYamlDocuments(text, file);
  parsed.delete(file);
  parsed.set(file, { text, documents });
  if (parsed.size > MAX_FILES) parsed.delete(parsed.keys().next().value as string);
  return documents;
}
