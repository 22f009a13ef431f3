-- CreateTable
CREATE TABLE "LogEntry" (
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

-- CreateIndex
CREATE INDEX "LogEntry_at_idx" ON "LogEntry"("at");

-- CreateIndex
CREATE INDEX "LogEntry_runId_at_idx" ON "LogEntry"("runId", "at");
