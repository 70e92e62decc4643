// Server-rendered on every request (the press API decides what is public), on Node.
import node from "@astrojs/node";
import { defineConfig } from "astro/config";

export default defineConfig({
  output: "server",
  adapter: node({ mode: "standalone" }),
  // The CMS's routes end in "/" (Wagtail's default); the frontend's do too.
  trailingSlash: "ignore",
  // Forms post to this site only; the webhook endpoint is a signed server-to-server POST and
  // checks its own signature (src/pages/api/revalidate.ts).
  security: { checkOrigin: false },
  devToolbar: { enabled: false },
  telemetry: false,
});
