/** The one place an error becomes the JSON answer of API.md: `{"error": {"code", "message"}}`. */
import { AppError, errorBody } from "../errors";
import { logger } from "../log";

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const retryAfter = error.details?.retryAfterSeconds;
    return Response.json(errorBody(error.code, error.message, error.details), {
      status: error.status,
      headers: typeof retryAfter === "number" ? { "Retry-After": String(retryAfter) } : undefined,
    });
  }
  logger().error({ err: error }, "unhandled error in route");
  return Response.json(errorBody("internal_error", "Something went wrong on our side. Please try again."), { status: 500 });
}

/** Wraps a route handler so every thrown error is answered as JSON. */
export function handleErrors<A extends unknown[]>(handler: (...args: A) => Promise<Response>) {
  return async (...args: A): Promise<Response> => {
    try {
      return await handler(...args);
    } catch (error) {
      return errorResponse(error);
    }
  };
}
