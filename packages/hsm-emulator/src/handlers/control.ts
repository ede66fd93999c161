import { z } from "zod";

import { readAudit } from "../audit";
import { faultSchema } from "../config";
import { addDuration, parseDuration } from "../duration";
import { badParameter, forbidden } from "../errors";
import { ok } from "../http/response";
import { pattern, type Route, type RouteContext } from "../http/router";
import { runMaintenance } from "../maintenance";
import { ACTIONS } from "../rbac/data-actions";
import { parseBody } from "./keys";

/*
 * The emulator's own endpoints under /emulator/, not part of Managed HSM's API. The audit log is
 * readable by anyone who may read role assignments. The clock and fault controls exist only in
 * test mode, and only an HSM administrator may use them.
 */

function requireAdministrator({ ctx, caller }: RouteContext) {
  if (!ctx.access.isAdministrator(caller))
    throw forbidden(
      "Only a Managed HSM Administrator may control the emulator.",
      "ForbiddenByRbac",
    );
}

const advanceBody = z
  .object({
    seconds: z
      .number()
      .int()
      .min(0)
      .max(20 * 365 * 86_400)
      .optional(),
    duration: z.string().optional(),
  })
  .refine(
    (b) => (b.seconds === undefined) !== (b.duration === undefined),
    "give either seconds or an ISO-8601 duration",
  );

const clockBody = (rc: RouteContext) => ({
  now: new Date(rc.ctx.clock.now()).toISOString(),
  offsetSeconds: Math.round(rc.ctx.clock.offsetMs() / 1000),
});

const auditRoute: Route = {
  method: "GET",
  match: pattern("emulator/audit"),
  operation: "EmulatorAuditRead",
  opClass: "admin",
  action: ACTIONS.roleAssignmentsRead,
  apiVersionOptional: true,
  handle: ({ ctx, request }) => {
    const after = Number(request.query.get("after") ?? 0) || 0;
    const limit = Math.min(Number(request.query.get("limit") ?? 1000) || 1000, 5000);
    return ok({ value: readAudit(ctx.db, ctx.config.name, after, limit) });
  },
};

const testModeRoutes: Route[] = [
  {
    method: "GET",
    match: pattern("emulator/clock"),
    operation: "EmulatorClockRead",
    opClass: "admin",
    apiVersionOptional: true,
    skipFaults: true,
    handle: (rc) => {
      requireAdministrator(rc);
      return ok(clockBody(rc));
    },
  },
  {
    method: "POST",
    match: pattern("emulator/clock/advance"),
    operation: "EmulatorClockAdvance",
    opClass: "admin",
    apiVersionOptional: true,
    skipFaults: true,
    handle: (rc) => {
      requireAdministrator(rc);
      const body = parseBody(advanceBody, rc.request.body);
      const now = rc.ctx.clock.now();
      const duration = body.duration === undefined ? null : parseDuration(body.duration);
      if (body.duration !== undefined && !duration)
        throw badParameter(`"${body.duration}" is not an ISO-8601 duration.`);
      rc.ctx.clock.advance(duration ? addDuration(now, duration) - now : body.seconds! * 1000);
      return ok({ ...clockBody(rc), ...runMaintenance(rc.ctx) });
    },
  },
  {
    method: "GET",
    match: pattern("emulator/faults"),
    operation: "EmulatorFaultsRead",
    opClass: "admin",
    apiVersionOptional: true,
    skipFaults: true,
    handle: (rc) => {
      requireAdministrator(rc);
      return ok(rc.ctx.config.faults);
    },
  },
  {
    method: "PUT",
    match: pattern("emulator/faults"),
    operation: "EmulatorFaultsUpdate",
    opClass: "admin",
    apiVersionOptional: true,
    skipFaults: true,
    handle: (rc) => {
      requireAdministrator(rc);
      rc.ctx.config.faults = parseBody(faultSchema, rc.request.body);
      return ok(rc.ctx.config.faults);
    },
  },
];

export function controlRoutes(testMode: boolean): Route[] {
  return testMode ? [auditRoute, ...testModeRoutes] : [auditRoute];
}
