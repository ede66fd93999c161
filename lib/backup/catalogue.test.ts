import { describe, expect, it } from "vitest";

import { catalogueKeys, versionsInBackup, type CatalogueKey } from "@/lib/backup/catalogue";

/* Which versions a catalogue says a backup holds, when the mirror is read after the backup. */

const version = (id: string, createdOn: number) => ({
  version: id,
  createdOn,
  enabled: true,
  expiresOn: null,
});

describe("versionsInBackup", () => {
  it("leaves out versions the HSM created after the backup ended, newest first", () => {
    expect(
      versionsInBackup([version("a", 1_000), version("c", 3_000), version("b", 2_000)], 2_000),
    ).toEqual([version("b", 2_000), version("a", 1_000)]);
  });

  it("keeps every version when the HSM did not say when the backup ended", () => {
    expect(versionsInBackup([version("a", 1_000), version("b", 9_000)], null)).toHaveLength(2);
  });
});

describe("catalogueKeys", () => {
  const key = (name: string) =>
    ({ name, tags: {}, attributes: {} }) as unknown as Omit<CatalogueKey, "versions">;

  it("drops a key all of whose versions are younger than the backup", () => {
    const versions: Record<string, ReturnType<typeof version>[]> = {
      orders: [version("o1", 1_000), version("o2", 5_000)],
      "made-later": [version("m1", 5_000)],
    };
    const keys = catalogueKeys(
      [key("Orders"), key("made-later")],
      (nameLower) => versions[nameLower] ?? [],
      2_000,
    );
    expect(keys.map((k) => [k.name, k.versions.map((v) => v.version)])).toEqual([
      ["Orders", ["o1"]],
    ]);
  });
});
