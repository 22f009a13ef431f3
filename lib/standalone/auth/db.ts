// The standalone app's own sign-in reads its users and sessions through one Prisma client per
// process (the host's own concern, like a host's Auth.js adapter): Next's dev server reloads
// modules, so it lives on globalThis.
import { type PrismaClient, createPrismaClient } from "../../db";
import { env } from "../../env";

const globalForPrisma = globalThis as unknown as { standalonePrisma?: PrismaClient };

export function db(): PrismaClient {
  globalForPrisma.standalonePrisma ??= createPrismaClient(env().DATABASE_URL);
  return globalForPrisma.standalonePrisma;
}
