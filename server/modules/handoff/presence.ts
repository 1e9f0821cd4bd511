import { nowIso } from '../../platform/clock.js';
import type { Db } from '../../platform/db/schema.js';
import type { Agent } from '../auth/agent.js';
import {
  beatPresence,
  dropPresence,
  ensureAgentSettings,
  findAgentAway,
  setAgentAway,
} from './agent.repository.js';
import { defaultCapacity } from './service-defaults.js';

/**
 * Presence across nodes: each node keeps one heartbeat row per connected agent and refreshes it on
 * its socket heartbeat; an agent is online while any node's row is fresh and they have not chosen
 * "away". A node that dies stops refreshing, and its agents go offline after the TTL.
 */
export async function agentConnected(db: Db, nodeId: string, agent: Agent): Promise<void> {
  await ensureAgentSettings(db, {
    userId: agent.userId,
    workspaceId: agent.workspaceId,
    capacity: defaultCapacity(agent.role),
  });
  await beatPresence(db, { nodeId, userId: agent.userId, workspaceId: agent.workspaceId, at: nowIso() });
}

export async function agentsStillConnected(db: Db, nodeId: string, agents: Iterable<Agent>): Promise<void> {
  const at = nowIso();
  for (const agent of agents)
    await beatPresence(db, { nodeId, userId: agent.userId, workspaceId: agent.workspaceId, at });
}

export async function agentDisconnected(db: Db, nodeId: string, userId: string): Promise<void> {
  await dropPresence(db, nodeId, userId);
}

export async function setPresence(db: Db, agent: Agent, status: 'online' | 'away'): Promise<void> {
  await ensureAgentSettings(db, {
    userId: agent.userId,
    workspaceId: agent.workspaceId,
    capacity: defaultCapacity(agent.role),
  });
  await setAgentAway(db, agent.userId, status === 'away');
}

/** The agent's own setting: away (no automatic assignment) or online. */
export async function getPresence(db: Db, userId: string): Promise<'online' | 'away'> {
  return (await findAgentAway(db, userId)) ? 'away' : 'online';
}
