/**
 * Filling a canned response's variables when an agent inserts it. A visitor's name that is not a
 * name (the pseudonym Parley made up, "Visitor ac09", or a name masked for the agent's role) is never
 * written to the customer: the response's own fallback is (`{visitor.name|there}`), else "there".
 */
export const DEFAULT_NAME_FALLBACK = 'there';

const PSEUDONYM = /^Visitor [0-9a-f]{4}$/;
const MASKED = /•/;
const VARIABLE = /\{(visitor\.name|agent\.name)(?:\|([^{}|]{0,40}))?\}/g;

/** Whether a conversation's visitor name is a real one the visitor or the site gave. */
export function isRealVisitorName(name: string): boolean {
  const n = name.trim();
  return n.length > 0 && !PSEUDONYM.test(n) && !MASKED.test(n);
}

export function fillCannedBody(body: string, vars: { visitorName: string; agentName: string }): string {
  return body.replace(VARIABLE, (_, name: string, fallback: string | undefined) => {
    if (name === 'agent.name') return vars.agentName;
    if (isRealVisitorName(vars.visitorName)) return vars.visitorName.trim();
    return fallback !== undefined ? fallback.trim() : DEFAULT_NAME_FALLBACK;
  });
}
