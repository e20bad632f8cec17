/** What other features may use from calendar. */
