// The staff session cookie is scoped to /api and read by the signal service only, so staff
// pages load their data in the browser.
export const ssr = false;
