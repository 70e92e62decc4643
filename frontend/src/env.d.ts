/// <reference path="../.astro/types.d.ts" />
declare namespace App {
  interface Locals {
    /** What the page shows ("release:12", "newsroom", "topic:verkehr"): its cache tags. */
    tags?: string[];
  }
}
