/**
 * The environment of a process a test starts: PATH and HOME from the caller, and exactly what the
 * test sets. Nothing else of the caller's environment reaches the child (a DATABASE_URL, REDIS_URL,
 * PARLEY_PORT or CI of the shell running `npm test` would otherwise change what the child does),
 * so a test behaves the same whoever runs it and from whatever shell.
 */
const INHERITED = ['PATH', 'HOME'] as const;

export function cleanEnv(set: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  for (const [name, value] of Object.entries(set)) if (value !== undefined) env[name] = value;
  return env;
}
