-- AlterTable
ALTER TABLE "troubleshooter"."TroubleshootingRun" ADD COLUMN     "afterDeploy" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "previousBuildId" TEXT;

-- CreateIndex
CREATE INDEX "TroubleshootingRun_afterDeploy_startedAt_idx" ON "troubleshooter"."TroubleshootingRun"("afterDeploy", "startedAt" DESC);
