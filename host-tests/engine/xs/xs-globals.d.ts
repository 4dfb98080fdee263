// Globals available to XS-side test entries in the host engine (xsnap-worker + engine runtime).
declare function print(...args: unknown[]): void;
declare function trace(...args: unknown[]): void;
