-- AlterTable
ALTER TABLE "TroubleshootingRun" ADD COLUMN     "rolledUpAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "HistoryDaily" (
    "day" DATE NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 0,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "sum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "max" DOUBLE PRECISION NOT NULL DEFAULT 0,

    CONSTRAINT "HistoryDaily_pkey" PRIMARY KEY ("day","kind","key")
);
