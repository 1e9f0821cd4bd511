import { rawOccurrences } from './raw-data.js';
import type { TestDatabase } from './test-server.js';

/**
 * Which of `needles` are in the stored bytes once every connection is closed: SQLite then folds its
 * WAL into the main file, so a page image from before a row was rewritten is not counted as kept.
 */
export async function rawOccurrencesAtRest(database: TestDatabase, needles: string[]): Promise<string[]> {
  if (database.dialect === 'sqlite') await database.open().close();
  return rawOccurrences(database, needles);
}
