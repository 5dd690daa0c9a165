/* Cannot hold a site (no pointer static), so it is never parsed: its
 * syntax error is not counted. */
static int counter = ;
