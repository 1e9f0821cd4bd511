import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from './clean-env.js';

export interface TestCertificates {
  /** PEM of the test CA, to trust in clients (`ca` option or NODE_EXTRA_CA_CERTS). */
  ca: Buffer;
  caFile: string;
  certFile: string;
  keyFile: string;
  remove(): void;
}

/**
 * A throwaway certificate authority and a leaf certificate it signed for localhost, made with the
 * openssl command line (Debian's openssl package). Nothing is trusted system-wide: each client is
 * told about the CA explicitly.
 */
export function createTestCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'parley-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', env: cleanEnv() });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=Parley Test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', at('leaf.key'), '-out', at('leaf.csr'), '-subj', '/CN=localhost');
  writeFileSync(
    at('leaf.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    at('leaf.csr'),
    '-CA',
    at('ca.pem'),
    '-CAkey',
    at('ca.key'),
    '-CAcreateserial',
    '-out',
    at('leaf.pem'),
    '-days',
    '2',
    '-extfile',
    at('leaf.ext'),
  );
  return {
    ca: readFileSync(at('ca.pem')),
    caFile: at('ca.pem'),
    certFile: at('leaf.pem'),
    keyFile: at('leaf.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
