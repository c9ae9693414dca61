/**
 * Bloq Stake: the end user's wallet login. `nonce(address)` → the nonce to put in the Bloq text
 * (./sign-in-text.ts); `login()` sends the wallet's signature of that text with the SAME signedAt (= its
 * Issued At) → the user's stake token (12 h). Both are POSTs sent once (a nonce is single use).
 */
import { getAddress } from "viem";
import { AppError } from "../../errors";
import { isSuccess, type ProviderFetch } from "../../http/provider-fetch";
import { BLOQ_ERROR, bloqError, parseAnswer, upstreamCode } from "./errors";

/** Stake's code of a 401 for a nonce that is not outstanding (never asked, already used, or expired). */
const NONCE_INVALID = "nonce_invalid";
import { StakeNonceSchema, StakeTokenSchema, type StakeToken } from "./types";

export interface StakeLoginInput {
  address: string;
  /** 0x hex (personal_sign) */
  signature: string;
  /** identical to the signed text's Issued At */
  signedAt: string;
}

export interface BloqStake {
  /** `POST /users/{address}/nonce` → the nonce; 404 `bloq_user_unknown` when Bloq does not know the wallet. */
  nonce(address: string): Promise<string>;
  /** `POST /auth {address, service: "stake", signature, signedAt}` → `{token}`; 400 `bloq_signature_invalid`, 410 `bloq_nonce_invalid`, 404 `bloq_user_unknown`. */
  login(input: StakeLoginInput): Promise<StakeToken>;
}

const unknownUser = (status: number) =>
  new AppError(BLOQ_ERROR.userUnknown, 404, "Bloq does not know this wallet as a staking customer.", { upstreamStatus: status });

export function createBloqStake(options: { stakeUrl: string; http: ProviderFetch }): BloqStake {
  const { stakeUrl, http } = options;
  return {
    async nonce(address) {
      const response = await http({ method: "POST", url: `${stakeUrl}/users/${getAddress(address)}/nonce`, maxRetries: 0 });
      if (response.status === 404) throw unknownUser(404);
      if (!isSuccess(response)) throw bloqError(response, "nonce");
      return parseAnswer(StakeNonceSchema, response.body, "nonce").nonce;
    },
    async login({ address, signature, signedAt }) {
      const response = await http({
        method: "POST",
        url: `${stakeUrl}/auth`,
        body: { address: getAddress(address), service: "stake", signature, signedAt },
        maxRetries: 0,
      });
      if (response.status === 401 && upstreamCode(response.body) === NONCE_INVALID) {
        throw new AppError(BLOQ_ERROR.nonceInvalid, 410, "Bloq no longer accepts this sign-in text (its nonce was used or expired).", { upstreamStatus: 401 });
      }
      if (response.status === 401 || response.status === 404) throw unknownUser(response.status);
      if (response.status === 403) {
        throw new AppError(BLOQ_ERROR.signatureInvalid, 400, "Bloq did not accept the signature (wrong text, time or nonce).", { upstreamStatus: 403 });
      }
      if (!isSuccess(response)) throw bloqError(response, "stake login");
      return parseAnswer(StakeTokenSchema, response.body, "stake login");
    },
  };
}
