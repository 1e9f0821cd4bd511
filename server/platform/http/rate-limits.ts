import type { Access } from './access.js';

/**
 * Per-endpoint request limits: the one table that the limiter applies and that docs/SECURITY.md
 * shows (a test compares the two). Each request counts against exactly one rule, the first that
 * matches its route. With REDIS_URL set the counters live in Redis, so a limit holds across all
 * nodes; otherwise each node counts in memory. `PARLEY_RATE_LIMITS` overrides any rule, and the
 * budgets below.
 */
export interface RateLimitRule {
  readonly name: RateLimitName;
  /** Requests allowed per window. */
  readonly max: number;
  readonly windowSeconds: number;
  /**
   * `ip`: counted per client address (IPv6 per /64), before authentication runs, so refused
   * credentials are counted too. `agent`: counted per signed-in user once the session is known
   * (per address for anyone else), so colleagues behind one office NAT do not share a budget.
   */
  readonly per: 'ip' | 'agent';
  /** What the rule covers, for the documentation table. */
  readonly covers: string;
  readonly matches: (route: RouteShape) => boolean;
}

export interface RouteShape {
  method: string;
  /** The route's pattern (e.g. `/api/v1/workspaces/:workspaceId/widgets`); '' when nothing matched. */
  url: string;
  access: Access | undefined;
}

export const RATE_LIMIT_NAMES = [
  'uploads',
  'sign-in',
  'visitor',
  'widget-lookup',
  'ws-handshake',
  'api-write',
  'api-read',
  'pages',
  'refused',
  'messages',
  'visitor-uploads',
] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const isApi = (r: RouteShape) => r.url.startsWith('/api/');

export const RATE_LIMIT_RULES: readonly RateLimitRule[] = [
  {
    name: 'uploads',
    max: 30,
    windowSeconds: 60,
    per: 'ip',
    covers: 'POST …/attachments: file uploads, by visitors, agents and API tokens',
    matches: (r) => r.method === 'POST' && r.url.endsWith('/attachments'),
  },
  {
    name: 'sign-in',
    max: 60,
    windowSeconds: 60,
    per: 'ip',
    covers:
      'POST /api/v1/auth/…, /api/v1/setup… and /api/v1/invites/accept: sign-in, passkeys, second factor, setup, reset and invite links',
    matches: (r) => WRITE.has(r.method) && /^\/api\/v1\/(auth|setup|invites\/accept)(\/|$)/.test(r.url),
  },
  {
    name: 'visitor',
    max: 60,
    windowSeconds: 60,
    per: 'ip',
    covers: 'POST /api/v1/visitor/…: visitor sessions and WebSocket tickets',
    matches: (r) => r.access?.kind === 'visitor',
  },
  {
    name: 'widget-lookup',
    max: 120,
    windowSeconds: 60,
    per: 'ip',
    covers: 'GET /api/v1/widgets/:widgetId/public: the loader’s check before it shows a launcher',
    matches: (r) => r.method === 'GET' && r.url === '/api/v1/widgets/:widgetId/public',
  },
  {
    name: 'ws-handshake',
    max: 120,
    windowSeconds: 60,
    per: 'ip',
    covers: 'GET /ws: WebSocket handshakes (open sockets per address: PARLEY_WS_CONNECTIONS_PER_IP)',
    matches: (r) => r.access?.kind === 'socket',
  },
  {
    name: 'api-write',
    max: 300,
    windowSeconds: 60,
    per: 'agent',
    covers: 'every other POST, PUT, PATCH, DELETE under /api/',
    matches: (r) => isApi(r) && WRITE.has(r.method),
  },
  {
    name: 'api-read',
    max: 1200,
    windowSeconds: 60,
    per: 'agent',
    covers: 'every other request under /api/',
    matches: isApi,
  },
  {
    name: 'pages',
    max: 1200,
    windowSeconds: 60,
    per: 'ip',
    covers: 'everything else: dashboard pages and assets, the widget loader and frame, unknown addresses',
    matches: () => true,
  },
];

/**
 * Budgets beside the per-request rules (docs/SECURITY.md, "Budgets"; a test compares the two). They
 * bound what one client can make the node do across many requests or sockets, where a per-request
 * or per-socket limit alone lets the total grow with the number of connections.
 */
export interface Budget {
  readonly name: RateLimitName;
  readonly max: number;
  readonly windowSeconds: number;
  /** Who shares one budget, for the documentation table. */
  readonly per: string;
  readonly covers: string;
}

export const BUDGETS: readonly Budget[] = [
  {
    name: 'refused',
    max: 120,
    windowSeconds: 60,
    per: 'client address, all nodes (Redis) or each node',
    covers:
      'answers with a 4xx status (refused or malformed requests, refused WebSocket handshakes); past the budget every request from the address is refused with 429 before any other work, until the window ends',
  },
  {
    name: 'messages',
    max: 30,
    windowSeconds: 10,
    per: 'agent session or visitor, on each node',
    covers:
      '`message.send` frames of all the principal’s sockets together (a token bucket: 30 at once, then 3 per second); a refused message is answered `rate_limited` with its `clientId` and is not stored, so the client sends it again later with the same id',
  },
  {
    name: 'visitor-uploads',
    max: 10,
    windowSeconds: 60,
    per: 'visitor, all nodes (Redis) or each node',
    covers:
      'file uploads of one visitor, whatever address they come from (beside the `uploads` rule per address); past it `429 rate_limited` with `Retry-After`',
  },
];

export type RateLimitSettings = Readonly<Record<RateLimitName, { max: number; windowSeconds: number }>>;

export function ruleFor(route: RouteShape): RateLimitRule {
  return RATE_LIMIT_RULES.find((rule) => rule.matches(route)) as RateLimitRule;
}

/**
 * Parses `name=max/seconds` pairs, comma-separated (e.g. `sign-in=100/60,api-read=20000/60`), over
 * the defaults. Problems are appended to `problems` so config.ts can report them with the rest.
 */
export function parseRateLimits(raw: string | undefined, problems: string[]): RateLimitSettings {
  const settings = Object.fromEntries(
    [...RATE_LIMIT_RULES, ...BUDGETS].map((r) => [r.name, { max: r.max, windowSeconds: r.windowSeconds }]),
  ) as Record<RateLimitName, { max: number; windowSeconds: number }>;
  for (const part of (raw ?? '').split(',').map((s) => s.trim())) {
    if (!part) continue;
    const m = /^([a-z-]+)=(\d{1,9})\/(\d{1,6})$/.exec(part);
    const name = m?.[1] as RateLimitName | undefined;
    const max = Number(m?.[2]);
    const windowSeconds = Number(m?.[3]);
    if (!m || !name || !RATE_LIMIT_NAMES.includes(name)) {
      problems.push(
        `PARLEY_RATE_LIMITS: "${part}" is not name=max/seconds with a name from ${RATE_LIMIT_NAMES.join(', ')}.`,
      );
      continue;
    }
    if (max < 1 || windowSeconds < 1 || windowSeconds > 86_400) {
      problems.push(`PARLEY_RATE_LIMITS: "${part}" needs at least 1 request and a window of 1 to 86400 s.`);
      continue;
    }
    settings[name] = { max, windowSeconds };
  }
  return Object.freeze(settings);
}
