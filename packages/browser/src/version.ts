/** The SDK version, sent as `embedVersion`. The build replaces the placeholder with package.json's version. */
export const VERSION = '0.0.0-dev';
