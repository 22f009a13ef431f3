// Accounts the e2e global setup creates in the test database.
export const ADMIN = { email: "admin@e2e.test", password: "e2e-admin-password-1" };
export const VIEWER = { email: "viewer@e2e.test", password: "e2e-viewer-password-1" };
