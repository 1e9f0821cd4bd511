import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanEnv } from './clean-env.js';

export interface ClientCertificate {
  cert: string;
  key: string;
}

export interface ClientCertificates {
  /** PEM of the CA that issued `client`. */
  caPem: string;
  client: ClientCertificate;
  /** Another certificate of the same CA. */
  sibling: ClientCertificate;
  /** Issued by an unrelated CA with the same subject name as `client`. */
  stranger: ClientCertificate;
  remove(): void;
}

/** Client certificates for mTLS tests, made with the openssl command line: two CAs and three leaves. */
export function createClientCertificates(): ClientCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'parley-client-certs-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe', env: cleanEnv() });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  const ca = (name: string) =>
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.pem`),
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
  writeFileSync(
    at('client.ext'),
    'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
  );
  const leaf = (name: string, issuer: string): ClientCertificate => {
    openssl(
      'req',
      ...ec,
      '-keyout',
      at(`${name}.key`),
      '-out',
      at(`${name}.csr`),
      '-subj',
      '/CN=site-backend',
    );
    openssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at(`${issuer}.pem`),
      '-CAkey',
      at(`${issuer}.key`),
      '-CAcreateserial',
      '-out',
      at(`${name}.pem`),
      '-days',
      '2',
      '-extfile',
      at('client.ext'),
    );
    return { cert: readFileSync(at(`${name}.pem`), 'utf8'), key: readFileSync(at(`${name}.key`), 'utf8') };
  };
  ca('Client CA');
  ca('Other CA');
  return {
    caPem: readFileSync(at('Client CA.pem'), 'utf8'),
    client: leaf('client', 'Client CA'),
    sibling: leaf('sibling', 'Client CA'),
    stranger: leaf('stranger', 'Other CA'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** One HTTPS request with an optional client certificate, trusting only `ca` for the server. */
export function httpsRequest(
  url: string,
  o: { ca: Buffer | string; client?: ClientCertificate; headers?: Record<string, string> },
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        ca: o.ca,
        ...(o.client ? { cert: o.client.cert, key: o.client.key } : {}),
        headers: o.headers ?? {},
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
