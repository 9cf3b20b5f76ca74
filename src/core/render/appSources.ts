// A multi-source app (Argo CD `spec.sources`) renders each source on its own, as the app it would be with that
// one source: the same name, namespace, environment and controller. One function turns one source into objects.
import type { AppDefinition } from '../model';

/** The app once per source it renders; an app of one source is itself. */
export function sourceAppsOf(app: AppDefinition): AppDefinition[] {
  if (!app.sources) return [app];
  const {
    sources, renderer: _renderer, path: _path, helm: _helm, recurse: _recurse, kustomizeOverlay: _overlay,
    directory: _directory, unknownReason: _unknown, revisionNote: _note, ...common
  } = app;
  return sources.map((source) => ({ ...common, ...source }));
}
