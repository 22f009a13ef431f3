-- AlterTable
ALTER TABLE "troubleshooter"."TroubleshootingRun" ADD COLUMN     "cancelled_by" TEXT;
