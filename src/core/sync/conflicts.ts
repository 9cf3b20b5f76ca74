// Server-side apply conflicts, read from the server's own message, so the user learns which field manager
// owns the fields before choosing to force.
import type { FieldConflict } from './model';

/**
 * Parses `Apply failed with 2 conflicts: conflicts with "kubectl-edit" using apps/v1:\n- .spec.replicas ...`
 * (also the one-conflict form `conflict with "m" using v1: .data.key`). Empty when it is not a conflict message.
 */
export function parseApplyConflicts(message: string): FieldConflict[] {
  if (!/Apply failed with \d+ conflicts?/.test(message)) return [];
  const conflicts: FieldConflict[] = [];
  const header = /conflicts? with "([^"]+)"(?: using [^:\s]+)?:([^\n]*)/g;
  const starts = [...message.matchAll(header)];
  starts.forEach((match, index) => {
    const end = starts[index + 1]?.index ?? message.length;
    const body = `${match[2] ?? ''}\n${message.slice((match.index ?? 0) + match[0].length, end)}`;
    const fields = body
      .split('\n')
      .map((line) => line.replace(/^\s*-\s*/, '').trim())
      .filter((line) => line.startsWith('.'));
    const existing = conflicts.find((c) => c.manager === match[1]);
    if (existing) existing.fields.push(...fields);
    else conflicts.push({ manager: match[1] ?? '', fields });
  });
  return conflicts;
}

/** `.spec.replicas is owned by "kubectl-edit"; ...`, for messages and previews. */
export function describeConflicts(conflicts: FieldConflict[]): string {
  return conflicts.map((c) => `${c.fields.join(', ') || 'fields'} owned by "${c.manager}"`).join('; ');
}
