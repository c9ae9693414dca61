/** What the independent OffBlocks and Bloq clients (sandbox/<provider>/independent-client.ts, test support) make of an answer. */
export interface Answer<T = unknown> {
  status: number;
  /** the parsed JSON body (the text when it is not JSON; undefined or "" when empty, as each client parses) */
  body: T;
  /** the provider's error code of an error answer, as its document places it */
  errorCode: string | undefined;
  text: string;
  headers: Headers;
}
