/**
 * One person's onboarding to OffBlocks `active` over plain fetch, making the browser's calls (nonce → sign-in
 * → start → sign the challenge → follow until final) with a fresh wallet — for the soak (e2e/soak.ts), where
 * hundreds run at once against a fleet behind nginx while providers fail and instances die. It behaves as a
 * patient person would: what the app says to retry (a provider unavailable, a fresh challenge, a nonce spent by
 * an instance that died before answering) is retried, and so is an answer lost with a killed instance (nginx's
 * own 502 page, a reset connection). Every answer is counted by who gave it, so the soak can tell an app's 5xx
 * (never allowed) from the proxy's.
 */
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import { appSignInMessage } from "../testing/app-sign-in";

/** How one answer came about: the app's JSON, the proxy's own page (its upstream died), or no answer at all. */
export type AnswerSource = "app" | "proxy" | "network";

export interface Answer {
  method: string;
  path: string;
  status: number;
  source: AnswerSource;
  /** the app's error code, for an app error */
  code?: string;
  /** from sending the request to the whole answer */
  ms: number;
}

export interface JourneyOptions {
  /** where the person's requests go (nginx) */
  baseUrl: string;
  /** the app's PUBLIC_URL: the sign-in message's domain and the Origin a browser sends */
  publicUrl: string;
  /** told of every answer */
  onAnswer(answer: Answer): void;
  /** give up after this long (default 180 s) */
  timeoutMs?: number;
  /** where the journey ends: OffBlocks final (default), or as soon as OffBlocks accepted the signature */
  until?: "final" | "signed";
  /** sent as X-Forwarded-For (an app trusting one proxy counts its rate limits apart, as a real client's) */
  clientAddress?: string;
}

export interface JourneyResult {
  onboardingId: string;
  address: string;
  customerId: string;
  /** the OffBlocks step's last status */
  status: string;
}

interface OnboardingView {
  id: string;
  steps: { offblocks: { status: string; customerId?: string; challenge?: { message: string } } };
}

const FINAL = new Set(["active", "rejected", "failed"]);
/** every status after OffBlocks accepted the signature */
const SIGNED = new Set(["verified", "screening", "verifying", ...FINAL]);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Person {
  readonly wallet: PrivateKeyAccount = privateKeyToAccount(generatePrivateKey());
  readonly #cookies = new Map<string, string>();
  readonly #deadline: number;

  constructor(private readonly options: JourneyOptions) {
    this.#deadline = Date.now() + (options.timeoutMs ?? 180_000);
  }

  /** One request; undefined when no answer came (the connection died with its instance). */
  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> } | undefined> {
    if (Date.now() > this.#deadline)
      throw new Error(`${this.wallet.address}: not onboarded within ${this.options.timeoutMs ?? 180_000} ms (at ${method} ${path})`);
    const headers: Record<string, string> = { origin: this.options.publicUrl };
    if (this.options.clientAddress) headers["x-forwarded-for"] = this.options.clientAddress;
    if (this.#cookies.size) headers.cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
    if (body !== undefined) headers["content-type"] = "application/json";
    let response: Response;
    const started = performance.now();
    try {
      response = await fetch(new URL(path, this.options.baseUrl), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
    } catch {
      this.options.onAnswer({ method, path, status: 0, source: "network", ms: performance.now() - started });
      return undefined;
    }
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(";");
      const at = pair!.indexOf("=");
      this.#cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const text = await response.text();
    const fromApp = (response.headers.get("content-type") ?? "").includes("application/json") || response.status === 204;
    const json = fromApp && text ? (JSON.parse(text) as Record<string, unknown>) : {};
    const code = (json.error as { code?: string } | undefined)?.code;
    this.options.onAnswer({
      method,
      path,
      status: response.status,
      source: fromApp ? "app" : "proxy",
      ...(code ? { code } : {}),
      ms: performance.now() - started,
    });
    // the proxy's own page: the instance died with the request; nothing the app said to keep
    if (!fromApp) return undefined;
    return { status: response.status, json };
  }

  async signIn(): Promise<void> {
    for (;;) {
      const issued = await this.call("GET", "/api/auth/nonce");
      if (issued?.status !== 200) {
        await sleep(250);
        continue;
      }
      const message = appSignInMessage(this.options.publicUrl, this.wallet.address, issued.json.nonce as string);
      const signed = await this.call("POST", "/api/auth/verify", { message, signature: await this.wallet.signMessage({ message }) });
      if (signed?.status === 200) return;
      // a lost answer, or a nonce an instance spent before it died: sign in again
      if (signed && signed.status !== 401 && signed.status < 500) throw new Error(`sign-in refused: ${signed.status} ${JSON.stringify(signed.json)}`);
      await sleep(250);
    }
  }
}

/** Onboards one fresh wallet to a final OffBlocks status (or to its accepted signature) and answers where it ended. */
export async function onboardToActive(options: JourneyOptions): Promise<JourneyResult> {
  const person = new Person(options);
  await person.signIn();
  let onboarding: OnboardingView | undefined;
  while (!onboarding) {
    const started = await person.call("POST", "/api/onboarding", {});
    if (started && (started.status === 200 || started.status === 201)) onboarding = started.json as unknown as OnboardingView;
    else if (started?.status === 401) await person.signIn();
    else if (started && started.status < 500 && started.status !== 429) throw new Error(`start refused: ${started.status} ${JSON.stringify(started.json)}`);
    else await sleep(500);
  }
  for (;;) {
    const step = onboarding.steps.offblocks;
    if ((options.until === "signed" ? SIGNED : FINAL).has(step.status)) {
      return { onboardingId: onboarding.id, address: person.wallet.address, customerId: step.customerId ?? "", status: step.status };
    }
    let answer: Awaited<ReturnType<Person["call"]>>;
    if (step.status === "challenge_issued" && step.challenge) {
      const signature = await person.wallet.signMessage({ message: step.challenge.message });
      answer = await person.call("POST", "/api/onboarding/offblocks/sign", { signature });
      // 400/410 come with a fresh challenge, which the next GET shows
    } else if (step.status === "not_started") {
      // OffBlocks had no customer yet (it was down when we started): starting again creates it
      answer = await person.call("POST", "/api/onboarding", {});
    } else if (step.status === "challenge_issued") {
      answer = await person.call("POST", "/api/onboarding/offblocks/challenge", {});
    } else {
      await sleep(750);
      answer = await person.call("GET", "/api/onboarding");
    }
    if (answer && answer.status < 300 && answer.json.steps) onboarding = answer.json as unknown as OnboardingView;
    else if (answer?.status === 401) await person.signIn();
    else if (answer && answer.status !== 200) {
      await sleep(500);
      const current = await person.call("GET", "/api/onboarding");
      if (current?.status === 200) onboarding = current.json as unknown as OnboardingView;
    }
  }
}
