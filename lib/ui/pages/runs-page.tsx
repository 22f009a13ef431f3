import type { PrismaClient } from "../../db";
import { RunsSection } from "../components/history/runs-section";

export async function RunsPage({ prisma, basePath, searchParams }: { prisma: PrismaClient; basePath: string; searchParams: Record<string, string | string[] | undefined> }) {
  return (
    <div className="tr:space-y-6">
      <h1 className="tr:text-lg tr:font-semibold">Runs</h1>
      <RunsSection prisma={prisma} action={`${basePath}/runs`} searchParams={searchParams} />
    </div>
  );
}
