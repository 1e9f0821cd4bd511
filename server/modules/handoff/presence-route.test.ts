import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addAgent, http } from '../../../test/support/clients.js';
import { type Scenario, startScenario } from '../../../test/support/scenario.js';
import { DIALECTS } from '../../../test/support/services.js';

describe.each(DIALECTS)('an agent’s own presence (%s)', (dialect) => {
  let s: Scenario;
  beforeEach(async () => {
    s = await startScenario(dialect);
  });
  afterEach(async () => s?.close());

  it('reads back what the agent set, each agent their own', async () => {
    const path = `/api/v1/workspaces/${s.admin.workspaceId}/presence`;
    expect((await http(s.server, 'GET', path, { cookie: s.admin.cookie })).body).toEqual({
      status: 'online',
    });
    const away = await http(s.server, 'PUT', path, { cookie: s.admin.cookie, body: { status: 'away' } });
    expect(away.status).toBe(200);
    expect((await http(s.server, 'GET', path, { cookie: s.admin.cookie })).body).toEqual({ status: 'away' });
    const operator = await addAgent(s.server, s.admin.workspaceId, 'operator', 'op@example.com');
    expect((await http(s.server, 'GET', path, { cookie: operator.cookie })).body).toEqual({
      status: 'online',
    });
  });
});
