import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { findUnsafeText, UNSAFE_TEXT_DETAIL } from '../../../protocol/unsafe-text.js';
import { AppError } from '../../errors.js';
import { compiledOnce } from './compiled-once.js';

/**
 * Validates with TypeBox's compiled checks instead of Ajv, so nothing is silently coerced or
 * stripped: a body with a wrong type or an unknown property is refused. Query strings and path
 * params, which are always strings on the wire, are converted strictly (see convertStrings). Once
 * the shape is right, no string anywhere may hold NUL or an unpaired surrogate (protocol/unsafe-text.ts),
 * so both storages see the same text and nothing is altered on its way in.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = compiledCheck(schema);
  const convert = httpPart === 'querystring' || httpPart === 'params';
  const prefix = httpPart ?? 'input';
  return (input: unknown) => {
    const value = convert ? convertStrings(schema, input) : input;
    if (!check.Check(value)) {
      return {
        error: new AppError('invalid_request', { details: describeErrors(check.Errors(value), prefix) }),
      };
    }
    const unsafe = findUnsafeText(value);
    if (unsafe !== null) {
      return {
        error: new AppError('invalid_request', { details: [`${prefix}${unsafe}: ${UNSAFE_TEXT_DETAIL}`] }),
      };
    }
    return { value };
  };
};

/** TypeBox's compiled check of a schema, once per schema (compiled-once.ts). */
const compiledCheck = compiledOnce((schema: TSchema) => TypeCompiler.Compile(schema));

const INTEGER = /^-?(0|[1-9][0-9]{0,15})$/;
const NUMBER = /^-?(0|[1-9][0-9]{0,15})(\.[0-9]{1,16})?$/;

/**
 * Turns query and path strings into the numbers and booleans a flat object schema asks for, and
 * nothing else: only plain decimal digits make an integer (`2.9`, `1e309`, `0x3`, ` 3` and `+3`
 * stay strings and fail the check), and only `true`/`false` make a boolean.
 */
export function convertStrings(schema: TSchema, input: unknown): unknown {
  const properties = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!properties || typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const [key, raw] of Object.entries(out)) {
    if (typeof raw !== 'string' || !Object.hasOwn(properties, key)) continue;
    const kinds = typesOf(properties[key] as TSchema);
    if (kinds.has('string')) continue;
    if (kinds.has('integer') && INTEGER.test(raw) && Number.isSafeInteger(Number(raw)))
      out[key] = Number(raw);
    else if (kinds.has('number') && NUMBER.test(raw)) out[key] = Number(raw);
    else if (kinds.has('boolean') && (raw === 'true' || raw === 'false')) out[key] = raw === 'true';
  }
  return out;
}

function typesOf(schema: TSchema): Set<string> {
  const kinds = new Set<string>();
  const visit = (s: TSchema) => {
    if (typeof s.type === 'string') kinds.add(s.type);
    if (typeof s.const === 'string') kinds.add('string');
    for (const member of (s.anyOf as TSchema[] | undefined) ?? []) visit(member);
  };
  visit(schema);
  return kinds;
}

export function describeErrors(
  errors: Iterable<{ path: string; message: string }>,
  prefix: string,
): string[] {
  const out: string[] = [];
  for (const e of errors) {
    out.push(`${prefix}${e.path || ''}: ${e.message.toLowerCase()}`);
    if (out.length >= 10) break;
  }
  return out;
}
