import { jsonError } from "@/lib/api/errors";
import { withAdmin } from "@/lib/auth/guard";

export const dynamic = "force-dynamic";

/** Unknown admin paths answer like the known ones to strangers (401/403), and 404 only to an
 * admin: the admin API does not reveal what exists to anonymous callers. */
const notFound = withAdmin<{ path: string[] }>(async () => jsonError(404, "not_found", "No such admin endpoint."));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
