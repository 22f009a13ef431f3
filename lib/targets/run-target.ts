// The target a run is started on, by name, for the API (POST /runs): the configured one
// ("default", or no name) or a stored one opened from its sealed secrets (openNamedTarget, as the
// CLI and the queue open it), with the failures as API errors.
import { ApiError } from "../api/errors";
import type { PrismaClient } from "../db";
import type { Env } from "../env";
import { type NamedTarget, TargetSecretsError, UnknownTargetError, openNamedTarget } from "../queue/named-target";
import { DEFAULT_TARGET_NAME } from "./scope";

export type RunTarget = Pick<NamedTarget, "target" | "targetId" | "name">;

/** Unknown names are a 422 naming `target` (the field the API and the run form use); unreadable
 * secrets a 409. */
export async function runTargetByName(prisma: PrismaClient, config: Env, name: string | undefined): Promise<RunTarget> {
  try {
    const { target, targetId, name: found } = await openNamedTarget(prisma, config, name || DEFAULT_TARGET_NAME);
    return { target, targetId, name: found };
  } catch (err) {
    if (err instanceof UnknownTargetError) throw new ApiError(422, "validation_failed", "The request is not valid.", { fields: { target: [`no target is named ${JSON.stringify(err.targetName)}`] } });
    if (err instanceof TargetSecretsError) throw new ApiError(409, "target_secrets_unreadable", `The target "${err.targetName}"'s secrets cannot be opened (AUTH_SECRET changed?): set them again on the Targets page.`);
    throw err;
  }
}
