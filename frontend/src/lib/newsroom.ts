// The newsroom's and a topic page's data: releases newest first, by year, topic and search.
import type { ReleaseList, Topic } from "./api";
import { api, failure, PAGE_SIZE, queryNumber, releaseYears } from "./api";
import { newsroomPath, topicPath } from "./routes";

export interface Newsroom {
  list: ReleaseList;
  page: number;
  year: number | undefined;
  q: string;
  years: number[];
  topics: Topic[];
  topic: Topic | undefined;
  filterTopic: string | undefined;
  base: string;
  tags: string[];
}

/** The newsroom's data; null: this page does not exist (a made-up page, year or topic). */
export async function newsroomLoad(url: URL, topicSlug?: string): Promise<Newsroom | null> {
  const pageNumber = queryNumber(url, "seite", 100_000);
  const year = queryNumber(url, "jahr", 9999);
  if (pageNumber === null || year === null) return null;
  const page = pageNumber ?? 1;
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 200);
  const filterTopic = topicSlug ?? (url.searchParams.get("thema") || undefined);
  const [listAnswer, topicsAnswer, years] = await Promise.all([
    api.GET("/api/press/releases", {
      params: {
        query: {
          limit: PAGE_SIZE,
          offset: (page - 1) * PAGE_SIZE,
          ...(year ? { year } : {}),
          ...(q ? { q } : {}),
          ...(filterTopic ? { topic: [filterTopic] } : {}),
        },
      },
    }),
    api.GET("/api/press/topics"),
    releaseYears(topicSlug),
  ]);
  // An unknown topic is a 400 of the API: a page that does not exist here.
  if (listAnswer.response.status === 400 && filterTopic) return null;
  if (!listAnswer.data) throw failure(listAnswer.response.status, "releases");
  if (!topicsAnswer.data) throw failure(topicsAnswer.response.status, "topics");
  const list = listAnswer.data;
  if (page > 1 && list.results.length === 0) return null;
  const topic = topicSlug ? topicsAnswer.data.results.find((t) => t.slug === topicSlug) : undefined;
  if (topicSlug && !topic) return null;
  return {
    list,
    page,
    year,
    q,
    years,
    topics: topicsAnswer.data.results.filter((t) => t.release_count > 0),
    topic,
    filterTopic,
    base: topicSlug ? topicPath(topicSlug) : newsroomPath,
    tags: [
      // A topic's page changes with its topic's releases, the newsroom with any release.
      ...(topicSlug ? [`topic:${topicSlug}`, "topic:*"] : ["newsroom"]),
      ...list.results.map((release) => `release:${release.id}`),
    ],
  };
}

/** The listing's address with some of its filters changed (the page number reset). */
export function newsroomLink(newsroom: Newsroom, changes: Record<string, string | number | undefined>): string {
  const values: Record<string, string | number | undefined> = {
    jahr: newsroom.year,
    thema: newsroom.topic ? undefined : newsroom.filterTopic,
    q: newsroom.q || undefined,
    ...changes,
  };
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined) query.set(name, String(value));
  const text = query.toString();
  return text ? `${newsroom.base}?${text}` : newsroom.base;
}
