import { Value } from '@sinclair/typebox/value';
import { isSafeLink, StructuredContent } from '../../../protocol/structured.js';
import { AppError } from '../../errors.js';

/**
 * Structured content is stored only if it matches the schema and every link is http(s) or mailto.
 * The REST and socket validators already refuse it at the edge; this is the check for content the
 * server builds itself (the bot), so no path stores a `javascript:` link.
 */
export function checkStructured(content: StructuredContent): StructuredContent {
  if (!Value.Check(StructuredContent, content)) throw new AppError('invalid_request', { details: ['parts'] });
  for (const part of content.parts ?? []) {
    if (part.type === 'card' && part.url !== undefined && !isSafeLink(part.url)) {
      throw new AppError('invalid_request', { details: ['Links must be http, https or mailto addresses.'] });
    }
  }
  const ids = (content.actions ?? []).map((a) => a.id);
  if (new Set(ids).size !== ids.length) throw new AppError('invalid_request', { details: ['actions'] });
  return content;
}
