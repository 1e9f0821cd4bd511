import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { compiledOnce } from './compiled-once.js';
import { responseSerializerCompiler } from './response-schemas.js';

describe('compiledOnce', () => {
  it('compiles each schema object once, and two schemas each their own', () => {
    const seen: object[] = [];
    const compile = compiledOnce((schema: object) => {
      seen.push(schema);
      return { from: schema };
    });
    const a = Type.Object({ a: Type.String() });
    const b = Type.Object({ a: Type.String() });
    expect(compile(a)).toBe(compile(a));
    expect(compile(b).from).toBe(b);
    expect(seen).toEqual([a, b]);
  });

  it('gives a second app the serialiser the first compiled, which still writes only named fields', () => {
    const schema = Type.Object({ id: Type.String() });
    const route = { schema, method: 'GET', url: '/', httpStatus: '200' } as const;
    const first = responseSerializerCompiler(route);
    expect(responseSerializerCompiler(route)).toBe(first);
    expect(first({ id: 'x', secret: 'leak' })).toBe('{"id":"x"}');
  });
});
