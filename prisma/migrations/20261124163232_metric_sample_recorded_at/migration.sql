-- CreateIndex
CREATE INDEX "MetricSample_recordedAt_idx" ON "MetricSample"("recordedAt");
