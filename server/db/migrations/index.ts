import type { Migration } from 'kysely';
import * as core from './2026-11-22-0001-core.js';
import * as dataProtection from './2026-11-22-0003-data-protection.js';

/** Migrations in order. Names are dated; never rename or edit one that has shipped. */
export const migrations: Record<string, Migration> = {
  '2026-11-22-0001-core': core,
  '2026-11-22-0003-data-protection': dataProtection,
};
