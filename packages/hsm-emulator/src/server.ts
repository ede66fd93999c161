import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { closeServers, listenOnLoopback } from "@keyward/local-https";

import { recordAudit } from "./audit";
import { createTokenVerifier, type VerifiedCaller } from "./auth";
import { failInterruptedJobs } from "./backup/jobs";
import { createClock, type Clock } from "./clock";
import { emulatorSchema, type EmulatorConfigInput, type HsmConfig } from "./config";
import type { HsmContext } from "./context";
import { forbidden, HsmError } from "./errors";
import { applyFaults, ConnectionReset } from "./faults";
import { backupRoutes } from "./handlers/backup";
import { controlRoutes } from "./handlers/control";
import { cryptoRoutes } from "./handlers/crypto";
import { keyRoutes } from "./handlers/keys";
import { rbacRoutes } from "./handlers/rbac";
import { securityDomainRoutes } from "./handlers/security-domain";
import { settingsRoutes } from "./handlers/settings";
import { checkApiVersion, readRequest } from "./http/request";
import { errorResponse, send, type HsmResponse } from "./http/response";
import type { Params, Route } from "./http/router";
import { createLogger, type Logger, type LogLevel } from "./log";
import { runMaintenance } from "./maintenance";
import { createAccess } from "./rbac/access";
import { BUILT_IN_ROLE_IDS, roleDefinitionId } from "./rbac/builtin-roles";
import { seal, unseal } from "./seal";
import { openStore, type EmulatorDb } from "./store/database";
import { insertAssignment } from "./store/rbac";

/*
 * The Managed HSM emulator: one HTTPS listener per configured HSM, each with its own keys, role
 * assignments, settings and faults, over one SQLite store and one clock. Every request goes
 * through the same pipeline: challenge, token, api-version, faults, data action, handler, audit.
 */

export interface EmulatorOptions {
  tls: { cert: string; key: string };
  /** The CA trusted for the identity provider's keys (the local CA); none for public issuers. */
  caPem?: string;
  logLevel: LogLevel;
}

export interface RunningEmulator {
  hsms: { name: string; region: string; port: number; url: string }[];
  contexts: Map<string, HsmContext>;
  clock: Clock;
  /** Moves the clock forward, then lets every HSM do what falls due (rotations, purges). */
  advanceClock: (ms: number) => void;
  close: () => Promise<void>;
}

const MAINTENANCE_INTERVAL_MS = 5_000;

function routeTable(testMode: boolean): Route[] {
  return [
    ...keyRoutes,
    ...cryptoRoutes,
    ...rbacRoutes,
    ...backupRoutes,
    ...settingsRoutes,
    ...securityDomainRoutes,
    ...controlRoutes(testMode),
  ];
}

/** The route matching the path with the most literal segments, so /keys/k/versions is never read as a version. */
function findRoute(
  routes: Route[],
  method: string,
  segments: string[],
): { route: Route; params: Params } | { methods: string[] } {
  let best: { route: Route; params: Params; literals: number } | undefined;
  const methods = new Set<string>();
  for (const route of routes) {
    const params = route.match(segments);
    if (!params) continue;
    methods.add(route.method);
    if (route.method !== method) continue;
    const literals = segments.length - Object.keys(params).length;
    if (!best || literals > best.literals) best = { route, params, literals };
  }
  return best ?? { methods: [...methods] };
}

function securityDomainKey(db: EmulatorDb, masterKey: Buffer, name: string): Buffer {
  const row = db.prepare("select sealed_key from security_domain where name = ?").get(name) as
    { sealed_key: string } | undefined;
  if (row) {
    const opened = unseal(row.sealed_key, masterKey, "security-domain");
    if (!opened)
      throw new Error(
        `the security domain ${name} cannot be unsealed with this instance's master key`,
      );
    return Buffer.from(opened, "base64");
  }
  const key = randomBytes(32);
  db.prepare("insert into security_domain (name, sealed_key) values (?, ?)").run(
    name,
    seal(key.toString("base64"), masterKey, "security-domain"),
  );
  return key;
}

/** Creates the HSM on first start, with its initial administrators, as at HSM creation in Azure. */
function provision(db: EmulatorDb, config: HsmConfig, clock: Clock, log: Logger): void {
  const exists = db.prepare("select name from hsm where name = ?").get(config.name);
  if (exists) return;
  db.transaction(() => {
    db.prepare("insert into hsm (name, security_domain, created) values (?, ?, ?)").run(
      config.name,
      config.securityDomain ?? config.name,
      clock.now(),
    );
    for (const principalId of config.administrators)
      insertAssignment(
        db,
        config.name,
        {
          name: randomUUID(),
          scope: "/",
          roleDefinitionId: roleDefinitionId(BUILT_IN_ROLE_IDS.administrator),
          principalId: principalId.toLowerCase(),
        },
        clock.now(),
      );
  })();
  log.info(
    { hsm: config.name, administrators: config.administrators.length },
    "provisioned a new HSM",
  );
}

export async function startEmulator(
  rawConfig: EmulatorConfigInput,
  options: EmulatorOptions,
): Promise<RunningEmulator> {
  const config = emulatorSchema.parse(rawConfig);
  const log = createLogger(options.logLevel);
  const { db, masterKey } = openStore(config.dataDir);
  const clock = createClock(config.clockStart ? Date.parse(config.clockStart) - Date.now() : 0);
  const verify = createTokenVerifier({
    issuer: config.issuer,
    tenantId: config.tenantId,
    caPem: options.caPem,
  });
  const routes = routeTable(config.testMode);
  const contexts = new Map<string, HsmContext>();

  for (const hsm of config.hsms) {
    provision(db, hsm, clock, log);
    const ctx: HsmContext = {
      config: hsm,
      db,
      masterKey,
      securityDomainKey: securityDomainKey(db, masterKey, hsm.securityDomain ?? hsm.name),
      clock,
      access: createAccess(db, hsm.name),
      log: log.child({ hsm: hsm.name }),
      testMode: config.testMode,
    };
    failInterruptedJobs(ctx);
    contexts.set(hsm.name, ctx);
  }

  async function handle(ctx: HsmContext, req: IncomingMessage, res: ServerResponse) {
    const requestId = randomUUID();
    let caller: VerifiedCaller | null = null;
    let operation = "Unknown";
    let keyName: string | null = null;
    let response: HsmResponse | null;
    // An injected reset: the connection is destroyed instead of answered (after handling or not).
    let resetAfter = false;
    try {
      const request = await readRequest(req, ctx.config.port, requestId);
      const found = findRoute(routes, request.method, request.segments);
      if (!("route" in found)) {
        throw found.methods.length > 0
          ? new HsmError(
              405,
              "MethodNotAllowed",
              `${request.method} is not allowed here; use ${found.methods.join(" or ")}.`,
            )
          : new HsmError(
              404,
              "NotFound",
              `There is no operation at ${request.method} /${request.segments.join("/")}.`,
            );
      }
      const { route, params } = found;
      operation = route.operation;
      keyName = route.keyName?.(params) ?? null;
      caller = await verify(request.authorization);
      checkApiVersion(request, route.apiVersionOptional ?? false);
      if (!route.skipFaults) ({ resetAfter } = await applyFaults(ctx.config.faults, route.opClass));
      const authorize = (action: string, key: string | null) => {
        if (!ctx.access.allows(caller!, action, key))
          throw forbidden(
            `Caller is not authorized to perform action on resource.\r\nCaller: oid=${caller!.oid}\r\nAction: '${action}'\r\nResource: '${key ? `/keys/${key}` : "/"}'\r\nAssignment: (not found)\r\nDecisionReason: 'DeniedWithNoValidRBAC'\r\nVault: ${ctx.config.name};location=${ctx.config.region}`,
            "ForbiddenByRbac",
          );
      };
      if (route.action) authorize(route.action, keyName);
      response = await route.handle({ ctx, request, params, caller, authorize });
    } catch (error) {
      if (error instanceof ConnectionReset) response = null;
      else if (error instanceof HsmError) response = errorResponse(error);
      else {
        ctx.log.error({ err: error, requestId }, "request failed");
        response = errorResponse(
          new HsmError(
            500,
            "InternalError",
            `An unexpected error occurred (request ${requestId}).`,
          ),
        );
      }
    }
    if (response === null || resetAfter) req.socket.destroy();
    else send(res, ctx.config.region, requestId, response);
    recordAudit(db, {
      time: clock.now(),
      hsm: ctx.config.name,
      requestId,
      caller: caller?.oid ?? null,
      operation,
      keyName,
      // 0: no answer reached the caller (an injected reset), whatever the HSM did.
      status: response === null || resetAfter ? 0 : response.status,
    });
  }

  const servers: Server[] = [];
  for (const ctx of contexts.values()) {
    servers.push(
      ...(await listenOnLoopback(
        (req, res) => void handle(ctx, req, res),
        ctx.config.port,
        options.tls,
      )),
    );
  }
  const maintenance = setInterval(() => {
    for (const ctx of contexts.values()) runMaintenance(ctx);
  }, MAINTENANCE_INTERVAL_MS);
  maintenance.unref();
  for (const ctx of contexts.values()) runMaintenance(ctx);

  const hsms = config.hsms.map((h) => ({
    name: h.name,
    region: h.region,
    port: h.port,
    url: `https://localhost:${h.port}`,
  }));
  log.info(
    { hsms: hsms.map((h) => `${h.name} ${h.url}`), testMode: config.testMode },
    "Managed HSM emulator listening",
  );
  return {
    hsms,
    contexts,
    clock,
    advanceClock: (ms) => {
      clock.advance(ms);
      for (const ctx of contexts.values()) runMaintenance(ctx);
    },
    close: async () => {
      clearInterval(maintenance);
      await closeServers(servers);
      db.close();
    },
  };
}
