/*
 * The audit log's vocabulary. Pure types and constants, shared by the rules, the service and the
 * pages.
 */

export const AUDIT_OUTCOMES = ["succeeded", "failed", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export const ACTOR_TYPES = ["user", "application", "system", "anonymous"] as const;
export type AuditActorType = (typeof ACTOR_TYPES)[number];

/**
 * Who did it: a signed-in user (object id, display name), the portal's application identity
 * (client id), a job of the portal (`system`, named by the job), or a caller without a session.
 */
export interface AuditActor {
  type: AuditActorType;
  id: string;
  name: string;
}

/** What was acted on, as structured data: `{ hsm, key }`, `{ rule }`, `{ feed }`, `{ request }`… */
export type AuditTarget = Record<string, string | number | boolean | null>;

/** Free-form detail of an event. Never a token, a secret or key material. */
export type AuditDetail = Record<string, unknown>;

/** An event as its writer states it; the log adds `seq`, `prev_hash` and `hash`. */
export interface AuditEventInput {
  at: number;
  actor: AuditActor;
  action: string;
  target: AuditTarget;
  outcome: AuditOutcome;
  detail: AuditDetail;
  requestId: string | null;
}

export interface AuditEvent extends AuditEventInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export const SYSTEM_ACTOR_ID = "system";
export const ANONYMOUS_ACTOR: AuditActor = {
  type: "anonymous",
  id: "anonymous",
  name: "not signed in",
};

export function userActor(user: { userOid: string; displayName: string }): AuditActor {
  return { type: "user", id: user.userOid, name: user.displayName };
}

export function systemActor(job: string): AuditActor {
  return { type: "system", id: SYSTEM_ACTOR_ID, name: job };
}

/** Dotted lower-case words: `sod.rule.update`, `session.end`, `request.approve`. */
export const ACTION_PATTERN = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/;

/**
 * What a writer knows about the event before the change is made: who, on which request, what.
 * The service adds the target and detail once the change is known. `onRecorded` lets a route
 * learn that its change recorded the event (and so it need not record one itself).
 */
export interface AuditContext {
  actor: AuditActor;
  requestId: string | null;
  action: string;
  onRecorded?: (event: AuditEvent) => void;
}

/** What a change reports about itself for its event. */
export interface AuditFacts {
  target: AuditTarget;
  detail?: AuditDetail;
  outcome?: AuditOutcome;
}
