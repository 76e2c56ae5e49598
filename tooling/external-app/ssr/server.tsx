// Renders the page on the server (Node, no DOM) and prints the HTML document.
import { renderToString } from 'react-dom/server';
import { App } from './App';

declare const process: { argv: string[]; stdout: { write(s: string): void } };

const endpoint = process.argv[2] ?? '/api/ingest';
const html = renderToString(<App endpoint={endpoint} />);
process.stdout.write(
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>External app (SSR)</title></head>` +
    `<body><div id="root">${html}</div><script>window.__endpoint=${JSON.stringify(endpoint)}</script>` +
    `<script type="module" src="./client.js"></script></body></html>`,
);
