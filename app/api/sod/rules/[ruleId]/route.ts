// PUT /api/sod/rules/[ruleId] – switch a separation-of-duties rule on or off and re-grade it (recorded)
import { z } from "zod";

import { AppError } from "@/lib/errors";
import { routeMethods } from "@/lib/http/route-methods";
import { withRoute } from "@/lib/http/with-route";
import { saveRuleSetting } from "@/lib/sod/service";
import { ruleSettingInput } from "@/lib/sod/settings";
import { RULE_IDS } from "@/lib/sod/types";

const updateRule = withRoute({
  access: { permission: "sod.configure" },
  audit: { action: "sod.rule.update" },
  response: {
    status: 200,
    description:
      "The recorded change: `{ id, ruleId, ruleTitle, changedBy, changedByName, changedAt, before, after }`",
  },
  schemas: {
    params: z.object({ ruleId: z.string().max(64) }),
    body: ruleSettingInput,
  },
  handler: async ({ session, params, body, log, audit }) => {
    const ruleId = RULE_IDS.find((id) => id === params.ruleId);
    if (!ruleId)
      throw new AppError(
        "not_found",
        `There is no separation-of-duties rule ${params.ruleId}; the rules are ${RULE_IDS.join(", ")}.`,
      );
    if (body.maxAdministrators !== undefined && ruleId !== "administrator-count")
      throw new AppError(
        "validation_failed",
        "maxAdministrators applies only to the administrator-count rule.",
      );
    const change = await saveRuleSetting(
      ruleId,
      body,
      { oid: session.userOid, name: session.displayName },
      audit,
    );
    log.info(
      { rule: ruleId, user: session.userOid, after: change.after },
      "sod rule setting changed",
    );
    return change;
  },
});

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = routeMethods({ PUT: updateRule });
