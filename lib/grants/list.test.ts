import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Db } from "@/lib/db/client";
import type { RoleGrantTable } from "@/lib/db/schema/grant/table";
import {
  availableDialects,
  createTestDatabase,
  type TestDatabase,
} from "@/lib/db/testing/databases";
import { listGrants, type GrantFilters } from "@/lib/grants/service";
import { replaceRoleDefinitions } from "@/lib/sync/hsm-store";
import { writeKeys } from "@/lib/sync/key-store";

/*
 * Who sees which time-limited grants, and the list's filters, on SQLite and PostgreSQL: the key
 * team, approvers and auditors see all; a requester sees the grants they asked for and those on
 * keys their groups own (whatever the case of the group id), also when many other grants end
 * sooner than theirs; names come from the inventory's roles and the directory mirror.
 */

const HSM = "weu";
const GROUP = "5e0c6f1e-7a2b-4c3d-9e8f-0a1b2c3d4e5f";
const OTHER_GROUP = "6f1d7a2c-8b3c-4d4e-8f90-1a2b3c4d5e6f";
const ROLE = "21dbd100-6940-42c2-9190-5d6cb909625b";
const APP = "eb0fa4b1-0557-4a2b-b8f8-964a48d6fabe";
const T0 = Date.UTC(2026, 11, 1);
const HOUR = 3_600_000;

const guid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

function grantRow(n: number, fields: Partial<RoleGrantTable>): RoleGrantTable {
  return {
    hsm: HSM,
    assignment: guid(n),
    scope: "/keys/payments",
    role_definition_id: ROLE,
    principal_id: APP,
    request_id: guid(10_000 + n),
    requester_id: "alice",
    granted_at: T0,
    expires_at: T0 + n * HOUR,
    state: "active",
    claimed_until: null,
    ended_at: null,
    end_error: null,
    ...fields,
  };
}

const key = (name: string, owner: string) => ({
  readAt: T0,
  attributes: {
    name,
    version: "v1",
    enabled: true,
    notBefore: null,
    expiresOn: null,
    createdOn: T0,
    updatedOn: T0,
    recoveryLevel: null,
    exportable: false,
    managed: false,
    tags: { owner },
  },
});

describe.each(availableDialects())("the grant list on %s", (dialect) => {
  let database: TestDatabase;
  let db: Db;
  const list = (
    viewer: { id: string; groups?: string[]; readAll?: boolean },
    filters: GrantFilters = {},
  ) =>
    listGrants(db, { groups: [], readAll: false, ...viewer }, filters).then((grants) =>
      grants.map((g) => g.assignment),
    );

  beforeAll(async () => {
    database = await createTestDatabase(dialect);
    db = await database.openMigrated();
    await writeKeys(db, HSM, [key("Payments", GROUP), key("ledger", OTHER_GROUP)]);
    await replaceRoleDefinitions(db, HSM, [
      {
        id: ROLE,
        roleName: "Managed HSM Crypto User",
        roleType: "BuiltInRole",
        description: "",
        dataActions: [],
        notDataActions: [],
      },
    ]);
    await db
      .insertInto("directory_object")
      .values({
        id: APP,
        kind: "servicePrincipal",
        display_name: "payments-api",
        detail: null,
        guest: 0,
        fetched_at: T0,
      })
      .execute();
    await db
      .insertInto("role_grant")
      .values([
        grantRow(1, {}),
        grantRow(2, { scope: "/keys/ledger", requester_id: "bob" }),
        grantRow(3, { requester_id: "bob" }),
        grantRow(4, { state: "ending", claimed_until: T0 }),
        grantRow(5, { state: "expired", ended_at: T0 + 5 * HOUR }),
        grantRow(6, { state: "revoked", ended_at: T0 + HOUR, requester_id: "bob" }),
        grantRow(7, { scope: "/keys", requester_id: "bob" }),
        grantRow(8, { hsm: "neu", requester_id: "bob" }),
      ])
      .execute();
  });
  afterAll(() => database.dispose());

  it.each<[string, { id: string; groups?: string[]; readAll?: boolean }, GrantFilters, number[]]>([
    ["the key team sees every live grant", { id: "carol", readAll: true }, {}, [1, 2, 3, 4, 7, 8]],
    ["a requester sees what they asked for", { id: "alice" }, {}, [1, 4]],
    [
      "and the grants on their groups' keys",
      { id: "dave", groups: [GROUP.toUpperCase()] },
      {},
      [1, 3, 4],
    ],
    ["but not another HSM's key of that name", { id: "dave", groups: [GROUP] }, { hsm: "neu" }, []],
    ["nor an HSM-wide grant", { id: "dave", groups: [GROUP, OTHER_GROUP] }, {}, [1, 2, 3, 4]],
    ["mine: only what one asked for", { id: "bob", groups: [GROUP] }, { mine: true }, [2, 3, 7, 8]],
    ["ended: latest end first", { id: "carol", readAll: true }, { state: "ended" }, [6, 5]],
    ["all states", { id: "alice" }, { state: "all" }, [1, 4, 5]],
    ["one key, any case", { id: "carol", readAll: true }, { key: "PAYMENTS", hsm: HSM }, [1, 3, 4]],
    ["nobody's grant for a stranger", { id: "erin", groups: ["x"] }, { state: "all" }, []],
  ])("%s", async (_, viewer, filters, expected) => {
    expect(await list(viewer, filters)).toEqual(expected.map(guid));
  });

  it("names the role and the principal, and gives the key", async () => {
    const [grant] = await listGrants(db, { id: "alice", groups: [], readAll: false }, {});
    expect(grant).toMatchObject({
      key: "payments",
      roleName: "Managed HSM Crypto User",
      principalName: "payments-api",
      grantedAt: T0,
      expiresAt: T0 + HOUR,
      endedAt: null,
    });
    const [hsmWide] = await listGrants(
      db,
      { id: "bob", groups: [], readAll: false },
      {
        key: undefined,
        hsm: HSM,
        mine: true,
      },
    ).then((grants) => grants.filter((g) => g.scope === "/keys"));
    expect(hsmWide).toMatchObject({ key: null });
  });

  it("lists a requester's grant behind 500 others that end sooner", async () => {
    const others = Array.from({ length: 500 }, (_, n) =>
      grantRow(1000 + n, { requester_id: "mallory", expires_at: T0 - HOUR + n }),
    );
    await db.insertInto("role_grant").values(others).execute();
    try {
      expect(await list({ id: "alice" })).toEqual([guid(1), guid(4)]);
    } finally {
      await db.deleteFrom("role_grant").where("requester_id", "=", "mallory").execute();
    }
  });
});
