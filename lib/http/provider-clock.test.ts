import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProviderClock } from "./provider-clock";

describe("provider clock", () => {
  let server: http.Server;
  let url = "";
  let providerOffsetMs = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      res.setHeader("date", new Date(Date.now() + providerOffsetMs).toUTCString());
      res.end("{}");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("follows a provider whose clock is hours ahead, and ignores sub-second noise", async () => {
    const clock = new ProviderClock();
    const fetchWithClock = clock.wrap(fetch);
    providerOffsetMs = 4 * 3600 * 1000;
    await fetchWithClock(url);
    expect(clock.now().getTime() - Date.now()).toBeGreaterThan(4 * 3600 * 1000 - 3000);
    providerOffsetMs = 300;
    await fetchWithClock(url);
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(50);
  });

  it("keeps its offset when an answer has no usable Date", () => {
    const clock = new ProviderClock();
    clock.observe(new Date(Date.now() - 60_000).toUTCString());
    clock.observe("not a date");
    clock.observe(null);
    expect(Date.now() - clock.now().getTime()).toBeGreaterThan(58_000);
  });
});
