// `npm run bench`: every benchmark, each printing its figures and the machine it ran on.
import { benchCluster } from './cluster.js';
import { benchRedirect } from './redirect.js';
import { benchScale } from './scale.js';
import { benchIngest } from './ingest.js';

const only = process.argv[2];
const benches = { redirect: benchRedirect, cluster: benchCluster, ingest: benchIngest, scale: benchScale };
let failed = false;
for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  const result = await run();
  console.log(`\n## ${result.name} — ${result.machine}`);
  for (const line of result.lines) console.log(`  ${line}`);
  console.log(`  ${result.pass ? 'PASS' : 'FAIL'}`);
  failed ||= !result.pass;
}
process.exitCode = failed ? 1 : 0;
