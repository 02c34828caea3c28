/** The guest session cookie: a random token; the database holds only its SHA-256. */
export const GUEST_COOKIE = 'pp_guest';
