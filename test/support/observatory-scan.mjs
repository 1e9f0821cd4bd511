// Runs MDN's HTTP Observatory scanner (@mdn/mdn-http-observatory) against a local server and prints
// one JSON line. It runs in its own process because the scanner verifies certificates against the
// process's CA store, which takes the test CA only through NODE_EXTRA_CA_CERTS at process start.
//
//   node observatory-scan.mjs <hostname> <httpsPort> [httpPort]
//
// The scan itself is the package's own `scan()`, given "hostname:httpsPort" (the scanner puts the
// name straight into its URLs). Its plain-HTTP probe then hits the TLS port and finds no HTTP, which
// the scanner scores as "redirection not needed". When an HTTP port is given, the scanner's own
// redirection check is also run on a retrieval of that port, so the redirect listener is graded too.
import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [hostname, httpsPort, httpPort] = process.argv.slice(2);
const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve('@mdn/mdn-http-observatory'))));

// The package's install script downloads Chromium's HSTS preload list into conf/; Parley's install
// does not run it (no network at install, see package.json allowScripts). The scanner only looks up
// whether the scanned name is preloaded, and "localhost" is in no preload list, so an empty list
// gives exactly the answer the real one would.
const preload = join(packageDir, 'conf', 'hsts-preload.json');
if (!existsSync(preload)) writeFileSync(preload, '{}\n');

const { scan } = await import(join(packageDir, 'src/scanner/index.js'));
const { retrieve } = await import(join(packageDir, 'src/retriever/retriever.js'));
const { redirectionTest } = await import(join(packageDir, 'src/analyzer/tests/redirection.js'));

const result = await scan(`${hostname}:${httpsPort}`);
const tests = Object.fromEntries(
  Object.entries(result.tests).map(([name, t]) => [
    name,
    { pass: t.pass, result: t.result, score: t.scoreModifier },
  ]),
);
let redirection = null;
if (httpPort) {
  const retrieval = await retrieve(hostname, { httpPort: Number(httpPort), httpsPort: Number(httpsPort) });
  const r = redirectionTest(retrieval);
  redirection = { pass: r.pass, result: r.result, route: r.route };
}
console.log(JSON.stringify({ grade: result.scan.grade, score: result.scan.score, tests, redirection }));
