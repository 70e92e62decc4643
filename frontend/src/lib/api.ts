// The press API client: types generated from the CMS's OpenAPI document (npm run types).
import createClient from "openapi-fetch";
import type { components, paths } from "./press-api";

export type Release = components["schemas"]["Release"];
/** One release as its own answer gives it: with its versions in other languages. */
export type ReleaseDetail = components["schemas"]["ReleaseDetail"];
export type ReleaseList = components["schemas"]["ReleaseList"];
export type BodyBlock = Release["body"][number];
export type ImageValue = components["schemas"]["ImageValue"];
export type Topic = components["schemas"]["Topic"];

/** The CMS's root, e.g. http://127.0.0.1:8000: the API's paths (/api/press/…) are below it. */
export const CMS_URL = (process.env.CMS_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
/** The CMS's newsroom page: its feeds (rss/, atom/, json/) are served there. */
export const CMS_NEWSROOM_URL = (process.env.CMS_NEWSROOM_URL ?? `${CMS_URL}/presse/`).replace(/\/?$/, "/");

export const api = createClient<paths>({ baseUrl: CMS_URL });

/** Releases per newsroom page, as the CMS's own newsroom. */
export const PAGE_SIZE = 10;

export class NotFound extends Error {}

/** A failed answer that is no 404 is an error page, never an empty newsroom. */
export function failure(status: number, what: string): Error {
  return status === 404 ? new NotFound(what) : new Error(`${what}: HTTP ${status}`);
}

/** The years between the oldest and the newest release, newest first: two one-row requests. */
export async function releaseYears(topic?: string): Promise<number[]> {
  const filters = topic ? { topic: [topic] } : {};
  const [newest, oldest] = await Promise.all([
    api.GET("/api/press/releases", { params: { query: { limit: 1, ...filters } } }),
    api.GET("/api/press/releases", { params: { query: { limit: 1, ordering: "release_date", ...filters } } }),
  ]);
  const last = newest.data?.results[0]?.release_date;
  const first = oldest.data?.results[0]?.release_date;
  if (!last || !first) return [];
  const years: number[] = [];
  for (let year = Number(last.slice(0, 4)); year >= Number(first.slice(0, 4)); year--) years.push(year);
  return years;
}

/** A positive integer from the query string, else undefined (a made-up value is a 404). */
export function queryNumber(url: URL, name: string, maximum: number): number | undefined | null {
  const value = url.searchParams.get(name);
  if (value === null || value === "") return undefined;
  if (!/^\d{1,9}$/.test(value)) return null;
  const number = Number(value);
  return number >= 1 && number <= maximum ? number : null;
}

const dateFormat = new Intl.DateTimeFormat("de-DE", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** 7. Februar 2023, from the API's YYYY-MM-DD. */
export function longDate(isoDate: string): string {
  return dateFormat.format(new Date(`${isoDate.slice(0, 10)}T00:00:00Z`));
}

/** The names of the content languages, each in its own language, for the links between a
 * release's versions; an unknown code is shown as it is. */
const LANGUAGE_NAMES: Record<string, string> = { de: "Deutsch", en: "English", "de-x-ls": "Leichte Sprache" };

export function languageName(code: string): string {
  return LANGUAGE_NAMES[code] ?? code;
}
