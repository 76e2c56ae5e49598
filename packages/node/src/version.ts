/** Version of `@waymark/node`, reported as `embedVersion` and in the User-Agent; the build writes package.json's version here. */
export const VERSION: string = '0.0.0-dev';
