import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';

/**
 * Visitor requests come from the widget iframe (Parley's own origin) or, for sites calling the API
 * directly from their pages, from one of the widget's allowed origins. Anything else is refused.
 */
export function assertVisitorOrigin(
  config: Pick<Config, 'publicOrigin'>,
  allowedOrigins: readonly string[],
  requestOrigin: string | undefined,
): void {
  if (requestOrigin === undefined) return;
  if (requestOrigin !== config.publicOrigin && !allowedOrigins.includes(requestOrigin)) {
    throw new AppError('origin_not_allowed');
  }
}
