import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../protocol/common.js';
import { can, PERMISSIONS, type Permission } from '../../../protocol/permissions.js';
import {
  createTestDatabase,
  startTestServer,
  type TestDatabase,
  type TestServer,
} from '../../../test/support/test-server.js';
import type { Access } from '../../platform/http/access.js';
import type { RouteEntry } from './access-control.js';

const ROLES: Role[] = ['administrator', 'supervisor', 'operator'];
const PROTOCOL = readFileSync(new URL('../../../docs/PROTOCOL.md', import.meta.url), 'utf8');

interface Row {
  line: number;
  method: string;
  path: string;
  access: string;
  /** The section's "Paths are under `…`", if it says one. */
  prefix: string | null;
}

/** Every row of docs/PROTOCOL.md's route tables that has an access column (who / permission / auth). */
function documentedRoutes(): Row[] {
  const rows: Row[] = [];
  let column: number | null = null;
  let prefix: string | null = null;
  PROTOCOL.split('\n').forEach((text, i) => {
    if (text.startsWith('#')) prefix = null;
    prefix = /Paths are under `([^`]+)`/.exec(text)?.[1] ?? prefix;
    if (!text.startsWith('|')) {
      column = null;
      return;
    }
    const cells = text
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((c) => c.trim());
    if (cells[0] === 'method and path') {
      const at = cells.findIndex((c) => c === 'who' || c === 'permission' || c === 'auth');
      column = at >= 0 ? at : null;
      return;
    }
    if (column === null || /^-+$/.test(cells[0] ?? '')) return;
    const route = /`([A-Z]+) ([^`\s]+)`/.exec(cells[0] ?? '');
    if (route)
      rows.push({
        line: i + 1,
        method: route[1] as string,
        path: route[2] as string,
        access: cells[column] ?? '',
        prefix,
      });
  });
  return rows;
}

/** The scopes table of §2.5: each token scope and the routes it admits. */
function documentedScopes(): Map<string, string[]> {
  const scopes = new Map<string, string[]>();
  for (const text of PROTOCOL.split('\n')) {
    const row = /^\s*\| `([a-z]+:[a-z]+)`\s*\|(.*)\|\s*$/.exec(text);
    if (row)
      scopes.set(
        row[1] as string,
        [...(row[2] as string).matchAll(/`([A-Z]+ [^`\s]+)`/g)].map((m) => m[1] as string),
      );
  }
  return scopes;
}

const shape = (url: string) => url.replace(/:[A-Za-z]+/g, ':');

/** What an access cell says, in the terms of the route catalog. */
function meaning(cell: string): {
  kind: Access['kind'];
  roles?: Role[];
  permission?: Permission;
  tokenScope?: string;
} {
  const token = /token `([a-z]+:[a-z]+)`/.exec(cell)?.[1];
  const permission = [...cell.matchAll(/`([a-z-]+\.[a-z]+)`/g)]
    .map((m) => m[1] as string)
    .find((p): p is Permission => (PERMISSIONS as readonly string[]).includes(p));
  const scoped = token ? { tokenScope: token } : {};
  if (permission) return { kind: 'member', permission, ...scoped };
  if (/^any member/.test(cell)) return { kind: 'member', roles: ROLES, ...scoped };
  const roles = ROLES.filter((r) => new RegExp(`\\b${r}\\b`).test(cell));
  if (roles.length > 0 && !/stage/.test(cell)) return { kind: 'member', roles, ...scoped };
  if (/^(public|anyone|none)\b/.test(cell)) return { kind: 'public' };
  if (/visitor cookie|Bearer <credential>/.test(cell)) return { kind: 'visitor' };
  if (/^any stage|stage `mfa`|or `enroll`/.test(cell)) return { kind: 'signed-in' };
  if (/^any signed-in user|^stage `full`/.test(cell)) return { kind: 'agent' };
  throw new Error(`unreadable access "${cell}"`);
}

describe('docs/PROTOCOL.md access column', () => {
  let database: TestDatabase;
  let server: TestServer;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const find = (method: string, path: string, prefix: string | null = null): RouteEntry | undefined => {
    const candidates = path.startsWith('/api/')
      ? [path]
      : [...(prefix ? [`${prefix}${path}`] : []), `/api/v1/workspaces/:workspaceId${path}`, `/api/v1${path}`];
    return server.app.routeCatalog.find(
      (r) => r.method === method && candidates.some((c) => shape(c) === shape(r.url)),
    );
  };

  it('names, for every route it lists, who may call it exactly as the route catalog enforces', () => {
    const rows = documentedRoutes();
    expect(rows.length).toBeGreaterThan(80);
    const wrong: string[] = [];
    for (const row of rows) {
      const route = find(row.method, row.path, row.prefix);
      if (!route) {
        wrong.push(`line ${row.line}: ${row.method} ${row.path} is not a route`);
        continue;
      }
      const said = meaning(row.access);
      const is = route.access;
      const where = `line ${row.line}: ${row.method} ${row.path} says "${row.access}"`;
      if (said.kind !== is.kind) {
        wrong.push(`${where}, the route is ${is.kind}`);
        continue;
      }
      if (is.kind !== 'member') continue;
      if (said.permission && said.permission !== is.permission)
        wrong.push(`${where}, the route needs ${is.permission}`);
      const allowed = ROLES.filter((r) => can(r, is.permission));
      if (said.roles && said.roles.join() !== allowed.join())
        wrong.push(`${where}, the route admits ${allowed.join(', ')} (${is.permission})`);
      if (said.tokenScope && said.tokenScope !== is.tokenScope)
        wrong.push(`${where}, the route takes token scope ${is.tokenScope ?? 'none'}`);
    }
    expect(wrong).toEqual([]);
  });

  it('lists, for each token scope, exactly the routes that admit it', () => {
    const scopes = documentedScopes();
    expect([...scopes.keys()].sort()).toEqual(
      [
        ...new Set(
          server.app.routeCatalog.flatMap((r) =>
            r.access.kind === 'member' && r.access.tokenScope ? [r.access.tokenScope] : [],
          ),
        ),
      ].sort(),
    );
    const wrong: string[] = [];
    for (const [scope, listed] of scopes) {
      const admitted = server.app.routeCatalog
        .filter((r) => r.method !== 'HEAD' && r.access.kind === 'member' && r.access.tokenScope === scope)
        .map((r) => `${r.method} ${shape(r.url)}`)
        .sort();
      const said = listed
        .map((l) => {
          const [method, path] = l.split(' ') as [string, string];
          const route = find(method, path.replace(/:id\b/, ':conversationId'));
          return route ? `${route.method} ${shape(route.url)}` : `${l} (not a route)`;
        })
        .sort();
      if (said.join() !== admitted.join())
        wrong.push(`${scope}: says ${said.join(', ')}; admits ${admitted.join(', ')}`);
    }
    expect(wrong).toEqual([]);
  });
});
