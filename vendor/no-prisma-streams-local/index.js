// Loaded only by `prisma dev` (its local Prisma Postgres streams), which this project does not use.
// The real package requires Node >= 22; package.json's "overrides" puts this folder in its place so
// that a fresh `npm install` on Node 20 has no EBADENGINE warning.
throw new Error("@prisma/streams-local is not installed in this project (it needs Node >= 22 and serves only `prisma dev`); see package.json's overrides");
