import { CombinedError } from 'urql';

/** What a person should read for a GraphQL error, by its `extensions.code`. */
export function describeError(error: CombinedError | undefined | null): string | null {
  if (!error) return null;
  if (error.networkError && !error.graphQLErrors.length) {
    return 'Cannot reach the server. Check your connection and try again.';
  }
  const messages = error.graphQLErrors.map((e) => {
    const code = e.extensions?.code as string | undefined;
    const field = e.extensions?.field as string | undefined;
    const text = e.message;
    switch (code) {
      case 'UNAUTHENTICATED':
        return text && !/authenticat/i.test(text) ? text : 'Your session has ended. Please sign in again.';
      case 'FORBIDDEN':
        return `You don't have permission to do that. ${text}`.trim();
      case 'NOT_FOUND':
        return 'Not found: it may have been deleted, or it is not yours.';
      case 'BAD_USER_INPUT':
        return field ? `${field}: ${text}` : text;
      case 'CONFLICT':
        return `Already exists: ${text}`;
      case 'INSUFFICIENT_CREDITS':
        return `Not enough credits. ${text}`;
      case 'LIMIT_EXCEEDED':
        return `Limit reached: ${text}`;
      case 'RATE_LIMITED':
        return 'Too many requests. Wait a moment and try again.';
      case 'INTERNAL':
        return `Something went wrong on our side. ${text}`.trim();
      default:
        return text;
    }
  });
  return [...new Set(messages)].join(' ');
}

export function errorCode(error: CombinedError | undefined | null): string | null {
  return (error?.graphQLErrors[0]?.extensions?.code as string | undefined) ?? null;
}

/** BAD_USER_INPUT messages by their `extensions.field`, and what is left for a banner. */
export function fieldErrors(error: CombinedError | undefined | null): { fields: Record<string, string>; rest: string | null } {
  const fields: Record<string, string> = {};
  if (!error) return { fields, rest: null };
  const others = error.graphQLErrors.filter((e) => {
    const field = e.extensions?.field as string | undefined;
    if (e.extensions?.code !== 'BAD_USER_INPUT' || !field) return true;
    const prefix = `${field}: `;
    fields[field] = e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
    return false;
  });
  if (others.length === 0 && !(error.networkError && !error.graphQLErrors.length)) return { fields, rest: null };
  const rest = describeError(new CombinedError({ graphQLErrors: others, networkError: error.networkError }));
  return { fields, rest };
}

/** [`describeError`] followed by the server's `extensions.code`, e.g. "Limit reached: … (LIMIT_EXCEEDED)". */
export function describeErrorWithCode(error: CombinedError | undefined | null): string | null {
  const text = describeError(error);
  if (!text) return null;
  const codes = [...new Set((error?.graphQLErrors ?? []).map((e) => e.extensions?.code).filter((c): c is string => typeof c === 'string'))];
  return codes.length ? `${text} (${codes.join(', ')})` : text;
}
