-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "troubleshooter";

-- CreateEnum
CREATE TYPE "troubleshooter"."Role" AS ENUM ('ADMIN', 'VIEWER');

-- CreateEnum
CREATE TYPE "troubleshooter"."RunStatus" AS ENUM ('queued', 'running', 'awaiting_approval', 'completed', 'failed', 'cancelled', 'interrupted');

-- CreateEnum
CREATE TYPE "troubleshooter"."RunTrigger" AS ENUM ('manual', 'cron', 'api', 'cli');

-- CreateEnum
CREATE TYPE "troubleshooter"."Domain" AS ENUM ('web', 'database', 'network');

-- CreateEnum
CREATE TYPE "troubleshooter"."Severity" AS ENUM ('critical', 'high', 'medium', 'low', 'info');

-- CreateEnum
CREATE TYPE "troubleshooter"."IssueStatus" AS ENUM ('open', 'resolved', 'unresolved', 'acknowledged');

-- CreateEnum
CREATE TYPE "troubleshooter"."FixRisk" AS ENUM ('safe', 'needs_approval', 'advice');

-- CreateEnum
CREATE TYPE "troubleshooter"."FixStatus" AS ENUM ('planned', 'pending_approval', 'approved', 'applying', 'applied', 'failed', 'rejected', 'skipped', 'advice');

-- CreateTable
CREATE TABLE "troubleshooter"."User" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT NOT NULL,
    "emailVerified" TIMESTAMP(3),
    "image" TEXT,
    "passwordHash" TEXT,
    "role" "troubleshooter"."Role" NOT NULL DEFAULT 'VIEWER',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "User_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."Account" (
    "userId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "providerAccountId" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Account_pkey" PRIMARY KEY ("provider","providerAccountId")
);

-- CreateTable
CREATE TABLE "troubleshooter"."Session" (
    "sessionToken" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Session_pkey" PRIMARY KEY ("sessionToken")
);

-- CreateTable
CREATE TABLE "troubleshooter"."VerificationToken" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VerificationToken_pkey" PRIMARY KEY ("identifier","token")
);

-- CreateTable
CREATE TABLE "troubleshooter"."TroubleshootingRun" (
    "id" TEXT NOT NULL,
    "status" "troubleshooter"."RunStatus" NOT NULL DEFAULT 'queued',
    "trigger" "troubleshooter"."RunTrigger" NOT NULL,
    "initialIssue" TEXT,
    "requestedById" TEXT,
    "requestedByEmail" TEXT,
    "target" JSONB NOT NULL,
    "targetKey" TEXT NOT NULL,
    "config" JSONB,
    "healthScoreBefore" INTEGER,
    "healthScoreAfter" INTEGER,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "durationMs" INTEGER,
    "summary" TEXT,
    "report" JSONB,
    "statusReason" TEXT,
    "eventSeq" INTEGER NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "checks" JSONB,
    "llm" JSONB,
    "recommendations" JSONB,
    "healthByDomain" JSONB,
    "rolledUpAt" TIMESTAMP(3),

    CONSTRAINT "TroubleshootingRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."RunEvent" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "phase" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."Issue" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "domain" "troubleshooter"."Domain" NOT NULL,
    "severity" "troubleshooter"."Severity" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "evidence" JSONB NOT NULL,
    "status" "troubleshooter"."IssueStatus" NOT NULL DEFAULT 'open',
    "detectedBy" TEXT NOT NULL,
    "rank" INTEGER,
    "relatedIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "recommendation" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Issue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."FixAction" (
    "id" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "issueId" TEXT,
    "code" TEXT NOT NULL,
    "title" TEXT NOT NULL DEFAULT '',
    "risk" "troubleshooter"."FixRisk" NOT NULL,
    "status" "troubleshooter"."FixStatus" NOT NULL DEFAULT 'planned',
    "needsApproval" BOOLEAN NOT NULL DEFAULT false,
    "decidedById" TEXT,
    "decidedByEmail" TEXT,
    "decidedAt" TIMESTAMP(3),
    "decisionNote" TEXT,
    "params" JSONB,
    "result" JSONB,
    "detail" TEXT,
    "verified" BOOLEAN,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FixAction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."MetricSample" (
    "id" BIGSERIAL NOT NULL,
    "runId" TEXT,
    "name" TEXT NOT NULL,
    "domain" "troubleshooter"."Domain",
    "value" DOUBLE PRECISION NOT NULL,
    "labels" JSONB,
    "recordedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetricSample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."AuditLog" (
    "id" BIGSERIAL NOT NULL,
    "actorId" TEXT,
    "actorEmail" TEXT,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "detail" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."HistoryDaily" (
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "HistoryDaily_pkey" PRIMARY KEY ("day","kind","key")
);

-- CreateTable
CREATE TABLE "troubleshooter"."LogEntry" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" INTEGER NOT NULL,
    "msg" TEXT NOT NULL,
    "component" TEXT,
    "runId" TEXT,
    "correlationId" TEXT,
    "data" JSONB NOT NULL,

    CONSTRAINT "LogEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."TrackedError" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "category" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "botName" TEXT,
    "message" TEXT NOT NULL,
    "runId" TEXT,

    CONSTRAINT "TrackedError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."Alert" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "runId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "deliveredAt" TIMESTAMP(3),
    "lastError" TEXT,
    "repeats" INTEGER NOT NULL DEFAULT 0,
    "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "troubleshooter"."login_rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "login_rate_limits_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE UNIQUE INDEX "User_email_key" ON "troubleshooter"."User"("email");

-- CreateIndex
CREATE INDEX "Account_userId_idx" ON "troubleshooter"."Account"("userId");

-- CreateIndex
CREATE INDEX "Session_userId_idx" ON "troubleshooter"."Session"("userId");

-- CreateIndex
CREATE INDEX "TroubleshootingRun_startedAt_idx" ON "troubleshooter"."TroubleshootingRun"("startedAt" DESC);

-- CreateIndex
CREATE INDEX "TroubleshootingRun_status_startedAt_idx" ON "troubleshooter"."TroubleshootingRun"("status", "startedAt" DESC);

-- CreateIndex
CREATE INDEX "TroubleshootingRun_targetKey_status_idx" ON "troubleshooter"."TroubleshootingRun"("targetKey", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RunEvent_runId_seq_key" ON "troubleshooter"."RunEvent"("runId", "seq");

-- CreateIndex
CREATE INDEX "Issue_runId_idx" ON "troubleshooter"."Issue"("runId");

-- CreateIndex
CREATE INDEX "Issue_code_createdAt_idx" ON "troubleshooter"."Issue"("code", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "Issue_domain_severity_createdAt_idx" ON "troubleshooter"."Issue"("domain", "severity", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "FixAction_runId_idx" ON "troubleshooter"."FixAction"("runId");

-- CreateIndex
CREATE INDEX "FixAction_status_idx" ON "troubleshooter"."FixAction"("status");

-- CreateIndex
CREATE INDEX "FixAction_code_createdAt_idx" ON "troubleshooter"."FixAction"("code", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "FixAction_issueId_idx" ON "troubleshooter"."FixAction"("issueId");

-- CreateIndex
CREATE INDEX "MetricSample_name_recordedAt_idx" ON "troubleshooter"."MetricSample"("name", "recordedAt" DESC);

-- CreateIndex
CREATE INDEX "MetricSample_runId_idx" ON "troubleshooter"."MetricSample"("runId");

-- CreateIndex
CREATE INDEX "MetricSample_recordedAt_idx" ON "troubleshooter"."MetricSample"("recordedAt");

-- CreateIndex
CREATE INDEX "AuditLog_createdAt_idx" ON "troubleshooter"."AuditLog"("createdAt" DESC);

-- CreateIndex
CREATE INDEX "AuditLog_action_createdAt_idx" ON "troubleshooter"."AuditLog"("action", "createdAt" DESC);

-- CreateIndex
CREATE INDEX "LogEntry_at_idx" ON "troubleshooter"."LogEntry"("at");

-- CreateIndex
CREATE INDEX "LogEntry_runId_at_idx" ON "troubleshooter"."LogEntry"("runId", "at");

-- CreateIndex
CREATE INDEX "TrackedError_at_idx" ON "troubleshooter"."TrackedError"("at");

-- CreateIndex
CREATE INDEX "TrackedError_category_at_idx" ON "troubleshooter"."TrackedError"("category", "at");

-- CreateIndex
CREATE INDEX "TrackedError_code_at_idx" ON "troubleshooter"."TrackedError"("code", "at");

-- CreateIndex
CREATE INDEX "Alert_createdAt_idx" ON "troubleshooter"."Alert"("createdAt");

-- CreateIndex
CREATE INDEX "Alert_dedupeKey_createdAt_idx" ON "troubleshooter"."Alert"("dedupeKey", "createdAt");

-- AddForeignKey
ALTER TABLE "troubleshooter"."Account" ADD CONSTRAINT "Account_userId_fkey" FOREIGN KEY ("userId") REFERENCES "troubleshooter"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "troubleshooter"."Session" ADD CONSTRAINT "Session_userId_fkey" FOREIGN KEY ("userId") REFERENCES "troubleshooter"."User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "troubleshooter"."RunEvent" ADD CONSTRAINT "RunEvent_runId_fkey" FOREIGN KEY ("runId") REFERENCES "troubleshooter"."TroubleshootingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "troubleshooter"."Issue" ADD CONSTRAINT "Issue_runId_fkey" FOREIGN KEY ("runId") REFERENCES "troubleshooter"."TroubleshootingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "troubleshooter"."FixAction" ADD CONSTRAINT "FixAction_runId_fkey" FOREIGN KEY ("runId") REFERENCES "troubleshooter"."TroubleshootingRun"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "troubleshooter"."FixAction" ADD CONSTRAINT "FixAction_issueId_fkey" FOREIGN KEY ("issueId") REFERENCES "troubleshooter"."Issue"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "troubleshooter"."MetricSample" ADD CONSTRAINT "MetricSample_runId_fkey" FOREIGN KEY ("runId") REFERENCES "troubleshooter"."TroubleshootingRun"("id") ON DELETE SET NULL ON UPDATE CASCADE;
