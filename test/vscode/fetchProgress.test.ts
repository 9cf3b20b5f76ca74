// Fetching a remote chart inside a real VS Code: a HelmRelease added to the demo repo whose chart repository
// accepts the request and never answers. While the refresh its files start waits on it, the fetch notification
// names the chart and its URL (what a person reads in it); Stop ends the fetch at once (the chart server sees
// its connection closed, long before the 60 s limit), the notification goes, and the view keeps its report.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as vscode from 'vscode';
import { readyDriftline, repoFile, waitFor } from './support';

/** The helm the other suites run (test/tools/install-helm.sh caches it): the extension host's PATH has none. */
function testHelm(): string {
  const projectRoot = path.resolve(__dirname, '..', '..', '..');
  return path.join(execFileSync('bash', [path.join(projectRoot, 'test/tools/install-helm.sh')], { encoding: 'utf8' }).trim(), 'helm');
}

describe('Fetch progress', () => {
  it('shows the chart a refresh is fetching, and Stop ends the fetch and the notification', async () => {
    const api = await readyDriftline();
    let requests = 0;
    let closedAt: number | undefined;
    const server = http.createServer((request) => {
      requests += 1;
      request.socket.once('close', () => { closedAt ??= Date.now(); });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const files: Record<string, string> = {
      'clusters/dev/stalled-charts.yaml':
        `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: stalled\n  namespace: flux-system\nspec:\n  url: ${url}\n`,
      'clusters/dev/stalled-release.yaml': [
        'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: stalled-podinfo', '  namespace: default', 'spec:',
        '  chart:', '    spec:', '      chart: podinfo', '      version: "6.x"', '      sourceRef:', '        kind: HelmRepository', '        name: stalled',
        '        namespace: flux-system', '',
      ].join('\n'),
    };
    const settings = vscode.workspace.getConfiguration('driftline');
    try {
      const helm = testHelm();
      await settings.update('helmPath', helm, vscode.ConfigurationTarget.Global);
      // The setting makes a new engine (a report of the engine before it, or of one an earlier suite's setting
      // made, may still arrive meanwhile); the files come after that engine's first report.
      await waitFor(() => api.session.workspace?.options.renderOptions?.tools?.helm === helm && api.session.state === 'ready' &&
        !api.session.refreshing && api.session.report !== undefined, 'the view to compare with helm');
      // Created together: one refresh (the view refreshes on file changes) fetches the chart.
      for (const [file, text] of Object.entries(files)) fs.writeFileSync(repoFile(file), text);
      await waitFor(() => api.session.fetchProgressMessage !== undefined, 'the fetch notification');
      assert.strictEqual(api.session.fetchProgressMessage, `chart podinfo 6.x from ${url} (0 of 1 done)`);
      await waitFor(() => requests > 0, 'the request to reach the chart repository');
      const stoppedAt = Date.now();
      await vscode.commands.executeCommand('driftline.stopRefresh');
      await waitFor(() => closedAt !== undefined, 'the chart repository to see its connection closed', 2000);
      assert.ok(closedAt! - stoppedAt < 2000, `the fetch ended ${closedAt! - stoppedAt} ms after Stop`);
      await waitFor(() => !api.session.refreshing, 'the comparison to stop', 2000);
      assert.strictEqual(api.session.fetchProgressMessage, undefined, 'the notification is gone');
      assert.strictEqual(api.session.state, 'ready', 'the view keeps its report');
    } finally {
      for (const file of Object.keys(files)) fs.rmSync(repoFile(file), { force: true });
      server.closeAllConnections();
      server.close();
      await settings.update('helmPath', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor(() => !api.session.refreshing && (api.session.report?.environments ?? [])
      .every((environment) => environment.apps.every((app) => app.name !== 'stalled-podinfo')), 'the view to compare without the release again');
  });
});
