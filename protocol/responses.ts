import { type TProperties, type TSchema, Type } from '@sinclair/typebox';

/**
 * Response schemas are allow-lists: the server serialises each reply through its route's schema,
 * so a field not named here never leaves it. Every object in a response is closed.
 */
export function Closed<T extends TProperties>(properties: T) {
  return Type.Object(properties, { additionalProperties: false });
}

/** `{ items: [...] }`, the shape of every list. */
export function ItemsOf<T extends TSchema>(item: T) {
  return Closed({ items: Type.Array(item) });
}

/** The reply of a write that answers 204: no body (`reply.code(204).send()`). */
export const NoContent = Type.Unsafe<undefined>(Type.Null());

/** `{ ended: n }`: how many sessions a sign-out ended. */
export const Ended = Closed({ ended: Type.Integer({ minimum: 0 }) });

/** `{ message }`: a plain notice for the person, e.g. "a reset link is on its way". */
export const Notice = Closed({ message: Type.String() });

/** A reply that is not JSON (a page, a file): sent as it is, declared by its media type. */
export function Raw<M extends string>(mediaType: M) {
  return { content: { [mediaType]: { schema: Type.String() } } } as {
    content: Record<M, { schema: ReturnType<typeof Type.String> }>;
  };
}
