import { auditLog } from "../../../db/schema";
import { db, type Executor, placeholders, reusable } from "../../.server/db.server";
import { redactPath } from "../../.server/logger.server";

/** Who is acting, carried from the route to the service (and into the audit log). */
export interface Actor {
  type: "applicant" | "helper" | "staff" | "system";
  id?: string;
  /** A helper acting for an applicant: the applicant's EOI id. */
  onBehalfOf?: string;
  ip?: string;
  requestId?: string;
}

export const systemActor: Actor = { type: "system" };

/** One audit row, written in the caller's transaction so it commits with the change it records. */
export async function audit(
  tx: Executor,
  actor: Actor,
  action: string,
  subject?: { type: string; id: string },
  details: Record<string, unknown> = {},
): Promise<void> {
  await insertAudit(tx, {
    actorType: actor.type,
    actorId: actor.id ?? null,
    onBehalfOf: actor.onBehalfOf ?? null,
    action,
    subjectType: subject?.type ?? null,
    subjectId: subject?.id ?? null,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
    details,
  });
}

const insertAudit = reusable((executor) =>
  executor
    .insert(auditLog)
    .values(
      placeholders(
        "actorType",
        "actorId",
        "onBehalfOf",
        "action",
        "subjectType",
        "subjectId",
        "ip",
        "requestId",
        "details",
      ),
    ),
);

/**
 * A signed-in person refused a page or an action (`permission`): audited as
 * `<actor type>.access_denied`, as every failed access decision must be (ASVS 7.2.2).
 */
export const auditAccessDenied = (actor: Actor, permission: string, request: Request) =>
  audit(db(), actor, `${actor.type}.access_denied`, undefined, {
    permission,
    method: request.method,
    path: redactPath(new URL(request.url).pathname),
  });
