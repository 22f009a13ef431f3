// Prisma client (Rust-free, over node-postgres), made by each add-on instance (lib/mount/context.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import type { PoolConfig } from "pg";
import { PrismaClient } from "./generated/prisma/client";

export type { PrismaClient };

/** `pool`: node-postgres options over these defaults. */
export function createPrismaClient(connectionString: string, pool: PoolConfig = {}): PrismaClient {
  const adapter = new PrismaPg({ connectionString, connectionTimeoutMillis: 5_000, max: 10, ...pool });
  return new PrismaClient({ adapter });
}
