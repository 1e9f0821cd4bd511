import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export interface StaticFile {
  body: Buffer;
  gzip: Buffer | null;
  type: string;
  etag: string;
  version: string;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** The package root, whether running from TypeScript sources or from dist/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above the server code');
    dir = up;
  }
  return dir;
}

/**
 * Built assets are small, so they are read and gzipped once at start and served from memory.
 * Paths come only from this listing: a request can never name a file outside it.
 */
export function loadStaticDir(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const full = join(d, name);
      if (statSync(full).isDirectory()) {
        walk(full);
        continue;
      }
      const body = readFileSync(full);
      const type = TYPES[extname(name)] ?? 'application/octet-stream';
      const compressible = type.startsWith('text/') || type.includes('json') || type.includes('svg');
      const hash = createHash('sha256').update(body).digest('base64url');
      files.set(relative(dir, full).split('\\').join('/'), {
        body,
        gzip: compressible && body.length > 512 ? gzipSync(body, { level: 9 }) : null,
        type,
        etag: `"${hash.slice(0, 27)}"`,
        version: hash.slice(0, 12),
      });
    }
  };
  walk(dir);
  return files;
}
