import type { TSchema } from '@sinclair/typebox';

/**
 * Seeded input generation for the fuzz tests: values shaped by the protocol's schemas, and hostile
 * ones (NUL, unpaired surrogates, huge numbers, wrong types, prototype keys, deep nesting, long
 * strings). The same seed gives the same cases, so a failure reproduces: each test prints its seed,
 * and PARLEY_FUZZ_SEED replays one.
 */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast, and good enough to pick test inputs. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
}

export function fuzzSeed(): number {
  const fromEnv = Number(process.env.PARLEY_FUZZ_SEED);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 20261203;
}

export const HOSTILE_STRINGS = [
  '',
  '\u0000',
  'nul\u0000inside',
  '\uD800',
  'half \uDBFF',
  '\uDC00 low first',
  '\u202Eright-to-left',
  '💬 emoji',
  '<img src=x onerror=alert(1)>',
  "' OR 1=1 --",
  '../../../etc/passwd',
  '%00',
  '__proto__',
  'constructor',
  'toString',
  'x'.repeat(5_000),
  'y'.repeat(70_000),
  ' ',
  '0',
  'null',
  '1e309',
  '-1',
];

/** What storage handles differently from text: appended to an otherwise valid string. */
const TEXT_HAZARDS = ['\u0000', '\uD800', '\uDFFF', '\uD83D', '\u0000\u0000'];

export const HOSTILE_VALUES: readonly unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  0.5,
  2 ** 53 + 1,
  -(2 ** 63),
  1e308,
  [],
  [null],
  {},
  { __proto__: { polluted: true } },
  ...HOSTILE_STRINGS,
];

/** JSON texts a serializer would never produce: huge exponents, prototype keys, deep nesting. */
export const HOSTILE_JSON = [
  '1e999',
  '-1e999',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"toString":1,"valueOf":{},"hasOwnProperty":"x"}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `${'{"a":'.repeat(3_000)}1${'}'.repeat(3_000)}`,
  '{"a":1,"a":2}',
  '"\\ud800"',
  '{"\\u0000":1}',
  '',
  '{',
  'null',
  '[]',
];

const SAMPLE_STRINGS = [
  'a',
  'abc',
  'Acme support',
  'a@example.com',
  'https://shop.example.com',
  '+44 20 7946 0000',
  '2026-11-22T10:18:09.123Z',
  '2026-11-22',
  'open',
  'visitor',
  'plan',
  'x_y-1',
];

/**
 * A value for the schema: usually one it accepts, sometimes (rate `hostility`) a hostile one in its
 * place, at any depth. `ids` are real ids to use for fields that take an id.
 */
export function valueFor(
  schema: TSchema,
  rng: Rng,
  ids: readonly string[],
  hostility = 0.15,
  depth = 0,
): unknown {
  if (rng.chance(hostility)) return rng.pick(HOSTILE_VALUES);
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.anyOf))
    return valueFor(rng.pick(schema.anyOf as TSchema[]), rng, ids, hostility, depth);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      const required = new Set((schema.required as string[] | undefined) ?? []);
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, TSchema>)) {
        if (required.has(key) || rng.chance(0.6)) out[key] = valueFor(child, rng, ids, hostility, depth + 1);
      }
      for (const child of Object.values((schema.patternProperties ?? {}) as Record<string, TSchema>)) {
        if (rng.chance(0.5))
          out[rng.pick(['plan', 'tier', 'x'])] = valueFor(child, rng, ids, hostility, depth + 1);
      }
      if (rng.chance(hostility)) out[rng.pick(['extra', '__proto__', 'constructor', 'toString'])] = 1;
      return out;
    }
    case 'array': {
      const max = Math.min((schema.maxItems as number | undefined) ?? 3, 3);
      const min = (schema.minItems as number | undefined) ?? 0;
      const n = min + rng.int(Math.max(1, max - min + 1));
      return Array.from({ length: n }, () =>
        valueFor((schema.items ?? {}) as TSchema, rng, ids, hostility, depth + 1),
      );
    }
    case 'integer':
    case 'number': {
      const min = (schema.minimum as number | undefined) ?? 0;
      const max = (schema.maximum as number | undefined) ?? min + 100;
      const n = min + rng.int(Math.max(1, Math.min(max - min, 1_000) + 1));
      return schema.type === 'integer' ? n : n + 0.5;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'null':
      return null;
    case 'string':
      return stringFor(schema, rng, ids);
    default:
      return depth > 3 ? null : rng.pick(HOSTILE_VALUES);
  }
}

function stringFor(schema: TSchema, rng: Rng, ids: readonly string[]): string {
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : null;
  const candidates = [
    ...ids,
    ...SAMPLE_STRINGS,
    randomToken(rng, 22),
    `${randomToken(rng, 8)}-${randomToken(rng, 4)}-4${randomToken(rng, 3)}-8${randomToken(rng, 3)}-${randomToken(rng, 12)}`,
  ];
  const fits = (s: string) =>
    (!pattern || pattern.test(s)) &&
    s.length >= ((schema.minLength as number | undefined) ?? 0) &&
    s.length <= ((schema.maxLength as number | undefined) ?? Number.POSITIVE_INFINITY);
  const matching = candidates.filter(fits);
  return matching.length > 0
    ? rng.pick(matching)
    : randomToken(rng, (schema.minLength as number | undefined) ?? 4);
}

function randomToken(rng: Rng, length: number): string {
  const alphabet = 'abcdef0123456789';
  let s = '';
  for (let i = 0; i < length; i += 1) s += alphabet[rng.int(alphabet.length)];
  return s;
}

/**
 * The value with one leaf (or one key) replaced by a hostile one: a request valid but for a single
 * field is what reaches the deepest code, where a bad value would otherwise slip through.
 */
export function mutateOne(value: unknown, rng: Rng): unknown {
  const slots: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v))
      v.forEach((item, i) => {
        slots.push({ parent: v, key: i });
        walk(item);
      });
    else if (typeof v === 'object' && v !== null)
      for (const [k, item] of Object.entries(v)) {
        slots.push({ parent: v as Record<string, unknown>, key: k });
        walk(item);
      }
  };
  const copy = structuredClone(value);
  walk(copy);
  if (slots.length === 0) return rng.pick(HOSTILE_VALUES);
  const slot = rng.pick(slots);
  const current = (slot.parent as Record<string | number, unknown>)[slot.key];
  const replacement =
    typeof current === 'string' && rng.chance(0.7)
      ? rng.chance(0.5)
        ? `${current}${rng.pick(TEXT_HAZARDS)}`
        : rng.pick(HOSTILE_STRINGS)
      : rng.pick(HOSTILE_VALUES);
  if (!Array.isArray(slot.parent) && rng.chance(0.15)) {
    // A hostile key instead of a hostile value.
    delete slot.parent[slot.key as string];
    slot.parent[rng.pick(HOSTILE_STRINGS.filter((s) => s.length < 100))] = current;
  } else (slot.parent as Record<string | number, unknown>)[slot.key] = replacement;
  return copy;
}
