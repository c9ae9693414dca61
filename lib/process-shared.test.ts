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

describe("AppError across module copies", () => {
  it("an AppError thrown by another copy of lib/errors is still `instanceof AppError` (answered as its 4xx, not a 500)", async () => {
    const { AppError } = await import("./errors");
    const copy = (await import(`./errors?copy=${Date.now()}`)) as typeof import("./errors");
    expect(copy.AppError).not.toBe(AppError);
    const foreign = new copy.AppError("challenge_expired", 410, "expired");
    expect(foreign instanceof AppError).toBe(true);
    expect(new AppError("x", 400, "x") instanceof copy.AppError).toBe(true);
    expect(new Error("plain") instanceof AppError).toBe(false);
    const { errorResponse } = await import("./api/error-response");
    expect(errorResponse(foreign).status).toBe(410);
  });
});
