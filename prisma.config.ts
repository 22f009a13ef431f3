import { defineConfig } from "prisma/config";

// The datasource URL lives here (Prisma 7). `prisma generate` does not need it; `prisma migrate
// deploy` on machines with the native engine (Vercel builds) reads DATABASE_URL.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
