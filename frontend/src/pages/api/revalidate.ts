// Receives the CMS's Standard Webhooks deliveries (PRESS["WEBHOOKS"] names this address with
// the secret in FRONTEND_WEBHOOK_SECRET) and forgets exactly the pages the change affects.
import type { APIRoute } from "astro";
import { api } from "../../lib/api";
import { pageCache, tagsForChange } from "../../lib/cache.mjs";
import { webhookVerify } from "../../lib/webhooks.mjs";

interface Change {
  event: string;
  release: { id: number; slug: string; versions?: number[] };
}

function isChange(value: unknown): value is Change {
  const change = value as Change | null;
  return typeof change?.event === "string" && typeof change.release?.id === "number";
}

export const POST: APIRoute = async ({ request }) => {
  const secret = process.env.FRONTEND_WEBHOOK_SECRET;
  if (!secret) return Response.json({ detail: "FRONTEND_WEBHOOK_SECRET is not set" }, { status: 503 });
  const body = await request.text();
  let change: unknown;
  try {
    change = webhookVerify({ secret, body, headers: request.headers });
  } catch (error) {
    return Response.json({ detail: (error as Error).message }, { status: 401 });
  }
  if (!isChange(change)) return Response.json({ detail: "not a release event" }, { status: 400 });
  // A published or updated release names its topics now; one that went offline cannot.
  let topics: string[] | null = null;
  if (change.event === "release.published" || change.event === "release.updated") {
    const answer = await api.GET("/api/press/releases/{id}", { params: { path: { id: change.release.id } } });
    topics = answer.data ? answer.data.topics.map((topic) => topic.slug) : null;
  }
  const purged = pageCache.purge(
    tagsForChange({ event: change.event, releaseId: change.release.id, topics, versions: change.release.versions ?? [] }),
  );
  return Response.json({ purged });
};
