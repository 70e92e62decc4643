// The frontend's routes. The CMS site names the same ones (Settings → press office settings →
// headless frontend), so every address it gives out (API html_url, feeds, sitemaps, mails)
// lands here.
export const newsroomPath = "/";
export const releasePath = (slug: string) => `/pressemitteilungen/${encodeURIComponent(slug)}/`;
export const topicPath = (slug: string) => `/themen/${encodeURIComponent(slug)}/`;
