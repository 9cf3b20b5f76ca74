// `doctor` over a workspace: the same model and renders as status (the render cache is shared, so after a
// status in the editor this costs no tool run), the rules' settings from `.driftline.yaml`.
import { loadConfig } from '../discovery/loadConfig';
import { scanRepo } from '../discovery/scanRepo';
import type { RepoModel, StatusReport } from '../model';
import { renderApps } from '../render/renderApps';
import type { Workspace } from '../workspace';
import { WorkspaceError } from '../workspace';
import { runDoctor, type DoctorReport } from './runDoctor';

export interface DiagnoseOptions {
  /** Only this environment (the rules still see all of its apps: a sourceRef may name another app's source). */
  env?: string;
  /** Only findings of this app. */
  app?: string;
  /** The live comparison of the same apps, for the rules about live state. */
  status?: StatusReport;
  signal?: AbortSignal;
}

export async function diagnose(workspace: Workspace, options: DiagnoseOptions = {}): Promise<DoctorReport & { model: RepoModel }> {
  const model = await workspace.discover(options.signal);
  const environments = options.env ? model.environments.filter((environment) => environment.name === options.env) : model.environments;
  if (options.env && environments.length === 0) {
    throw new WorkspaceError(`no environment "${options.env}" in ${model.root} (environments: ${model.environments.map((environment) => environment.name).join(', ') || 'none'})`);
  }
  if (options.app && !environments.some((environment) => environment.apps.some((app) => app.name === options.app))) {
    throw new WorkspaceError(`no app "${options.app}" in ${options.env ? `environment ${options.env}` : model.root}`);
  }
  const rendered = await renderApps(environments.flatMap((environment) => environment.apps), { ...workspace.renderOptionsFor(model), signal: options.signal });
  const settings = (await loadConfig(model.root))?.config.doctorRules ?? {};
  const { objects: scanned } = await scanRepo(model.root);
  const report = runDoctor({ model: { ...model, environments }, rendered, scanned, ...(options.status ? { status: options.status } : {}) }, settings);
  const findings = options.app ? report.findings.filter((finding) => finding.app === options.app) : report.findings;
  return { ...report, findings, model };
}
