# The edge cache in front of the Pressedienst CMS: Varnish 7 with the xkey vmod
# (Debian: apt-get install varnish varnish-modules). docs/operators/caching.md explains it.
#
# - Public answers are kept as long as the CMS says (Cache-Control: max-age), filed under the
#   tags it sends in the `xkey` header; the CMS purges tags (press.publishing.edge) with
#   `PURGE /` and an `xkey-purge: tag tag …` header, or one address with `PURGE <path>`.
#   Both remove the objects (xkey.purge, not softpurge): a purged answer is never served again,
#   not even as a stale copy while the CMS is down.
# - While the CMS answers its health probe, nothing stale is served: an expired copy is fetched
#   again, once for all readers waiting for it (request coalescing). While it does not, the last
#   good copy is served for as long as the CMS allowed (Cache-Control: stale-if-error, which it
#   shortens before any scheduled go-live, expiry or photo rights end).
# - The probe decides only that: what Varnish has no copy of (a purged address) is asked of the
#   CMS whatever the probe last saw. A CMS too busy to answer the probe in time (a spike) still
#   answers its readers; a 503 without asking would hit exactly the address that just changed.
# - Only what the CMS tagged (its public answers) and static files are kept. Requests with a
#   session (editors, readers past a page password) go straight to the CMS.
vcl 4.1;

import std;
import xkey;

# Whether the CMS answers: decides whether a stale copy may be served (vcl_recv), nothing else.
probe cms_answers {
    .url = "/robots.txt";
    .interval = 1s;
    # A CMS at full load (or sharing its cores with Varnish) answers late now and then; a late
    # answer is not an outage: down takes 3 misses among the last 5 probes.
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    # Healthy from the start: a fresh Varnish serves at once.
    .initial = 5;
}

# The CMS (gunicorn), asked for every fetch. `make edge`, the tests and the bench write their
# own address here and in `cms_probed`.
backend cms {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
}

# The same CMS, only probed: Varnish refuses to fetch from a backend its probe calls sick, so
# the probe sits on a backend of its own and never stops a fetch (see the top of this file).
backend cms_probed {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = cms_answers;
}

# Who may purge: the app servers. Add their addresses when they run on other machines.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone + " objects"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A session (an editor; a reader past a page password) is never answered from the cache.
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # No other cookie changes a public answer.
    unset req.http.Cookie;
    # The CMS varies its answers by language (Vary: Accept-Language): one copy per language the
    # site speaks instead of one per browser's header. Edit to the site's LANGUAGES.
    if (req.http.Accept-Language ~ "^\s*en") {
        set req.http.Accept-Language = "en";
    } else {
        set req.http.Accept-Language = "de";
    }
    # Healthy CMS: no stale copy at all (grace only while it is down, see vcl_backend_response).
    if (std.healthy(cms_probed)) {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_purge {
    return (synth(200, "Purged"));
}

sub vcl_backend_response {
    # Untagged answers (errors, redirects, the admin, the API's documents) are never shared.
    if (!beresp.http.xkey && (bereq.url !~ "^/static/" || beresp.status != 200)) {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # A background refresh that failed leaves the good copy in place.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Grace (served only while the CMS is down): what the CMS allowed with stale-if-error.
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1") + "s", 0s);
    } else {
        set beresp.grace = 0s;
    }
    # Then the built-in rules: no Set-Cookie, private, no-store or no-cache answer is kept.
}

sub vcl_deliver {
    # The tags are the edge's; readers see whether their answer came from the cache.
    unset resp.http.xkey;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
