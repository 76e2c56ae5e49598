/** The dashboard's HTML shell: no inline script or style; everything dynamic is built by app.js. */
export const DASHBOARD_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Waymark analytics</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/dashboard/app.css">
<script type="module" src="/dashboard/app.js"></script>
</head>
<body>
<header>
  <h1>Waymark</h1>
  <nav id="nav" hidden>
    <button type="button" data-view="overview">Overview</button>
    <button type="button" data-view="tour">Tour detail</button>
    <button type="button" data-view="selectors">Selector health</button>
    <button type="button" data-view="journey">Journeys</button>
    <button type="button" data-view="export">Export</button>
  </nav>
  <div id="session" hidden>
    <span id="org-env"></span>
    <button type="button" id="sign-out">Sign out</button>
  </div>
</header>
<main>
  <form id="sign-in" autocomplete="off">
    <h2>Sign in</h2>
    <label>API key <input id="api-key" name="api-key" type="password" required minlength="16" autocomplete="off"></label>
    <label>JWT (only when your org requires one) <input id="jwt" name="jwt" type="password" autocomplete="off"></label>
    <label>Environment <select id="env"><option>prod</option><option>staging</option><option>dev</option></select></label>
    <button type="submit">Sign in</button>
    <p id="sign-in-error" class="error" role="alert"></p>
  </form>
  <section id="app" hidden>
    <div id="range">
      <label>From <input id="date-from" type="date"></label>
      <label>To <input id="date-to" type="date"></label>
      <button type="button" id="refresh">Refresh</button>
      <span id="status" role="status"></span>
    </div>
    <div id="view"></div>
  </section>
</main>
</body>
</html>
`;
