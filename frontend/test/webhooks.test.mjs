// The frontend's own tests (node --test): the webhook signature and the cache's purge rule.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";
import { PageCache, tagsForChange } from "../src/lib/cache.mjs";
import { webhookVerify } from "../src/lib/webhooks.mjs";

const secret = "whsec_" + Buffer.from("frontend-test-secret").toString("base64");
const now = 1_765_000_000;

function signed(body, { id = "msg_1", timestamp = now, key = Buffer.from("frontend-test-secret") } = {}) {
  const signature = createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64");
  return new Headers({ "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${signature}` });
}

test("a delivery signed with the secret is read", () => {
  const body = JSON.stringify({ event: "release.published", release: { id: 7 } });
  assert.deepEqual(webhookVerify({ secret, body, headers: signed(body), now }), {
    event: "release.published",
    release: { id: 7 },
  });
});

test("a changed body, another key or an old timestamp is refused", () => {
  const body = '{"event":"release.published","release":{"id":7}}';
  const headers = signed(body);
  assert.throws(() => webhookVerify({ secret, body: body.replace("7", "8"), headers, now }), /signature/);
  assert.throws(() => webhookVerify({ secret, body, headers: signed(body, { key: Buffer.from("other") }), now }), /signature/);
  assert.throws(() => webhookVerify({ secret, body, headers: signed(body, { timestamp: now - 600 }), now }), /tolerance/);
  assert.throws(() => webhookVerify({ secret, body, headers: new Headers(), now }), /missing/);
});

test("a change purges the release's pages and the listings it is in, nothing else", () => {
  const cache = new PageCache();
  const page = (tags) => ({ status: 200, headers: [], body: "", tags: new Set(tags) });
  cache.set("/pressemitteilungen/a/", page(["release:1"]));
  cache.set("/pressemitteilungen/b/", page(["release:2"]));
  cache.set("/", page(["newsroom", "release:2"]));
  cache.set("/?seite=2", page(["newsroom", "release:1"]));
  cache.set("/themen/verkehr/", page(["topic:verkehr", "topic:*"]));
  cache.set("/themen/kultur/", page(["topic:kultur", "topic:*"]));
  // Every newsroom page (a new release moves all of them), its own page and its topic's.
  const purged = cache.purge(tagsForChange({ event: "release.published", releaseId: 1, topics: ["verkehr"] }));
  assert.deepEqual(purged.sort(), ["/", "/?seite=2", "/pressemitteilungen/a/", "/themen/verkehr/"]);
  assert.ok(cache.get("/pressemitteilungen/b/"));
  assert.ok(cache.get("/themen/kultur/"));
  // Gone offline, its topics are unknown: every topic page goes.
  const gone = cache.purge(tagsForChange({ event: "release.unpublished", releaseId: 2, topics: null }));
  assert.deepEqual(gone.sort(), ["/pressemitteilungen/b/", "/themen/kultur/"]);
});

test("a version's change refreshes the pages of its other versions, which link it", () => {
  const cache = new PageCache({ ttlSeconds: 60 });
  const page = (tags) => ({ status: 200, headers: [], body: "", tags: new Set(tags) });
  cache.set("/pressemitteilungen/a/", page(["release:1", "release:2"]));
  cache.set("/en/pressemitteilungen/a/", page(["release:2", "release:1"]));
  cache.set("/pressemitteilungen/b/", page(["release:3"]));
  // The Leichte-Sprache version (id 4) appears: neither page listed it yet.
  const purged = cache.purge(tagsForChange({ event: "release.published", releaseId: 4, topics: [], versions: [1, 2] }));
  assert.deepEqual(purged.sort(), ["/en/pressemitteilungen/a/", "/pressemitteilungen/a/"]);
  assert.ok(cache.get("/pressemitteilungen/b/"));
});
