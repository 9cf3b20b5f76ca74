// RFC 6901 JSON pointers: how ignore rules name fields and how changed fields are reported.

export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer "${pointer}" must start with "/"`);
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function formatPointer(tokens: (string | number)[]): string {
  return tokens.map((token) => '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Removes the field a pointer names, when present. Returns whether something was removed. */
export function removeAtPointer(document: unknown, pointer: string): boolean {
  const tokens = parsePointer(pointer);
  if (tokens.length === 0) return false;
  let parent: unknown = document;
  for (const token of tokens.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return false;
    parent = (parent as Record<string, unknown>)[token];
  }
  const last = tokens[tokens.length - 1];
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!Number.isInteger(index) || index < 0 || index >= parent.length) return false;
    parent.splice(index, 1);
    return true;
  }
  if (parent === null || typeof parent !== 'object' || !(last in parent)) return false;
  delete (parent as Record<string, unknown>)[last];
  return true;
}
