/* Found only through the unit's -Iinclude: the source's folder has no
 * such header. */
#define GREETING_TEXT "hello"
