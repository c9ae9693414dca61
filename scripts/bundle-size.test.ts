import { describe, expect, it } from "vitest";
import { formatTable, initialScriptSources } from "./bundle-size";

describe("initialScriptSources", () => {
  it("takes every <script src> a module browser runs, async or not, once, and skips nomodule", () => {
    const html = [
      '<link rel="preload" as="script" href="/_next/static/chunks/preload-only.js"/>',
      '<script src="/_next/static/chunks/a.js" async="" nonce="x"></script>',
      "<script src='/_next/static/chunks/b.js?v=1&amp;w=2'></script>",
      '<script src="/_next/static/chunks/polyfills.js" noModule=""></script>',
      '<script>self.__next_f.push([1,""])</script>',
      '<script src="/_next/static/chunks/a.js" async=""></script>',
      '<script type="module" src=/_next/static/chunks/c.js></script>',
    ].join("");
    expect(initialScriptSources(html)).toEqual(["/_next/static/chunks/a.js", "/_next/static/chunks/b.js?v=1&w=2", "/_next/static/chunks/c.js"]);
  });
});

describe("formatTable", () => {
  it("prints each script, the total and whether it is within the budget", () => {
    const table = formatTable(
      [
        { src: "/a.js", bytes: 10_000, gzipBytes: 3_000 },
        { src: "/b.js", bytes: 5_000, gzipBytes: 2_000 },
      ],
      4_000,
    );
    expect(table).toContain("total (2 scripts)");
    expect(table).toContain("5.0");
    expect(table).toContain("OVER by 1.0 kB");
  });
});
