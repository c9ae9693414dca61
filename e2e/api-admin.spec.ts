/**
 * /api/admin/staff, the way `npm run cli -- staff …` manages staff while the app holds the embedded
 * database: only with the token the app keeps in DATA_DIR/admin-token (401 otherwise — a staff session is
 * not enough), bad input a 400, and what it adds makes a wallet staff at once (no restart).
 */
import fs from "node:fs";
import path from "node:path";
import { errorOf, expect, newWallet, originContext, signIn, test } from "./api-helpers";

const token = () => fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "admin-token"), "utf8").trim();

test("refuses a missing or wrong token, and a browser session, with 401", async ({ request, baseURL }) => {
  for (const authorization of [undefined, "Bearer wrong", `Basic ${token()}`, `Bearer ${token()}x`]) {
    const response = await request.get("/api/admin/staff", { headers: authorization ? { authorization } : {} });
    expect(response.status(), String(authorization)).toBe(401);
    expect(await errorOf(response)).toMatchObject({ code: "admin_token_invalid" });
  }
  const browser = await originContext(baseURL!);
  await signIn(browser, baseURL!, newWallet());
  expect((await browser.post("/api/admin/staff", { data: { address: newWallet().address } })).status()).toBe(401);
  await browser.dispose();
});

test("with the token: bad input is a 400, add makes a wallet staff at once, remove ends it", async ({ request, baseURL }) => {
  const authorization = `Bearer ${token()}`;
  const bad = await request.post("/api/admin/staff", { headers: { authorization }, data: { address: "0x1234" } });
  expect(bad.status()).toBe(400);
  expect(await errorOf(bad)).toMatchObject({ code: "invalid_address" });
  expect((await request.post("/api/admin/staff", { headers: { authorization, "content-type": "application/json" }, data: "{" })).status()).toBe(400);

  const wallet = newWallet();
  const browser = await originContext(baseURL!);
  await signIn(browser, baseURL!, wallet);
  expect((await browser.get("/api/staff/metrics")).status()).toBe(403);

  const added = await request.post("/api/admin/staff", { headers: { authorization }, data: { address: wallet.address.toLowerCase() } });
  expect(added.status(), await added.text()).toBe(201);
  expect(await added.json()).toEqual({ address: wallet.address, added: true });
  expect((await request.post("/api/admin/staff", { headers: { authorization }, data: { address: wallet.address } })).status()).toBe(200);
  expect((await browser.get("/api/staff/metrics")).status()).toBe(200);
  const listed = (await (await request.get("/api/admin/staff", { headers: { authorization } })).json()) as {
    configured: string[];
    table: { address: string }[];
  };
  expect(listed.configured).toEqual(["0x69796a59B34A11c87081a03B3eCC3b4043d94E4D"]);
  expect(listed.table.map((row) => row.address)).toContain(wallet.address);

  expect((await request.delete("/api/admin/staff", { headers: { authorization }, data: { address: wallet.address } })).status()).toBe(200);
  // removing a staff member ends their sessions at once: signed out, not merely refused
  const removed = await browser.get("/api/staff/metrics");
  expect(removed.status()).toBe(401);
  expect(await errorOf(removed)).toMatchObject({ code: "not_signed_in" });
  expect(await (await browser.get("/api/auth/session")).json()).toEqual({ signedIn: false });
  const again = await request.delete("/api/admin/staff", { headers: { authorization }, data: { address: wallet.address } });
  expect(again.status()).toBe(404);
  expect(await errorOf(again)).toMatchObject({ code: "staff_not_found" });
  await browser.dispose();
});
