// helm's `--set` line, as helm-controller applies a valuesFrom `targetPath`: `<targetPath>=<value>` parsed by
// helm's strvals parser into the values so far (chartutil.ReplacePathValue). So the path takes dots (`\.`
// escapes one), list indexes (`a[0].b`), and the value is typed as `--set` types it (true/false, null, integers
// not starting with 0) unless quoted; a comma in it starts another assignment and `{a,b}` is a list, exactly as
// on helm's command line. `literal` is `--set-literal`: the value is taken as it is.

/** A `--set` line helm refuses, or a path through a value that is not a map or list. */
export class SetValueError extends Error {
  override readonly name = 'SetValueError';
}

const MAX_INDEX = 65_536;
const MAX_NESTING = 30;

type Values = Record<string, unknown>;

class SetLine {
  private position = 0;

  constructor(private readonly text: string, private readonly typed: boolean, private readonly literal: boolean) {}

  get done(): boolean {
    return this.position >= this.text.length;
  }

  /** Characters up to one of `stop` (consumed, returned as `last`; undefined at the end), `\x` read as x. */
  private until(stop: string): { runes: string; last?: string } {
    let runes = '';
    while (this.position < this.text.length) {
      const char = this.text[this.position++];
      if (stop.includes(char)) return { runes, last: char };
      if (char === '\\') {
        if (this.position >= this.text.length) return { runes };
        runes += this.text[this.position++];
        continue;
      }
      runes += char;
    }
    return { runes };
  }

  /** One assignment into `data`; false at the end of the line. */
  key(data: Values, nesting: number): boolean {
    const { runes: key, last } = this.until('=[,.');
    if (last === undefined) {
      if (key === '') return false;
      throw new SetValueError(`key "${key}" has no value`);
    }
    if (last === '[') {
      const index = this.index();
      const existing = data[key];
      if (existing !== undefined && !Array.isArray(existing)) throw new SetValueError(`${key} is ${describe(existing)}, not a list`);
      setKey(data, key, this.listItem([...(existing as unknown[] | undefined) ?? []], index, nesting));
      return true;
    }
    if (last === '=') {
      setKey(data, key, this.value());
      return true;
    }
    if (last === ',') throw new SetValueError(`key "${key}" has no value (cannot end with ,)`);
    if (nesting + 1 > MAX_NESTING) throw new SetValueError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTING}`);
    const existing = data[key];
    if (existing !== undefined && !isMap(existing)) throw new SetValueError(`${key} is ${describe(existing)}, not a map`);
    const inner: Values = isMap(existing) ? existing : {};
    const more = this.key(inner, nesting + 1);
    if (!more && Object.keys(inner).length === 0) throw new SetValueError(`key map "${key}" has no value`);
    if (Object.keys(inner).length > 0) setKey(data, key, inner);
    return true;
  }

  private index(): number {
    const { runes, last } = this.until(']');
    if (last === undefined || !/^-?\d+$/.test(runes)) throw new SetValueError(`error parsing index: "${runes}" is not a number`);
    const index = Number(runes);
    if (index < 0) throw new SetValueError(`negative ${index} index not allowed`);
    if (index > MAX_INDEX) throw new SetValueError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
    return index;
  }

  private listItem(list: unknown[], index: number, nesting: number): unknown[] {
    const { runes, last } = this.until('[.=');
    if (runes.length > 0) throw new SetValueError(`unexpected data at end of array index: "${runes}"`);
    if (last === undefined) throw new SetValueError('a list index has no value');
    while (list.length <= index) list.push(null);
    if (last === '=') {
      list[index] = this.value();
    } else if (last === '[') {
      const next = this.index();
      const existing = list[index];
      if (existing !== null && existing !== undefined && !Array.isArray(existing)) throw new SetValueError(`list item ${index} is ${describe(existing)}, not a list`);
      list[index] = this.listItem([...(existing as unknown[] | null) ?? []], next, nesting);
    } else {
      const inner: Values = isMap(list[index]) ? list[index] as Values : {};
      this.key(inner, nesting);
      list[index] = inner;
    }
    return list;
  }

  /** After `=`: the rest of the line when literal, else a `{a,b}` list or one value up to a comma. */
  private value(): unknown {
    if (this.literal) {
      const rest = this.text.slice(this.position);
      this.position = this.text.length;
      return rest;
    }
    if (this.text[this.position] === '{') {
      this.position++;
      const list: unknown[] = [];
      for (;;) {
        const { runes, last } = this.until(',}');
        if (last === undefined) throw new SetValueError("list must terminate with '}'");
        list.push(this.typedValue(runes));
        if (last === '}') {
          if (this.text[this.position] === ',') this.position++;
          return list;
        }
      }
    }
    return this.typedValue(this.until(',').runes);
  }

  private typedValue(value: string): unknown {
    if (!this.typed) return value;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    if (lower === 'null') return null;
    if (value === '0') return 0;
    // Integers only, never with a leading zero (a zip code stays a string), and only those Go's int64 holds.
    if (/^[+-]?\d+$/.test(value) && value[0] !== '0') {
      const number = BigInt(value);
      if (number <= 9223372036854775807n && number >= -9223372036854775808n) return Number.isSafeInteger(Number(number)) ? Number(number) : value;
    }
    return value;
  }
}

function setKey(data: Values, key: string, value: unknown): void {
  if (key !== '') data[key] = value;
}

const isMap = (value: unknown): value is Values => !!value && typeof value === 'object' && !Array.isArray(value);

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/**
 * Sets `value` at `path` in `values` (changed in place) as helm-controller does: a value quoted with ' or " is
 * set as a string without its quotes, any other is typed like `--set`; `literal` sets it as it is.
 */
export function setPathValue(values: Values, path: string, value: string, literal = false): void {
  if (literal) {
    new SetLine(`${path}=${value}`, false, true).key(values, 0);
    return;
  }
  const quoted = value.length >= 1 && ((value.startsWith("'") && value.endsWith("'")) || (value.startsWith('"') && value.endsWith('"')));
  // Go's strings.Trim: every leading and trailing quote character goes, of either kind.
  const line = new SetLine(`${path}=${quoted ? value.replace(/^['"]+|['"]+$/g, '') : value}`, !quoted, false);
  while (!line.done && line.key(values, 0));
}
