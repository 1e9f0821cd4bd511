import { createHmac } from 'node:crypto';
import type { IceServer } from '../../../protocol/calls.js';
import type { CallsConfig } from '../../config-calls.js';
import { clock } from '../../platform/clock.js';

/**
 * The ICE servers for one principal's call token. TURN credentials follow the TURN REST convention
 * (coturn's `use-auth-secret`): the username is `<expiry>:<id>` (expiry in Unix seconds), the
 * credential base64(HMAC-SHA1(secret, username)). The TURN server checks both without asking Parley,
 * and refuses them after the expiry: what a browser holds is never a long-lived password.
 */
export function iceServersFor(config: CallsConfig, principalId: string): IceServer[] {
  const servers: IceServer[] = [];
  if (config.stunUrls.length > 0) servers.push({ urls: [...config.stunUrls] });
  if (config.turnUrls.length > 0 && config.turnSecret) {
    const expiry = Math.floor(clock.now() / 1000) + config.turnTtlSeconds;
    const username = `${expiry}:${principalId}`;
    const credential = createHmac('sha1', config.turnSecret).update(username).digest('base64');
    servers.push({ urls: [...config.turnUrls], username, credential });
  }
  return servers;
}
