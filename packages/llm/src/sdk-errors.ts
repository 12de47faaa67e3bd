import { failureKindOfStatus, ProviderError, retryAfterMsFrom } from './errors.ts';

/** The error classes both official SDKs share (they are generated from one template). */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error & { status?: number; headers?: Headers };
  APIUserAbortError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIConnectionError: abstract new (...args: never[]) => Error;
}

/** Maps whatever an SDK call threw to a ProviderError that says what to do next. */
export function providerErrorFromSdk(error: unknown, provider: string, sdk: SdkErrorClasses): ProviderError {
  if (error instanceof ProviderError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof sdk.APIUserAbortError)
    return new ProviderError('aborted', message, { provider, cause: error });
  if (error instanceof sdk.APIConnectionTimeoutError)
    return new ProviderError('timeout', message, { provider, cause: error });
  if (error instanceof sdk.APIConnectionError)
    return new ProviderError('connection', message, { provider, cause: error });
  if (error instanceof sdk.APIError && typeof error.status === 'number') {
    const retryAfterMs = retryAfterMsFrom(error.headers);
    return new ProviderError(failureKindOfStatus(error.status), message, {
      provider,
      status: error.status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      cause: error,
    });
  }
  if (error instanceof Error && error.name === 'AbortError')
    return new ProviderError('aborted', message, { provider, cause: error });
  // Anything else came from reading the answer (a body we could not parse): the provider's fault.
  return new ProviderError('bad_response', message, { provider, cause: error });
}
