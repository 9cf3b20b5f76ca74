// What the builds of each cluster emitted, in the order the Kustomizations were found (level by level), whatever
// the order they were built in: a folder built late, because it may emit a substituteFrom source, takes its
// place among the others, so a source two builds emit is found where it was found when every folder was built.
import type { BuiltObject } from './fluxBuild';

export class BuildOutputs {
  private readonly byEnvironment = new Map<string, { order: number; objects: BuiltObject[] }[]>();
  private readonly flattened = new Map<string, BuiltObject[]>();

  /** The objects of the Kustomization found `order`-th, built for `environment`. */
  add(environment: string, order: number, objects: BuiltObject[]): void {
    const builds = this.byEnvironment.get(environment) ?? [];
    const at = builds.findIndex((build) => build.order > order);
    builds.splice(at < 0 ? builds.length : at, 0, { order, objects });
    this.byEnvironment.set(environment, builds);
    this.flattened.delete(environment);
  }

  /** Every object built for `environment` so far, in the order the Kustomizations were found (undefined: none built). */
  get(environment: string): BuiltObject[] | undefined {
    const builds = this.byEnvironment.get(environment);
    if (!builds) return undefined;
    let objects = this.flattened.get(environment);
    if (!objects) {
      objects = builds.flatMap((build) => build.objects);
      this.flattened.set(environment, objects);
    }
    return objects;
  }
}
