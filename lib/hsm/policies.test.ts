import {
  createHttpHeaders,
  createPipelineRequest,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";

import { firstRequestGatePolicy } from "@/lib/hsm/policies";

/* The gate's ordering, with a next() that records when each request is really sent. */

function deferred() {
  let resolve!: (response: PipelineResponse) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<PipelineResponse>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function recorder() {
  const sent: string[] = [];
  const pending = new Map<string, ReturnType<typeof deferred>>();
  const next = (request: PipelineRequest) => {
    sent.push(request.url);
    const d = deferred();
    pending.set(request.url, d);
    return d.promise;
  };
  const answer = (url: string) =>
    pending.get(url)!.resolve({
      request: createPipelineRequest({ url }),
      status: 200,
      headers: createHttpHeaders(),
    });
  return { sent, next, answer, pending };
}

const request = (n: number) => createPipelineRequest({ url: `https://hsm.example/${n}` });
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("firstRequestGatePolicy", () => {
  it("sends nothing else until the first request has its answer, then lets everything through", async () => {
    const gate = firstRequestGatePolicy();
    const { sent, next, answer } = recorder();
    const first = gate.sendRequest(request(1), next);
    const second = gate.sendRequest(request(2), next);
    const third = gate.sendRequest(request(3), next);
    await tick();
    expect(sent).toEqual(["https://hsm.example/1"]);
    answer("https://hsm.example/1");
    await first;
    await tick();
    expect(sent).toEqual([
      "https://hsm.example/1",
      "https://hsm.example/2",
      "https://hsm.example/3",
    ]);
    const fourth = gate.sendRequest(request(4), next);
    expect(sent).toHaveLength(4);
    for (const n of [2, 3, 4]) answer(`https://hsm.example/${n}`);
    await Promise.all([second, third, fourth]);
  });

  it("opens after a failed first request too", async () => {
    const gate = firstRequestGatePolicy();
    const { sent, next, pending } = recorder();
    const first = gate.sendRequest(request(1), next);
    const second = gate.sendRequest(request(2), next);
    pending.get("https://hsm.example/1")!.reject(new Error("connection refused"));
    await expect(first).rejects.toThrow("connection refused");
    await tick();
    expect(sent).toContain("https://hsm.example/2");
    pending
      .get("https://hsm.example/2")!
      .resolve({ request: request(2), status: 200, headers: createHttpHeaders() });
    await second;
  });
});
