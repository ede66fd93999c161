import { BUILT_IN_ROLE_IDS } from "@keyward/hsm-emulator";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { isAppError } from "@/lib/errors";
import { isOutcomeUnknown } from "@/lib/hsm/errors";
import { createHsmHandle, type HsmHandle } from "@/lib/hsm/handle";
import { findSetting, listSettings, updateSetting } from "@/lib/hsm/settings";
import { LOCAL_TOOL_CLIENT_ID } from "@/lib/identity-constants";
import { startTestStack, type TestStack } from "@/scripts/lib/test-stack";

/* Settings against the emulator; the tool client is Managed HSM Administrator, who may change them. */

const HSM = "settings-weu";
const ARM = "AllowKeyManagementOperationsThroughARM";
let stack: TestStack;
let hsm: HsmHandle;
const handleFor = (appId: string) =>
  createHsmHandle(
    { name: HSM, region: "West Europe", url: stack.hsmUrl(HSM), caPem: stack.caPem },
    stack.credential(appId),
  );

beforeAll(async () => {
  stack = await startTestStack([{ name: HSM, region: "West Europe" }]);
  hsm = handleFor(LOCAL_TOOL_CLIENT_ID);
});

afterAll(async () => {
  await stack?.close();
});

describe("settings", () => {
  it("lists the documented setting, changes it and reads the change back", async () => {
    expect(await listSettings(hsm, "interactive")).toEqual([
      { name: ARM, value: "false", type: "boolean" },
    ]);
    expect(await updateSetting(hsm, ARM, "true")).toEqual({
      name: ARM,
      value: "true",
      type: "boolean",
    });
    expect(await findSetting(hsm, ARM, "interactive")).toEqual({
      name: ARM,
      value: "true",
      type: "boolean",
    });
    await updateSetting(hsm, ARM, "false");
    expect(await findSetting(hsm, ARM, "background")).toMatchObject({ value: "false" });
  });

  it("answers null for a setting the HSM does not have", async () => {
    expect(await findSetting(hsm, "NoSuchSetting", "interactive")).toBeNull();
  });

  it("passes on the HSM's refusal of a value that is not a boolean", async () => {
    const failure = await updateSetting(hsm, ARM, "maybe").catch((error: unknown) => error);
    expect(isAppError(failure) && failure.code).toBe("bad_request");
    expect((failure as Error).message).toMatch(
      new RegExp(`^HSM ${HSM} could not set ${ARM} to "maybe": `),
    );
    expect(isOutcomeUnknown(failure)).toBe(false);
  });

  it("is refused for an identity that is not a Managed HSM Administrator", async () => {
    const app = stack.directory.applications.find((a) => a.kind === "workload");
    if (!app) throw new Error("the directory has no workload application");
    await stack.grant(HSM, stack.principalOf(app.appId), BUILT_IN_ROLE_IDS.cryptoOfficer);
    const failure = await updateSetting(handleFor(app.appId), ARM, "true").catch(
      (error: unknown) => error,
    );
    expect(isAppError(failure) && failure.code).toBe("forbidden");
    expect(await findSetting(hsm, ARM, "interactive")).toMatchObject({ value: "false" });
  });
});
