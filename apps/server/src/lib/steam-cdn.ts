/**
 * Steam's image CDN: cover art for library games with a Steam app id (features/games) comes from this
 * host, and it is the one image host besides Discord's that the HTML CSP `img-src` names
 * (middleware/security-headers.ts).
 */
export const STEAM_COVER_HOST = 'https://cdn.cloudflare.steamstatic.com';
