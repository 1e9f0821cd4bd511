import type { VisitorSession, Widget } from '../../protocol/api.js';
import { createWidget, setupAdmin, startVisitor, type TestAgent } from './clients.js';
import { createTestDatabase, startTestServer, type TestDatabase, type TestServer } from './test-server.js';

/** The common starting point: a node on a fresh database, its administrator, a widget and a visitor. */
export interface Scenario {
  database: TestDatabase;
  server: TestServer;
  admin: TestAgent;
  widget: Widget;
  visitor: VisitorSession;
  close(): Promise<void>;
}

export async function startScenario(dialect: 'sqlite' | 'postgres'): Promise<Scenario> {
  const database = await createTestDatabase(dialect);
  const server = await startTestServer({ database });
  const admin = await setupAdmin(server);
  const widget = await createWidget(server, admin);
  const visitor = await startVisitor(server, widget);
  return {
    database,
    server,
    admin,
    widget,
    visitor,
    async close() {
      await server.close();
      await database.drop();
    },
  };
}
