// What a release's <head> says: description and the JSON-LD NewsArticle, from the API's data.
import type { Release } from "./api";

export function releaseDescription(release: Release): string {
  if (release.lead) return release.lead;
  const first = release.body.find((block) => block.type === "paragraph");
  const text = first?.type === "paragraph" ? first.value.text : "";
  return text.length > 200 ? `${text.slice(0, 197).trimEnd()}…` : text;
}

export function jsonLd(release: Release, address: string): object {
  return {
    "@context": "https://schema.org",
    "@type": "NewsArticle",
    headline: release.title,
    description: releaseDescription(release),
    datePublished: release.first_published_at ?? release.release_date,
    dateModified: release.last_published_at ?? release.release_date,
    mainEntityOfPage: release.html_url ?? address,
    inLanguage: release.language,
    image: release.photos.flatMap((photo) => (photo.image ? [photo.image.url] : [])),
    ...(release.contact ? { author: { "@type": "Person", name: release.contact.name } } : {}),
  };
}
