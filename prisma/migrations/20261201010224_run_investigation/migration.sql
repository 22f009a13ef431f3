-- AlterTable
ALTER TABLE "troubleshooter"."TroubleshootingRun" ADD COLUMN     "investigation" JSONB;
