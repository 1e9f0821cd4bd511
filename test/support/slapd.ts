import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { cleanEnv } from './clean-env.js';
import { createTestCertificates, type TestCertificates } from './tls-certs.js';

/**
 * A real OpenLDAP server (Debian's slapd) of the test's own: a temp directory with a generated
 * slapd.conf (mdb, suffix dc=example,dc=com), TLS with a CA and server certificate made by openssl,
 * listening on ldap:// (StartTLS) and ldaps:// on free loopback ports, loaded with people and groups
 * by slapadd. Locally, tests skip when slapd is not installed; in CI (CI=true) they fail instead.
 */
const SLAPD = '/usr/sbin/slapd';
const SLAPADD = '/usr/sbin/slapadd';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

function slapdInstalled(): boolean {
  if (existsSync(SLAPD) && existsSync(SLAPADD)) return true;
  if (IN_CI)
    throw new Error(`slapd is required in CI but ${SLAPD} is missing (apt-get install slapd ldap-utils).`);
  console.warn('slapd is not installed: the LDAP tests are skipped locally.');
  return false;
}

export const hasSlapd = slapdInstalled();

export const SUFFIX = 'dc=example,dc=com';
export const ROOT_DN = `cn=admin,${SUFFIX}`;
const ROOT_PW = 'root-secret-for-tests';
export const SEARCH_DN = `cn=parley-search,ou=services,${SUFFIX}`;
export const SEARCH_PW = 'search-account-secret';
export const PEOPLE = `ou=people,${SUFFIX}`;
export const GROUPS = `ou=groups,${SUFFIX}`;
export const ADMINS_GROUP = `cn=parley-admins,${GROUPS}`;
export const AGENTS_GROUP = `cn=parley-agents,${GROUPS}`;
export const OTHERS_GROUP = `cn=others,${GROUPS}`;

/** People in the test directory: uid, password, and the groups they are in. */
export const DIRECTORY_PEOPLE = {
  alice: { password: 'alice-Directory-pw-1', groups: [ADMINS_GROUP], name: 'Alice Admin' },
  bob: { password: 'bob-Directory-pw-22', groups: [AGENTS_GROUP], name: 'Bob Agent' },
  carol: { password: 'carol-Directory-pw-333', groups: [OTHERS_GROUP], name: 'Carol Other' },
  dave: { password: 'dave-Directory-pw-4444', groups: [AGENTS_GROUP], name: 'Dave Leaving' },
} as const;

export interface TestDirectory {
  ldapUrl: string;
  ldapsUrl: string;
  /** PEM of the CA that signed the server's certificate. */
  caPem: string;
  /** A certificate authority the server's certificate is not from (for "wrong CA" tests). */
  otherCaPem: string;
  /** Runs a change as the directory's root (over ldaps). */
  asRoot<T>(work: (client: Client) => Promise<T>): Promise<T>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function ldif(): string {
  const people = Object.entries(DIRECTORY_PEOPLE)
    .map(
      ([uid, p]) => `dn: uid=${uid},${PEOPLE}
objectClass: inetOrgPerson
uid: ${uid}
cn: ${p.name}
sn: ${p.name.split(' ')[1]}
displayName: ${p.name}
mail: ${uid}@example.com
userPassword: ${p.password}
`,
    )
    .join('\n');
  const group = (dn: string, cn: string) => {
    const members = Object.entries(DIRECTORY_PEOPLE)
      .filter(([, p]) => (p.groups as readonly string[]).includes(dn))
      .map(([uid]) => `member: uid=${uid},${PEOPLE}`);
    return `dn: ${dn}\nobjectClass: groupOfNames\ncn: ${cn}\n${members.join('\n')}\n`;
  };
  return [
    `dn: ${SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example\n`,
    `dn: ou=people,${SUFFIX}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${SUFFIX}\nobjectClass: organizationalUnit\nou: groups\n`,
    `dn: ou=services,${SUFFIX}\nobjectClass: organizationalUnit\nou: services\n`,
    `dn: ${SEARCH_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: parley-search\nuserPassword: ${SEARCH_PW}\n`,
    people,
    group(ADMINS_GROUP, 'parley-admins'),
    group(AGENTS_GROUP, 'parley-agents'),
    group(OTHERS_GROUP, 'others'),
  ].join('\n');
}

function config(dir: string, certs: TestCertificates): string {
  return `include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile ${join(dir, 'slapd.pid')}
argsfile ${join(dir, 'slapd.args')}
TLSCACertificateFile ${certs.caFile}
TLSCertificateFile ${certs.certFile}
TLSCertificateKeyFile ${certs.keyFile}
database mdb
maxsize 16777216
suffix "${SUFFIX}"
rootdn "${ROOT_DN}"
rootpw ${ROOT_PW}
directory ${join(dir, 'db')}
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
`;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('slapd did not start listening');
}

export async function startTestDirectory(): Promise<TestDirectory> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-slapd-'));
  const certs = createTestCertificates();
  const other = createTestCertificates();
  mkdirSync(join(dir, 'db'));
  const conf = join(dir, 'slapd.conf');
  writeFileSync(conf, config(dir, certs));
  writeFileSync(join(dir, 'data.ldif'), ldif());
  execFileSync(SLAPADD, ['-f', conf, '-l', join(dir, 'data.ldif')], { stdio: 'pipe', env: cleanEnv() });
  const [ldapPort, ldapsPort] = [await freePort(), await freePort()];
  const ldapUrl = `ldap://127.0.0.1:${ldapPort}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  // -d 0: stay in the foreground (a child the test owns and stops), logging nothing.
  const child = spawn(SLAPD, ['-f', conf, '-h', `${ldapUrl}/ ${ldapsUrl}/`, '-d', '0'], {
    stdio: 'ignore',
    env: cleanEnv(),
  });
  await waitForPort(ldapPort, child);
  await waitForPort(ldapsPort, child);
  const caPem = readFileSync(certs.caFile, 'utf8');
  return {
    ldapUrl,
    ldapsUrl,
    caPem,
    otherCaPem: readFileSync(other.caFile, 'utf8'),
    async asRoot(work) {
      const client = new Client({ url: ldapsUrl, tlsOptions: { ca: [caPem] } });
      try {
        await client.bind(ROOT_DN, ROOT_PW);
        return await work(client);
      } finally {
        await client.unbind().catch(() => undefined);
      }
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      certs.remove();
      other.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
