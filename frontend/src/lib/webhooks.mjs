// @ts-check
// Standard Webhooks (https://www.standardwebhooks.com) verification, as the CMS signs them
// (press/publishing/webhooks.py): `webhook-signature` is `v1,<base64 HMAC-SHA256 of
// "{webhook-id}.{webhook-timestamp}.{raw body}">`, possibly several separated by spaces.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Five minutes either way, as the reference libraries: a captured delivery cannot be replayed. */
export const TOLERANCE_SECONDS = 5 * 60;

/**
 * The HMAC key of a secret: `whsec_<base64>` is the decoded bytes, anything else its UTF-8.
 * @param {string} secret
 * @returns {Buffer}
 */
export function webhookKey(secret) {
  if (secret.startsWith("whsec_")) return Buffer.from(secret.slice(6), "base64");
  return Buffer.from(secret, "utf8");
}

/**
 * The verified JSON payload; throws an Error saying why the delivery is refused.
 * @param {{ secret: string, body: string, headers: Headers, now?: number }} delivery
 * @returns {unknown}
 */
export function webhookVerify({ secret, body, headers, now = Date.now() / 1000 }) {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !timestamp || !signatures) throw new Error("missing webhook headers");
  const seconds = Number(timestamp);
  if (!/^\d+$/.test(timestamp) || Math.abs(now - seconds) > TOLERANCE_SECONDS) {
    throw new Error("timestamp outside the tolerance");
  }
  const expected = createHmac("sha256", webhookKey(secret))
    .update(`${id}.${timestamp}.${body}`)
    .digest();
  const matches = signatures.split(" ").some((signature) => {
    const [version, encoded] = signature.split(",", 2);
    if (version !== "v1" || !encoded) return false;
    const given = Buffer.from(encoded, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!matches) throw new Error("no valid signature");
  return JSON.parse(body);
}
