/** Version of `@waymark/node`, reported as `embedVersion` and in the User-Agent. */
export const VERSION = '0.0.0';
