import { setTimeout as sleep } from "node:timers/promises";

/*
 * Signed-in clients on a realistic mix, for bench/load.ts. Each client is one person's session
 * that loops until the deadline: it picks an action by its role's weights, sends it, records
 * how long the answer took, then thinks for 0.5–2 s as a person would. Key administrators read
 * the inventory and file tag changes; approvers review and approve them; auditors read the
 * audit log and the requests; requesters look at their own keys and requests.
 */

/** How long a person thinks between two actions. */
export const THINK_MS = { min: 500, max: 2_000 } as const;

export type Role = "keyadmin" | "approver" | "auditor" | "requester";

export interface LoadTarget {
  base: string;
  /** The portal's public origin, which a change's Origin header must name. */
  origin: string;
  /** Keys that exist on the HSM (the demo's), for key pages and filed changes. */
  keys: readonly { hsm: string; name: string }[];
}

export interface Client {
  role: Role;
  cookie: string;
}

export interface Sample {
  action: string;
  ms: number;
  status: number;
  /** False for an answer the action does not expect (any 5xx, and 4xx but the expected ones). */
  ok: boolean;
}

interface Action {
  name: string;
  weight: number;
  run: (client: Client, target: LoadTarget, n: number) => Promise<Sample[]>;
}

const pick = <T>(items: readonly T[], n: number): T => items[n % items.length]!;

async function timed(
  action: string,
  url: string,
  init: RequestInit,
  expected: readonly number[] = [200],
): Promise<{ sample: Sample; body: string }> {
  const started = performance.now();
  const response = await fetch(url, { ...init, redirect: "manual" });
  const body = await response.text();
  const ms = performance.now() - started;
  return {
    sample: { action, ms, status: response.status, ok: expected.includes(response.status) },
    body,
  };
}

/** An action that loads one page (or API answer) and expects 200. */
export function page(
  name: string,
  path: (target: LoadTarget, n: number) => string,
  weight: number,
) {
  return {
    name,
    weight,
    run: async (client: Client, target: LoadTarget, n: number) => [
      (
        await timed(name, `${target.base}${path(target, n)}`, {
          headers: { cookie: client.cookie },
        })
      ).sample,
    ],
  } satisfies Action;
}

const mutation = (client: Client, target: LoadTarget, body: unknown): RequestInit => ({
  method: "POST",
  headers: {
    cookie: client.cookie,
    origin: target.origin,
    "content-type": "application/json",
  },
  body: JSON.stringify(body),
});

const keysPage = page("/keys (filtered)", (_t, n) => `/keys?q=bench-key-${n % 50}&page=1`, 3);
const keysFirst = page("/keys", () => "/keys", 2);
const keyPage = page(
  "/keys/{hsm}/{name}",
  (t, n) => {
    const key = pick(t.keys, n);
    return `/keys/${key.hsm}/${encodeURIComponent(key.name)}`;
  },
  2,
);
const keysApi = page("GET /api/keys", (_t, n) => `/api/keys?q=bench-key-${n % 50}`, 1);
const calendar = page("/calendar", () => "/calendar", 1);
const requestsAll = page("/requests", () => "/requests", 1);
const auditPage = page("/audit", () => "/audit", 3);
const auditFiltered = page("/audit (filtered)", () => "/audit?action=request.file", 1);
const accessPage = page("/access", () => "/access", 1);

const fileChange: Action = {
  name: "POST /api/requests",
  weight: 1,
  run: async (client, target, n) => {
    const key = pick(target.keys, n);
    const { sample } = await timed(
      "POST /api/requests",
      `${target.base}/api/requests`,
      mutation(client, target, {
        kind: "key.update",
        hsm: key.hsm,
        justification: "Load test: tag the key with its owner",
        items: [{ key: key.name, tags: { owner: `team-${n}` } }],
      }),
      // 409: the key already has a change waiting; a person would wait for it.
      [201, 409],
    );
    return [sample];
  },
};

const review: Action = {
  name: "POST /api/requests/{id}/approve",
  weight: 2,
  run: async (client, target) => {
    const list = await timed(
      "GET /api/requests?toReview",
      `${target.base}/api/requests?toReview=true`,
      {
        headers: { cookie: client.cookie },
      },
    );
    const first = (JSON.parse(list.body) as { requests?: { id: string }[] }).requests?.[0];
    if (!first) return [list.sample];
    const detail = await timed("/requests/{id}", `${target.base}/requests/${first.id}`, {
      headers: { cookie: client.cookie },
    });
    // 409: another approver decided it first. The approvers are one person signed in ten times:
    // when two of those sessions approve the same request at once, the later is told that this
    // person has decided it already (403), which is the right answer.
    const approve = await timed(
      "POST /api/requests/{id}/approve",
      `${target.base}/api/requests/${first.id}/approve`,
      mutation(client, target, { comment: "Looks right" }),
      [200, 409],
    );
    if (approve.sample.status === 403 && approve.body.includes("decided this request already"))
      approve.sample.ok = true;
    return [list.sample, detail.sample, approve.sample];
  },
};

const MIX: Record<Role, Action[]> = {
  keyadmin: [keysPage, keysFirst, keyPage, keysApi, calendar, requestsAll, accessPage, fileChange],
  approver: [review, requestsAll, page("/requests?toReview", () => "/requests?toReview=true", 2)],
  auditor: [auditPage, auditFiltered, requestsAll, keysFirst, accessPage],
  requester: [
    keysFirst,
    page("/requests?mine", () => "/requests?mine=true", 2),
    page("/my-keys", () => "/my-keys", 2),
  ],
};

/** The mix without changes: for a soak longer than an approver's fresh sign-in lasts. */
export const READ_ONLY_MIX: Record<Role, Action[]> = {
  keyadmin: MIX.keyadmin.filter((a) => a !== fileChange),
  approver: MIX.approver.filter((a) => a !== review),
  auditor: MIX.auditor,
  requester: MIX.requester,
};

export { MIX };

function weighted(actions: readonly Action[], random: () => number): Action {
  const total = actions.reduce((sum, a) => sum + a.weight, 0);
  let point = random() * total;
  for (const action of actions) {
    point -= action.weight;
    if (point < 0) return action;
  }
  return actions[actions.length - 1]!;
}

/** Runs every client until `until` (epoch ms); returns every sample. */
export async function runClients(
  clients: readonly Client[],
  target: LoadTarget,
  mix: Record<Role, Action[]>,
  until: number,
  random: () => number = Math.random,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  let n = 0;
  await Promise.all(
    clients.map(async (client) => {
      // Start spread over the first second, not all at once.
      await sleep(random() * 1_000);
      while (Date.now() < until) {
        const action = weighted(mix[client.role], random);
        try {
          samples.push(...(await action.run(client, target, (n += 1))));
        } catch {
          samples.push({ action: action.name, ms: NaN, status: 0, ok: false });
        }
        await sleep(THINK_MS.min + random() * (THINK_MS.max - THINK_MS.min));
      }
    }),
  );
  return samples;
}
