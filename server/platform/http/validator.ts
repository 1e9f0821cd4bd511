import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import type { FastifySchemaCompiler } from 'fastify';
import { AppError } from '../../errors.js';

/**
 * Validates with TypeBox's compiled checks instead of Ajv, so nothing is silently coerced or
 * stripped: a body with a wrong type or an unknown property is refused. Only query strings and path
 * params, which are always strings on the wire, are converted to the schema's types first.
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const convert = httpPart === 'querystring' || httpPart === 'params';
  return (input: unknown) => {
    const value = convert ? Value.Convert(schema, input) : input;
    if (check.Check(value)) return { value };
    const details = describeErrors(check.Errors(value), httpPart ?? 'input');
    return { error: new AppError('invalid_request', { details }) };
  };
};

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
