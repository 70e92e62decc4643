// Public pages are served from the page cache until a webhook says what they show changed
// (src/pages/api/revalidate.ts); the preview and the API routes never are.
import { defineMiddleware } from "astro:middleware";
import { pageCache } from "./lib/cache.mjs";

// A version of a release lives below its language (/en/pressemitteilungen/…).
const CACHED = /^\/($|pressemitteilungen\/|themen\/|[a-z]{2}(-[a-z0-9]{1,8})*\/pressemitteilungen\/)/;

export const onRequest = defineMiddleware(async (context, next) => {
  const { request, url } = context;
  if (request.method !== "GET" || !CACHED.test(url.pathname)) return next();
  const key = url.pathname + url.search;
  const hit = pageCache.get(key);
  if (hit) {
    return new Response(hit.body, { status: hit.status, headers: [...hit.headers, ["X-Frontend-Cache", "hit"]] });
  }
  const response = await next();
  const body = await response.text();
  const tags = context.locals.tags;
  if (response.status === 200 && tags) {
    pageCache.set(key, { status: 200, headers: [...response.headers], body, tags: new Set(tags) });
  }
  const headers = new Headers(response.headers);
  headers.set("X-Frontend-Cache", "miss");
  return new Response(body, { status: response.status, headers });
});
