-- DropIndex
DROP INDEX "troubleshooter"."CheckSample_targetKey_code_subject_at_idx";

-- CreateIndex
CREATE INDEX "CheckSample_targetKey_code_subject_at_outcome_latencyMs_idx" ON "troubleshooter"."CheckSample"("targetKey", "code", "subject", "at", "outcome", "latencyMs");
