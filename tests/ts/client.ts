// A small frontend client written against types generated from the press API's OpenAPI
// document (tests/test_ts_contract.py generates ./press-api.d.ts, then type-checks this file).
// If a schema change would break a frontend like this one, the check fails.
import type { components, paths } from "./press-api";

type Schemas = components["schemas"];
export type Release = Schemas["Release"];
export type BodyBlock = Release["body"][number];
export type Problem = Schemas["Problem"];

export type Topic = Schemas["Topic"];
export type ReleaseTopic = Release["topics"][number];
export type Tag = Release["tags"][number];

type ListOperation = paths["/api/press/releases"]["get"];
export type ReleaseQuery = NonNullable<ListOperation["parameters"]["query"]>;
export type ReleaseList = ListOperation["responses"][200]["content"]["application/json"];
type LookupQuery = NonNullable<
  paths["/api/press/releases/by-path"]["get"]["parameters"]["query"]
>;

export class PressApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.parameter ? `${problem.parameter}: ${problem.detail}` : problem.detail);
  }
}

async function getJson<T>(url: string, etag?: string): Promise<T | null> {
  const response = await fetch(url, { headers: etag ? { "If-None-Match": etag } : {} });
  if (response.status === 304) return null; // the cached copy is current
  if (!response.ok) throw new PressApiError((await response.json()) as Problem);
  return (await response.json()) as T;
}

type QueryValue = string | number | null | undefined | readonly string[];

function queryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    // A repeatable filter (`topic`, `tag`) is sent once per value: topic=a&topic=b.
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.set(key, String(value));
  }
  return params.toString();
}

export function listReleases(base: string, query: ReleaseQuery = {}) {
  return getJson<ReleaseList>(`${base}/api/press/releases?${queryString(query)}`);
}

type TopicList = paths["/api/press/topics"]["get"]["responses"][200]["content"]["application/json"];

/** The filter menu: each topic with the number of its releases, empty ones left out. */
export async function topicMenu(base: string): Promise<{ label: string; slug: string }[]> {
  const list = await getJson<TopicList>(`${base}/api/press/topics`);
  const topics: Topic[] = list?.results ?? [];
  return topics
    .filter((topic) => topic.release_count > 0)
    .map((topic) => ({ label: `${topic.name} (${topic.release_count})`, slug: topic.slug }));
}

/** Releases in any of the chosen topics that carry the tag, with their topics' names. */
export async function releasesInTopics(base: string, topics: string[], tag?: string) {
  const page = await listReleases(base, { topic: topics, tag: tag ? [tag] : undefined, year: 2024 });
  return (page?.results ?? []).map((release) => ({
    title: release.title,
    topics: release.topics.map((topic: ReleaseTopic) => topic.name),
    tags: release.tags.map((tag: Tag) => tag.slug),
  }));
}

export function releaseByRoute(base: string, path: LookupQuery["path"]) {
  return getJson<Release>(`${base}/api/press/releases/by-path?${queryString({ path })}`);
}

export function releaseById(base: string, id: Release["id"], etag?: string) {
  return getJson<Release>(`${base}/api/press/releases/${id}`, etag);
}

/** One line of text per block; the switch narrows each block by its `type`. */
export function blockText(block: BodyBlock): string {
  switch (block.type) {
    case "paragraph":
      return block.value.text;
    case "quote": {
      const { name, role, text_plain } = block.value;
      return `${role ? `${role} ${name}` : name}: „${text_plain}“`;
    }
    case "image": {
      const credit = `©${block.value.credit}`;
      return block.value.image ? `${block.value.caption} ${credit} <${block.value.image.url}>` : credit;
    }
    default: {
      const unknown: never = block; // a new block type must be handled here
      return unknown;
    }
  }
}

export function quotedPeople(release: Release): string[] {
  return release.body.flatMap((block) => (block.type === "quote" ? [block.value.name] : []));
}

export function photoCredits(release: Release): string[] {
  return release.photos.map((photo) => photo.credit);
}

export function srcset(block: Extract<BodyBlock, { type: "image" }>): string {
  const renditions = block.value.image?.renditions ?? [];
  return renditions.map((rendition) => `${rendition.url} ${rendition.width}w`).join(", ");
}

export function contactLine(release: Release): string {
  const contact = release.contact;
  return contact ? `${contact.name}, ${contact.email}, ${contact.phone}` : "";
}

export async function newestQuotes(base: string): Promise<string[]> {
  const page = await listReleases(base, { year: 2023, ordering: "-release_date", limit: 10 });
  const releases: Release[] = page?.results ?? [];
  const dates: string[] = releases.map((release) => release.release_date);
  const textUrls: (string | null)[] = releases.map((release) => release.text_url);
  const downloads: (string | null)[] = releases.flatMap((release) => [
    release.pdf_url,
    release.press_kit_url,
  ]);
  void dates;
  void textUrls;
  void downloads;
  return releases.flatMap(quotedPeople);
}
