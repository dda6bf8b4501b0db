import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import type { DatabaseAccess } from '../db/access.js';
import type { SchedulerMetrics } from './metrics.js';
import type { Scheduler } from './scheduler.js';

/**
 * /healthz: 200 while the scheduler runs and the database answers (503 otherwise);
 * /metrics: Prometheus text format. The embedded database is not opened for a probe (it is a
 * one-process database, shared with the jobs): its health is that of its last use.
 */
export async function startHttpServer(
  port: number,
  deps: { scheduler: Scheduler; metrics: SchedulerMetrics; access: DatabaseAccess; probeDatabase: boolean },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.url === '/healthz') {
        const state = deps.scheduler.state();
        let database = deps.metrics.isDatabaseReachable();
        if (deps.probeDatabase) {
          database = await deps.access
            .use(async (db) => {
              await sql`select 1`.execute(db);
              return true;
            })
            .catch(() => false);
        }
        const ok = state.started && !state.stopping && database;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok, scheduler: state.stopping ? 'stopping' : state.started ? 'running' : 'starting', database, running: state.running }));
      } else if (req.url === '/metrics') {
        res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
        res.end(await deps.metrics.registry.metrics());
      } else {
        res.writeHead(404).end('not found: try /healthz or /metrics\n');
      }
    })().catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
