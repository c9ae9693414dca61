/** Bloq Connect through the merchant's client token (./credentials.ts): its status, for /api/health. */
import type { BloqClientTokens } from "./credentials";
import { isSuccess } from "../../http/provider-fetch";
import { bloqError, parseAnswer } from "./errors";
import { CONNECT_STATUS_PATH, ConnectStatusSchema } from "./types";

export interface BloqConnect {
  /** `GET /api/v1/status` with the client access token → Bloq's status word (`"ok"`). */
  status(): Promise<string>;
}

export function createBloqConnect(options: { connectUrl: string; tokens: BloqClientTokens }): BloqConnect {
  return {
    async status() {
      const response = await options.tokens.send({ method: "GET", url: `${options.connectUrl}${CONNECT_STATUS_PATH}` });
      if (!isSuccess(response)) throw bloqError(response, "Connect status");
      return parseAnswer(ConnectStatusSchema, response.body, "Connect status").status;
    },
  };
}
