import { describe, expect, it } from "vitest";
import { sharedInProcess, sharedValueInProcess } from "./process-shared";

describe("process-shared instances", () => {
  it("builds once per name, whichever copy of this module asks (the registry is on globalThis)", async () => {
    let builds = 0;
    const build = async () => ({ n: ++builds });
    const [a, b] = await Promise.all([sharedInProcess("test-once", build), sharedInProcess("test-once", build)]);
    expect(a).toBe(b);
    expect(builds).toBe(1);
    // a second copy of the module (as another Next.js module graph would load it) sees the same instance
    const copy = (await import(`./process-shared?copy=${Date.now()}`)) as typeof import("./process-shared");
    expect(await copy.sharedInProcess("test-once", build)).toBe(a);
    expect(copy.sharedValueInProcess("test-value", () => "first")).toBe(sharedValueInProcess("test-value", () => "second"));
  });

  it("forgets a build that failed, so the next call tries again", async () => {
    await expect(sharedInProcess("test-fails", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(await sharedInProcess("test-fails", async () => "up")).toBe("up");
  });
});
