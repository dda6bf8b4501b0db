import type { GitHubClient } from './client.js';

/**
 * GitHub's clock, from the Date header of the free `GET /rate_limit`, so the horizon and recheck
 * times are on the clock that stamps the stored rows. Falls back to the local clock.
 */
export async function githubClock(client: GitHubClient): Promise<() => Date> {
  try {
    const { servedAt } = await client.rest('GET /rate_limit');
    if (servedAt) {
      const offset = servedAt.getTime() - Date.now();
      return () => new Date(Date.now() + offset);
    }
  } catch {
    // No Date to read: the local clock will do.
  }
  return () => new Date();
}
