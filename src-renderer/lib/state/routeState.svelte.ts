import { parseRoute, type Route } from '../route/route.js';

/** The place shown, following the location's hash. */
export class RouteState {
  #route = $state.raw<Route>(parseRoute(window.location.hash));

  get route(): Route {
    return this.#route;
  }

  /** Starts following `hashchange`; returns the function that stops it. */
  listen(): () => void {
    const update = (): void => {
      this.#route = parseRoute(window.location.hash);
    };
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }
}
