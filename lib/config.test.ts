import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_SECRETS, CONFIG_VARIABLES, ConfigError, loadConfig } from "./config";
import { SANDBOX_DEFAULTS } from "./sandbox-defaults";

describe("configuration", () => {
  it("runs against the sandbox with no variables set", () => {
    const cfg = loadConfig({});
    expect(cfg.port).toBe(3000);
    expect(cfg.sandbox).toEqual({ enabled: true, port: 4010, url: "http://127.0.0.1:4010" });
    expect(cfg.offblocks.baseUrl).toBe("http://127.0.0.1:4010/offblocks/v1");
    expect(cfg.offblocks.apiKey).toBe(SANDBOX_DEFAULTS.offblocks.apiKey);
    expect(cfg.publicUrl).toBe("http://localhost:3000");
    expect(cfg.databaseUrl).toBeUndefined();
  });

  it("follows SANDBOX_PORT and leaves sandbox mode when a real provider URL is set", () => {
    expect(loadConfig({ SANDBOX_PORT: "4999" }).offblocks.baseUrl).toBe("http://127.0.0.1:4999/offblocks/v1");
    const real = loadConfig({ OFFBLOCKS_BASE_URL: "https://api.sandbox.offblocks.xyz/v1/" });
    expect(real.sandbox.enabled).toBe(false);
    expect(real.offblocks.baseUrl).toBe("https://api.sandbox.offblocks.xyz/v1");
  });

  it("stops on a bad value with one line naming the variable", () => {
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/^Invalid configuration: PORT .*"eighty"/);
    expect(() => loadConfig({ OFFBLOCKS_API_KEY: "not-a-uuid" })).toThrow(/OFFBLOCKS_API_KEY must be a UUID/);
  });

  it("never repeats a secret's value in its error", () => {
    let message = "";
    try {
      loadConfig({ DATA_KEY: "short-secret" });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/DATA_KEY/);
    expect(message).not.toContain("short-secret");
  });

  it("documents every variable in .env.example and the README, secrets marked", () => {
    const example = fs.readFileSync(".env.example", "utf8");
    const readme = fs.readFileSync("README.md", "utf8");
    for (const name of CONFIG_VARIABLES) {
      expect(example, name).toMatch(new RegExp(`^${name}=`, "m"));
      expect(readme, name).toContain(`\`${name}\``);
    }
    for (const name of CONFIG_SECRETS) expect(readme, name).toMatch(new RegExp(`\\| \`${name}\` \\|[^\\n]*\\| yes \\|`));
  });
});
