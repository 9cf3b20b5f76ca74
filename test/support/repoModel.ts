// Reading a discovered RepoModel in tests: an environment's apps, and one app by name (failing with the names
// there are when it is not found).
import assert from 'node:assert/strict';
import type { AppDefinition, RepoModel } from '../../src/core/model';

export function appsOf(model: RepoModel, environment: string): AppDefinition[] {
  return model.environments.find((candidate) => candidate.name === environment)?.apps ?? [];
}

export function appNamed(model: RepoModel, environment: string, name: string): AppDefinition {
  const found = appsOf(model, environment).find((candidate) => candidate.name === name);
  assert.ok(found, `no app ${name} in ${environment}: ${appsOf(model, environment).map((candidate) => candidate.name).join(', ')}`);
  return found;
}
