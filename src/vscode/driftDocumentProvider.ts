// Read-only YAML documents for one side of a live-vs-Git diff, resolved by URI from the report of the session
// (workspace folder) the URI names.
// The live and desired providers differ only in which side they show; both refresh their open documents
// after every refresh of the report, and revealed (unmasked) documents exist only in memory. The YAML text is
// written here, for the documents open, from the result's objects (core `resourceYaml`).
import * as vscode from 'vscode';
import { resourceYaml } from '../core/drift/diffText';
import { describeRef, shownKinds } from '../core/identity';
import type { AppResult, ResourceResult } from '../core/model';
import type { DriftSessions } from './driftRoots';
import { parseDriftDocumentUri } from './driftUris';

export type DiffSide = 'live' | 'desired';

export class DriftDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly sessions: DriftSessions, readonly scheme: string, private readonly side: DiffSide) {
    this.subscription = sessions.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === scheme) this.changeEmitter.fire(document.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = parseDriftDocumentUri(uri);
    const session = this.sessions.session(key.root);
    if (key.resource) {
      const resource = session?.resource(key);
      if (!resource) return `# ${describeRef(key.resource)} is no longer in ${key.environment}/${key.app}\n`;
      return this.yamlOf(resource);
    }
    const app = session?.app(key.environment, key.app);
    if (!app) return `# App ${key.app} is no longer in environment ${key.environment}\n`;
    return this.appYaml(app);
  }

  /**
   * Every object of the app, in the same order on both sides so that the diff lines up, each headed
   * `# Kind/namespace/name: Status` (the kind with its group where the app has it in two groups).
   */
  private appYaml(app: AppResult): string {
    const kinds = shownKinds(app.resources);
    const headed = app.resources.map((resource, index) => ({ resource, name: describeRef({ ...resource, kind: kinds[index] }) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return headed.map(({ resource, name }) => `# ${name}: ${resource.status}\n${this.yamlOf(resource)}`).join('---\n');
  }

  private yamlOf(resource: ResourceResult): string {
    const yaml = resourceYaml(resource, this.side);
    if (yaml !== undefined) return yaml.endsWith('\n') ? yaml : `${yaml}\n`;
    if (this.side === 'live') {
      return resource.status === 'Missing' ? '# Not in the cluster (Missing): Sync would create it\n' : `# No live object: ${resource.reason ?? resource.status}\n`;
    }
    return resource.status === 'Extra' ? '# Not in Git (Extra): owned by the app, a prune candidate\n' : `# Nothing rendered from Git: ${resource.reason ?? resource.status}\n`;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changeEmitter.dispose();
  }
}
