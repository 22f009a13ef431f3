-- Indexes the scale bench's plans asked for (scripts/bench/scale.ts, 50 targets x hourly runs x
-- 90 days: 108,000 runs, 1,080,000 issues).

-- The runs list filtered by "found an issue in this domain / of this severity"
-- (listRuns: issues: { some: { domain, severity } }) counts the runs with such a finding through a
-- semi join of Issue on runId. With runId in the index that side is an index-only scan of the
-- matching entries instead of heap rows: the count went from ~300 ms to ~50 ms (critical + web,
-- 36,000 matching issues, on 2 busy cores). PostgreSQL 18's skip scan serves a severity-only filter
-- from it too.
-- CreateIndex
CREATE INDEX "Issue_domain_severity_runId_idx" ON "troubleshooter"."Issue"("domain", "severity", "runId");
