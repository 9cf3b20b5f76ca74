// Read-only YAML of one side of a previewed object: `base` (as the base revision renders it), `head` (as the
// branch renders it) or `live` (the cluster's object, with the cluster compared). Resolved by URI from the
// preview shown; the texts are the core's, masked as the drift documents are (Secrets: `*** (before)` /
// `*** (after)` in Git, resourceYaml's masking live). Documents of a preview no longer shown say so.
import * as vscode from 'vscode';
import { resourceYaml, toYaml } from '../../core/drift/diffText';
import { describeRef, sameObject } from '../../core/identity';
import type { PreviewObject } from '../../core/preview/model';
import { driftDocumentUri, parseDriftDocumentUri, type DriftDocumentKey } from '../driftUris';
import type { BranchPreview } from './branchPreview';

export const PREVIEW_SCHEME = 'driftline-preview';

export type PreviewSide = 'base' | 'head' | 'live';

/**
 * The document of one side of an object. `pair` (the other side) tells the two head documents of the three-way
 * view apart, and names them, as the multi-diff editor shows its entries by file name: `web (base <-> head).yaml`.
 */
export function previewDocumentUri(key: DriftDocumentKey, side: PreviewSide, pair?: PreviewSide): vscode.Uri {
  const uri = driftDocumentUri(PREVIEW_SCHEME, key);
  const query = new URLSearchParams(uri.query);
  query.set('side', side);
  if (!pair) return uri.with({ query: query.toString() });
  query.set('pair', pair);
  return uri.with({ path: uri.path.replace(/\.yaml$/, ` (${pair} <-> ${side}).yaml`), query: query.toString() });
}

/** The key a document URI names, its pair's name left out (Kubernetes names hold no spaces). */
function keyOf(uri: vscode.Uri): DriftDocumentKey {
  return parseDriftDocumentUri(uri.with({ path: uri.path.replace(/ \([a-z]+ <-> [a-z]+\)\.yaml$/, '.yaml') }));
}

export class PreviewDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly preview: BranchPreview) {
    this.subscription = preview.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === PREVIEW_SCHEME) this.changeEmitter.fire(document.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = keyOf(uri);
    const side = new URLSearchParams(uri.query).get('side') as PreviewSide;
    const shown = this.preview.shown;
    const wanted = key.resource;
    if (!shown || shown.session.root !== key.root || !wanted) return '# Preview mode has ended: run Driftline: Preview Branch... again\n';
    const app = shown.result.environments.find((environment) => environment.name === key.environment)?.apps.find((candidate) => candidate.name === key.app);
    const object = app?.objects.find((candidate) => sameObject(candidate, wanted));
    if (!object) return `# ${describeRef(wanted)} is not in the preview of ${key.environment}/${key.app}\n`;
    return textOf(object, side, shown.result.live);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}

function textOf(object: PreviewObject, side: PreviewSide, comparedLive: boolean): string {
  if (side === 'base') return object.base ? toYaml(object.base) : '# Not rendered at the base: the change adds it\n';
  if (side === 'head') {
    if (object.head) return toYaml(object.head);
    return object.change === 'pruned' ? '# No longer rendered (pruned): the controller or a sync would delete it live\n' : '# No longer rendered: the change removes it\n';
  }
  if (!comparedLive) return '# The cluster was not compared (setting driftline.preview.live)\n';
  const live = object.headVsLive ?? object.liveVsBase;
  const yaml = live && resourceYaml(live, 'live');
  return yaml ?? '# Not in the cluster\n';
}
