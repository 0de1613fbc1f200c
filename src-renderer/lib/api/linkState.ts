/**
 * How the renderer hears from the backend: `live` while events arrive, `connecting` before the
 * first contact, `reconnecting` after the stream broke (figures shown may be stale).
 */
export type LinkState = 'connecting' | 'live' | 'reconnecting';

export type LinkListener = (state: LinkState) => void;
