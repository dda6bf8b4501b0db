/**
 * Runs the simulator until killed:
 *   npx tsx test/simulator/cli.ts --port 3999 --repos-from ../shared/data/landscape.yml [--seed N] [--start ISO]
 *   npx tsx test/simulator/cli.ts --repos kubernetes/kubernetes,helm/helm
 * Prints the base URL on the first line of stdout.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { extractRepoNames, startSimulator } from './index.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'repos-from': { type: 'string' },
    repos: { type: 'string' },
    seed: { type: 'string' },
    start: { type: 'string' },
    'core-limit': { type: 'string' },
    'graphql-limit': { type: 'string' },
  },
});

const repos = [
  ...(values['repos-from'] ? extractRepoNames(readFileSync(values['repos-from'], 'utf8')) : []),
  ...(values.repos ? values.repos.split(',').map((r) => r.trim()).filter(Boolean) : []),
];
const limits = {
  ...(values['core-limit'] ? { core: Number(values['core-limit']) } : {}),
  ...(values['graphql-limit'] ? { graphql: Number(values['graphql-limit']) } : {}),
};

const sim = await startSimulator({
  port: Number(values.port),
  host: values.host,
  ...(values.seed !== undefined ? { seed: Number(values.seed) } : {}),
  ...(values.start !== undefined ? { start: values.start } : {}),
  ...(repos.length > 0 ? { repos } : {}),
  limits,
});

process.stdout.write(`${sim.url}\n`);
process.stderr.write(`github simulator: ${sim.state.list().length} repos, clock at ${sim.clock.now().toISOString()}\n`);

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
