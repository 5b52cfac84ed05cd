// The empty baseline: the same compiler settings with nothing to check.
export {};
