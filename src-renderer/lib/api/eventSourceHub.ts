import type { ApiEventName, Unsubscribe } from '../../../src-main/contract/api.js';
import { apiEventNames, httpEventsRoute } from '../../../src-main/contract/endpoints.js';
import type { LinkListener, LinkState } from './linkState.js';

type Listener = (event: unknown) => void;

/** Delay before opening a new stream after the server closed one for good (a 401, a restart). */
const reopenDelayMs = 3_000;

/**
 * One EventSource on the web face's events route for the whole page, opened with the first
 * subscriber and closed with the last; each contract event is dispatched to its own listeners.
 */
export class EventSourceHub {
  readonly #listeners = new Map<ApiEventName, Set<Listener>>(apiEventNames.map((name) => [name, new Set<Listener>()]));
  readonly #linkListeners = new Set<LinkListener>();
  #source: EventSource | null = null;
  #reopenTimer: ReturnType<typeof setTimeout> | null = null;
  #link: LinkState = 'connecting';

  subscribe(name: ApiEventName, listener: Listener): Unsubscribe {
    this.#listeners.get(name)?.add(listener);
    this.#open();
    return () => {
      this.#listeners.get(name)?.delete(listener);
      if ([...this.#listeners.values()].every((set) => set.size === 0)) this.#close();
    };
  }

  onLinkChange(listener: LinkListener): Unsubscribe {
    this.#linkListeners.add(listener);
    listener(this.#link);
    return () => this.#linkListeners.delete(listener);
  }

  #open(): void {
    if (this.#source !== null) return;
    const source = new EventSource(httpEventsRoute);
    this.#source = source;
    for (const name of apiEventNames) {
      source.addEventListener(name, (message) => this.#dispatch(name, (message as MessageEvent<string>).data));
    }
    source.addEventListener('open', () => this.#setLink('live'));
    source.addEventListener('error', () => {
      this.#setLink('reconnecting');
      // The browser retries a dropped stream by itself, but not one the server refused.
      if (source.readyState === EventSource.CLOSED) {
        this.#source = null;
        this.#reopenTimer = setTimeout(() => {
          this.#reopenTimer = null;
          if ([...this.#listeners.values()].some((set) => set.size > 0)) this.#open();
        }, reopenDelayMs);
      }
    });
  }

  #close(): void {
    this.#source?.close();
    this.#source = null;
    if (this.#reopenTimer !== null) clearTimeout(this.#reopenTimer);
    this.#reopenTimer = null;
    this.#setLink('connecting');
  }

  #dispatch(name: ApiEventName, data: string): void {
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      console.warn(`task-status: ${name} event with malformed data dropped`);
      return;
    }
    for (const listener of this.#listeners.get(name) ?? []) listener(event);
  }

  #setLink(state: LinkState): void {
    if (state === this.#link) return;
    this.#link = state;
    for (const listener of this.#linkListeners) listener(state);
  }
}
