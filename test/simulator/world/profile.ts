/** Generates a repo's static profile and activity shape from (seed, full name), deterministically. */
import { DAY_MS, type SeriesSpec } from './series.js';
import { hash32, pick, unit } from '../rng.js';

export interface License {
  key: string;
  spdxId: string;
  name: string;
}

/** Everything about a repo that is not a list; lists are derived lazily from the series. */
export interface RepoProfile {
  databaseId: number;
  owner: string;
  name: string;
  ownerType: 'Organization' | 'User';
  createdAt: number;
  description: string | null;
  homepage: string | null;
  language: string | null;
  license: License | null;
  topics: string[];
  archived: boolean;
  /** nameWithOwner of the parent when this repo is itself a fork. */
  parent: string | null;
  defaultBranch: string;
  stars: SeriesSpec;
  /** forkCount: the whole fork network, of which about 97% are direct forks. */
  forks: SeriesSpec;
  commits: SeriesSpec;
  releases: SeriesSpec;
  contributors: SeriesSpec;
  /** Watchers (subscribers) as a share of stars. */
  watchersPerStar: number;
  openIssues: number;
  openPulls: number;
  /** GitHub answers 403 "list is too large" on /contributors for such repos. */
  contributorsTooLarge: boolean;
}

// Approximate fork counts of the few repos whose forks are a large share of their stars.
const KNOWN_FORKS: Record<string, number> = { 'kubernetes/kubernetes': 41_000, 'grpc/grpc': 10_800, 'ansible/ansible': 24_000 };

// Approximate star counts of well-known repos, so the big ones look big (late 2026, rounded).
const KNOWN_STARS: Record<string, number> = {
  'kubernetes/kubernetes': 115_000,
  'grpc/grpc': 43_000,
  'prometheus/prometheus': 60_000,
  'etcd-io/etcd': 49_000,
  'istio/istio': 37_000,
  'helm/helm': 28_000,
  'envoyproxy/envoy': 26_000,
  'cilium/cilium': 22_000,
  'argoproj/argo-cd': 20_000,
  'containerd/containerd': 19_000,
  'traefik/traefik': 55_000,
  'grafana/grafana': 70_000,
  'jaegertracing/jaeger': 21_000,
  'goharbor/harbor': 25_000,
  'minio/minio': 52_000,
  'ansible/ansible': 65_000,
  'apache/flink': 25_000,
  'docker/compose': 35_000,
};

const LANGUAGES = ['Go', 'Go', 'Go', 'Go', 'Rust', 'Python', 'TypeScript', 'Java', 'C++', 'Shell', 'JavaScript', 'C'];
const LICENSES: License[] = [
  { key: 'apache-2.0', spdxId: 'Apache-2.0', name: 'Apache License 2.0' },
  { key: 'apache-2.0', spdxId: 'Apache-2.0', name: 'Apache License 2.0' },
  { key: 'mit', spdxId: 'MIT', name: 'MIT License' },
  { key: 'bsd-3-clause', spdxId: 'BSD-3-Clause', name: 'BSD 3-Clause "New" or "Revised" License' },
  { key: 'mpl-2.0', spdxId: 'MPL-2.0', name: 'Mozilla Public License 2.0' },
];
const TOPICS = ['kubernetes', 'cloud-native', 'observability', 'security', 'service-mesh', 'cncf', 'devops', 'gitops', 'monitoring', 'storage', 'networking', 'serverless', 'containers', 'golang', 'ebpf'];

/** Builds the profile of `fullName` as seen from the anchor date (the simulator's start). */
export function generateProfile(seed: number, fullName: string, anchor: number): RepoProfile {
  const [owner = fullName, name = fullName] = fullName.split('/');
  const key = `${seed}:${fullName.toLowerCase()}`;
  const u = (...parts: Array<string | number>) => unit(key, ...parts);

  const known = KNOWN_STARS[fullName.toLowerCase()];
  // Log-normal star counts: median ~400, a long tail into the tens of thousands.
  const normal = Math.sqrt(-2 * Math.log(1 - u('s1'))) * Math.cos(2 * Math.PI * u('s2'));
  const stars = known ?? Math.round(Math.min(45_000, Math.max(3, Math.exp(Math.log(400) + 1.5 * normal))));
  const ageDays = known !== undefined ? 3_300 + u('age') * 1_500 : 200 + u('age') * 3_800;
  const createdAt = Math.floor(anchor - ageDays * DAY_MS - u('tod') * DAY_MS);

  const commits = Math.round(Math.min(140_000, stars * (0.8 + u('c') * 3) + 20 + u('c0') * 200));
  const contributors = Math.max(1, Math.round(Math.sqrt(commits) * (0.6 + u('k') * 2.4)));
  // Bigger projects ship more often: ~0.1–2 releases a month, scaled by log10(stars).
  const releasePace = (0.1 + u('r') * 1.4) * Math.min(1.4, Math.max(0.2, Math.log10(stars) / 3.5));
  const releases = u('r0') < 0.15 ? 0 : Math.round(Math.min(900, (ageDays / 30) * releasePace));
  const series = (atAnchor: number, exponent: number): SeriesSpec => ({ atAnchor, exponent, breakouts: [] });

  return {
    databaseId: 10_000_000 + (hash32(key, 'id') % 900_000_000),
    owner,
    name,
    ownerType: u('owner') < 0.1 ? 'User' : 'Organization',
    createdAt,
    description: u('desc') < 0.05 ? null : `${name}: ${pick(TOPICS, u('d1'))} tooling for ${pick(TOPICS, u('d2'))}`,
    homepage: u('home') < 0.4 ? null : `https://${name.toLowerCase()}.io`,
    language: u('lang') < 0.03 ? null : pick(LANGUAGES, u('l')),
    license: u('lic') < 0.05 ? null : pick(LICENSES, u('li')),
    topics: TOPICS.filter((_, i) => u('topic', i) < 0.2),
    archived: u('arch') < 0.03,
    parent: null,
    defaultBranch: u('branch') < 0.7 ? 'main' : 'master',
    stars: series(stars, 1.1 + u('se') * 0.5),
    forks: series(KNOWN_FORKS[fullName.toLowerCase()] ?? Math.round(stars * (0.08 + u('f') * 0.3)), 1.1 + u('fe') * 0.3),
    commits: series(commits, 1 + u('ce') * 0.2),
    releases: series(releases, 1),
    contributors: series(contributors, 1 + u('ke') * 0.2),
    watchersPerStar: 0.01 + u('w') * 0.03,
    openIssues: Math.round(stars * (0.002 + u('i') * 0.02)),
    openPulls: Math.round(stars * (0.0005 + u('p') * 0.005)),
    contributorsTooLarge: false,
  };
}
