// Which Flux Kustomization folders discovery builds (fluxBuildOutlook.ts), checked against real kustomize: a
// folder said not to need a build must build (as kustomize-controller builds it) to no Flux object, and every
// ConfigMap/Secret it emits must be one `mayEmit` admits; each shape also says which answer it expects, so an
// outlook that builds everything (or nothing) fails too.
import assert from 'node:assert/strict';
import path from 'node:path';
import { stringify } from 'yaml';
import { buildFlux, type FluxBuildSpec } from '../../../src/core/discovery/fluxBuild';
import { buildOutlook } from '../../../src/core/discovery/fluxBuildOutlook';
import { generatedResources, SourceIgnore } from '../../../src/core/render/fluxGenerator';
import { removeTempRepos, writeRepo } from '../../support/gitopsExamples';

const configMap = (name: string) => stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { key: 'value' } });
const deployment = stringify({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
});
const helmRelease = stringify({
  apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'redis' },
  spec: { chart: { spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'charts' } } } },
});
const kustomization = (fields: Record<string, unknown>) => stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...fields });

interface Shape {
  name: string;
  files: Record<string, string>;
  /** The Flux Kustomization's own fields, as discovery gives them (components relative to the repo here). */
  overlay?: Record<string, unknown>;
  /** Built (true), or not, and then the names `mayEmit` must refuse. */
  expect: { build: true; why: RegExp } | { build: false; refuses?: ['ConfigMap' | 'Secret', string][] };
  /** Needs the network or plugins: checked without kustomize. */
  noKustomize?: boolean;
}

const SHAPES: Shape[] = [
  {
    name: 'a plain app folder',
    files: { 'app/kustomization.yaml': kustomization({ resources: ['deployment.yaml', 'settings.yaml'] }), 'app/deployment.yaml': deployment, 'app/settings.yaml': configMap('app-settings') },
    expect: { build: false, refuses: [['ConfigMap', 'cluster-vars'], ['Secret', 'app-settings']] },
  },
  {
    name: 'a folder with an Argo Rollout (argoproj.io is no Flux group)',
    files: {
      'app/kustomization.yaml': kustomization({ resources: ['rollout.yaml'] }),
      'app/rollout.yaml': stringify({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Rollout', metadata: { name: 'web' }, spec: {} }),
    },
    expect: { build: false, refuses: [['ConfigMap', 'web']] },
  },
  {
    name: 'a folder applying a HelmRelease',
    files: { 'app/kustomization.yaml': kustomization({ resources: ['release.yaml'] }), 'app/release.yaml': helmRelease },
    expect: { build: true, why: /release\.yaml names a Flux API group/ },
  },
  {
    name: 'a JSON patch that turns a ConfigMap into a Flux Kustomization',
    files: {
      'app/kustomization.yaml': kustomization({ resources: ['seed.yaml'], patches: [{ path: '../patches/to-flux.yaml', target: { kind: 'ConfigMap', name: 'seed' } }] }),
      'app/seed.yaml': configMap('seed'),
      'patches/to-flux.yaml': stringify([
        { op: 'replace', path: '/apiVersion', value: 'kustomize.toolkit.fluxcd.io/v1' },
        { op: 'replace', path: '/kind', value: 'Kustomization' },
      ]),
    },
    expect: { build: true, why: /to-flux\.yaml names a Flux API group/ },
  },
  {
    name: 'a strategic-merge patch and images',
    files: {
      'app/kustomization.yaml': kustomization({ resources: ['deployment.yaml'], patches: [{ path: 'replicas.yaml' }], images: [{ name: 'nginx', newTag: '1.28' }] }),
      'app/deployment.yaml': deployment,
      'app/replicas.yaml': stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } }),
    },
    expect: { build: false, refuses: [['ConfigMap', 'web']] },
  },
  {
    name: 'a namePrefix over a ConfigMap (its name is in no file whole)',
    files: { 'app/kustomization.yaml': kustomization({ namePrefix: 'team-', resources: ['vars.yaml'] }), 'app/vars.yaml': configMap('vars') },
    expect: { build: false, refuses: [['Secret', 'team-vars']] },
  },
  {
    name: 'ConfigMap and Secret generators (names with a content hash)',
    files: {
      'app/kustomization.yaml': kustomization({
        configMapGenerator: [{ name: 'generated-vars', literals: ['REGION=eu'] }],
        secretGenerator: [{ name: 'generated-secret', literals: ['TOKEN=t'] }],
      }),
    },
    expect: { build: false },
  },
  {
    name: 'a kustomization nested in the folder, through a base outside it',
    files: {
      'app/kustomization.yaml': kustomization({ resources: ['../base'], namespace: 'web' }),
      'base/kustomization.yaml': kustomization({ resources: ['release.yaml'] }),
      'base/release.yaml': helmRelease,
    },
    expect: { build: true, why: /base[/\\]release\.yaml names a Flux API group/ },
  },
  {
    name: 'a folder without kustomization.yaml, holding a kustomize folder that applies a HelmRelease',
    files: { 'app/deployment.yaml': deployment, 'app/redis/kustomization.yaml': kustomization({ resources: ['release.yaml'] }), 'app/redis/release.yaml': helmRelease },
    expect: { build: true, why: /release\.yaml names a Flux API group/ },
  },
  {
    name: 'a folder without kustomization.yaml, of plain manifests',
    files: { 'app/deployment.yaml': deployment, 'app/settings.yaml': configMap('app-settings'), 'app/README.md': 'kustomize.toolkit.fluxcd.io is not read: not a manifest\n' },
    expect: { build: false, refuses: [['ConfigMap', 'other']] },
  },
  {
    name: 'the Kustomization\'s own patches naming a Flux kind',
    files: { 'app/kustomization.yaml': kustomization({ resources: ['settings.yaml'] }), 'app/settings.yaml': configMap('settings') },
    overlay: { patches: [{ target: { kind: 'ConfigMap' }, patch: stringify([{ op: 'replace', path: '/apiVersion', value: 'helm.toolkit.fluxcd.io/v2' }, { op: 'replace', path: '/kind', value: 'HelmRelease' }]) }] },
    expect: { build: true, why: /the Flux Kustomization's spec names a Flux API group/ },
  },
  {
    name: 'the Kustomization\'s own namePrefix',
    files: { 'app/kustomization.yaml': kustomization({ resources: ['settings.yaml'] }), 'app/settings.yaml': configMap('settings') },
    overlay: { namePrefix: 'dev-' },
    expect: { build: false, refuses: [['Secret', 'dev-settings']] },
  },
  {
    name: 'a component the Kustomization adds, applying a HelmRelease',
    files: {
      'app/kustomization.yaml': kustomization({ resources: ['settings.yaml'] }), 'app/settings.yaml': configMap('settings'),
      'components/redis/kustomization.yaml': stringify({ apiVersion: 'kustomize.config.k8s.io/v1alpha1', kind: 'Component', resources: ['release.yaml'] }),
      'components/redis/release.yaml': helmRelease,
    },
    overlay: { components: ['components/redis'] },
    expect: { build: true, why: /release\.yaml names a Flux API group/ },
  },
  {
    name: 'a resource file that does not exist',
    files: { 'app/kustomization.yaml': kustomization({ resources: ['missing.yaml'] }) },
    expect: { build: true, why: /missing\.yaml does not exist/ },
  },
  {
    name: 'a generator plugin',
    files: { 'app/kustomization.yaml': kustomization({ generators: ['gen.yaml'] }), 'app/gen.yaml': stringify({ apiVersion: 'builtin', kind: 'ConfigMapGenerator', metadata: { name: 'x' } }) },
    expect: { build: true, why: /kustomization\.yaml has generators/ }, noKustomize: true,
  },
  {
    name: 'a Helm chart inflated by kustomize',
    files: { 'app/kustomization.yaml': kustomization({ helmCharts: [{ name: 'redis', repo: 'https://charts.example.com' }] }) },
    expect: { build: true, why: /inflates Helm charts/ }, noKustomize: true,
  },
  {
    name: 'a remote resource',
    files: { 'app/kustomization.yaml': kustomization({ resources: ['https://github.com/example/fleet//apps?ref=main'] }) },
    expect: { build: true, why: /remote resource/ }, noKustomize: true,
  },
];

/** The spec discovery builds for `app/` of the repo: the generator's resources when it has no kustomization file. */
async function specOf(root: string, shape: Shape): Promise<FluxBuildSpec> {
  const folder = path.join(root, 'app');
  const generated = await generatedResources(folder, new SourceIgnore(root));
  const overlay = shape.overlay && {
    ...shape.overlay,
    ...(Array.isArray(shape.overlay.components) ? { components: (shape.overlay.components as string[]).map((component) => path.join(root, component)) } : {}),
  };
  return { folder, ...(generated ? { generated } : {}), ...(overlay ? { overlay } : {}) };
}

describe('Flux folders discovery builds (fluxBuildOutlook)', function () {
  this.timeout(30_000);
  after(removeTempRepos);

  for (const shape of SHAPES) {
    it(`${shape.name}: ${shape.expect.build ? 'built' : 'not built, and kustomize\'s output agrees'}`, async () => {
      const root = await writeRepo(shape.files);
      const spec = await specOf(root, shape);
      const outlook = await buildOutlook(spec);
      if (shape.expect.build) {
        assert.equal(outlook.build, true);
        assert.match(outlook.build ? outlook.why : '', shape.expect.why);
        return;
      }
      assert.equal(outlook.build, false, outlook.build ? outlook.why : '');
      if (outlook.build) return;
      for (const [kind, name] of shape.expect.refuses ?? []) assert.equal(outlook.mayEmit(kind, name), false, `${kind} ${name}`);
      if (shape.noKustomize) return;
      const [result] = await buildFlux([spec]);
      assert.ok('objects' in result, 'error' in result ? result.error : '');
      assert.deepEqual(result.objects.filter(({ object }) => /fluxcd\.(io|controlplane\.io)\//.test(object.apiVersion)).map(({ object }) => object.kind), []);
      const sources = result.objects.filter(({ object }) => object.kind === 'ConfigMap' || object.kind === 'Secret');
      for (const { object } of sources) assert.ok(outlook.mayEmit(object.kind as 'ConfigMap' | 'Secret', object.metadata.name), `${object.kind} ${object.metadata.name} is emitted`);
    });
  }

  it('a JSON patch really does make a Flux Kustomization of a ConfigMap (why such a folder is built)', async () => {
    const shape = SHAPES.find((candidate) => candidate.name.startsWith('a JSON patch'))!;
    const root = await writeRepo(shape.files);
    const [result] = await buildFlux([await specOf(root, shape)]);
    assert.ok('objects' in result, 'error' in result ? result.error : '');
    assert.deepEqual(result.objects.map(({ object }) => `${object.apiVersion} ${object.kind} ${object.metadata.name}`), ['kustomize.toolkit.fluxcd.io/v1 Kustomization seed']);
  });
});
