// The add-on's whole API (lib/api/routes.ts), as any host mounts it.
import { troubleshooter } from "@/lib/standalone/troubleshooter";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = troubleshooter.handlers;
export const dynamic = "force-dynamic";
export const maxDuration = 300;
