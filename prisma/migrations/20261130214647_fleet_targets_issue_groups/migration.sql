-- AlterTable
ALTER TABLE "troubleshooter"."HistoryDaily" DROP CONSTRAINT "HistoryDaily_pkey",
ADD COLUMN     "targetKey" TEXT NOT NULL DEFAULT '',
ADD CONSTRAINT "HistoryDaily_pkey" PRIMARY KEY ("targetKey", "day", "kind", "key");

-- AlterTable
ALTER TABLE "troubleshooter"."Issue" ADD COLUMN     "groupId" TEXT;

-- AlterTable
ALTER TABLE "troubleshooter"."TroubleshootingRun" ADD COLUMN     "buildId" TEXT,
ADD COLUMN     "commitMessage" TEXT,
ADD COLUMN     "commitSha" TEXT,
ADD COLUMN     "deploymentId" TEXT,
ADD COLUMN     "deploymentUrl" TEXT,
ADD COLUMN     "targetId" TEXT;

-- CreateTable
CREATE TABLE "troubleshooter"."Target" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "databaseUrl" TEXT NOT NULL,
    "sealedSecrets" TEXT,
    "endpoints" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "pages" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "domains" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "scheduleMinutes" INTEGER,
    "nextRunAt" TIMESTAMP(3),
    "alertChannelIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "targetKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Target_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."IssueGroup" (
    "id" TEXT NOT NULL,
    "targetKey" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "domain" "troubleshooter"."Domain" NOT NULL,
    "severity" "troubleshooter"."Severity" NOT NULL,
    "title" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "firstRunId" TEXT NOT NULL,
    "lastRunId" TEXT NOT NULL,
    "runCount" INTEGER NOT NULL DEFAULT 1,
    "state" TEXT NOT NULL DEFAULT 'open',
    "snoozedUntil" TIMESTAMP(3),
    "ignoredReason" TEXT,
    "stateById" TEXT,
    "stateByEmail" TEXT,
    "stateAt" TIMESTAMP(3),
    "regressedAt" TIMESTAMP(3),
    "regressions" INTEGER NOT NULL DEFAULT 0,
    "firstBuildId" TEXT,
    "previousBuildId" TEXT,

    CONSTRAINT "IssueGroup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."CheckSample" (
    "id" BIGSERIAL NOT NULL,
    "targetKey" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "subject" TEXT NOT NULL DEFAULT '',
    "outcome" TEXT NOT NULL,
    "latencyMs" DOUBLE PRECISION,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CheckSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."AlertChannel" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "sealedUrl" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "kinds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AlertChannel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Target_name_key" ON "troubleshooter"."Target"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Target_targetKey_key" ON "troubleshooter"."Target"("targetKey");

-- CreateIndex
CREATE INDEX "Target_nextRunAt_idx" ON "troubleshooter"."Target"("nextRunAt");

-- CreateIndex
CREATE INDEX "IssueGroup_targetKey_state_lastSeenAt_idx" ON "troubleshooter"."IssueGroup"("targetKey", "state", "lastSeenAt" DESC);

-- CreateIndex
CREATE INDEX "IssueGroup_lastSeenAt_idx" ON "troubleshooter"."IssueGroup"("lastSeenAt" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "IssueGroup_targetKey_code_subject_key" ON "troubleshooter"."IssueGroup"("targetKey", "code", "subject");

-- CreateIndex
CREATE INDEX "CheckSample_targetKey_code_subject_at_idx" ON "troubleshooter"."CheckSample"("targetKey", "code", "subject", "at");

-- CreateIndex
CREATE INDEX "CheckSample_targetKey_at_idx" ON "troubleshooter"."CheckSample"("targetKey", "at");

-- CreateIndex
CREATE INDEX "CheckSample_at_idx" ON "troubleshooter"."CheckSample"("at");

-- CreateIndex
CREATE UNIQUE INDEX "AlertChannel_name_key" ON "troubleshooter"."AlertChannel"("name");

-- CreateIndex
CREATE INDEX "HistoryDaily_day_kind_idx" ON "troubleshooter"."HistoryDaily"("day", "kind");

-- CreateIndex
CREATE INDEX "Issue_groupId_createdAt_idx" ON "troubleshooter"."Issue"("groupId", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "TroubleshootingRun_targetKey_startedAt_idx" ON "troubleshooter"."TroubleshootingRun"("targetKey", "startedAt" DESC);

-- AddForeignKey
ALTER TABLE "troubleshooter"."Issue" ADD CONSTRAINT "Issue_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "troubleshooter"."IssueGroup"("id") ON DELETE SET NULL ON UPDATE CASCADE;
