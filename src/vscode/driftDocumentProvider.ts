// Read-only YAML documents for one side of a live-vs-Git diff, resolved from the session's report by URI.
// The live and desired providers differ only in which side they show; both refresh their open documents
// after every refresh of the report, and revealed (unmasked) documents exist only in memory.
import * as vscode from 'vscode';
import { AppResult, ResourceResult, describeRef } from '../core/model';
import { DriftSession } from './driftSession';
import { parseDriftDocumentUri } from './driftUris';

export type DiffSide = 'live' | 'desired';

export class DriftDocumentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly session: DriftSession, readonly scheme: string, private readonly side: DiffSide) {
    this.subscription = session.onDidChange(() => {
      for (const document of vscode.workspace.textDocuments) {
        if (document.uri.scheme === scheme) this.changeEmitter.fire(document.uri);
      }
    });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const key = parseDriftDocumentUri(uri);
    if (key.resource) {
      const resource = this.session.resource(key);
      if (!resource) return `# ${key.resource.kind}/${key.resource.name} is no longer in ${key.environment}/${key.app}\n`;
      return this.yamlOf(resource);
    }
    const app = this.session.app(key.environment, key.app);
    if (!app) return `# App ${key.app} is no longer in environment ${key.environment}\n`;
    return this.appYaml(app);
  }

  /** Every object of the app, in the same order on both sides so that the diff lines up. */
  private appYaml(app: AppResult): string {
    const resources = [...app.resources].sort((a, b) => describeRef(a).localeCompare(describeRef(b)));
    return resources.map((resource) => `# ${describeRef(resource)}: ${resource.status}\n${this.yamlOf(resource)}`).join('---\n');
  }

  private yamlOf(resource: ResourceResult): string {
    const yaml = this.side === 'live' ? resource.liveYaml : resource.desiredYaml;
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
