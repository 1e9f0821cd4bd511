export interface Typist {
  id: string;
  name: string;
}

const TYPING_TIMEOUT_MS = 6000;

/**
 * Who is typing in which conversation. A "start" holds for 6 s unless renewed; a "stop", or a message
 * from the same author, ends it at once.
 */
export class TypingTracker {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly typing = new Map<string, Typist[]>();

  constructor(private readonly onChange: (conversationId: string, typists: Typist[]) => void) {}

  start(conversationId: string, who: Typist): void {
    const key = `${conversationId}/${who.id}`;
    const old = this.timers.get(key);
    if (old) clearTimeout(old);
    this.timers.set(
      key,
      setTimeout(() => this.stop(conversationId, who.id), TYPING_TIMEOUT_MS),
    );
    const list = (this.typing.get(conversationId) ?? []).filter((t) => t.id !== who.id);
    this.set(conversationId, [...list, who]);
  }

  stop(conversationId: string, authorId: string): void {
    const key = `${conversationId}/${authorId}`;
    const timer = this.timers.get(key);
    if (timer) clearTimeout(timer);
    this.timers.delete(key);
    const list = this.typing.get(conversationId) ?? [];
    if (list.some((t) => t.id === authorId)) {
      this.set(
        conversationId,
        list.filter((t) => t.id !== authorId),
      );
    }
  }

  forget(conversationId: string): void {
    for (const t of this.typing.get(conversationId) ?? []) {
      const timer = this.timers.get(`${conversationId}/${t.id}`);
      if (timer) clearTimeout(timer);
      this.timers.delete(`${conversationId}/${t.id}`);
    }
    this.typing.delete(conversationId);
  }

  private set(conversationId: string, list: Typist[]): void {
    this.typing.set(conversationId, list);
    this.onChange(conversationId, list);
  }
}
