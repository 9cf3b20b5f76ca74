// Builds the drift engine from the settings, and decides when there is nothing to compare (no repo, no
// cluster) so that the view shows its welcome content instead of an error.
import * as vscode from 'vscode';
import { DriftEngine } from '../core/drift/engine';
import type { RenderOptions } from '../core/render/options';
import { decryptManifestIfSops } from '../core/sops';
import { DriftBackend, ProblemDetector } from './driftSession';
import { readKubeContexts } from './kubeContexts';
import { DriftlineSettings } from './settings';

export function createBackend(folder: vscode.WorkspaceFolder, settings: DriftlineSettings, log: vscode.LogOutputChannel): DriftBackend {
  return new DriftEngine({
    repoRoot: folder.uri.fsPath,
    kubeconfig: settings.kubeconfig,
    contextOverrides: settings.contexts,
    concurrency: settings.concurrency,
    renderOptions: renderOptionsFor(settings),
    log: (message: string) => log.debug(message),
  });
}

/**
 * Tool paths and SOPS decryption as the settings say, for drift and sync alike: the age key file setting is
 * tried first, and gpg/sops binaries run only in a trusted workspace.
 */
export function renderOptionsFor(settings: DriftlineSettings): RenderOptions {
  return {
    tools: { kustomize: settings.kustomizePath, helm: settings.helmPath, jsonnet: settings.jsonnetPath },
    allowTools: vscode.workspace.isTrusted,
    decryptSecret: (text, file, how) => decryptManifestIfSops(text, file, { ageKeyFile: settings.sopsAgeKeyFile, ...how }),
  };
}

/**
 * Why there is nothing to compare, checked before the first comparison; undefined when there is. A kubeconfig
 * that is there but malformed or unreadable is no cluster too, and the reason names the file and the cause.
 */
export function problemDetector(backend: DriftBackend, settings: DriftlineSettings): ProblemDetector {
  return async (signal) => {
    const contexts = readKubeContexts(settings.kubeconfig);
    if (contexts.problem) return { state: 'noCluster', reason: contexts.problem };
    if (!contexts.names.length) return { state: 'noCluster' };
    const model = await backend.discover(signal);
    return model.environments.length ? undefined : { state: 'noRepo' };
  };
}
