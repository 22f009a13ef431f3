// The Next.js build id a target's page names. Read from the page the assessment fetches anyway
// (the base URL), never from a request of its own. Where Next.js puts it:
// - Pages Router: `__NEXT_DATA__` has `"buildId":"<id>"`;
// - older App Router pages and the Pages Router load `/_next/static/<id>/_buildManifest.js`
//   (or `_ssgManifest.js`);
// - App Router (Next 14-16): the RSC payload's root object has `"b":"<id>"`, inside a
//   `self.__next_f.push([1,"..."])` string, so its quotes are escaped (`\"b\":\"<id>\"`).
// A page that shows none (not Next.js, or a page that hides it) leaves it null: "build id not
// visible", never a guess.

/** Next's own ids are 21 characters of nanoid ([A-Za-z0-9_-]); a custom generateBuildId is often
 * a git SHA or a version ("v1.2.3"). Anything else (spaces, quotes, markup, 65+ characters) is not
 * taken for a build id. */
export const BUILD_ID_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const ID = "([A-Za-z0-9][A-Za-z0-9._-]{0,63})";
/** In the order they are trusted: the explicit names first, the RSC key (a one-letter key, so it
 * must be the root object's, between `{`/`,` and `,`/`}`, and 6+ characters long) last. */
const PATTERNS = [
  new RegExp(`"buildId":"${ID}"`),
  new RegExp(`/_next/static/${ID}/_(?:build|ssg)Manifest\\.js`),
  /[{,]\\?"b\\?":\\?"([A-Za-z0-9_-]{6,64})\\?"[,}]/,
];

/** Matches as soon as any pattern can (for reading a streamed page only until its build id). */
export const BUILD_ID_ANYWHERE = new RegExp(PATTERNS.map((p) => p.source).join("|"));

export function isBuildId(value: string): boolean {
  return BUILD_ID_SHAPE.test(value) && value !== "development";
}

/** The build id `html` names, or null when it names none (or only something that is not one:
 * `next dev` serves "development", which identifies no build). */
export function parseBuildId(html: string): string | null {
  for (const pattern of PATTERNS) {
    const id = pattern.exec(html)?.[1];
    if (id && isBuildId(id)) return id;
  }
  return null;
}

/** How a build id is shown: the first 8 characters (Next's ids are random, 8 tell them apart). */
export const shortBuildId = (id: string) => (id.length > 10 ? id.slice(0, 8) : id);
