import { z } from "zod";

import { badParameter, forbidden, HsmError } from "../errors";
import { ok } from "../http/response";
import { pattern, type Route, type RouteContext } from "../http/router";
import { parseBody } from "./keys";

/*
 * HSM settings. The only documented one is AllowKeyManagementOperationsThroughARM (boolean,
 * default "false"). No data action guards settings; in practice only administrators manage
 * them, so the emulator requires the Managed HSM Administrator role.
 */

const SETTINGS: Record<string, { type: "boolean"; defaultValue: string }> = {
  AllowKeyManagementOperationsThroughARM: { type: "boolean", defaultValue: "false" },
};

function requireAdministrator({ ctx, caller }: RouteContext) {
  if (!ctx.access.isAdministrator(caller))
    throw forbidden(
      "Only a Managed HSM Administrator may read or change settings.",
      "ForbiddenByRbac",
    );
}

function settingName(name: string): string {
  const known = Object.keys(SETTINGS).find((s) => s.toLowerCase() === name.toLowerCase());
  if (!known) throw new HsmError(404, "SettingNotFound", `There is no setting named ${name}.`);
  return known;
}

function read(rc: RouteContext, name: string) {
  const row = rc.ctx.db
    .prepare("select value from setting where hsm = ? and name = ?")
    .get(rc.ctx.config.name, name) as { value: string } | undefined;
  return { name, value: row?.value ?? SETTINGS[name]!.defaultValue, type: SETTINGS[name]!.type };
}

export const settingsRoutes: Route[] = [
  {
    method: "GET",
    match: pattern("settings"),
    operation: "SettingList",
    opClass: "admin",
    handle: (rc) => {
      requireAdministrator(rc);
      return ok({ settings: Object.keys(SETTINGS).map((name) => read(rc, name)) });
    },
  },
  {
    method: "GET",
    match: pattern("settings/:setting"),
    operation: "SettingGet",
    opClass: "admin",
    handle: (rc) => {
      requireAdministrator(rc);
      return ok(read(rc, settingName(rc.params.setting!)));
    },
  },
  {
    method: "PATCH",
    match: pattern("settings/:setting"),
    operation: "SettingUpdate",
    opClass: "admin",
    handle: (rc) => {
      requireAdministrator(rc);
      const name = settingName(rc.params.setting!);
      const { value } = parseBody(z.object({ value: z.string() }), rc.request.body);
      if (!["true", "false"].includes(value.toLowerCase()))
        throw badParameter(`${name} takes "true" or "false".`);
      rc.ctx.db
        .prepare(
          "insert into setting (hsm, name, value) values (?, ?, ?) on conflict (hsm, name) do update set value = excluded.value",
        )
        .run(rc.ctx.config.name, name, value.toLowerCase());
      return ok(read(rc, name));
    },
  },
];
