// The Helm charts scenario's inputs (issue 13): 60 charts (a Deployment, a Service and a ConfigMap each), 50
// packaged into a chart repository folder (`helm package` + `helm repo index`, served on loopback by the caller)
// and 10 pushed to an OCI registry (`helm push`); one repo whose 60 HelmReleases take them from a HelmRepository
// and an OCI HelmRepository, and the reference repo whose 60 HelmReleases render the very same charts from
// folders in Git (sourceRef GitRepository flux-system).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const HELM_CHARTS_SIZE = { http: 50, oci: 10 };

const chartName = (kind, index) => `${kind}-app-${String(index).padStart(2, '0')}`;

function writeChart(folder, name) {
  fs.mkdirSync(path.join(folder, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'Chart.yaml'), `apiVersion: v2\nname: ${name}\nversion: 1.2.3\nappVersion: "4.5.6"\n`);
  fs.writeFileSync(path.join(folder, 'values.yaml'), 'replicas: 1\nimage: nginx:1.27\nport: 8080\nlogLevel: info\n');
  fs.writeFileSync(path.join(folder, 'templates', '_helpers.tpl'),
    '{{- define "app.labels" -}}\napp.kubernetes.io/name: {{ .Chart.Name }}\napp.kubernetes.io/instance: {{ .Release.Name }}\nhelm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}\n{{- end }}\n');
  fs.writeFileSync(path.join(folder, 'templates', 'deployment.yaml'), [
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: {{ .Release.Name }}', '  labels:', '    {{- include "app.labels" . | nindent 4 }}',
    'spec:', '  replicas: {{ .Values.replicas }}', '  selector:', '    matchLabels:', '      app.kubernetes.io/instance: {{ .Release.Name }}',
    '  template:', '    metadata:', '      labels:', '        {{- include "app.labels" . | nindent 8 }}', '    spec:', '      containers:',
    '        - name: app', '          image: {{ .Values.image }}', '          ports:', '            - containerPort: {{ .Values.port }}',
    '          envFrom:', '            - configMapRef:', '                name: {{ .Release.Name }}-settings', '',
  ].join('\n'));
  fs.writeFileSync(path.join(folder, 'templates', 'service.yaml'), [
    'apiVersion: v1', 'kind: Service', 'metadata:', '  name: {{ .Release.Name }}', '  labels:', '    {{- include "app.labels" . | nindent 4 }}',
    'spec:', '  selector:', '    app.kubernetes.io/instance: {{ .Release.Name }}', '  ports:', '    - port: 80', '      targetPort: {{ .Values.port }}', '',
  ].join('\n'));
  fs.writeFileSync(path.join(folder, 'templates', 'configmap.yaml'), [
    'apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: {{ .Release.Name }}-settings', 'data:', '  LOG_LEVEL: {{ .Values.logLevel | quote }}', '',
  ].join('\n'));
}

function helmRelease(name, namespace, chartSpec) {
  return [
    'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', `  name: ${name}`, `  namespace: ${namespace}`, 'spec:',
    '  interval: 10m', '  chart:', '    spec:', ...chartSpec.map((line) => `      ${line}`), '  values:', '    replicas: 2', '    logLevel: debug', '',
  ].join('\n');
}

function writeFiles(root, files) {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  }
}

/**
 * Writes the charts and both repos under `dir`. `chartRepositoryFolder` is what the caller serves over HTTP; the
 * returned `push(registry)` puts the OCI charts in a registry; `writeRemoteRepo(httpURL, ociURL)` the repo using them.
 */
export function generateHelmCharts({ dir, http = HELM_CHARTS_SIZE.http, oci = HELM_CHARTS_SIZE.oci }) {
  const sources = path.join(dir, 'chart-sources');
  const chartRepositoryFolder = path.join(dir, 'chart-repository');
  const ociArchives = path.join(dir, 'oci-archives');
  const localRepo = path.join(dir, 'local-repo');
  const remoteRepo = path.join(dir, 'remote-repo');
  fs.mkdirSync(chartRepositoryFolder, { recursive: true });
  fs.mkdirSync(ociArchives, { recursive: true });
  const charts = [
    ...Array.from({ length: http }, (_, index) => ({ name: chartName('http', index), from: 'http' })),
    ...Array.from({ length: oci }, (_, index) => ({ name: chartName('oci', index), from: 'oci' })),
  ];
  for (const chart of charts) {
    const folder = path.join(sources, chart.name);
    writeChart(folder, chart.name);
    execFileSync('helm', ['package', folder, '--destination', chart.from === 'http' ? chartRepositoryFolder : ociArchives], { stdio: 'pipe' });
    fs.cpSync(folder, path.join(localRepo, 'charts', chart.name), { recursive: true });
  }
  execFileSync('helm', ['repo', 'index', chartRepositoryFolder], { stdio: 'pipe' });
  writeFiles(localRepo, {
    'clusters/dev/flux-system/gotk-sync.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  url: ssh://git@github.com/example/fleet\n',
    ...Object.fromEntries(charts.map((chart) => [`clusters/dev/releases/${chart.name}.yaml`,
      helmRelease(chart.name, 'apps', [`chart: ./charts/${chart.name}`, 'sourceRef:', '  kind: GitRepository', '  name: flux-system', '  namespace: flux-system'])])),
  });
  return {
    charts: charts.length, localRepo, remoteRepo, chartRepositoryFolder,
    /** `helm push` of the OCI charts to `oci://<host>/charts`. */
    async push(registry) {
      for (const chart of charts.filter((candidate) => candidate.from === 'oci')) await registry.push(path.join(ociArchives, `${chart.name}-1.2.3.tgz`), 'charts');
    },
    writeRemoteRepo(httpURL, registryHost) {
      writeFiles(remoteRepo, {
        'clusters/dev/sources.yaml': [
          `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  url: ${httpURL}\n`,
          `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: registry\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://${registryHost}/charts\n`,
        ].join('---\n'),
        ...Object.fromEntries(charts.map((chart) => [`clusters/dev/releases/${chart.name}.yaml`,
          helmRelease(chart.name, 'apps', [`chart: ${chart.name}`, 'version: "1.x"', 'sourceRef:', '  kind: HelmRepository', `  name: ${chart.from === 'http' ? 'charts' : 'registry'}`, '  namespace: flux-system'])])),
      });
    },
  };
}
