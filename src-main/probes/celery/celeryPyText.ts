/**
 * Python values as Python prints them, for exception messages: the result backend keeps an
 * exception's `args` as JSON and the events keep its `repr()`, while people know the message
 * from Python's own `str()`. Only plain literals are modelled; anything else keeps its text.
 */
export type PyValue =
  | { kind: 'str'; value: string }
  /** A value whose repr and str are the same text: numbers, True, False, None, bytes, … */
  | { kind: 'atom'; text: string }
  | { kind: 'tuple' | 'list' | 'set'; items: PyValue[] }
  | { kind: 'dict'; entries: [PyValue, PyValue][] };

/** A JSON value (how Celery serialises exception args) as the Python value it came from. */
export function fromJson(v: unknown): PyValue {
  if (typeof v === 'string') return { kind: 'str', value: v };
  if (typeof v === 'number') return { kind: 'atom', text: String(v) };
  if (typeof v === 'boolean') return { kind: 'atom', text: v ? 'True' : 'False' };
  if (v === null || v === undefined) return { kind: 'atom', text: 'None' };
  if (Array.isArray(v)) return { kind: 'list', items: v.map(fromJson) };
  return { kind: 'dict', entries: Object.entries(v as Record<string, unknown>).map(([k, x]) => [{ kind: 'str', value: k }, fromJson(x)]) };
}

export function pyRepr(v: PyValue): string {
  switch (v.kind) {
    case 'str': return reprString(v.value);
    case 'atom': return v.text;
    case 'list': return `[${v.items.map(pyRepr).join(', ')}]`;
    case 'tuple': return v.items.length === 1 ? `(${pyRepr(v.items[0]!)},)` : `(${v.items.map(pyRepr).join(', ')})`;
    case 'set': return v.items.length ? `{${v.items.map(pyRepr).join(', ')}}` : 'set()';
    case 'dict': return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  }
}

export function pyStr(v: PyValue): string {
  return v.kind === 'str' ? v.value : pyRepr(v);
}

/** Characters `str.isprintable()` rejects (other than the space): escaped by repr. */
const unprintable = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/** `repr(str)`: single quotes unless the text holds one and no double quote. */
function reprString(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch !== ' ' && unprintable.test(ch)) {
      const code = ch.codePointAt(0)!;
      out += code <= 0xff ? `\\x${hex(code, 2)}` : code <= 0xffff ? `\\u${hex(code, 4)}` : `\\U${hex(code, 8)}`;
    } else out += ch;
  }
  return out + quote;
}

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/**
 * Parses a comma-separated run of Python literals (the inside of `Type(...)` in an exception's
 * repr); `null` when any part is not a plain literal.
 */
export function parsePyArgs(text: string): PyValue[] | null {
  const p = { text, at: 0 };
  const items = parseSequence(p, '');
  return items !== null && p.at === text.length ? items : null;
}

interface Cursor { text: string; at: number }

function skip(p: Cursor): void {
  while (p.at < p.text.length && /\s/.test(p.text[p.at]!)) p.at++;
}

function parseSequence(p: Cursor, close: string): PyValue[] | null {
  const items: PyValue[] = [];
  for (skip(p); p.at < p.text.length && p.text[p.at] !== close; skip(p)) {
    const v = parseValue(p);
    if (v === null) return null;
    items.push(v);
    skip(p);
    if (p.text[p.at] === ',') p.at++;
    else break;
  }
  return items;
}

function parseValue(p: Cursor): PyValue | null {
  const rest = p.text.slice(p.at);
  const open = rest[0];
  if (open === '{') return parseBraces(p);
  if (open === '(' || open === '[') {
    const close = open === '(' ? ')' : ']';
    p.at++;
    const start = p.at;
    const items = parseSequence(p, close);
    if (items === null || p.text[p.at] !== close) return null;
    const inner = p.text.slice(start, p.at);
    p.at++;
    if (open === '[') return { kind: 'list', items };
    return items.length === 1 && !/,\s*$/.test(inner) ? items[0]! : { kind: 'tuple', items };
  }
  const str = /^([rRuU]?)(['"])/.exec(rest);
  if (str) return parseString(p, str[1]!.toLowerCase() === 'r', str[2]!, str[0].length);
  const atom = /^(?:[bB][rR]?(['"])(?:\\.|(?!\1).)*\1|-?(?:\d[\d_]*\.?\d*(?:[eE][-+]?\d+)?j?|\.\d+)|True|False|None|inf|nan)/.exec(rest);
  if (!atom) return null;
  p.at += atom[0].length;
  return { kind: 'atom', text: atom[0] };
}

/** `{k: v, …}` (a dict) or `{a, …}` (a set). */
function parseBraces(p: Cursor): PyValue | null {
  p.at++;
  const entries: [PyValue, PyValue][] = [];
  const items: PyValue[] = [];
  for (skip(p); p.text[p.at] !== '}'; skip(p)) {
    const key = parseValue(p);
    if (key === null) return null;
    skip(p);
    if (p.text[p.at] === ':') {
      p.at++;
      skip(p);
      const value = parseValue(p);
      if (value === null || items.length) return null;
      entries.push([key, value]);
      skip(p);
    } else if (entries.length) return null;
    else items.push(key);
    if (p.text[p.at] === ',') p.at++;
    else if (p.text[p.at] !== '}') return null;
  }
  p.at++;
  return items.length ? { kind: 'set', items } : { kind: 'dict', entries };
}

const escapes: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0', '\n': '' };

function parseString(p: Cursor, raw: boolean, quote: string, openLength: number): PyValue | null {
  let i = p.at + openLength;
  let value = '';
  while (i < p.text.length && p.text[i] !== quote) {
    const ch = p.text[i]!;
    if (ch !== '\\' || raw) {
      value += ch;
      i++;
      continue;
    }
    const next = p.text[i + 1] ?? '';
    const width = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (width) {
      const code = Number.parseInt(p.text.slice(i + 2, i + 2 + width), 16);
      if (!Number.isFinite(code)) return null;
      value += String.fromCodePoint(code);
      i += 2 + width;
    } else if (next in escapes) {
      value += escapes[next]!;
      i += 2;
    } else {
      value += `\\${next}`;
      i += 2;
    }
  }
  if (p.text[i] !== quote) return null;
  p.at = i + 1;
  return { kind: 'str', value };
}
