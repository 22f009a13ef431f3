-- AlterEnum
ALTER TYPE "FixStatus" ADD VALUE 'applying';

-- AlterTable
ALTER TABLE "FixAction" ADD COLUMN     "detail" TEXT,
ADD COLUMN     "params" JSONB,
ADD COLUMN     "title" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Issue" ADD COLUMN     "rank" INTEGER,
ADD COLUMN     "recommendation" TEXT,
ADD COLUMN     "relatedIds" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "TroubleshootingRun" ADD COLUMN     "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "checks" JSONB,
ADD COLUMN     "eventSeq" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "healthByDomain" JSONB,
ADD COLUMN     "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ADD COLUMN     "llm" JSONB,
ADD COLUMN     "recommendations" JSONB,
ADD COLUMN     "targetKey" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "TroubleshootingRun_targetKey_status_idx" ON "TroubleshootingRun"("targetKey", "status");
