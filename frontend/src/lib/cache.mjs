// @ts-check
// The frontend's page cache: rendered public pages, each tagged with what it shows
// ("release:12", "newsroom", "topic:verkehr"). A webhook purges exactly the pages of the tags a
// change affects; the short lifetime is only a safety net for a lost delivery. The press API
// decides what is public: a page is cached only after it answered 200 for the public.

/** @typedef {{ status: number, headers: [string, string][], body: string, tags: Set<string>, expires: number }} Entry */

export class PageCache {
  /** @param {{ ttlSeconds?: number, maxEntries?: number }} [options] */
  constructor({ ttlSeconds = 60, maxEntries = 500 } = {}) {
    this.ttl = ttlSeconds * 1000;
    this.maxEntries = maxEntries;
    /** @type {Map<string, Entry>} */
    this.entries = new Map();
  }

  /** @param {string} key @param {number} [now] @returns {Entry | undefined} */
  get(key, now = Date.now()) {
    const entry = this.entries.get(key);
    if (entry && entry.expires > now) return entry;
    this.entries.delete(key);
    return undefined;
  }

  /** @param {string} key @param {Omit<Entry, "expires">} entry @param {number} [now] */
  set(key, entry, now = Date.now()) {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { ...entry, expires: now + this.ttl });
  }

  /** Forgets every page showing one of the tags; returns the keys (paths) forgotten.
   * @param {Iterable<string>} tags @returns {string[]} */
  purge(tags) {
    const wanted = new Set(tags);
    const purged = [];
    for (const [key, entry] of this.entries) {
      if ([...entry.tags].some((tag) => wanted.has(tag))) {
        this.entries.delete(key);
        purged.push(key);
      }
    }
    return purged;
  }
}

/**
 * The tags a release event affects: the release's own pages, the newsroom's listings, and the
 * listings of its topics (`topics`: known for a published release; for one that went offline
 * every topic listing, since what it was filed under is no longer public), and the pages of its
 * versions in other languages (`versions`, ids), which link it.
 * @param {{ event: string, releaseId: number, topics: string[] | null, versions?: number[] }} change
 * @returns {string[]}
 */
export function tagsForChange({ event, releaseId, topics, versions = [] }) {
  const tags = [`release:${releaseId}`, ...versions.map((id) => `release:${id}`), "newsroom"];
  if (topics === null || event === "release.unpublished" || event === "release.deleted") {
    tags.push("topic:*");
  }
  for (const slug of topics ?? []) tags.push(`topic:${slug}`);
  return tags;
}

/** The process's one cache (the middleware fills it, the webhook purges it). */
export const pageCache = new PageCache({
  ttlSeconds: Number(process.env.FRONTEND_CACHE_SECONDS ?? 60),
});
