import { storageStatePath } from "@/e2e/fixtures/accounts";
import { expectProblem } from "@/e2e/fixtures/http";
import { expect, test } from "@/e2e/fixtures/test";

/*
 * "Back up now" through the API on the local stack (the emulator writing to the launcher's
 * Azurite): two starts at once give one run (202) and one 409 saying since when; the run
 * settles as succeeded; its catalogue and "which backups hold this key" find a known key.
 */

const HSM = "keyward-weu";
const KNOWN_KEY = "payments-signing-prod-01";

interface Run {
  id: string;
  hsm: string;
  state: string;
  error: string | null;
  folderUrl: string | null;
}

test.describe("back up now", () => {
  test.use({ storageState: storageStatePath("keyadmin") });

  test("starts once, settles, and catalogues what the HSM holds", async ({ request, stack }) => {
    test.setTimeout(120_000);
    const origin = new URL(stack.portal.url).origin;
    const start = () =>
      request.post("/api/backups/runs", { headers: { origin }, data: { hsm: HSM } });
    const answers = await Promise.all([start(), start()]);
    const started = answers.find((a) => a.status() === 202);
    const refused = answers.find((a) => a.status() !== 202);
    expect(started, "one start is accepted").toBeTruthy();
    const run = (await started!.json()) as Run;
    expect(run).toMatchObject({ hsm: HSM, state: "running" });
    expect(started!.headers().location).toBe(`/api/backups/runs/${run.id}`);
    const problem = await expectProblem(refused!, 409, "conflict");
    expect(problem.detail).toMatch(new RegExp(`A backup of ${HSM} has been running since \\d{4}-`));

    // The start is recorded once, by the run's own transaction (the route records no second
    // event); the refused one as failed.
    const events = (
      (await (await request.get("/api/audit?action=backup.start&limit=50")).json()) as {
        events: { requestId: string; outcome: string; target: Record<string, string> }[];
      }
    ).events;
    const of = (answer: typeof started) =>
      events
        .filter((e) => e.requestId === answer!.headers()["x-request-id"])
        .map((e) => ({ outcome: e.outcome, run: e.target.run }));
    expect(of(started)).toEqual([{ outcome: "succeeded", run: run.id }]);
    expect(of(refused)).toEqual([{ outcome: "failed", run: undefined }]);

    let settled: Run = run;
    await expect
      .poll(
        async () => {
          settled = (await (await request.get(`/api/backups/runs/${run.id}`)).json()) as Run;
          return settled.state;
        },
        { timeout: 90_000, intervals: [500, 1_000, 2_000] },
      )
      .not.toBe("running");
    expect(settled, settled.error ?? "").toMatchObject({ state: "succeeded", error: null });

    const listed = (await (
      await request.get(`/api/backups/runs?hsm=${HSM}&outcome=succeeded`)
    ).json()) as { runs: Run[] };
    expect(listed.runs[0]?.id).toBe(run.id);

    const catalogue = (await (
      await request.get(`/api/backups/runs/${run.id}/catalogue?key=${KNOWN_KEY.toUpperCase()}`)
    ).json()) as { keys: { name: string; versions: unknown[] }[] };
    expect(catalogue.keys.map((k) => k.name)).toEqual([KNOWN_KEY]);
    expect(catalogue.keys[0]!.versions.length).toBeGreaterThan(0);

    const holding = (await (await request.get(`/api/backups/keys/${HSM}/${KNOWN_KEY}`)).json()) as {
      backups: { runId: string }[];
    };
    expect(holding.backups.map((b) => b.runId)).toContain(run.id);
  });
});
