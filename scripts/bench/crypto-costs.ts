/**
 * What the cryptography of one onboarding costs on this machine, for `npm run bench:onboarding`: each operation
 * the app and the sandbox perform, microbenchmarked with the code they run it with (viem's verifyMessage for
 * EIP-191 signatures, lib/http/request-signature.ts for OffBlocks' RFC 9421 P-384 signatures, node's verify as the
 * sandbox checks them, jose for the sandbox's HS256 tokens, iron-session for the cookie), and how many of each an
 * onboarding performs — counted from the requests it made (the client's answers and the sandbox's request log),
 * not by hand.
 */
import { createHash, generateKeyPairSync, verify as verifySignature } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { jwtVerify, SignJWT } from "jose";
import { verifyMessage } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signRequest } from "../../lib/http/request-signature";

export type CryptoOperation = "secp256k1_verify" | "p384_sign" | "p384_verify" | "jwt_verify" | "session_seal" | "session_unseal" | "sha256_digest";

/** Where an operation runs: the app instance or the provider (the sandbox). */
export const RUNS_IN: Record<CryptoOperation, "app" | "sandbox" | "both"> = {
  secp256k1_verify: "both",
  p384_sign: "app",
  p384_verify: "sandbox",
  jwt_verify: "sandbox",
  session_seal: "app",
  session_unseal: "app",
  sha256_digest: "both",
};

/** Milliseconds of one core per operation: the median of a few timed batches, each of at least `batchMs`. */
export async function measureCryptoCosts(batchMs = 300): Promise<Record<CryptoOperation, number>> {
  const account = privateKeyToAccount(generatePrivateKey());
  const message = "wallet-onboarding.example wants you to sign in with your Ethereum account:\n" + account.address + "\n\nbench";
  const signature = await account.signMessage({ message });
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "secp384r1" });
  const request = {
    method: "POST",
    url: new URL("http://127.0.0.1:4010/offblocks/v1/customers/x/challenge/sign"),
    headers: { "content-type": "application/json", "content-digest": "sha-256=:x:", authorization: "Bearer x" },
  };
  const p384 = await signRequest(request, { privateKey, keyId: "bench" });
  const base = Buffer.from(`"@method": POST\n"@path": /offblocks/v1/customers/x/challenge/sign\n"@signature-params": ${p384["signature-input"]}`);
  const p384Bytes = Buffer.from(/:([^:]+):/.exec(p384.signature!)![1]!, "base64");
  const jwtKey = new Uint8Array(32).fill(7);
  const jwt = await new SignJWT({ sub: "merchant" }).setProtectedHeader({ alg: "HS256", typ: "JWT" }).setIssuedAt().setExpirationTime("1h").sign(jwtKey);
  const password = "a-bench-session-password-of-32-chars!!";
  const sealed = await sealData({ sessionId: "3f0c7b1e-0000-4000-8000-000000000000" }, { password });
  const body = Buffer.from(JSON.stringify({ signature: "x".repeat(88) }));

  const operations: Record<CryptoOperation, () => unknown> = {
    secp256k1_verify: () => verifyMessage({ address: account.address, message, signature }),
    p384_sign: () => signRequest(request, { privateKey, keyId: "bench" }),
    // the signature as the sandbox checks it (it may fail on this base: the cost is the same)
    p384_verify: () => verifySignature("sha384", base, { key: publicKey, dsaEncoding: "ieee-p1363" }, p384Bytes),
    jwt_verify: () => jwtVerify(jwt, jwtKey, { algorithms: ["HS256"] }),
    session_seal: () => sealData({ sessionId: "3f0c7b1e-0000-4000-8000-000000000000" }, { password }),
    session_unseal: () => unsealData(sealed, { password }),
    sha256_digest: () => createHash("sha256").update(body).digest("base64"),
  };
  const costs = {} as Record<CryptoOperation, number>;
  for (const [name, run] of Object.entries(operations) as [CryptoOperation, () => unknown][]) {
    for (let i = 0; i < 20; i++) await run(); // warm
    const batches: number[] = [];
    for (let batch = 0; batch < 5; batch++) {
      let count = 0;
      const started = performance.now();
      while (performance.now() - started < batchMs) {
        await run();
        count++;
      }
      batches.push((performance.now() - started) / count);
    }
    costs[name] = batches.sort((a, b) => a - b)[2]!;
  }
  return costs;
}

export interface ServedCount {
  method: string;
  path: string;
  status: number;
}

/**
 * The operations of the onboardings a run made, from what it requested: every app request unseals the cookie
 * and a sign-in or a nonce seals one; a sign-in and an OffBlocks signature are each verified by the app (EIP-191);
 * every OffBlocks request but the token one is signed by the app (P-384) and verified by the sandbox with its
 * bearer token and body digest; an OffBlocks challenge signature is verified by the sandbox too.
 */
export function countOperations(
  app: readonly { method: string; path: string; status: number }[],
  offblocks: readonly ServedCount[],
): Record<CryptoOperation, number> {
  const ok = (answer: { status: number }) => answer.status < 300;
  const signIns = app.filter((a) => a.method === "POST" && a.path === "/api/auth/verify" && ok(a)).length;
  const nonces = app.filter((a) => a.method === "GET" && a.path === "/api/auth/nonce" && ok(a)).length;
  const challengeSignatures = app.filter((a) => a.method === "POST" && a.path === "/api/onboarding/offblocks/sign").length;
  const signedToOffblocks = offblocks.filter((r) => r.path.startsWith("/offblocks/v1/") && r.path !== "/offblocks/v1/auth/token");
  const withBody = signedToOffblocks.filter((r) => r.method === "POST" || r.method === "PUT").length;
  const sandboxChallengeChecks = offblocks.filter((r) => r.method === "POST" && r.path.endsWith("/challenge/sign")).length;
  return {
    secp256k1_verify: signIns + challengeSignatures + sandboxChallengeChecks,
    p384_sign: signedToOffblocks.length,
    p384_verify: signedToOffblocks.length,
    jwt_verify: signedToOffblocks.length,
    session_seal: signIns + nonces,
    session_unseal: app.length,
    sha256_digest: 2 * withBody,
  };
}
