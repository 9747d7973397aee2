// The graphql-http audit of the GraphQL-over-HTTP spec against the real
// server: every MUST and SHOULD passes (0 errors, 0 warnings). Notices are
// MAY items the server chooses not to do; they are listed, not failed.
import { auditServer } from 'graphql-http';

export async function audit({ base, log }) {
  const results = await auditServer({ url: `${base}/graphql` });
  const failed = results.filter((r) => r.status === 'error' || r.status === 'warn');
  const notices = results.filter((r) => r.status === 'notice');
  for (const r of notices) log(`audit notice: ${r.name}: ${r.reason}`);
  for (const r of failed) log(`audit ${r.status}: ${r.name}: ${r.reason}`);
  log(`graphql-http audit: ${results.length - failed.length - notices.length} ok, ${notices.length} notices, ${failed.length} errors or warnings`);
  if (failed.length) throw new Error(`graphql-http audit: ${failed.length} errors or warnings`);
}

// `node e2e/audit.mjs http://127.0.0.1:8080` against a running server
if (import.meta.url === `file://${process.argv[1]}`) {
  await audit({ base: process.argv[2] || 'http://127.0.0.1:8080', log: console.log });
}
