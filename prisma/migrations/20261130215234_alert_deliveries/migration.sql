-- CreateTable
CREATE TABLE "troubleshooter"."AlertDelivery" (
    "id" TEXT NOT NULL,
    "alertId" TEXT,
    "channelId" TEXT,
    "destination" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "httpStatus" INTEGER,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AlertDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AlertDelivery_alertId_idx" ON "troubleshooter"."AlertDelivery"("alertId");

-- CreateIndex
CREATE INDEX "AlertDelivery_channelId_createdAt_idx" ON "troubleshooter"."AlertDelivery"("channelId", "createdAt" DESC);
