/**
 * The dashboard's HTML shell: no inline script or style; everything is built by app.js. The health
 * banner sits outside `#app` (which every render replaces), so it changes only when health does.
 * `version` names the build of the assets, so a browser may keep them until the next build.
 */
export const dashboardHtml = (version: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waymark analytics</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/app.css?v=${version}">
<script type="module" src="/dashboard/app.js?v=${version}"></script>
</head>
<body>
<div id="health" class="health" role="status" data-testid="health-banner" hidden></div>
<div id="app"><main id="main"><p>Loading the dashboard…</p><noscript><p>The dashboard needs JavaScript.</p></noscript></main></div>
</body>
</html>
`;
