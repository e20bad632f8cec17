/** What the server may use from Steam linking. */
