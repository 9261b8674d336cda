/**
 * The slice of the DOM that spur.js touches. The repository typechecks as one Node program; pulling
 * lib.dom into it (a triple-slash reference is global) would retype timers and fetch for every
 * server file, so the script declares what it uses here and nothing more.
 */

export type Attribute = { name: string; value: string };

export interface ElementLike {
  getAttribute(name: string): string | null;
  closest(selector: string): ElementLike | null;
  attributes: ArrayLike<Attribute>;
}

export interface AnchorLike extends ElementLike {
  /** Already resolved against the document's base URL by the browser. */
  href: string;
}

export interface ScriptLike extends ElementLike {
  src: string;
}

export interface ClickLike {
  button: number;
  /** A click lands on an element (text nodes hand it to their parent). */
  target: ElementLike;
}

export interface DocumentLike {
  currentScript: ScriptLike | null;
  querySelector(selector: string): ScriptLike | null;
  title: string;
  referrer: string;
  visibilityState: string;
  addEventListener(type: 'click' | 'auxclick', listener: (event: ClickLike) => void): void;
}

export interface LocationLike {
  href: string;
  host: string;
  hostname: string;
  pathname: string;
  hash: string;
}

export interface HistoryLike {
  pushState(...args: unknown[]): void;
  replaceState(...args: unknown[]): void;
}

export interface NavigatorLike {
  sendBeacon?: (url: string, body: string) => boolean;
}

export type EventOptions = {
  meta?: Record<string, unknown>;
  /** Seconds. */
  duration?: number;
  /** Not counted as an interaction, so it does not turn a bounce into an engaged visit. */
  nonInteractive?: boolean;
};

/** What the script adds to `window` for site owners. */
export type SpurGlobals = {
  /** Resolves (never rejects) once the requests are handed to the browser; the value is unspecified. */
  spur: (name: string, options?: EventOptions) => Promise<unknown>;
  spur404: () => Promise<unknown>;
};

export interface WindowLike extends SpurGlobals {
  addEventListener(type: 'popstate' | 'hashchange', listener: () => void): void;
}
