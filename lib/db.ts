// Prisma client (Rust-free, over node-postgres), made by each add-on instance (lib/mount/context.ts).
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "./generated/prisma/client";

export type { PrismaClient };

export function createPrismaClient(connectionString: string): PrismaClient {
  const adapter = new PrismaPg({ connectionString, connectionTimeoutMillis: 5_000, max: 10 });
  return new PrismaClient({ adapter });
}
