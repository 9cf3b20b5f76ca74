// The Flux and Argo CD objects of an environment: what the rules read for a controller's settings (prune,
// wait, syncPolicy) and for what a sourceRef or dependsOn can name. As the builds emit them when one does
// (patches applied); otherwise as the repo's files declare them, which is how discovery resolves sources too
// (a cluster root's own GitRepository, an Application file read directly, a FluxInstance).
import { groupOf } from '../identity';
import type { AppDefinition, DesiredObject } from '../model';
import { CONTROLLER_GROUPS, type ScannedObject } from '../discovery/scanRepo';

export interface ControllerObjects {
  /** The object of that kind and name; a namespace of '' matches an object without one. */
  find(kind: string, namespace: string, name: string): DesiredObject | undefined;
  /** The controller object of an app: from a build, else from its declaring file. */
  ofApp(app: AppDefinition): DesiredObject | undefined;
}

const keyOf = (kind: string, namespace: string, name: string) => `${kind}\u0000${namespace}\u0000${name}`;

export function controllerObjectsOf(apps: { app: AppDefinition; objects: DesiredObject[] }[], scanned: readonly ScannedObject[]): ControllerObjects {
  const index = new Map<string, DesiredObject>();
  const add = (desired: DesiredObject) => {
    const { kind, metadata } = desired.object;
    const key = keyOf(kind, metadata.namespace ?? '', metadata.name);
    if (!index.has(key)) index.set(key, desired);
  };
  for (const { objects } of apps) {
    for (const desired of objects) if (CONTROLLER_GROUPS.test(groupOf(desired.object.apiVersion))) add(desired);
  }
  const fromFiles = scanned.map(({ object, file, line }): DesiredObject => ({ object, source: { file, ...(line !== undefined ? { line } : {}) } }));
  fromFiles.forEach(add);
  const find = (kind: string, namespace: string, name: string) => index.get(keyOf(kind, namespace, name)) ?? index.get(keyOf(kind, '', name));
  return {
    find,
    ofApp(app) {
      const controller = app.controller;
      if (!controller) return undefined;
      return find(controller.kind, controller.namespace, controller.name) ??
        // A FluxInstance's generated root Kustomization is declared by the FluxInstance.
        fromFiles.find(({ source }) => source.file === app.declaredAt.file && source.line === app.declaredAt.line);
    },
  };
}
