import "server-only";

import { applicationTokenSource } from "@/lib/auth/credentials";
import { createMsal } from "@/lib/auth/msal";
import { ConfigError, loadEnv, type Env } from "@/lib/env";
import { redactString } from "@/lib/log/redact";

import { checkHsms } from "./hsm-checks";
import { checkAppRoles, checkAuthority, checkToken } from "./identity-checks";
import { checkAuditSigningKey, checkDatabase } from "./portal-checks";
import { skipped, type DoctorCheck, type DoctorReport } from "./report";
import { doctorSetupFrom, type DoctorSetup } from "./setup";
import { checkStorage } from "./storage-checks";

/*
 * The configuration doctor: checks a configuration end to end, in the order a deployment
 * depends on it, and reports each finding with its fix. `npm run doctor` prints it; the status
 * page's Setup tab shows it to key administrators. It reads and never writes.
 */

/**
 * Findings quote upstream errors, shown in a terminal and on the Setup tab: the log's redaction
 * runs over them too, should an error ever echo a token or a SAS.
 */
function scrubbed(check: DoctorCheck): DoctorCheck {
  return {
    ...check,
    detail: redactString(check.detail),
    ...(check.fix === undefined ? {} : { fix: redactString(check.fix) }),
  };
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

async function identityChecks(
  setup: DoctorSetup,
  msal: ReturnType<typeof createMsal>,
  tokens: ReturnType<typeof applicationTokenSource>,
): Promise<{ checks: DoctorCheck[]; principalId?: string }> {
  const authority = await checkAuthority(setup, msal);
  if (authority.status === "fail")
    return {
      checks: [
        authority,
        skipped("token", "Client-credentials token", "the authority does not answer"),
        skipped("app-roles", "App roles of the registration", "the authority does not answer"),
      ],
    };
  const token = await checkToken(setup, tokens);
  const appRoles = token.principalId
    ? await checkAppRoles(setup, msal)
    : skipped("app-roles", "App roles of the registration", "there is no token");
  return { checks: [authority, token.check, appRoles], principalId: token.principalId };
}

export async function runDoctor(setup: DoctorSetup, now = Date.now()): Promise<DoctorReport> {
  let msal: ReturnType<typeof createMsal>;
  try {
    msal = createMsal(setup.msal);
  } catch (error) {
    // The credential's certificate file cannot be read or holds no key.
    return invalidConfiguration(setup.mode, [(error as Error).message]);
  }
  const tokens = applicationTokenSource(msal);
  const identity = await identityChecks(setup, msal, tokens);
  const [database, auditKey, hsms, storage] = await Promise.all([
    checkDatabase(setup.database),
    checkAuditSigningKey(setup.auditKeys),
    checkHsms(setup.hsms, tokens, identity.principalId),
    // Azure storage is reached with the portal's token; Azurite with its account key.
    checkStorage(setup.containers, identity.principalId === undefined ? undefined : tokens),
  ]);
  const environment: DoctorCheck = {
    id: "environment",
    title: "Configuration",
    status: "pass",
    detail: `Valid: ${setup.mode} mode, ${plural(setup.hsms.length, "HSM")}, ${plural(setup.containers.length, "container")}.`,
  };
  return {
    checkedAt: now,
    mode: setup.mode,
    checks: [environment, database, auditKey, ...identity.checks, ...hsms, ...storage].map(
      scrubbed,
    ),
  };
}

function invalidConfiguration(mode: DoctorReport["mode"], problems: string[]): DoctorReport {
  return {
    checkedAt: Date.now(),
    mode,
    checks: [
      {
        id: "environment",
        title: "Configuration",
        status: "fail",
        detail: `${problems.length === 1 ? "1 setting is" : `${problems.length} settings are`} wrong; nothing else was checked.`,
        fix: problems.join("\n"),
      },
    ],
  };
}

/** The doctor on a configuration source (this process's environment by default): an invalid one is its finding. */
export async function runDoctorOn(
  source?: Readonly<Record<string, string | undefined>>,
): Promise<DoctorReport> {
  let env: Env;
  try {
    env = loadEnv(source);
  } catch (error) {
    if (error instanceof ConfigError) return invalidConfiguration(error.mode, error.problems);
    throw error;
  }
  let setup: DoctorSetup;
  try {
    setup = doctorSetupFrom(env);
  } catch (error) {
    // A file the settings name cannot be read (a CA, the local stack's secrets).
    return invalidConfiguration(env.mode, [(error as Error).message]);
  }
  return runDoctor(setup);
}
