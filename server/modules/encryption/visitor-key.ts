import { fieldAad, openBytes, openText, sealBytes, sealText } from '../../platform/crypto/envelope.js';

/** One visitor's data key: everything Parley stores about them is sealed under it. */
export class VisitorKey {
  constructor(
    readonly visitorId: string,
    readonly workspaceId: string,
    private readonly key: Buffer,
  ) {}

  /**
   * A copy of the key's bytes, for a worker thread of this process that opens what it seals (the
   * search indexer's, search/index-worker.ts). It never leaves the process.
   */
  copyForWorker(): Uint8Array {
    return new Uint8Array(this.key);
  }

  seal(table: string, column: string, rowId: string, plaintext: string): string {
    return sealText(this.key, fieldAad(table, column, rowId), plaintext);
  }

  open(table: string, column: string, rowId: string, value: string): string {
    return openText(this.key, fieldAad(table, column, rowId), value, `${table}.${column} of row ${rowId}`);
  }

  sealNullable(table: string, column: string, rowId: string, plaintext: string | null): string | null {
    return plaintext === null ? null : this.seal(table, column, rowId, plaintext);
  }

  openNullable(table: string, column: string, rowId: string, value: string | null): string | null {
    return value === null ? null : this.open(table, column, rowId, value);
  }

  /** Binary content (an attachment's chunk), bound to `aad`, which names exactly where it belongs. */
  sealChunk(aad: string, plaintext: Buffer): Buffer {
    return sealBytes(this.key, aad, plaintext);
  }

  openChunk(aad: string, sealed: Buffer, what: string): Buffer {
    return openBytes(this.key, aad, sealed, what);
  }
}
